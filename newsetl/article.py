"""The records that flow between the library's steps."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What the extractor reads off one snapshot's text or HTML."""

    title: str
    body: str
    language: str | None = None
    # Wall-clock time as printed on the page (naive); the offset, where the page gives one,
    # is kept apart so that analysts see the local date the outlet printed.
    published_at: datetime | None = None
    published_tz: str | None = None  # "+08:00" style, or None
    source_name: str | None = None
    category: str | None = None
    url: str | None = None
    extractor: str = ""  # which path produced it, e.g. "profile:fyun-aggregator", "text", "html"


@dataclass(frozen=True, slots=True)
class ExtractionContext:
    """What the extractor may know besides the page itself."""

    source_file: str = ""
    url: str | None = None
    # When the crawler took the snapshot: published dates after it are implausible.
    snapshot_time: datetime | None = None
    # Lines seen in many snapshots of the corpus: navigation, footers, widgets.
    repeated_lines: frozenset[str] = field(default_factory=frozenset)


class NoArticle(Exception):
    """The snapshot holds no article; the message is the reason recorded in rejected_snapshots."""


@dataclass(frozen=True, slots=True)
class CountryMention:
    """One country mentioned by one article."""

    iso2: str
    mention_count: int
    in_title: bool
    first_offset: int  # character offset of the first mention in title + "\n\n" + body
    surface_forms: tuple[str, ...]
