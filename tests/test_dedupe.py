"""Near-duplicate signatures: what they find, how well they estimate Jaccard, how they are stored."""

import random
import subprocess
import sys
import unicodedata
from functools import cache
from itertools import accumulate

import numpy as np
import pytest

from newsetl.dedupe import (
    FORMAT_VERSION,
    MIN_SHINGLES,
    NUM_PERM,
    THRESHOLD,
    DuplicateFinder,
    Signature,
    _raw_shingles,
    from_bytes,
    signature,
    to_bytes,
)

LANGUAGES = ["en", "zh", "vi", "ru", "ja", "ar"]
NO_SPACE = {"zh", "ja"}

_LETTERS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "vi": "abcdeghiklmnopqrstuvxyăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "ar": "".join(chr(c) for c in range(0x0627, 0x064B)),
}
_CHARACTERS = {
    "zh": [chr(c) for c in range(0x4E00, 0x4E00 + 3000)],
    "ja": [chr(c) for c in range(0x3041, 0x3097)] + [chr(c) for c in range(0x4E00, 0x4E00 + 1500)],
}


@cache
def _vocabulary(language: str) -> tuple[list[str], list[float]]:
    """(words, or characters for scripts without spaces; Zipf cumulative weights)."""
    if language in NO_SPACE:
        tokens = _CHARACTERS[language]
    else:
        rng, letters = random.Random(language), _LETTERS[language]
        tokens = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    return tokens, list(accumulate(1 / rank for rank in range(1, len(tokens) + 1)))


def _sentence(language: str, rng: random.Random) -> str:
    """Zipf-distributed words (or characters), so that common ones repeat as in real text."""
    vocabulary, weights = _vocabulary(language)
    tokens = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(12, 30))
    if language in NO_SPACE:
        return "".join(tokens[:10]) + "，" + "".join(tokens[10:]) + "。"
    return " ".join(tokens).capitalize() + "."


def _article(language: str, seed: int, sentences: int = 40) -> list[str]:
    rng = random.Random(f"{language}:{seed}")
    return [_sentence(language, rng) for _ in range(sentences)]


def _join(language: str, sentences: list[str]) -> str:
    return ("" if language in NO_SPACE else " ").join(sentences)


def _with_replaced(language: str, sentences: list[str], share: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    donor = _article(language, seed + 10_000)
    changed = list(sentences)
    for i in rng.sample(range(len(changed)), round(len(changed) * share)):
        changed[i] = donor[i]
    return changed


def shingle_hashes(body: str) -> np.ndarray:
    """The distinct shingle hashes of a body: the set a signature summarizes."""
    return np.unique(_raw_shingles(body))


def _exact_jaccard(a: str, b: str) -> float:
    x, y = shingle_hashes(a), shingle_hashes(b)
    return len(np.intersect1d(x, y)) / len(np.union1d(x, y))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_copy_with_a_changed_sentence_is_a_near_duplicate(language: str) -> None:
    original = _article(language, 1)
    copy = _join(language, original[:20] + ["Ein ganz anderer Satz steht hier."] + original[21:])
    first, second = signature(_join(language, original)), signature(copy)
    assert second.jaccard(first) >= THRESHOLD
    finder = DuplicateFinder()
    assert finder.original_of("first", first) is None
    assert finder.original_of("second", second) == "first"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unrelated_articles_are_not_near_duplicates(language: str) -> None:
    first, second = signature(_join(language, _article(language, 1))), signature(_join(language, _article(language, 2)))
    assert first.jaccard(second) < 0.3
    finder = DuplicateFinder()
    assert finder.original_of("first", first) is None
    assert finder.original_of("second", second) is None  # and it becomes an original itself
    assert finder.original_of("third", second) == "second"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sentences", [40, 4], ids=["article", "paragraph"])
def test_estimate_follows_exact_jaccard(language: str, sentences: int) -> None:
    """Over a range of overlaps the error averages out: the estimate is unbiased.

    Each estimate is a share of 64 slots, with a standard deviation of about sqrt(J(1-J)/64) <= 0.0625;
    a single estimate 0.25 off would be four of them. The errors of the pairs made from one original
    go together (they share its signature): the mean error of an original's pairs varies by about
    0.04 (as with datasketch's 64 permutations), so the mean over 32 originals by about 0.007, and
    0.03 is four times that. (Everything here is seeded: the outcome is fixed, not flaky.)
    """
    errors, exact = [], []
    for seed in range(32):
        original = _article(language, seed)[:sentences]
        for share in (0.0, 0.1, 0.25, 0.5, 0.75, 1.0):
            changed = _with_replaced(language, original, share, seed)
            a, b = _join(language, original), _join(language, changed)
            exact.append(_exact_jaccard(a, b))
            errors.append(signature(a).jaccard(signature(b)) - exact[-1])
    assert min(exact) < 0.2 and max(exact) == 1.0  # the range was covered
    assert abs(np.mean(errors)) < 0.03
    assert np.max(np.abs(errors)) < 0.25


_SAMPLE_BODIES = {
    "en": _join("en", _article("en", 3)),
    "zh": _join("zh", _article("zh", 3)),
    "vi (decomposed)": unicodedata.normalize("NFD", _join("vi", _article("vi", 3))),
    "emoji": "Fans cheered 🎉 as the team won the final 3–1 in front of 40,000 people 𠀋 tonight at home.",
}


def test_signatures_are_the_same_in_another_process() -> None:
    script = (
        "import sys; from newsetl.dedupe import signature, to_bytes\n"
        "for line in sys.stdin.read().split('\\x1e'):\n"
        "    print(to_bytes(signature(line)).hex())\n"
    )
    bodies = list(_SAMPLE_BODIES.values())
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            input="\x1e".join(bodies),
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PYTHONPATH": "."},
        )
        assert done.stdout.split() == [to_bytes(signature(body)).hex() for body in bodies]


@pytest.mark.parametrize("body", list(_SAMPLE_BODIES.values()), ids=list(_SAMPLE_BODIES))
def test_stored_signature_round_trips(body: str) -> None:
    sig = signature(body)
    data = to_bytes(sig)
    assert len(data) == 1 + 8 * NUM_PERM and data[0] == FORMAT_VERSION
    assert from_bytes(data) == sig
    assert from_bytes(data).jaccard(sig) == 1.0


@pytest.mark.parametrize(
    "data",
    [
        np.arange(NUM_PERM, dtype="<u8").tobytes(),  # the first scheme: 64 uint64, no version byte
        bytes((FORMAT_VERSION + 1,)) + bytes(8 * NUM_PERM),
        bytes((FORMAT_VERSION,)) + bytes(8 * NUM_PERM - 1),
        b"",
        None,
    ],
    ids=["datasketch-512-bytes", "next-version", "truncated", "empty", "none"],
)
def test_signatures_of_another_format_read_as_none(data: bytes | None) -> None:
    assert from_bytes(data) is None


def test_duplicate_finder_treats_a_missing_signature_as_none() -> None:
    finder = DuplicateFinder()
    finder.remember("old", from_bytes(bytes(8 * NUM_PERM)))  # stored by the first scheme
    assert finder.original_of("short", None) is None
    body = _join("en", _article("en", 4))
    assert finder.original_of("new", signature(body)) is None
    assert finder.original_of("again", signature(body)) == "new"
    assert to_bytes(None) is None


@pytest.mark.parametrize(
    "body",
    [
        "",
        "Too short.",
        "Seven words are not eight shingles here",
        "!!! ... ??? --- *** ,,, ;;; " * 20,
        "la " * 200,
        "你好。" * 50,
    ],
    ids=["empty", "short", "seven-words", "punctuation", "one-word-repeated", "one-4-gram-repeated"],
)
def test_too_few_distinct_shingles_give_no_signature(body: str) -> None:
    assert signature(body) is None


def test_eight_distinct_shingles_are_enough() -> None:
    body = "one two three four five six seven eight nine ten"
    assert len(shingle_hashes(body)) == MIN_SHINGLES
    assert signature(body) is not None


@pytest.mark.parametrize(
    ("body", "grams"),
    [
        ("东京今天下雨，明天天气晴朗。大阪也下雨了。", "char"),
        ("今日は東京で雨が降りました。明日は晴れるでしょう。", "char"),
        ("오늘 서울에는 비가 내렸고 내일은 맑겠습니다", "char"),  # Hangul counts as a script without spaces, as before
        ("中国的 GDP 在 2024 年增长了百分之五，超过了预期。", "char"),
        ("The Prime Minister met Xi Jinping (习近平) in Beijing on Monday to discuss trade.", "word"),
        ("Thủ tướng Phạm Minh Chính đã có cuộc gặp với các nhà đầu tư nước ngoài hôm nay.", "word"),
        ("Президент провёл встречу с министрами в понедельник утром в Москве.", "word"),
        ("التقى الرئيس بوزراء الحكومة صباح يوم الاثنين في العاصمة لمناقشة الميزانية", "word"),
    ],
)
def test_scripts_without_spaces_use_character_4grams(body: str, grams: str) -> None:
    text = unicodedata.normalize("NFKC", body).lower()
    words = ["".join(c for c in w if c.isalnum()) for w in text.replace("(", " ").replace(")", " ").split()]
    words = [w for w in words if w]
    compact = "".join(words)
    expected = {
        "char": {compact[i : i + 4] for i in range(len(compact) - 3)},
        "word": set(zip(words, words[1:], words[2:], strict=False)),
    }
    assert len(shingle_hashes(body)) == len(expected[grams])


@pytest.mark.parametrize(
    ("variant", "body"),
    [
        (
            "full-width",
            "ＴＨＥ ＱＵＩＣＫ ｂｒｏｗｎ ｆｏｘ ｊｕｍｐｓ ｏｖｅｒ "
            "ｔｈｅ ｌａｚｙ ｄｏｇ ａｇａｉｎ ａｎｄ ａｇａｉｎ",
        ),
        ("upper case", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG AGAIN AND AGAIN"),
        ("other separators", "the quick, brown fox … jumps over “the lazy dog” again — and again!"),
    ],
)
def test_text_is_compared_after_nfkc_and_lower_case(variant: str, body: str) -> None:
    assert signature(body) == signature("the quick brown fox jumps over the lazy dog again and again")


@pytest.mark.parametrize("language", ["vi", "ja"])
def test_decomposed_text_signs_like_composed_text(language: str) -> None:
    body = _join(language, _article(language, 5))
    decomposed = unicodedata.normalize("NFD", body)
    assert decomposed != body
    assert signature(decomposed) == signature(body)
    assert signature("ｶﾞｲﾄﾞﾌﾞｯｸ " * 3 + body) == signature("ガイドブック " * 3 + body)  # half-width kana


def test_characters_beyond_the_bmp_and_lone_surrogates_do_not_break_it() -> None:
    body = "Fans 🎉🎉 cheered 𠀋𠂇 as the team 𝐰𝐨𝐧 the final in front of forty thousand people at home \udcff tonight."
    sig = signature(body)
    assert sig is not None and len(sig) == NUM_PERM
    assert signature(body.replace("𝐰𝐨𝐧", "won")) == sig  # mathematical bold folds to plain letters (NFKC)


def test_candidates_are_exactly_the_remembered_articles_sharing_a_band() -> None:
    rng = np.random.default_rng(5)
    finder = DuplicateFinder()
    width = DuplicateFinder.ROWS_PER_BAND
    probe = Signature(rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64))
    expected = set()
    for index in range(40):
        values = rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
        if index % 3 == 0:  # shares one whole band with the probe
            band = index % DuplicateFinder.BANDS
            values[band * width : (band + 1) * width] = probe.hashvalues[band * width : (band + 1) * width]
            expected.add(f"a{index}")
        elif index % 3 == 1:  # shares all but one slot of every band: still no candidate
            values = probe.hashvalues.copy()
            values[::width] += np.uint64(1)
        finder.remember(f"a{index}", Signature(values))
    assert finder.candidates(probe) == expected
