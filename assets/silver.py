"""Silver: cleaned articles, and the snapshots that gave none with the reason why, one ingest batch per partition.

Two steps, so that runs of different batches clean at once: `cleaned_snapshots` does the CPU work of a
batch alone (no pool) and stages its articles; `articles` marks near-duplicates against the batches
before it, one batch at a time (pool newsetl_first_seen).
"""

from collections import Counter

import dagster as dg

from assets.metadata import table_metadata
from assets.partitions import ingest_batches, partition_folder, wait_for_earlier_batches
from newsetl.landing_zones import by_kind
from newsetl.silver import STAGED_ARTICLES, clean_snapshots, mark_duplicates, snapshot_count
from orchestration.resources import ProgressReporter, WarehouseStore

_ARTICLE_PREVIEW = ["source_file", "title", "language", "published_at", "source_name", "countries", "duplicate_of"]
_STAGED_PREVIEW = [column for column in _ARTICLE_PREVIEW if column != "duplicate_of"]  # not marked yet
STAGED = "staged_articles"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "rejected_snapshots",
            group_name="silver",
            kinds={"python", "parquet"},
            deps=["raw_snapshots"],
            description="Every raw snapshot that yielded no article, with the reason and the stage that refused it.",
        ),
        dg.AssetSpec(
            STAGED,
            group_name="silver",
            kinds={"python", "parquet"},
            deps=["raw_snapshots"],
            description=(
                f"The batch's cleaned articles before near-duplicates are marked, in {STAGED_ARTICLES}/ (not a "
                "contract table, in no catalog view); `articles` removes the partition once it is written."
            ),
        ),
    ],
    partitions_def=ingest_batches,
    # No pool: decoding, extraction, countries and signatures read and write this batch's partitions
    # only, so the runs the queued coordinator lets start clean at once.
)
def cleaned_snapshots(context: dg.AssetExecutionContext, warehouse: WarehouseStore, progress: ProgressReporter):
    store = warehouse.store()
    partition = partition_folder(context)
    size = snapshot_count(store, partition)
    with progress.tracker(f"cleaning batch {context.partition_key}", size) as advance:
        stats = clean_snapshots(store, partition, advance, warehouse.run_settings(), size=size)
    context.log.info(f"batch {context.partition_key}: {stats.articles} articles, {stats.rejected} rejected")

    rejected = store.read_table("rejected_snapshots", columns=["source_file", "stage", "reason"], partition=partition)
    for source_file, reason in zip(
        rejected.column("source_file").to_pylist(), rejected.column("reason").to_pylist(), strict=True
    ):
        context.log.debug(f"rejected {source_file}: {reason}")
    yield dg.MaterializeResult(
        asset_key="rejected_snapshots",
        metadata=table_metadata(
            rejected,
            store.table_path("rejected_snapshots"),
            row_count=rejected.num_rows,
            new_rejections=stats.rejected,
            reasons=dg.MetadataValue.json(dict(stats.reasons.most_common(20))),
            reasons_by_kind=dg.MetadataValue.json(by_kind(stats.reasons.elements())),
        ),
    )
    staged = store.read_table(STAGED_ARTICLES, columns=_STAGED_PREVIEW, partition=partition)
    yield dg.MaterializeResult(
        asset_key=STAGED,
        metadata=table_metadata(
            staged.slice(staged.num_rows - min(staged.num_rows, 10)),
            store.table_path(STAGED_ARTICLES),
            row_count=staged.num_rows,
        ),
    )


@dg.asset(
    group_name="silver",
    kinds={"python", "parquet"},
    deps=[STAGED],
    partitions_def=ingest_batches,
    description=(
        "One row per cleaned article: title, main-text body, language, published date, outlet, "
        "category, the countries it mentions (with surface forms), and duplicate_of for "
        "near-duplicates of an earlier article. Partitioned like raw_snapshots by ingest batch."
    ),
    # Near-duplicates are marked against the originals of the batches written before: one batch at a
    # time, so that first-seen order is the order batches were registered in.
    pool="newsetl_first_seen",
)
def articles(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    wait_for_earlier_batches(context, "articles", warehouse.store())
    store = warehouse.store()
    partition = partition_folder(context)
    duplicates = mark_duplicates(store, partition, warehouse.run_settings())
    written = store.read_table("articles", columns=_ARTICLE_PREVIEW, partition=partition)
    context.log.info(f"batch {context.partition_key}: {written.num_rows} articles, {duplicates} near-duplicates")
    return dg.MaterializeResult(
        metadata=table_metadata(
            written.slice(written.num_rows - min(written.num_rows, 10)),
            store.table_path("articles"),
            _ARTICLE_PREVIEW,
            row_count=written.num_rows,
            new_articles=written.num_rows,
            languages=dg.MetadataValue.json(dict(Counter(written.column("language").to_pylist()).most_common())),
            near_duplicates=duplicates,
        )
    )
