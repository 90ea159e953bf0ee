"""Learned choice of the headline line and of the publication date among a text snapshot's candidates.

The candidates are the ones the hand rules consider (title.py's heading-shaped lines above the story,
with the guards against breadcrumbs, share bars, skip links and repeated lines; dates.py's dates, with
its copyright, comment and year-only guards), in a somewhat wider window. Each candidate is described
by language- and renderer-independent features (position, length, character classes, punctuation,
repetition, similarity to the page's first lines and to the URL, nearby dates, the rule's own score),
and a logistic regression trained on the corpus (`python -m newsetl.train.title_date`) scores them;
the best one wins. The model is a small JSON file of weights evaluated here with plain Python.
"""

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsetl.extract.dates import PUBLISHED_LABEL, FoundDate, find_dates
from newsetl.extract.lines import _DATE_HINT, GOOD, Block
from newsetl.extract.title import (
    _CAPTION_MARK,
    _ENDS_LIKE_SENTENCE,
    _LOOKBACK,
    _WORD,
    _candidate,
    _distances,
    _echoes_neighbour,
    _headline_length,
    _spaceless,
    _too_long,
    _too_short,
    rule_scores,
)

DATA = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = DATA / "models" / "title_date.json"


def _date_label_pattern() -> re.Pattern:
    """Words that say a date is the publication date or a later update (data/date_labels.tsv), one group each."""
    words: dict[str, list[str]] = {"published": [], "updated": []}
    for line in (DATA / "date_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t")
            words[kind].append(word)
    alternation = {k: "|".join(sorted(map(re.escape, v), key=len, reverse=True)) for k, v in words.items()}
    return re.compile(f"(?P<published>{alternation['published']})|(?P<updated>{alternation['updated']})", re.I)


_DATE_LABEL = _date_label_pattern()

# Digits, and the cased letters of the common alphabets (the share of capitals tells "BREAKING" and Title
# Case from prose); separators of "Section: Headline | Site" and of menus; quotation marks; URL words.
_DIGIT, _UPPER, _LOWER, _PUNCT, _QUOTE, _SLUG_TOKEN = (
    re.compile(pattern)
    for pattern in (
        r"\d",
        r"[A-ZÀ-ÖØ-ÞА-ЯЁ]",
        r"[a-zß-öø-ÿа-яё]",
        r"[|｜:：\-–—_·»/]",
        r"[\"'“”„«»‘’「」『』]",
        r"[^\W_]+",
    )
)
# Candidates also far above and a little below the story's first block: a region sometimes starts at a
# teaser under the headline, or well below it after a summary box.
_TITLE_BEFORE = 60
_TITLE_AFTER = 15
_TITLE_MAX_CHARS = 300  # title._title_shaped's longest headline: longer blocks need no closer look
_DATE_BEFORE = 24
_DATE_AFTER_FIRST = 8
_DATE_MAX = 40
# A long block is searched only at its start (a byline glued to a paragraph prints the date first), and
# not at all inside the story: the dates in its sentences are not its publication date (nor worth their
# search time).
_DATE_PREFIX = 240
_LABEL_REACH = 40
_BODY_REACH = 12  # blocks of the story read for the words a headline shares with it
_KICKER_LETTERS = 0.8
# A caption ends with its credit in brackets, "(Photo: X)", "(Dok.IGI)"; a headline's own brackets end in
# a page or part number, "(1/2 ページ)", "(Teil 2)".
_CREDIT_AT_END = re.compile(r"[(（\[][^()（）\[\]\d]*[)）\]]\s*$")
_CONTENT_WORD = 4  # shorter words (articles, prepositions) say nothing about the topic; CJK counts per character


def _doubled(texts: list[str], index: int) -> bool:
    """The first of two identical lines (the page title and the <h1>, or a headline and its image's alt text):
    kept as a candidate, with a feature, where a line echoing only the start of its neighbour is not."""
    text = texts[index]
    return index + 1 < len(texts) and texts[index + 1] == text and (index == 0 or texts[index - 1] != text)


def _kicker(block: Block) -> bool:
    """A line of a word or three in letters ("Bahn", "Kind krank") that can stand above a headline; font
    buttons ("A- A+"), dates and bullets cannot."""
    text = block.text
    if block.bullet or block.date_line or not _too_short(text) or _ENDS_LIKE_SENTENCE.search(text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters >= 3 and letters >= _KICKER_LETTERS * (len(text) - text.count(" "))


def _content_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if len(w) >= _CONTENT_WORD or ord(w[0]) >= 0x3040]


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _share(a: set[str], b: set[str]) -> float:
    """Share of a's words found in b."""
    return len(a & b) / len(a) if a else 0.0


def url_words(url: str | None) -> set[str]:
    """The words of a URL's path (its slug), lower-cased; empty without a URL."""
    if not url:
        return set()
    path = unquote(urlsplit(url).path)
    return {t.lower() for t in _SLUG_TOKEN.findall(path) if not t.isdigit() and len(t) > 1}


TITLE_FEATURES = (
    "rule_score",
    "rule_pick",
    "rule_rank",
    "distance",
    "raw_distance",
    "below_start",
    "at_start",
    "position",
    "ends_sentence",
    "too_long",
    "too_short",
    "headline_length",
    "dateline_below",
    "dek_below",
    "printed_twice",
    "opening_overlap",
    "log_chars",
    "log_words",
    "spaceless",
    "upper_share",
    "digit_share",
    "punct",
    "quotes",
    "question",
    "title_case",
    "first_lines_sim",
    "slug_share",
    "slug_jaccard",
    "blank_before",
    "density",
    "good_block",
    "log_length",
    "candidate_rank",
    "same_line",
    "next_good",
    "prev_good",
    "date_near",
    "no_slug",
    "beyond_lookback",
    "crowd",
    "body_recurrence",
    "body_recurrence_any",
    "commas",
    "kicker_above",
    "good_below_start",
    "doubled",
    "ends_bracket",
)


def title_candidates(
    blocks: list[Block], body_start: int, repeated: frozenset[str], url: str | None
) -> list[tuple[int, list[float]]]:
    """(block index, features) of every headline candidate around the story's start."""
    if not blocks:
        return []
    texts = [b.text for b in blocks]
    low = max(0, body_start - _TITLE_BEFORE)
    high = min(len(blocks), body_start + _TITLE_AFTER)
    # Guards as in the rules, and stricter: an image's alt text printed next to its caption, and a line
    # marked as a caption ("(left)", "Photo:"), are never the headline.
    indexes = [
        i
        for i in range(low, high)
        if len(texts[i]) <= _TITLE_MAX_CHARS
        and _candidate(blocks[i], repeated)
        and not _CAPTION_MARK.search(texts[i])
        and (not _echoes_neighbour(blocks, i) or _doubled(texts, i))
        # below the story's start, a kept paragraph is story, unless it is headline-shaped: the story's start
        # is sometimes a paywall or cookie notice the cleaner kept, printed above the headline
        and (
            i <= body_start
            or blocks[i].cls != GOOD
            or not (_ENDS_LIKE_SENTENCE.search(texts[i]) or _too_long(texts[i]))
        )
    ]
    if not indexes:
        return []
    printed: dict[int, bool] = {}
    scores = rule_scores(blocks, body_start, repeated, indexes, printed)
    distance = _distances(blocks, body_start)
    by_score = sorted(indexes, key=lambda i: -scores[i])
    rule_rank = {i: r for r, i in enumerate(by_score)}
    # The rules' own choice (title.choose_title): the best score in their window, the first of equal scores.
    rule_last = body_start + 1 if body_start < len(blocks) and not blocks[body_start].terminal else body_start
    in_rule_window = [
        i for i in indexes if body_start - _LOOKBACK <= i < rule_last and not _echoes_neighbour(blocks, i)
    ]
    rule_pick = max(in_rule_window, key=scores.__getitem__) if in_rule_window else None
    closeness = {i: r for r, i in enumerate(sorted(indexes, key=lambda i: abs(body_start - i)))}
    opening = _words(" ".join(texts[body_start : body_start + 3])[:800])
    opening_after = _words(" ".join(texts[body_start + 1 : body_start + 4])[:800])
    first_lines = _words(" ".join(texts[:2]))
    # A headline's content words recur in the story; a notice's, a menu's or a slogan's do not. The story is
    # read well past its first blocks, since its start is sometimes a notice the cleaner kept.
    body_words = Counter(
        w for b in blocks[body_start : body_start + _BODY_REACH] if b.cls == GOOD for w in _content_words(b.text)
    )
    slug = url_words(url)
    same_line = Counter(texts)
    count = len(blocks)
    out = []
    for i in indexes:
        block = blocks[i]
        text = block.text
        words = _words(text)
        letters_upper = len(_UPPER.findall(text))
        letters_lower = len(_LOWER.findall(text))
        split = text.split()
        following = blocks[i + 1 : i + 3]
        dek = bool(following) and _candidate(following[0], repeated) and len(following[0].text) > len(text)
        overlap_words = opening_after if i == body_start else opening
        content = _content_words(text)
        recurring = [w for w in content if body_words[w] > (1 if i >= body_start and blocks[i].cls == GOOD else 0)]
        above = blocks[i - 1] if i > 0 else None
        features = [
            scores[i],
            1.0 if i == rule_pick else 0.0,
            min(rule_rank[i], 10) / 10,
            min(distance(i), 60) / 10 if i <= body_start else 0.0,
            min(abs(body_start - i), 60) / 10,
            1.0 if i > body_start else 0.0,
            1.0 if i == body_start else 0.0,
            i / count,
            1.0 if _ENDS_LIKE_SENTENCE.search(text) else 0.0,
            1.0 if _too_long(text) else 0.0,
            1.0 if _too_short(text) else 0.0,
            1.0 if _headline_length(text) else 0.0,
            1.0 if any(b.date_line for b in following) else 0.0,
            1.0 if dek else 0.0,
            1.0 if printed[i] else 0.0,
            _share(words, overlap_words),
            _log(len(text)) / 5,
            _log(len(split)) / 3,
            1.0 if _spaceless(text) else 0.0,
            letters_upper / max(1, letters_upper + letters_lower),
            len(_DIGIT.findall(text)) / max(1, len(text)),
            min(len(_PUNCT.findall(text)), 5) / 5,
            1.0 if _QUOTE.search(text) else 0.0,
            1.0 if text.rstrip().endswith(("?", "？", "!", "！")) else 0.0,
            sum(1 for w in split if w[:1].isupper()) / max(1, len(split)),
            _share(words, first_lines) if i > 1 else 0.0,
            _share(words, slug),
            _jaccard(words, slug),
            1.0 if block.blank_before else 0.0,
            min(block.density, 1.0),
            1.0 if block.cls == GOOD else 0.0,
            _log(block.length) / 6,
            min(closeness[i], 10) / 10,
            min(same_line[text], 4) / 4,
            1.0 if i + 1 < count and blocks[i + 1].cls == GOOD else 0.0,
            1.0 if i > 0 and blocks[i - 1].cls == GOOD else 0.0,
            1.0 if any(b.date_line for b in blocks[max(0, i - 2) : i]) else 0.0,
            1.0 if not slug else 0.0,
            1.0 if body_start - i > _LOOKBACK else 0.0,
            (bisect_right(indexes, i + 4) - bisect_left(indexes, i - 4) - 1) / 4,  # one of a list of teasers
            len(recurring) / len(content) if content else 0.0,
            1.0 if recurring else 0.0,
            min(text.count(",") + text.count("，") + text.count("、"), 4) / 4,  # captions and notices are sentences
            # a kicker ("Bahn", "Kind krank") printed on its own line right above
            1.0 if above is not None and _kicker(above) else 0.0,
            1.0 if i > body_start and block.cls == GOOD else 0.0,
            1.0 if i + 1 < count and texts[i + 1] == text else 0.0,
            1.0 if _CREDIT_AT_END.search(text) else 0.0,
        ]
        out.append((i, features))
    return out


DATE_FEATURES = (
    "labelled",
    "has_year",
    "has_time",
    "has_tz",
    "before_title",
    "rel_title",
    "rel_first",
    "after_last",
    "in_body",
    "order",
    "order_rev",
    "same_block_dates",
    "log_block_chars",
    "date_line",
    "bullet",
    "is_latest",
    "is_earliest",
    "repeats",
    "age_latest",
    "offset_in_block",
    "near_title",
    "block_good",
    "many_dates_near",
    "no_title",
    "first_after_title",
    "first_labelled",
    "published_word",
    "updated_word",
    "page_position",
    "page_top",
    "first_published_word",
    "rule_pick",
)


@dataclass(slots=True)
class DateCandidate:
    found: FoundDate
    block: int
    labelled: bool
    dates_in_block: int
    label: str | None  # "published" or "updated": the last date label word before the date


def _label_kind(before: str) -> str | None:
    kind = None
    for match in _DATE_LABEL.finditer(before):
        kind = match.lastgroup
    return kind


def date_candidates(
    blocks: list[Block], first: int, last: int, snapshot_time: datetime | None, language: str | None
) -> list[DateCandidate]:
    """Every plausible date in the header window above the story and the byline window below it."""
    month_first = language == "en"
    count = len(blocks)
    head_end = min(count, first + _DATE_AFTER_FIRST)
    windows = [range(max(0, first - _DATE_BEFORE), head_end)]
    if last - 2 >= head_end:
        windows.append(range(last - 2, min(count, last + 4)))
    elif last + 4 > head_end:
        windows.append(range(head_end, min(count, last + 4)))
    raw: list[tuple[int, list[FoundDate]]] = []
    for window in windows:
        for i in window:
            if first < i <= last and len(blocks[i].text) > _DATE_PREFIX:
                continue  # a paragraph of the story
            text = blocks[i].text[:_DATE_PREFIX]
            if _DATE_HINT.search(text):
                raw.append((i, find_dates(text, snapshot_time, None, month_first)))
    # Dates printed without a year ("6月18日") take the year of a full date next to the story's start.
    context_year = next((d.at.year for i, ds in raw if first - 6 <= i < first + 4 for d in ds if d.has_year), None)
    out: list[DateCandidate] = []
    for i, found in raw:
        text = blocks[i].text[:_DATE_PREFIX]
        if context_year is not None and any(not d.has_year for d in found):
            found = find_dates(text, snapshot_time, context_year, month_first)
        for d in found:
            before = text[max(0, d.start - _LABEL_REACH) : d.start]
            if not before.strip() and i > 0:
                before = blocks[i - 1].text[-_LABEL_REACH:]  # "Published:" on the line above
            out.append(DateCandidate(d, i, PUBLISHED_LABEL.search(before) is not None, len(found), _label_kind(before)))
            if len(out) >= _DATE_MAX:
                return out
    return out


def rule_date_pick(candidates: list[DateCandidate], first: int, last: int, title_index: int | None) -> int | None:
    """The candidate text._published would take: a labelled date in the header or byline, else the first
    one around the headline (with a year if any), else the last dated line well above it."""
    top = min(first, title_index) if title_index is not None else first
    body_first = first + 1 if title_index == first and first < last else first
    for k, c in enumerate(candidates):
        if c.labelled and (top - 12 <= c.block < body_first + 6 or last - 1 <= c.block < last + 3):
            return k
    near = [k for k, c in enumerate(candidates) if top - 3 <= c.block < body_first + 6]
    if near:
        return next((k for k in near if candidates[k].found.has_year), near[0])
    far = [k for k, c in enumerate(candidates) if top - 24 <= c.block < top and c.found.has_year]
    return far[-1] if far else None


def date_features(
    candidates: list[DateCandidate], blocks: list[Block], first: int, last: int, title_index: int | None
) -> list[list[float]]:
    if not candidates:
        return []
    days = [c.found.at.date() for c in candidates]
    latest, earliest = max(days), min(days)
    n = len(candidates)
    anchor = title_index if title_index is not None else first
    after_title = next((k for k, c in enumerate(candidates) if c.block >= anchor), None)
    labelled = next((k for k, c in enumerate(candidates) if c.labelled), None)
    published = next((k for k, c in enumerate(candidates) if c.label == "published"), None)
    count = len(blocks)
    rule = rule_date_pick(candidates, first, last, title_index)
    out = []
    for k, c in enumerate(candidates):
        block = blocks[c.block]
        d = c.found
        near = sum(1 for o in candidates if abs(o.block - c.block) <= 2)
        out.append(
            [
                1.0 if c.labelled else 0.0,
                1.0 if d.has_year else 0.0,
                1.0 if d.has_time else 0.0,
                1.0 if d.tz else 0.0,
                1.0 if c.block < anchor else 0.0,
                max(-30, min(30, c.block - anchor)) / 10,
                max(-30, min(30, c.block - first)) / 10,
                1.0 if c.block > last else 0.0,
                1.0 if first < c.block <= last else 0.0,
                min(k, 10) / 10,
                min(n - 1 - k, 10) / 10,
                min(c.dates_in_block, 5) / 5,
                _log(len(block.text)) / 6,
                1.0 if block.date_line else 0.0,
                1.0 if block.bullet else 0.0,
                1.0 if days[k] == latest else 0.0,
                1.0 if days[k] == earliest else 0.0,
                min(days.count(days[k]) - 1, 3) / 3,
                _log((latest - days[k]).days) / 8,
                d.start / max(1, len(block.text)),
                1.0 if abs(c.block - anchor) <= 3 else 0.0,
                1.0 if block.cls == GOOD else 0.0,
                min(near, 6) / 6,
                1.0 if title_index is None else 0.0,
                1.0 if k == after_title else 0.0,
                1.0 if k == labelled else 0.0,
                1.0 if c.label == "published" else 0.0,
                1.0 if c.label == "updated" else 0.0,
                c.block / count,
                1.0 if c.block < 3 else 0.0,
                1.0 if k == published else 0.0,
                1.0 if k == rule else 0.0,
            ]
        )
    return out


@dataclass(frozen=True, slots=True)
class Linear:
    weights: tuple[float, ...]
    bias: float
    margin: float = 0.0  # how much better than the rules' choice the best candidate must score to replace it
    rule_feature: int | None = None  # the feature that marks the rules' choice

    def score(self, features: list[float]) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))

    def best(self, rows: list[list[float]]) -> int | None:
        if not rows:
            return None
        scores = [self.score(row) for row in rows]
        best = max(range(len(rows)), key=scores.__getitem__)
        if self.rule_feature is not None:
            rule = next((k for k, row in enumerate(rows) if row[self.rule_feature] == 1.0), None)
            if rule is not None and scores[best] - scores[rule] <= self.margin:
                return rule
        return best


def linear_from(spec: dict, names: tuple[str, ...]) -> Linear:
    if tuple(spec["features"]) != names:
        raise ValueError("the model was trained on other features: rebuild it with python -m newsetl.train.title_date")
    return Linear(
        tuple(float(w) for w in spec["weights"]), float(spec["bias"]), float(spec["margin"]), names.index("rule_pick")
    )


@lru_cache(maxsize=4)
def load_models(path: Path = MODEL_PATH) -> tuple[Linear, Linear] | None:
    """(title model, date model), or None when no model file is installed (the rules decide alone)."""
    if not path.exists():
        return None
    spec = json.loads(path.read_text(encoding="utf-8"))
    return linear_from(spec["title"], TITLE_FEATURES), linear_from(spec["date"], DATE_FEATURES)
