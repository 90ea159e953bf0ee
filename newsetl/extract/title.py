"""The headline of a text snapshot: the heading-shaped line nearest above the story.

Signals, all generic: closeness to the first body block, a headline's shape (no final full stop,
a few words long), the line printed twice (page title and <h1>, or title and repeated headline),
and words shared with the story's opening.
"""

import re
from collections.abc import Callable

from newsetl.extract.letters import count_in, runs_of
from newsetl.extract.lines import Block, normalize_line
from newsetl.spacing import SPACELESS_CHAR

_WORD = re.compile(r"[^\W\d_]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
_ENDS_LIKE_SENTENCE = re.compile(r"[.。:：;；,，]$")
_SITE_SEPARATOR = re.compile(r"\s+[|｜·–—-]\s+|\s*[|｜]\s*|_")
_LOOKBACK = 30
_DATELINE_BONUS = 1.5
_PRINTED_TWICE_BONUS = 1.0
# Photo captions: who stands where, and whose photo it is.
_CAPTION_MARK = re.compile(
    r"\((?:[^()]{0,20}\s)?(?:left|right|centre|center|centro|esquerda|direita|gauche|droite|izquierda|derecha|"
    r"links|rechts|sinistra|destra)\b[^()]{0,20}\)|(?:왼쪽부터|左から|从左至右|图为|圖為)|"
    r"\b(?:photo|foto|credit|crédito|crédit|getty images|ảnh)\s*[:/]",
    re.I,
)
# Lines that only find the way around the site: breadcrumbs, skip links, share bars.
_WAYFINDING = re.compile(
    r"^\s*(?:当前位置|當前位置|您的位置|你的位置|现在位置|所在位置|you are here|skip to|jump to|zum inhalt|aller au contenu|"
    r"saltar al contenido|ir al contenido|pular para|перейти к)"
    r"|^\s*(?:home|startseite|accueil|inicio|início|home page|首页|首頁|ホーム|홈|главная|trang chủ)\s*[>»›/|]"
    r"|[>»›]\s*[^>»›]+\s[>»›]\s",
    re.I,
)
_SHARE_TARGET = re.compile(r"\b(?:facebook|twitter|whatsapp|linkedin|pinterest|telegram|reddit|e-?mail|weibo)\b", re.I)
_SHARE_WORD = re.compile(
    r"\b(?:share|teilen|compartir|compartilhar|partager|condividi|udostępnij|поделиться)\b|分享|シェア|공유|chia sẻ",
    re.I,
)
_SHARE_LABEL_REACH = 15  # "Share this article:" leads the row of buttons
_DEBRIS_CHARS = 15
_SEPARATORS = "|｜-–—:_·»"
# How far apart the page title and the headline may be printed.
_ECHO_REACH = 80
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_NO_SPACE_RUNS = runs_of(SPACELESS_CHAR)
_PENALTY_PER_BLOCK = 0.08


def _spaceless(text: str) -> bool:
    """Written mostly in a script without spaces (Chinese, Japanese, Thai): measured in characters."""
    return count_in(_NO_SPACE_RUNS, text) > 0.3 * len(text)


def _title_shaped(text: str) -> bool:
    visible = len(text) - text.count(" ")
    if count_in(_LETTER_RUNS, text) < 0.6 * visible:
        return False  # form fields, prices, scores, image names
    if _spaceless(text):
        return 5 <= len(text) <= 120
    return 2 <= len(text.split()) <= 40 and 10 <= len(text) <= 300


def _too_long(text: str) -> bool:
    return len(text) > (70 if _spaceless(text) else 160)


def _too_short(text: str) -> bool:
    return len(text) < 10 if _spaceless(text) else len(text.split()) < 4


def _headline_length(text: str) -> bool:
    return 12 <= len(text) <= 60 if _spaceless(text) else 6 <= len(text.split()) <= 30


def _echoes_neighbour(blocks: list[Block], index: int) -> bool:
    text = blocks[index].text
    for j in (index - 1, index + 1):
        if 0 <= j < len(blocks):
            other = blocks[j].text
            if (other.startswith(text) or text.startswith(other)) and min(len(text), len(other)) >= 20:
                return True
    return False


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


def _printed_elsewhere(texts: list[str], index: int, page: str | None = None) -> bool:
    """The line again away from its neighbourhood, alone or as one part of "Section | Headline | Site".

    page, the texts joined by newlines, answers most lines at once: printed once on the page, once nearby.
    """
    text = texts[index]
    if page is not None and page.count(text) < 2:
        return False
    low, high = max(0, index - _ECHO_REACH), min(len(texts), index + _ECHO_REACH)
    if "\n".join(texts[low:high]).count(text) < 2:
        return False
    for j in range(low, high):
        other = texts[j]
        if j == index or len(other) < len(text):
            continue
        if (other == text and abs(j - index) > 2) or (other != text and other.endswith(text)):
            return True  # the same line apart from it, or the last crumb of a breadcrumb trail
        at = other.find(text)
        if at >= 0:
            before = other[:at].rstrip()
            after = other[at + len(text) :].lstrip()
            if (not before or before[-1] in _SEPARATORS) and (not after or after[0] in _SEPARATORS):
                return True
    return False


def _distance(blocks: list[Block], index: int, body_start: int) -> int:
    """Blocks between a candidate and the story, not counting share buttons and other widget debris."""
    low, high = sorted((index, body_start))
    return sum(1 for b in blocks[low + 1 : high] if not b.bullet and len(b.text) >= _DEBRIS_CHARS) + 1


def _distances(blocks: list[Block], body_start: int) -> Callable[[int], int]:
    """_distance(blocks, i, body_start) for every i, from one running count instead of one walk per i."""
    counted = [0]
    for b in blocks:
        counted.append(counted[-1] + (0 if b.bullet or len(b.text) < _DEBRIS_CHARS else 1))

    def distance(index: int) -> int:
        low, high = sorted((index, body_start))
        return max(0, counted[high] - counted[min(low + 1, high)]) + 1

    return distance


def _wayfinding(text: str) -> bool:
    if _WAYFINDING.search(text):
        return True
    # "Facebook and Twitter fined" is news; "Share: Facebook Twitter" and a row of three names are buttons.
    targets = len(_SHARE_TARGET.findall(text))
    return targets >= 3 or (targets >= 1 and _SHARE_WORD.search(text[:_SHARE_LABEL_REACH]) is not None)


def _candidate(block: Block, repeated: frozenset[str]) -> bool:
    if block.bullet or block.date_line or not _title_shaped(block.text) or _wayfinding(block.text):
        return False
    return not (repeated and normalize_line(block.text) in repeated)


def rule_scores(
    blocks: list[Block],
    body_start: int,
    repeated: frozenset[str],
    indexes: list[int],
    printed: dict[int, bool] | None = None,
) -> dict[int, float]:
    """The hand rules' headline score of each candidate block (higher is more headline-like); `printed`, when
    given, receives whether each was printed elsewhere on the page."""

    def words_of(start: int) -> set[str]:
        opening = " ".join(b.text for b in blocks[start : start + 3])[:800]
        return {w.lower() for w in _WORD.findall(opening)}

    opening_words = words_of(body_start)
    # The body's first block judged as a headline is compared with what follows it, not itself.
    opening_after_words = words_of(body_start + 1)
    texts = [b.text for b in blocks]
    page = "\n".join(texts)
    distance = _distances(blocks, body_start)
    scores: dict[int, float] = {}
    for i in indexes:
        block = blocks[i]
        text = block.text
        score = -_PENALTY_PER_BLOCK * distance(i)
        score += -0.8 if _ENDS_LIKE_SENTENCE.search(text) else 0.8
        if _too_long(text):
            score -= 0.8
        elif _too_short(text):
            score -= 0.7  # "Santa Cruz", "Saiba Mais", "フォローする": labels and section names
        elif _headline_length(text):
            score += 0.6
        following = blocks[i + 1 : i + 3]
        # A byline or dateline right under it, or a longer standfirst (dek) under a shorter headline.
        if any(b.date_line for b in following):
            score += _DATELINE_BONUS
        if following and _candidate(following[0], repeated) and len(following[0].text) > len(text):
            score += 0.5
        # Printed twice: as the page title (often with a section or site name) and as the headline.
        twice = _printed_elsewhere(texts, i, page)
        if printed is not None:
            printed[i] = twice
        if twice:
            score += _PRINTED_TWICE_BONUS
        if _CAPTION_MARK.search(text):
            score -= 1.0
        score += 1.0 * _overlap(text, opening_after_words if i == body_start else opening_words)
        scores[i] = score
    return scores


def headline_text(blocks: list[Block], index: int) -> str:
    """The chosen line without the site name a page title carries ("Headline | Site")."""
    return _strip_site_name(blocks[index].text, [b.text for b in blocks])


def choose_title(blocks: list[Block], body_start: int, repeated: frozenset[str]) -> tuple[int, str] | None:
    """(index, headline) of the best headline above body_start, or the body's first block if heading-shaped."""
    last = body_start
    if body_start < len(blocks) and not blocks[body_start].terminal:
        last = body_start + 1  # a headline the cleaner took for the first paragraph
    indexes = [
        i
        for i in range(max(0, body_start - _LOOKBACK), last)
        # an image's alt text printed next to its caption is no headline
        if _candidate(blocks[i], repeated) and not _echoes_neighbour(blocks, i)
    ]
    scores = rule_scores(blocks, body_start, repeated, indexes)
    if not scores:
        return None
    best = max(indexes, key=lambda i: scores[i])  # the first of equal scores, as before
    return best, headline_text(blocks, best)
