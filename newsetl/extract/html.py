"""HTML snapshots: trafilatura finds the main text; metadata and language follow the text path's rules."""

import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

import trafilatura
from trafilatura.settings import Document

from newsetl.article import ExtractedArticle, ExtractionContext, NoArticle
from newsetl.extract.dates import FoundDate, find_dates
from newsetl.extract.language import detect_language
from newsetl.extract.sources import outlet_name, outlet_of_url
from newsetl.extract.text import extract_plain_text

# Machine-readable publication times keep the clock time and the offset that htmldate drops.
_META_PUBLISHED = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|datePublished|"""
    r"""pubdate|publishdate|publish-date|sailthru\.date|dc[.:]date|dcterms[.:]created|dc[.:]created|date)["'][^>]{0,200}?"""
    r"""content\s*=\s*["'](?P<v>[^"']{8,40})["']"""
    r"""|"datePublished"\s*:\s*"(?P<j>[^"]{8,40})\"""",
    re.I,
)
# <time datetime="2024-05-03T10:00:00+02:00">: the published one says so (pubdate, datePublished) or is the
# first after the headline; the ones further down belong to comments and related articles.
_TIME_ELEMENT = re.compile(
    r"""<time\b(?P<attrs>[^>]{0,300}?)\bdatetime\s*=\s*["'](?P<v>[^"']{8,40})["'](?P<rest>[^>]{0,300})>""", re.I
)
_MARKED_PUBLISHED = re.compile(r"""\bpubdate\b|datePublished|published""", re.I)
_PRINTED_DATE_REACH = 6000
# The header trafilatura may keep above the story: kicker, headline, byline and date, short lines all.
_HEADER_LINES = 5
_HEADER_LINE = 120
_DATE_LINE_SLACK = 25  # characters besides the date: "Updated", "Uhr", "| 4 min read"
_WORDS_ONLY = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"""[.!?。！？]["'”’»」』)）]*$""")
_NEAR_HEADLINE = 1200
_LONGEST_DATE = 120  # characters: longer than any match of newsetl.extract.dates' patterns
_H1 = re.compile(r"<h1\b[^>]*>(?P<v>.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_INVISIBLE = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(
    r"<(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|article|section|header|footer|nav|blockquote|pre|dd|dt)\b[^>]*>"
    r"|</(?:p|div|li|h[1-6]|tr|table|article|section|blockquote|pre)\s*>",
    re.I,
)
_INLINE_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")
_SPACE = re.compile(r"\s+")
# " | Site", " - Site", "_Site", and "-Section ㅣ Site" glued to the headline.
_SITE_SEPARATOR = re.compile(r"\s+[|｜·–—-]\s+|\s*[|｜ㅣ]\s*|\s+_\s+|_|-(?=[^-\s][^-]{0,24}$)")


def _clean(fragment: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", fragment))).strip()


def _meta_date(html: str, ctx: ExtractionContext) -> FoundDate | None:
    for match in _META_PUBLISHED.finditer(html[:300_000]):
        raw = match.group("v") or match.group("j")
        dates = find_dates(raw, ctx.snapshot_time)
        if dates and dates[0].has_year:
            return dates[0]
    return None


def _time_element_date(html: str, ctx: ExtractionContext) -> FoundDate | None:
    """The page's <time datetime> of publication: one marked as such, else the first after the <h1>."""
    h1 = _H1.search(html)
    after_h1 = None
    for match in _TIME_ELEMENT.finditer(html[:300_000]):
        dates = find_dates(match.group("v"), ctx.snapshot_time)
        if not dates or not dates[0].has_year:
            continue
        if _MARKED_PUBLISHED.search(match.group("attrs") + match.group("rest")):
            return dates[0]
        if after_h1 is None and h1 and h1.start() <= match.start() <= h1.start() + _PRINTED_DATE_REACH:
            after_h1 = dates[0]
    return after_h1


def _trafilatura_date(raw: str, html: str, ctx: ExtractionContext) -> FoundDate | None:
    """Trafilatura's date, unless it is a year alone ("© 2020", "点击：1995") it wrote as 1 January."""
    found = next(iter(find_dates(raw, ctx.snapshot_time)), None)
    if found is None or (found.at.month, found.at.day) != (1, 1):
        return found
    printed = find_dates(_clean(html[:300_000]), ctx.snapshot_time)
    return found if any(p.has_year and p.at.date() == found.at.date() for p in printed) else None


def _shared(a: str, b: str) -> float:
    """Share of a's characters (CJK) or words (others) that b also has."""
    units_a = set(a.split()) if " " in a.strip() else set(a)
    units_b = set(b.split()) if " " in b.strip() else set(b)
    return len(units_a & units_b) / max(1, len(units_a))


def _printed_near_headline(html: str, machine: FoundDate, ctx: ExtractionContext) -> FoundDate | None:
    """The date as printed under the headline, when it is the same moment as a UTC machine date.

    Machine dates in UTC can fall on another day than the outlet's local print ("Wed, 04 May 2022
    02:41 GMT" is "3/5/2022 22:41" in Bolivia); the local date is the one analysts expect.
    """
    h1 = _H1.search(html)
    if not h1:
        return None
    window = _clean(html[h1.start() : h1.start() + _PRINTED_DATE_REACH])

    def first_match(text: str) -> FoundDate | None:
        for found in find_dates(text, ctx.snapshot_time):
            if found.has_year and abs(found.at - machine.at) <= timedelta(hours=14):
                return found
        return None

    # The date is printed near the headline: a prefix of the window usually holds it. A date that
    # ends well inside the prefix is read the same in the whole window, and so is every date before
    # it: no date crossing the cut can reach back to it, as no date is longer than the margin (the
    # window's spaces are collapsed; only a time with 100 digits of fractional seconds could be).
    prefix = window[:_NEAR_HEADLINE]
    found = first_match(prefix)
    if found is not None and (len(prefix) == len(window) or found.end <= len(prefix) - _LONGEST_DATE):
        return found
    return first_match(window) if len(prefix) < len(window) else None


def _title(doc_title: str | None, html: str, sitename: str | None) -> str | None:
    """The headline: the <h1> closest to the page title, else the page title without the site name."""
    title = _clean(doc_title or "")
    best_h1: tuple[float, str] | None = None
    for match in _H1.finditer(html):
        h1 = _clean(match.group("v"))
        if len(h1) < 5 or not title:
            continue
        shared = _shared(h1, title)
        if shared >= 0.5 and (best_h1 is None or shared > best_h1[0]):
            best_h1 = (shared, h1)
    if best_h1:
        return best_h1[1]
    parts = [p.strip() for p in _SITE_SEPARATOR.split(title) if p.strip()]
    if len(parts) >= 2:
        site = (sitename or "").casefold()
        kept = [p for p in parts if not site or p.casefold() not in site and site not in p.casefold()]
        if kept and kept != parts:
            return max(kept, key=len)
        return max(parts, key=len)
    return title or None


def _same_words(a: str, b: str) -> bool:
    return _WORDS_ONLY.sub("", a).casefold() == _WORDS_ONLY.sub("", b).casefold()


def _date_line(line: str) -> bool:
    """A byline-sized line that is mostly a date ("3. Mai 2024, 10:15 Uhr", "Updated June 18, 2024")."""
    if len(line) > _HEADER_LINE or _SENTENCE_END.search(line):
        return False
    dates = find_dates(line, None)
    return bool(dates) and len(line) - sum(d.end - d.start for d in dates) <= _DATE_LINE_SLACK


def _main_text_only(body: str, title: str | None) -> str:
    """The body without the header trafilatura sometimes keeps: kicker, headline and date lines on top."""
    lines = body.split("\n")
    top = [i for i, line in enumerate(lines[:_HEADER_LINES]) if line.strip()]
    start = 0
    if title:
        for i in top:
            line = lines[i].strip()
            if _same_words(line, title):
                if all(
                    len(lines[j].strip()) <= _HEADER_LINE and not _SENTENCE_END.search(lines[j]) for j in top if j < i
                ):
                    start = i + 1
                break
    while start < len(lines) - 1 and (not lines[start].strip() or _date_line(lines[start].strip())):
        start += 1
    kept = "\n".join(lines[start:]).strip("\n")
    return kept if kept.strip() else body


def _as_text(html: str, ctx: ExtractionContext) -> ExtractedArticle:
    """Pages trafilatura finds no main text in (odd markup, text in tables) go through the text cleaner."""
    text = _BLOCK_TAG.sub("\n", _INVISIBLE.sub(" ", html))
    text = unescape(_TAG.sub(" ", text))
    text = "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in text.splitlines())
    article = extract_plain_text(text, ctx)
    return replace(article, extractor="html-as-text")


def extract_html(html: str, ctx: ExtractionContext) -> ExtractedArticle:
    """The article of a decoded HTML snapshot; raises NoArticle when there is none."""
    if not html or not html.strip():
        raise NoArticle("empty snapshot")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=ctx.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        raise NoArticle(f"HTML not parseable: {type(exc).__name__}") from exc
    # None when trafilatura found nothing; a dict only with as_dict=True, which is not asked for
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        return _as_text(html, ctx)
    body = doc.text or ""
    published = _meta_date(html, ctx) or _time_element_date(html, ctx)
    if published is not None and published.tz == "+00:00":
        published = _printed_near_headline(html, published, ctx) or published
    if published is None and doc.date:
        published = _trafilatura_date(doc.date, html, ctx)
    sitename = doc.sitename
    source = outlet_name(sitename) or outlet_of_url(ctx.url or doc.url or doc.hostname)
    title = _title(doc.title, html, sitename)
    body = _main_text_only(body, title)
    return ExtractedArticle(
        title=title or body.split("\n", 1)[0][:200],
        body=body,
        language=detect_language(body),
        published_at=published.at if published else None,
        published_tz=published.tz if published else None,
        source_name=source or None,
        category=(doc.categories[0] if doc.categories else None),
        url=ctx.url or doc.url,
        extractor="html",
    )
