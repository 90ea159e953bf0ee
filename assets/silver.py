"""Silver: cleaned articles, and the snapshots that gave none with the reason why."""

from collections import Counter

import dagster as dg
import pyarrow as pa

from assets.metadata import table_metadata
from newsetl import schemas
from newsetl.dedupe import find_duplicates
from newsetl.process import SnapshotInput, process_snapshots
from orchestration.resources import ProgressReporter, WarehouseStore

_ARTICLE_PREVIEW = ["source_file", "title", "language", "published_at", "source_name", "countries", "duplicate_of"]


def _inputs(raw: pa.Table) -> list[SnapshotInput]:
    return [
        SnapshotInput(
            snapshot_id=row["snapshot_id"],
            source_file=row["source_file"],
            content_type=row["content_type"] or "text",
            content=row["content"] or b"",
            url=row["url"],
            fetched_at=row["fetched_at"],
            ingested_at=row["ingested_at"],
            error=row["read_error"],
        )
        for row in raw.to_pylist()
    ]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "articles",
            group_name="silver",
            kinds={"python", "parquet"},
            deps=["raw_snapshots"],
            description=(
                "One row per cleaned article: title, main-text body, language, published date, outlet, "
                "category, the countries it mentions (with surface forms), and duplicate_of for "
                "near-duplicates of an earlier article."
            ),
        ),
        dg.AssetSpec(
            "rejected_snapshots",
            group_name="silver",
            kinds={"python", "parquet"},
            deps=["raw_snapshots"],
            description="Every raw snapshot that yielded no article, with the reason and the stage that refused it.",
        ),
    ],
)
def cleaned_snapshots(context: dg.AssetExecutionContext, warehouse: WarehouseStore, progress: ProgressReporter):
    store = warehouse.store()
    raw = store.read_table("raw_snapshots")
    inputs = _inputs(raw)
    with progress.tracker("cleaning snapshots", len(inputs)) as advance:
        article_rows, rejected_rows = process_snapshots(inputs, progress=advance)

    duplicates = find_duplicates([r["article_id"] for r in article_rows], [r["body"] for r in article_rows])
    for row in article_rows:
        row["duplicate_of"] = duplicates.get(row["article_id"])

    articles = pa.Table.from_pylist(article_rows, schema=schemas.ARTICLES)
    rejected = pa.Table.from_pylist(rejected_rows, schema=schemas.REJECTED_SNAPSHOTS)
    articles_path = store.write_table("articles", articles)
    rejected_path = store.write_table("rejected_snapshots", rejected)

    languages = Counter(r["language"] for r in article_rows)
    reasons = Counter(r["reason"] for r in rejected_rows)
    for row in rejected_rows:
        context.log.warning(f"rejected {row['source_file']}: {row['reason']}")
    yield dg.MaterializeResult(
        asset_key="articles",
        metadata=table_metadata(
            articles,
            articles_path,
            _ARTICLE_PREVIEW,
            languages=dg.MetadataValue.json(dict(languages.most_common())),
            near_duplicates=dg.MetadataValue.int(len(duplicates)),
        ),
    )
    yield dg.MaterializeResult(
        asset_key="rejected_snapshots",
        metadata=table_metadata(
            rejected,
            rejected_path,
            ["source_file", "stage", "reason"],
            reasons=dg.MetadataValue.json(dict(reasons.most_common(20))),
        ),
    )
