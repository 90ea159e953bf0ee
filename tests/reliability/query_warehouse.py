"""A two-row warehouse with a catalog: enough for the query tests to read, and to try to write."""

from pathlib import Path

import pyarrow as pa

from newsetl.catalog import build_catalog
from newsetl.storage import Warehouse


def build_source_warehouse(tmp_path: Path) -> Warehouse:
    store = Warehouse(str(tmp_path / "warehouse"))
    store.write_table(
        "dim_source",
        pa.table(
            {
                "source_key": [0, 7],
                "source_name": ["(unknown)", "Sputnik"],
                "domain": [None, "sputniknews.vn"],
                "article_count": [0, 2],
            }
        ),
    )
    build_catalog(store, sql_dir=tmp_path / "no-sql")
    return store
