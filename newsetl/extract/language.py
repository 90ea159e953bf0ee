"""Language of a text: script first (cheap and certain for CJK and Thai), py3langid for the rest.

py3langid ships its model inside the wheel, so nothing is downloaded at run time.
"""

import re
from functools import lru_cache

import numpy as np
from py3langid import langid

from newsetl.extract.letters import WordPattern, count_in, runs_of
from newsetl.extract.stoplists import stopwords
from newsetl.spacing import PER_CHARACTER_CHAR

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_SCRIPT_RUNS = tuple(runs_of(script) for script in (_KANA, _HANGUL, _HAN, _THAI))
# A cheap gate before counting: none of the four scripts counted below can be there without a match.
_SCRIPTS_WITHOUT_SPACES = PER_CHARACTER_CHAR
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Lines this short are UI strings (buttons, widgets) as often as prose: left out when the text has
# enough longer lines, so that a trailing "Заголовок открываемого материала" cannot sway the result.
_MIN_PROSE_LINE = 40
_ENOUGH_PROSE = 200
_SAMPLE = 500
# py3langid walks its model byte by byte in Python: its cost grows with the text, while its answer on
# prose settles within a few hundred characters (the function-word check below still reads all).
_MODEL_SAMPLE = 250
_LINE_SHARE = _MODEL_SAMPLE // 2
_WORD = WordPattern(r"LETTER+")
# How much more of a runner-up's function words a text must hold to overturn the model's first choice
# (names from another language can tip py3langid: an English story about "Cardinal Tagle" reads as Tagalog).
_STOPWORD_MARGIN = 0.1
_CANDIDATES = 3


def _sample(text: str) -> str:
    # Runs of spaces are collapsed first: w3m pads navigation rows to the page width, and a padded row
    # passes for a prose line. Each line gives at most _LINE_SHARE characters, so that the sample (and the
    # model's part of it) spans several lines: one long line in another language (a disclaimer, a nav row)
    # cannot decide alone.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    prose = [line for line in lines if len(line) >= _MIN_PROSE_LINE]
    if sum(len(line) for line in prose) >= _ENOUGH_PROSE:
        return "\n".join(line[:_LINE_SHARE] for line in prose)[:_SAMPLE]
    return "\n".join(line for line in lines if line)[:_SAMPLE]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when there are too few letters to tell."""
    return _detect_sample(_sample(text))


# A text page asks twice (the page, then its body) and the two samples are often the same.
@lru_cache(maxsize=256)
def _detect_sample(sample: str) -> str | None:
    # Counted as what is left after removing the rest: findall would make a string per CJK character.
    letters = len(_NOT_LETTERS.sub("", sample))
    if letters < 3:
        return None
    if sample.isascii() or not _SCRIPTS_WITHOUT_SPACES.search(sample):
        kana = hangul = han = thai = 0
    else:
        kana, hangul, han, thai = (count_in(runs, sample) for runs in _SCRIPT_RUNS)
    if kana >= 0.05 * letters:
        return "ja"
    if hangul >= 0.3 * letters:
        return "ko"
    if thai >= 0.3 * letters:
        return "th"
    if han >= 0.3 * letters:
        return "zh"
    ranked = top_languages(sample[:_MODEL_SAMPLE])
    return _confirm_by_function_words(sample, ranked)


@lru_cache(maxsize=1)
def _identifier() -> langid.LanguageIdentifier:
    """py3langid's bundled model in an identifier of our own (its public class), not the module's shared one."""
    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    # The model ships as float16; scoring gathers a row per feature and multiplies, and numpy's float16
    # path costs about half again as much as the float32 one for the same ranking (float16 widens exactly).
    # Made once, before the pool forks (newsetl.process.warm_up), so the workers share it.
    if identifier.nb_ptc.dtype == np.float16:
        identifier.nb_ptc = identifier.nb_ptc.astype(np.float32)
    return identifier


def top_languages(text: str, count: int = _CANDIDATES) -> list[str]:
    """The first `count` labels of py3langid's ranking of text, best first."""
    return [label for label, _ in _identifier().rank(text)[:count]]


def _confirm_by_function_words(sample: str, ranked: list[str]) -> str:
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 8:
        return ranked[0]

    def share(code: str) -> float:
        stops = stopwords(code)
        return sum(1 for w in words if w in stops) / len(words) if stops else 0.0

    top_share = share(ranked[0])
    best_code, best_share = ranked[0], top_share
    for code in ranked[1:]:
        code_share = share(code)
        if code_share > best_share:
            best_code, best_share = code, code_share
    return best_code if best_share >= top_share + _STOPWORD_MARGIN else ranked[0]
