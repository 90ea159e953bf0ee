"""The records that flow between the library's steps."""

from dataclasses import dataclass, field, fields
from datetime import date, datetime


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

    def to_row(self) -> dict:
        """One element of the articles table's country_mentions (schemas.MENTION_STRUCT)."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"surface_forms": list(self.surface_forms)}

    @classmethod
    def from_row(cls, row: dict) -> "CountryMention":
        return cls(**row | {"surface_forms": tuple(row["surface_forms"])})


@dataclass(frozen=True, slots=True)
class Article:
    """One articles row (schemas.ARTICLES): an extracted article with what its snapshot and the
    steps after extraction add (process.py makes it, silver writes it)."""

    article_id: str
    snapshot_id: str
    source_file: str
    url: str | None
    title: str
    body: str
    language: str | None
    published_at: datetime | None
    published_date: date | None
    published_tz: str | None
    source_name: str | None
    category: str | None
    duplicate_of: str | None  # filled in by silver once the whole batch is cleaned
    encoding: str
    extractor: str
    body_chars: int
    countries: tuple[str, ...]
    country_mentions: tuple[CountryMention, ...]
    ingested_at: datetime | None
    minhash: bytes | None  # None for a body too short to sign (dedupe.signature)

    def to_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)} | {
            "countries": list(self.countries),
            "country_mentions": [mention.to_row() for mention in self.country_mentions],
        }

    @classmethod
    def from_row(cls, row: dict) -> "Article":
        values = {f.name: row[f.name] for f in fields(cls)}
        values["countries"] = tuple(values["countries"] or ())
        values["country_mentions"] = tuple(CountryMention.from_row(m) for m in values["country_mentions"] or ())
        return cls(**values)


@dataclass(frozen=True, slots=True)
class RejectedSnapshot:
    """One rejected_snapshots row (schemas.REJECTED_SNAPSHOTS): a snapshot that gave no article, and why."""

    snapshot_id: str
    source_file: str
    reason: str
    stage: str  # read, decode, extract, page_kind, countries: the step that gave up
    ingested_at: datetime | None

    def to_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_row(cls, row: dict) -> "RejectedSnapshot":
        return cls(**{f.name: row[f.name] for f in fields(cls)})
