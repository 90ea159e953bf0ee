"""The records each stage passes on are the rows of the declared tables: same names, types that fit.

A record whose fields drift from schemas.py (a column added to one and not the other, a renamed field,
a value of another type) fails here rather than writing NULLs or failing mid-run.
"""

from datetime import date, datetime

import pyarrow as pa
import pytest

from newsetl import schemas
from newsetl.article import Article, CountryMention, RejectedSnapshot
from newsetl.landing import RawSnapshot
from newsetl.process import process_one

SNAPSHOTS = [
    RawSnapshot(
        "crawl.warc#2",
        "warc",
        "html",
        "<p>Bonjour à tous</p>".encode(),
        url="https://example.org/a",
        fetched_at=datetime(2026, 3, 1, 12, 30, 5, 250000),
        ingested_at=datetime(2026, 3, 2),
    ),
    RawSnapshot("broken.txt.gz", "text", "text", b"", read_error="truncated compressed file"),
]


def _through_arrow(row: dict, schema: pa.Schema) -> dict:
    """The row written to an Arrow table of the declared schema and read back."""
    (back,) = pa.Table.from_pylist([row], schema=schema).to_pylist()
    return back


def test_a_raw_snapshot_row_has_exactly_the_declared_columns() -> None:
    for snapshot in SNAPSHOTS:
        assert set(snapshot.to_row()) == set(schemas.RAW_SNAPSHOTS.names)


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=lambda s: s.source_file)
def test_a_raw_snapshot_survives_the_table_and_back(snapshot: RawSnapshot) -> None:
    back = RawSnapshot.from_row(_through_arrow(snapshot.to_row(), schemas.RAW_SNAPSHOTS))
    assert back == snapshot
    assert back.to_row()["byte_size"] == len(snapshot.content)


def test_the_id_is_the_content_hash_and_a_stored_id_is_kept() -> None:
    same_bytes = RawSnapshot("other/name.html", "html", "html", SNAPSHOTS[0].content)
    assert same_bytes.snapshot_id == SNAPSHOTS[0].snapshot_id
    # An unreadable file has no bytes to hash: its id names the file.
    assert RawSnapshot("a.txt", "text", "text", b"", read_error="x").snapshot_id != SNAPSHOTS[1].snapshot_id
    row = SNAPSHOTS[0].to_row() | {"snapshot_id": "stored"}
    assert RawSnapshot.from_row(row).snapshot_id == "stored"  # read back, not hashed again


ARTICLE = Article(
    article_id="a" * 32,
    snapshot_id="s" * 64,
    source_file="crawl.warc#2",
    url="https://example.org/a",
    title="Talks in Hanoi",
    body="Vietnam and France met in Hanoi.",
    language="en",
    published_at=datetime(2026, 2, 28, 9, 0),
    published_date=date(2026, 2, 28),
    published_tz="+07:00",
    source_name="Example News",
    category="World",
    duplicate_of=None,
    encoding="utf-8",
    extractor="html",
    body_chars=33,
    countries=("FR", "VN"),
    country_mentions=(
        CountryMention("FR", 1, False, 30, ("France",)),
        CountryMention("VN", 2, True, 10, ("Hanoi", "Vietnam")),
    ),
    ingested_at=datetime(2026, 3, 2),
    minhash=b"\x00\x01" * 8,
)
REJECTION = RejectedSnapshot("s" * 64, "broken.txt.gz", "truncated compressed file", "read", datetime(2026, 3, 2))

ROWS = [
    (ARTICLE, schemas.ARTICLES),
    (REJECTION, schemas.REJECTED_SNAPSHOTS),
    (ARTICLE.country_mentions[1], pa.schema(list(schemas.MENTION_STRUCT))),
]


@pytest.mark.parametrize(("record", "schema"), ROWS, ids=lambda r: type(r).__name__)
def test_a_row_has_exactly_the_declared_columns_and_survives_the_table(record, schema: pa.Schema) -> None:
    row = record.to_row()
    assert set(row) == set(schema.names)
    assert type(record).from_row(_through_arrow(row, schema)) == record


def test_what_processing_gives_is_a_row_of_its_table() -> None:
    """process_one's records as the silver workers write them: an article, and a rejection."""
    snapshot = RawSnapshot(
        "page.txt",
        "text",
        "text",
        (
            b"Ministers meet in Paris\n\n"
            b"The foreign ministers of France and Germany met in Paris on Monday to discuss the coming summit, "
            b"officials said after the talks ended late in the evening.\n\n"
            b"Both sides described the meeting as constructive and agreed to continue the work at a second round "
            b"of talks next month, when trade and energy questions are expected to dominate the agenda.\n\n"
            b"A joint statement is to be published once the delegations have reported back to their governments."
        ),
        ingested_at=datetime(2026, 3, 2),
    )
    article = process_one(snapshot, frozenset())
    assert isinstance(article, Article) and "FR" in article.countries
    assert Article.from_row(_through_arrow(article.to_row(), schemas.ARTICLES)) == article
    unreadable = RawSnapshot("bad.txt.gz", "text", "text", b"", read_error="truncated compressed file")
    rejection = process_one(unreadable, frozenset())
    assert isinstance(rejection, RejectedSnapshot) and rejection.stage == "read"
    assert RejectedSnapshot.from_row(_through_arrow(rejection.to_row(), schemas.REJECTED_SNAPSHOTS)) == rejection
