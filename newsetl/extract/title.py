"""The headline of a text snapshot: the heading-shaped line nearest above the story.

Signals, all generic: closeness to the first body block, a headline's shape (no final full stop,
a few words long), the line printed twice (page title and <h1>, or title and repeated headline),
and words shared with the story's opening.
"""

import re

from newsetl.extract.lines import BAD, Block, normalize_line

_WORD = re.compile(r"[^\W\d_]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
_NO_SPACE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")
_ENDS_LIKE_SENTENCE = re.compile(r"[.。:：;；,，]$")
_SITE_SEPARATOR = re.compile(r"\s+[|｜·–—-]\s+|\s*[|｜]\s*|_")
_LOOKBACK = 20


def _title_shaped(text: str) -> bool:
    no_space = len(_NO_SPACE.findall(text))
    if no_space > 0.3 * len(text):
        return 5 <= len(text) <= 120
    words = len(text.split())
    return 2 <= words <= 40 and 10 <= len(text) <= 300


def _overlap(candidate: str, opening_words: set[str]) -> float:
    words = {w.lower() for w in _WORD.findall(candidate)}
    if not words:
        return 0.0
    return len(words & opening_words) / len(words)


def _strip_site_name(text: str, others: list[str]) -> str:
    """'Headline | Site' printed as the page title: keep the part that is printed alone elsewhere."""
    parts = [p.strip() for p in _SITE_SEPARATOR.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    for part in sorted(parts, key=len, reverse=True):
        if any(part == other for other in others):
            return part
    return text


def choose_title(blocks: list[Block], body_start: int, repeated: frozenset[str]) -> str | None:
    """The best headline among the blocks above body_start (and the first block of the page)."""
    opening = " ".join(b.text for b in blocks[body_start : body_start + 2])[:600]
    opening_words = {w.lower() for w in _WORD.findall(opening)}
    texts = [b.text for b in blocks]
    page = "\n".join(texts)
    first = max(0, body_start - _LOOKBACK)
    candidates = range(first, body_start)
    best: tuple[float, str] | None = None
    for i in candidates:
        block = blocks[i]
        text = block.text
        if not _title_shaped(text) or block.date_line:
            continue
        if repeated and normalize_line(text) in repeated:
            continue
        score = -0.15 * (body_start - i)
        if block.bullet:
            score -= 1.5
        if not _ENDS_LIKE_SENTENCE.search(text):
            score += 0.8
        if block.cls == BAD and block.length > 400:
            score -= 1.0
        # Printed twice: as the page title (often with a section or site name) and as the headline.
        if page.count(text) >= 2:
            score += 1.5
        score += 1.5 * _overlap(text, opening_words)
        if best is None or score > best[0]:
            best = (score, text)
    if best is None:
        return None
    return _strip_site_name(best[1], texts)
