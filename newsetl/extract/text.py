"""Text snapshots to articles: a matching site profile first, the general cleaner for everything."""

import re
from dataclasses import dataclass
from datetime import datetime

from newsetl.article import ExtractedArticle, ExtractionContext, NoArticle
from newsetl.extract.blockmodel import load_model, main_blocks
from newsetl.extract.dates import PUBLISHED_LABEL as _PUBLISHED_LABEL
from newsetl.extract.dates import FoundDate, find_dates, parse_date
from newsetl.extract.language import detect_language
from newsetl.extract.lines import (
    GOOD,
    LENGTH_HIGH,
    Block,
    boilerplate_shaped,
    classify,
    main_region,
    split_blocks,
)
from newsetl.extract.profiles import SiteProfile, match_profile
from newsetl.extract.ranking import Linear, date_candidates, date_features, load_models, title_candidates
from newsetl.extract.sources import outlet_name, outlet_of_url
from newsetl.extract.title import choose_title, headline_text

_SENTENCE_END = re.compile(r"""[.!?。！？…]["'”’»」』)）]*\s*$""")
_SOURCE_LABEL = re.compile(
    r"(?m)^\s*(?:来源|來源|source|nguồn|fuente|fonte|quelle|источник|출처|出典)\s*[:：]\s*(?P<v>[^\n]{2,60}?)\s*$",
    re.I,
)
# Wire datelines name the outlet: "WASHINGTON (Reuters) -", "新华社北京11月17日电".
_DATELINE_SOURCE = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'-]{1,40}\((?P<v>[^()]{2,30})\)\s*[-—–]"
    r"|^(?P<zh>[\u4e00-\u9fff]{2,6}社)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电"
)
_DIGIT = re.compile(r"\d")
_HEADER_BLOCKS_BEFORE = 12
_LABEL_REACH = 40


def _language_hint(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The page's language from its longest lines, before we know which lines are the story."""
    longest = sorted(blocks, key=lambda b: len(b.text), reverse=True)[:8]
    return detect_language("\n".join(b.text for b in longest)), longest


def _body_language(body_blocks: list[Block], hint: str | None, hint_blocks: list[Block]) -> str | None:
    """The hint, when it was read mostly off the body; otherwise the body's own language."""
    in_body = {id(b) for b in body_blocks}
    shared = sum(len(b.text) for b in hint_blocks if id(b) in in_body)
    if hint and shared >= 0.7 * sum(len(b.text) for b in hint_blocks):
        return hint
    return detect_language("\n".join(b.text for b in body_blocks)) or hint


def _lone_paragraph(blocks: list[Block], repeated: frozenset[str]) -> tuple[int, int] | None:
    """A one-paragraph story has no good neighbour to vouch for it: take the longest sentence-ending block."""
    candidates = [
        i
        for i, b in enumerate(blocks)
        if b.terminal and b.length >= LENGTH_HIGH and b.density > 0 and not boilerplate_shaped(b, repeated)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda i: blocks[i].length)
    blocks[best].cls = GOOD
    return best, best


def _drop_profile_lines(blocks: list[Block], profile: SiteProfile, title: str | None) -> list[Block]:
    kept: list[Block] = []
    after_caption = False
    for block in blocks:
        text = block.text
        if profile.is_caption(text):
            after_caption = True
            continue
        if profile.drops(text) or (title and text == title):
            continue
        if after_caption and not _SENTENCE_END.search(text):
            # The headline of the linked story that follows a caption.
            after_caption = False
            continue
        after_caption = False
        kept.append(block)
    return kept


def _profile_date(profile: SiteProfile, text: str, ctx: ExtractionContext) -> FoundDate | None:
    for field in ("published_at", "published"):
        raw = profile.field(text, field)
        if raw:
            found = parse_date(raw, _latest(ctx, profile, text))
            if found:
                return found
    return None


def _latest(ctx: ExtractionContext, profile: SiteProfile | None, text: str) -> datetime | None:
    """The snapshot time: from the crawler, or printed by the snapshot template itself."""
    if ctx.snapshot_time:
        return ctx.snapshot_time
    raw = profile.field(text, "snapshot_time") if profile else None
    found = parse_date(raw) if raw else None
    return found.at if found else None


def _published(
    blocks: list[Block],
    title_index: int | None,
    first: int,
    last: int,
    snapshot_time: datetime | None,
    language: str | None,
) -> FoundDate | None:
    """The date printed with the story: labelled if any, else the first one around the headline."""
    top = min(first, title_index if title_index is not None else first)
    month_first = language == "en"

    def span(start: int, end: int) -> range:
        return range(max(0, start), min(len(blocks), end))

    def dates_of(i: int, year: int | None) -> list[FoundDate]:
        text = blocks[i].text
        return find_dates(text, snapshot_time, year, month_first) if _DIGIT.search(text) else []

    # Dates printed without a year ("6月18日") take the year of a full date next to the headline.
    context_year = next((d.at.year for i in span(top - 3, first + 4) for d in dates_of(i, None) if d.has_year), None)
    cache: dict[int, list[FoundDate]] = {}

    def dated(i: int) -> list[FoundDate]:
        if i not in cache:
            cache[i] = dates_of(i, context_year)
        return cache[i]

    # Labels sit in the header or in a byline under the story; the story itself is not searched.
    for start, end in ((top - _HEADER_BLOCKS_BEFORE, first + 6), (last - 1, last + 3)):
        for i in span(start, end):
            text = blocks[i].text
            for found in dated(i):
                before = text[max(0, found.start - _LABEL_REACH) : found.start]
                if not before.strip() and i > 0:
                    before = blocks[i - 1].text[-_LABEL_REACH:]  # "Published:" on the line above
                if _PUBLISHED_LABEL.search(before):
                    return found
    near = [d for i in span(top - 3, first + 6) for d in dated(i)]
    if near:
        with_year = [d for d in near if d.has_year]
        return with_year[0] if with_year else near[0]
    far = [
        d for i in span(top - 2 * _HEADER_BLOCKS_BEFORE, top) if not blocks[i].bullet for d in dated(i) if d.has_year
    ]
    return far[-1] if far else None


def _source(text: str, header: str, body: str, profile: SiteProfile | None, ctx: ExtractionContext) -> str | None:
    raw = profile.field(text, "source_name") if profile else None
    if not raw:
        match = _SOURCE_LABEL.search(header)
        raw = match.group("v") if match else None
    if not raw:
        match = _DATELINE_SOURCE.match(body)
        raw = (match.group("v") or match.group("zh")) if match else None
    return (outlet_name(raw) if raw else None) or outlet_of_url(ctx.url)


@dataclass(slots=True)
class PreparedText:
    """A text snapshot split into classified blocks with the story's region: what title and date are chosen from."""

    blocks: list[Block]
    first: int
    last: int
    language: str | None
    hint_blocks: list[Block]
    profile: SiteProfile | None
    title: str | None  # printed by a site profile's template

    @property
    def region(self) -> tuple[int, int]:
        """(first, last) block of the story by the hand classes: what the block model reads around."""
        return self.first, self.last


def prepare_text(text: str, ctx: ExtractionContext) -> PreparedText:
    """Blocks, language and the story's region of a (non-HTML) text snapshot; raises NoArticle when there is none."""
    if not text or not text.strip():
        raise NoArticle("empty snapshot")
    profile = match_profile(text)
    title = None
    if profile:
        title = profile.field(text, "title")
        start, end = profile.region(text)
        blocks = _drop_profile_lines(split_blocks(text[start:end]), profile, title)
    else:
        blocks = split_blocks(text)
    if not blocks:
        raise NoArticle("no text blocks")
    language, hint_blocks = _language_hint(blocks)
    classify(blocks, language, ctx.repeated_lines)
    region = main_region(blocks)
    if region is None and language is not None:
        # A wrong language guess makes every block look poor in function words: judge by shape alone.
        classify(blocks, None, ctx.repeated_lines)
        region = main_region(blocks)
    if region is None:
        region = _lone_paragraph(blocks, ctx.repeated_lines)
    if region is None:
        raise NoArticle("no prose block (navigation or lists only)")
    return PreparedText(blocks, region[0], region[1], language, hint_blocks, profile, title)


def model_body(page: PreparedText, repeated: frozenset[str], title_index: int | None = None) -> list[Block]:
    """The main text by the learned block model (newsetl/extract/blockmodel.py), the headline left out."""
    blocks = page.blocks
    chosen = main_blocks(blocks, page.region, repeated, title_index) >= load_model().threshold_probability
    if title_index is not None:
        chosen[title_index] = False
    return [block for block, keep in zip(blocks, chosen.tolist(), strict=True) if keep]


def choose_headline(
    blocks: list[Block], first: int, ctx: ExtractionContext, models: tuple[Linear, Linear] | None
) -> tuple[int, str] | None:
    """(index, headline): the learned ranker's best candidate, else the rules' choice."""
    if models is not None:
        candidates = title_candidates(blocks, first, ctx.repeated_lines, ctx.url)
        best = models[0].best([features for _, features in candidates])
        if best is not None:
            index = candidates[best][0]
            return index, headline_text(blocks, index)
    return choose_title(blocks, first, ctx.repeated_lines)


def choose_date(
    blocks: list[Block],
    title_index: int | None,
    region: tuple[int, int],
    body_first: int,
    snapshot_time: datetime | None,
    language: str | None,
    models: tuple[Linear, Linear] | None,
) -> FoundDate | None:
    """The publication date: the learned ranker's best candidate, else the rules' choice."""
    first, last = region
    if models is not None:
        candidates = date_candidates(blocks, first, last, snapshot_time, language)
        best = models[1].best(date_features(candidates, blocks, first, last, title_index))
        if best is not None:
            return candidates[best].found
    return _published(blocks, title_index, body_first, last, snapshot_time, language)


def extract_plain_text(text: str, ctx: ExtractionContext) -> ExtractedArticle:
    """The article of a decoded text rendering (not HTML source); raises NoArticle when there is none.

    `newsetl.extract.extract_text` is the entry point for text snapshots: it sends the ones that are
    really HTML source to the HTML extractor, which in turn renders pages trafilatura finds nothing in
    and cleans them here.
    """
    if not text or not text.strip():
        raise NoArticle("empty snapshot")
    page = prepare_text(text, ctx)
    blocks, first, last, profile, title = page.blocks, page.first, page.last, page.profile, page.title
    models = load_models()
    title_index = None
    if title is None:
        chosen = choose_headline(blocks, first, ctx, models)
        if chosen is not None:
            title_index, title = chosen
            if first <= title_index < last:
                first = title_index + 1  # lines above the headline inside the region are a kicker or teaser
    # Dates and the header are read around the hand region; the body is the block model's choice,
    # except in a site profile's region, which the profile has already cut to the story.
    body_blocks = [] if profile else model_body(page, ctx.repeated_lines, title_index)
    if not body_blocks:
        body_blocks = [b for b in blocks[first : last + 1] if b.cls == GOOD]
    if not body_blocks:
        body_blocks = [b for b in blocks[page.first : last + 1] if b.cls == GOOD]
    body = "\n".join(b.text for b in body_blocks)
    body_language = _body_language(body_blocks, page.language, page.hint_blocks)
    header = "\n".join(b.text for b in blocks[max(0, first - _HEADER_BLOCKS_BEFORE) : first])

    snapshot_time = _latest(ctx, profile, text)
    published = _profile_date(profile, text, ctx) if profile else None
    if published is None:
        published = choose_date(blocks, title_index, (page.first, last), first, snapshot_time, body_language, models)

    url = ctx.url or (profile.field(text, "url") if profile else None)
    return ExtractedArticle(
        title=title or body_blocks[0].text[:200],
        body=body,
        language=body_language,
        published_at=published.at if published else None,
        published_tz=published.tz if published else None,
        source_name=_source(text, header, body, profile, ctx),
        category=profile.field(text, "category") if profile else None,
        url=url,
        extractor=f"profile:{profile.name}" if profile else "text",
    )
