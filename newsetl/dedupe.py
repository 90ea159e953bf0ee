"""Near-duplicate articles: the same story crawled twice or syndicated, found by MinHash LSH.

Shingles are character 4-grams for scripts written without spaces (CJK, Thai) and word 3-grams
otherwise, so that both kinds of text give comparable Jaccard estimates.
"""

import re
import unicodedata
import zlib
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.7
MIN_SHINGLES = 8

_NO_SPACE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")


def shingles(body: str) -> set[bytes]:
    text = unicodedata.normalize("NFKC", body).lower()
    sample = text[:2000]
    if sample and len(_NO_SPACE_SCRIPT.findall(sample)) > len(sample) * 0.3:
        compact = "".join(ch for ch in text if ch.isalnum())
        grams = {compact[i : i + 4] for i in range(max(0, len(compact) - 3))}
    else:
        words = _WORD.findall(text)
        grams = {" ".join(words[i : i + 3]) for i in range(max(0, len(words) - 2))}
    return {gram.encode("utf-8") for gram in grams}


def _crc_hash(data: bytes) -> int:
    return zlib.crc32(data)


def signature(body: str) -> MinHash | None:
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None  # too short to tell a copy from a coincidence
    sig = MinHash(num_perm=NUM_PERM, hashfunc=_crc_hash, seed=1)
    sig.update_batch(list(grams))
    return sig


def find_duplicates(article_ids: Sequence[str], bodies: Sequence[str]) -> dict[str, str]:
    """{article_id: article_id of its first-seen copy}, for every article that repeats an earlier one.

    Inputs are in first-seen order; an article is matched only against earlier ones.
    """
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    signatures: dict[str, MinHash] = {}
    duplicate_of: dict[str, str] = {}
    order = {article_id: position for position, article_id in enumerate(article_ids)}
    for article_id, body in zip(article_ids, bodies):
        sig = signature(body)
        if sig is None:
            continue
        candidates = [c for c in lsh.query(sig) if sig.jaccard(signatures[c]) >= THRESHOLD]
        if candidates:
            first = min(candidates, key=order.__getitem__)
            duplicate_of[article_id] = duplicate_of.get(first, first)
            continue
        lsh.insert(article_id, sig)
        signatures[article_id] = sig
    return duplicate_of

