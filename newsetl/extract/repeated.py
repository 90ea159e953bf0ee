"""Boilerplate learned from the corpus: short lines that recur across distinct snapshots of a source."""

from collections import Counter
from collections.abc import Iterable

from newsetl.extract.lines import REPEATED_LINE_CHARS, normalize_line

# Longer lines are prose; a sentence shared by several copies of one story is still article text.
MAX_LINE_CHARS = REPEATED_LINE_CHARS
_FINGERPRINT_LINES = 5


def _fingerprint(lines: list[str]) -> int:
    """Copies of one story (a .txt and an HTML rendering, or a re-crawl) share their longest lines."""
    longest = sorted(lines, key=len, reverse=True)[:_FINGERPRINT_LINES]
    return hash(tuple(sorted(longest)))


def learn_repeated_lines(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Normalized short lines (see lines.normalize_line) found in at least min_docs distinct documents."""
    counts: Counter[str] = Counter()
    seen_documents: set[int] = set()
    for text in texts:
        lines = text.splitlines()
        fingerprint = _fingerprint(lines)
        if fingerprint in seen_documents:
            continue
        seen_documents.add(fingerprint)
        keys = {normalize_line(line) for line in lines if 0 < len(line.strip()) <= MAX_LINE_CHARS}
        keys.discard("")
        counts.update(keys)
    return frozenset(key for key, count in counts.items() if count >= min_docs)
