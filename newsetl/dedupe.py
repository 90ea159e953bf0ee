"""Near-duplicate articles: the same story crawled twice or syndicated, found by MinHash LSH.

Shingles are character 4-grams for scripts written without spaces (CJK, kana, Hangul, Thai: more
than 30% of the body's first 2,000 characters) and word 3-grams otherwise, so that both kinds of
text give comparable Jaccard estimates. The text is compared after NFKC and lower() (final sigma
folded to sigma); word characters are the alphanumeric ones and combining marks (not variation
selectors), so that a vowel sign or a harakat does not cut a word in two. Only the word characters
and where words begin count: punctuation and spacing do not.

The signature is computed once per article in the worker processes, so it is built for speed
(about 0.06 ms for an 8 KB article, 0.04 ms in CJK, against 0.9 ms for datasketch's MinHash over
sets of strings):

- No Python loop per character or per shingle. The text goes to numpy as UTF-32 code points, and
  lookup tables over the Basic Multilingual Plane (built once, on first use, in about 50 ms) give
  for each code point its folded form (NFKC, lower case) or 0 for a character that is not a word
  character, and whether it belongs to a script without spaces. Folding character by character
  equals folding the whole text except around characters that compose or reorder with their
  neighbours (combining marks, conjoining jamo, half-width voiced sound marks) or that fold to
  several word characters ("ﬁ"); the table marks those, and a text that contains one is
  normalized by unicodedata first (exact, about 0.3 ms). The few characters beyond the BMP (emoji,
  rare ideographs) are looked up one by one.
- Shingle hashes are 64-bit and computed vectorized, deterministically (no salted hash()): a word's
  hash is a polynomial over its code points, taken from position-weighted sums (np.add.reduceat)
  and a modular inverse of the weight of its first position; 3-grams and 4-grams combine their
  parts with fixed odd multipliers; murmur3's fmix64 finalizes every level.
- One permutation hashing (Li, Owen, Zhang 2012) instead of 64 independent permutations: the top 6
  bits of a shingle hash choose one of 64 bins and the signature keeps each bin's smallest hash. An
  empty bin borrows the value of the first non-empty bin of a fixed pseudo-random sequence of bins
  of its own (optimal densification, Shrivastava 2017), so that two sets that are both empty in a
  bin borrow from the same place when their other bins agree. A borrowed value keeps its own bin's
  top bits, so it never equals a genuine value of the bin that borrows it.
- The estimate is the fraction of equal slots, as for classic MinHash, so LSH banding works
  unchanged on these signatures (DuplicateFinder). Measured against exact
  Jaccard it is unbiased and spreads as much as datasketch's 64 independent permutations did, from
  articles of a thousand shingles down to paragraphs of a few dozen.

Stored signatures (articles.minhash) are FORMAT_VERSION as one byte, then the 64 slots as
little-endian uint64 (513 bytes). Signatures of the previous scheme (datasketch MinHash, 512 bytes)
or of any other version do not compare with these: from_bytes() returns None for them, and the
signature is computed again from the article body.
"""

import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

import numpy as np

from newsetl.spacing import PER_CHARACTER_RANGES

NUM_PERM = 64
THRESHOLD = 0.7
MIN_SHINGLES = 8
# The first byte of a stored signature. Version 1 was datasketch's MinHash (affine32 permutations of
# crc32 shingle hashes), stored without a version byte. Bump it whenever the signature of a given
# body changes (table, hashing, constants, densification).
FORMAT_VERSION = 2
# Signatures of different schemes never compare (Signature.jaccard refuses).
SCHEME = f"newsetl-oph{NUM_PERM}-v{FORMAT_VERSION}"
STORED_BYTES = 1 + 8 * NUM_PERM

_BIN_BITS = NUM_PERM.bit_length() - 1  # 64 bins: the top 6 bits of a shingle hash
assert 1 << _BIN_BITS == NUM_PERM
_SAMPLE_CHARS = 2000  # the script is decided on the first 2,000 characters of the body
_NO_SPACE_SHARE = 0.3
_NO_SPACE_RANGES = PER_CHARACTER_RANGES  # shingled by character
# Code values: 0 for a character that is not a word character, else its folded code point; _SLOW
# in the fast table: the text must go through unicodedata.normalize first.
_SLOW = 0xFFFFFFFF
_BMP = 0x10000
_MAX_HASH = np.uint64(0xFFFFFFFFFFFFFFFF)
_U64 = (1 << 64) - 1


def _splitmix64(state: int) -> Iterator[int]:
    """The fixed stream of 64-bit constants below (pure Python: the same on every machine)."""
    while True:
        state = (state + 0x9E3779B97F4A7C15) & _U64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _U64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _U64
        yield z ^ (z >> 31)


_stream = _splitmix64(0x6E657773_65746C32)
_BASE = next(_stream) | 1  # odd, hence invertible modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_MULTIPLIERS = [np.uint64(next(_stream) | 1) for _ in range(3)]


def _borrowing_order(b: int, stream: Iterator[int]) -> list[int]:
    """The bins that an empty bin b borrows from, in order: b itself first (a non-empty bin keeps its
    own value), then the others in a fixed pseudo-random order of b's own."""
    keys = [next(stream) for _ in range(NUM_PERM)]
    return [b] + sorted((c for c in range(NUM_PERM) if c != b), key=keys.__getitem__)


_BORROW = np.array([_borrowing_order(b, _stream) for b in range(NUM_PERM)], dtype=np.intp)
_ROWS = np.arange(NUM_PERM)
del _stream

_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT_33 = np.uint64(33)
_SHIFT_BINS = np.uint64(64 - _BIN_BITS)


def _fmix64(x: np.ndarray) -> np.ndarray:
    """murmur3's 64-bit finalizer, in place: every input bit reaches every output bit."""
    x ^= x >> _SHIFT_33
    x *= _FMIX_1
    x ^= x >> _SHIFT_33
    x *= _FMIX_2
    x ^= x >> _SHIFT_33
    return x


def _is_word(char: str) -> bool:
    """Letters, digits and the marks that go with them (a variation selector only picks a glyph)."""
    if char.isalnum():
        return True
    return unicodedata.category(char).startswith("M") and "VARIATION SELECTOR" not in unicodedata.name(char, "")


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return "σ" if folded == "ς" else folded


def _folded_alone(char: str, may_compose: Callable[[str], bool]) -> int:
    """The code value of `char` folded on its own, when that is what folding the whole text makes
    of it, else _SLOW.

    It is when the character decomposes into a starter that composes with nothing before it
    (may_compose) and folds to one character, or to characters that are all separators ("…" is
    "..."; only the word characters and where words begin matter).
    """
    first = unicodedata.normalize("NFKD", char)[0]
    if unicodedata.combining(first) or may_compose(first):
        return _SLOW
    folded = _fold(char)
    if len(folded) == 1:
        return ord(folded) if _is_word(folded) else 0
    return _SLOW if any(_is_word(c) for c in folded) else 0


class _Tables:
    """Lookup tables over the BMP (a code point beyond it is looked up as 0xFFFF).

    plain: code point of an already normalized and lowered text -> its code value.
    fast: code point of the body -> code value of its folded form, or _SLOW.
    no_space: code point of the body -> whether it is (or folds to) a script without spaces.
    """

    def __init__(self) -> None:
        in_ranges = np.zeros(_BMP, dtype=bool)
        for low, high in _NO_SPACE_RANGES:
            in_ranges[low : high + 1] = True
        no_space = in_ranges.copy()
        word = np.array([_is_word(chr(cp)) for cp in range(_BMP)])
        plain = np.where(word, np.arange(_BMP, dtype=np.uint32), 0).astype(np.uint32)
        plain[ord("ς")] = plain[ord("σ")]
        # Characters that compose with the one before them (NFC_Quick_Check=Maybe): the second
        # character of a canonical pair, and the vowel and trailing conjoining jamo.
        composes = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
        for cp in range(_BMP):
            decomposition = unicodedata.decomposition(chr(cp))
            if decomposition and decomposition[0] != "<":
                parts = decomposition.split()
                if len(parts) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp):
                    composes.add(int(parts[1], 16))
        fast = np.full(_BMP, _SLOW, dtype=np.uint32)
        for cp in range(_BMP):
            if 0xD800 <= cp <= 0xDFFF or cp == 0xFFFF:  # lone surrogates; 0xFFFF stands for non-BMP
                continue
            char = chr(cp)
            fast[cp] = _folded_alone(char, lambda first: ord(first) in composes)
            folded = _fold(char)
            if folded != char:
                no_space[cp] = any(ord(c) < _BMP and in_ranges[ord(c)] for c in folded)
        no_space[0xFFFF] = False
        self.fast = fast
        self.plain = plain
        self.no_space = no_space


_tables: _Tables | None = None


def _code_values(body: str) -> tuple[np.ndarray, bool]:
    """(a code value per character of the folded text, whether the body is in a script without
    spaces). See _Tables."""
    global _tables
    if _tables is None:
        _tables = _Tables()
    raw = np.frombuffer(body.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    sample = raw[:_SAMPLE_CHARS]
    no_space = bool(np.count_nonzero(_tables.no_space.take(sample, mode="clip")) > len(sample) * _NO_SPACE_SHARE)
    values = _tables.fast.take(raw, mode="clip")  # code points beyond the BMP land on 0xFFFF: _SLOW
    if values.max() != _SLOW:
        return values, no_space
    _fill_beyond_bmp(values, raw, _beyond_bmp_alone)
    if values.max() != _SLOW:
        return values, no_space
    text = unicodedata.normalize("NFKC", body).lower()
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    values = _tables.plain.take(raw, mode="clip")
    _fill_beyond_bmp(values, raw, _beyond_bmp_normalized)
    return values, no_space


@lru_cache(maxsize=4096)
def _beyond_bmp_alone(cp: int) -> int:
    # Beyond the BMP, every character that composes with the one before it is a mark.
    return _folded_alone(chr(cp), lambda first: unicodedata.category(first).startswith("M"))


@lru_cache(maxsize=4096)
def _beyond_bmp_normalized(cp: int) -> int:
    return cp if _is_word(chr(cp)) else 0


def _fill_beyond_bmp(values: np.ndarray, raw: np.ndarray, value_of: Callable[[int], int]) -> None:
    """Code values for the characters beyond the BMP (emoji, rare ideographs): few, one by one."""
    where = np.flatnonzero(raw >= _BMP)
    if len(where):
        distinct, inverse = np.unique(raw[where], return_inverse=True)
        values[where] = np.array([value_of(cp) for cp in distinct.tolist()], dtype=np.uint32)[inverse]


class _Powers:
    """_BASE**i and _BASE**-i modulo 2**64, for i < the longest text seen (up to a cap)."""

    CACHED = 1 << 20

    def __init__(self) -> None:
        self.up, self.down = self._compute(1 << 14)

    @staticmethod
    def _compute(size: int) -> tuple[np.ndarray, np.ndarray]:
        up = np.full(size, _BASE, dtype=np.uint64)
        down = np.full(size, _BASE_INVERSE, dtype=np.uint64)
        up[0] = down[0] = 1
        return np.multiply.accumulate(up), np.multiply.accumulate(down)

    def __call__(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        if size > len(self.up):
            if size > self.CACHED:  # a huge body: not worth keeping
                return self._compute(size)
            self.up, self.down = self._compute(1 << (size - 1).bit_length())
        return self.up, self.down


_powers = _Powers()


def _word_hashes(values: np.ndarray) -> np.ndarray:
    """fmix64 of the polynomial hash of each maximal run of word characters, in text order."""
    word = values != 0
    starts = np.flatnonzero(word[1:] > word[:-1])
    starts += 1
    if word[:1].any():
        starts = np.concatenate(([0], starts))
    if not len(starts):
        return np.empty(0, dtype=np.uint64)
    up, down = _powers(len(values))
    weighted = values.astype(np.uint64)
    weighted *= up[: len(values)]
    # Non-word characters are 0, so each sum runs over one word: sum(c[i] * B**i) from its start.
    words = np.add.reduceat(weighted, starts)
    words *= down[starts]
    return _fmix64(words)


def _raw_shingles(body: str) -> np.ndarray:
    """The 64-bit hash of every shingle, repeats included."""
    if not body:
        return np.empty(0, dtype=np.uint64)
    values, no_space = _code_values(body)
    m1, m2, m3 = _MULTIPLIERS
    if no_space:
        chars = values[values != 0].astype(np.uint64)
        grams = chars[:-3] * m3
        grams += chars[1:-2] * m2
        grams += chars[2:-1] * m1
        grams += chars[3:]
    else:
        words = _word_hashes(values)
        grams = words[:-2] * m2
        grams += words[1:-1] * m1
        grams += words[2:]
    return _fmix64(grams)


class Signature:
    """NUM_PERM slots of one permutation hashing (see the module docstring).

    Slots compare one by one: equal slots estimate the Jaccard similarity, equal bands make LSH candidates.
    """

    __slots__ = ("hashvalues",)
    scheme = SCHEME

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)

    def jaccard(self, other: "Signature") -> float:
        """Estimated Jaccard similarity of the two shingle sets: the share of equal slots."""
        if getattr(other, "scheme", None) != self.scheme or len(other) != len(self):
            raise ValueError(f"cannot compare a {self.scheme} signature with {other!r}")
        return np.count_nonzero(self.hashvalues == other.hashvalues) / len(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Signature) and np.array_equal(self.hashvalues, other.hashvalues)

    # unhashable, the array inside is mutable (typeshed declares object.__hash__ a method, hence the ignore)
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Signature({self.hashvalues[:3].tolist()}...)"


def signature(body: str) -> Signature | None:
    """The signature of an article body; None when it has fewer than MIN_SHINGLES distinct shingles."""
    grams = _raw_shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None  # too short to tell a copy from a coincidence
    slots = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    np.minimum.at(slots, (grams >> _SHIFT_BINS).astype(np.intp), grams)
    empty = slots == _MAX_HASH
    if empty.any():
        if NUM_PERM - np.count_nonzero(empty) < MIN_SHINGLES and len(np.unique(grams)) < MIN_SHINGLES:
            return None
        slots = slots[_BORROW[_ROWS, (~empty)[_BORROW].argmax(axis=1)]]
    return Signature(slots)


def to_bytes(sig: Signature | None) -> bytes | None:
    """The stored form: FORMAT_VERSION, then the slots as little-endian uint64."""
    return None if sig is None else bytes((FORMAT_VERSION,)) + sig.hashvalues.astype("<u8").tobytes()


def from_bytes(data: bytes | None) -> Signature | None:
    """The signature stored by to_bytes(), or None when `data` is None or of another format.

    Signatures stored by other versions of this module, including the 512-byte datasketch MinHash
    of the first version, give None: they do not compare with the current ones, and the caller
    computes the signature again from the body (or treats the article as having none).
    """
    if data is None or len(data) != STORED_BYTES or data[0] != FORMAT_VERSION:
        return None
    return Signature(np.frombuffer(data, dtype="<u8", offset=1).astype(np.uint64))


class DuplicateFinder:
    """Remembers the originals seen so far; each new article is matched only against them.

    Articles must arrive in first-seen order; originals of earlier batches are added first.
    A signature of None (too short, or stored in an older format) is no signature: such an article
    is remembered by nobody and matches nothing.

    Candidates come from LSH banding: BANDS bands of ROWS_PER_BAND slots, an article a candidate of
    every other that agrees on all the slots of at least one band. 8 x 8 is what datasketch's
    MinHashLSH chooses for a 0.7 threshold over 64 slots; a dict per band does it without importing
    datasketch (and scipy with it) into every run.
    """

    BANDS = 8
    ROWS_PER_BAND = NUM_PERM // BANDS

    def __init__(self) -> None:
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(self.BANDS)]
        self._signatures: dict[str, Signature] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        """The originals remembered."""
        return len(self._order)

    def _band_keys(self, sig: Signature) -> list[bytes]:
        raw = sig.hashvalues.tobytes()
        width = 8 * self.ROWS_PER_BAND
        return [raw[band * width : (band + 1) * width] for band in range(self.BANDS)]

    def remember(self, article_id: str, sig: Signature | None) -> None:
        if sig is None or article_id in self._signatures:
            return
        for buckets, key in zip(self._buckets, self._band_keys(sig), strict=True):
            buckets.setdefault(key, []).append(article_id)
        self._signatures[article_id] = sig
        self._order[article_id] = len(self._order)

    def candidates(self, sig: Signature) -> set[str]:
        """The remembered articles that share at least one band with sig."""
        found: set[str] = set()
        for buckets, key in zip(self._buckets, self._band_keys(sig), strict=True):
            found.update(buckets.get(key, ()))
        return found

    def original_of(self, article_id: str, sig: Signature | None) -> str | None:
        """The first-seen article this one repeats, or None (and it becomes an original)."""
        if sig is None:
            return None
        matches = [c for c in self.candidates(sig) if c != article_id and sig.jaccard(self._signatures[c]) >= THRESHOLD]
        if matches:
            return min(matches, key=self._order.__getitem__)
        self.remember(article_id, sig)
        return None
