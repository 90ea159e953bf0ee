"""The published-date range rule: before 1990 or after the snapshot is a misread date."""

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from newsetl import quality, schemas
from newsetl.storage import Warehouse

_SEEN = datetime(2024, 6, 20, 8, 0)


def _warehouse(tmp_path: Path, published: datetime | None) -> Warehouse:
    warehouse = Warehouse(str(tmp_path / "warehouse"))
    raw = {name: [None] for name in schemas.RAW_SNAPSHOTS.names}
    raw |= {
        "snapshot_id": ["s1"],
        "source_file": ["a.txt"],
        "format": ["text"],
        "byte_size": [1],
        "ingested_at": [_SEEN],
    }
    warehouse.write_table("raw_snapshots", pa.Table.from_pydict(raw, schema=schemas.RAW_SNAPSHOTS))
    article = {name: [None] for name in schemas.ARTICLES.names}
    article |= {
        "article_id": ["a1"],
        "snapshot_id": ["s1"],
        "source_file": ["a.txt"],
        "title": ["t"],
        "body": ["b"],
        "published_at": [published],
    }
    warehouse.write_table("articles", pa.Table.from_pydict(article, schema=schemas.ARTICLES))
    return warehouse


@pytest.mark.parametrize("published", [datetime(1985, 3, 4), datetime(2024, 6, 22)])
def test_dates_before_1990_or_after_the_snapshot_fail(tmp_path: Path, published: datetime) -> None:
    outcome = quality.published_in_plausible_range(_warehouse(tmp_path, published))
    assert not outcome.passed
    assert outcome.details["examples"][0].startswith("a.txt:")


@pytest.mark.parametrize("published", [datetime(1990, 1, 2), datetime(2024, 6, 20, 18, 30), None])
def test_dates_in_range_or_missing_pass(tmp_path: Path, published: datetime | None) -> None:
    assert quality.published_in_plausible_range(_warehouse(tmp_path, published)).passed
