"""Near-duplicate articles: the same story crawled twice or syndicated, found by MinHash LSH.

Shingles are character 4-grams for scripts written without spaces (CJK, Thai) and word 3-grams
otherwise, so that both kinds of text give comparable Jaccard estimates.
"""

import re
import unicodedata
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.7
MIN_SHINGLES = 8
# Pinned so that signatures stored by one version of datasketch compare with the next.
SCHEME = "affine32"

_NO_SPACE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")
# Every character that is not str.isalnum() (\w is isalnum() plus "_"): one C pass instead of a
# Python-level loop over each character.
_NOT_ALNUM = re.compile(r"[\W_]+")


def shingles(body: str) -> set[bytes]:
    text = unicodedata.normalize("NFKC", body).lower()
    sample = text[:2000]
    if sample and len(_NO_SPACE_SCRIPT.findall(sample)) > len(sample) * 0.3:
        compact = _NOT_ALNUM.sub("", text)
        grams = {compact[i : i + 4] for i in range(max(0, len(compact) - 3))}
    else:
        words = _WORD.findall(text)
        grams = {f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:])}
    return {gram.encode("utf-8") for gram in grams}


def _crc_hash(data: bytes) -> int:
    return zlib.crc32(data)


# The affine permutations depend only on the seed: drawn once, not on every MinHash (drawing them
# cost about as much as hashing an article's shingles). The builtin crc32 is passed as the hash
# function itself, saving a Python call per shingle; it returns what _crc_hash returns.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, hashfunc=_crc_hash, seed=1, scheme=SCHEME).permutations


def signature(body: str) -> MinHash | None:
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None  # too short to tell a copy from a coincidence
    sig = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, seed=1, scheme=SCHEME, permutations=_PERMUTATIONS)
    sig.update_batch(list(grams))
    return sig


def to_bytes(sig: MinHash | None) -> bytes | None:
    return None if sig is None else sig.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, hashfunc=zlib.crc32, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint64), permutations=_PERMUTATIONS
    )


class DuplicateFinder:
    """Remembers the originals seen so far; each new article is matched only against them.

    Articles must arrive in first-seen order; originals of earlier batches are added first.
    """

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def remember(self, article_id: str, sig: MinHash) -> None:
        if article_id in self._signatures:
            return
        self._lsh.insert(article_id, sig)
        self._signatures[article_id] = sig
        self._order[article_id] = len(self._order)

    def original_of(self, article_id: str, sig: MinHash | None) -> str | None:
        """The first-seen article this one repeats, or None (and it becomes an original)."""
        if sig is None:
            return None
        candidates = [c for c in self._lsh.query(sig) if c != article_id and sig.jaccard(self._signatures[c]) >= THRESHOLD]
        if candidates:
            return min(candidates, key=self._order.__getitem__)
        self.remember(article_id, sig)
        return None
