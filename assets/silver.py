"""Silver: cleaned articles, and the snapshots that gave none with the reason why, one ingest batch per partition."""

import dagster as dg

from assets.metadata import table_metadata
from assets.partitions import ingest_batches, partition_folder, wait_for_earlier_batches
from newsetl.landing_zones import by_kind
from newsetl.silver import clean_batch, snapshot_count
from orchestration.resources import ProgressReporter, WarehouseStore

_ARTICLE_PREVIEW = ["source_file", "title", "language", "published_at", "source_name", "countries", "duplicate_of"]


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
                "near-duplicates of an earlier article. Partitioned like raw_snapshots by ingest batch."
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
    partitions_def=ingest_batches,
    # Near-duplicates are marked against the originals of the batches written before: one batch at a
    # time, so that first-seen order is the order batches were cleaned in.
    pool="newsetl_first_seen",
)
def cleaned_snapshots(context: dg.AssetExecutionContext, warehouse: WarehouseStore, progress: ProgressReporter):
    wait_for_earlier_batches(context, "articles", warehouse.store())
    store = warehouse.store()
    partition = partition_folder(context)
    size = snapshot_count(store, partition)
    with progress.tracker(f"cleaning batch {context.partition_key}", size) as advance:
        stats = clean_batch(store, partition, advance, warehouse.run_settings(), size=size)
    context.log.info(
        f"batch {context.partition_key}: {stats.articles} articles, {stats.rejected} rejected, {stats.duplicates} "
        "near-duplicates"
    )

    articles = store.read_table("articles", columns=_ARTICLE_PREVIEW, partition=partition)
    rejected = store.read_table("rejected_snapshots", columns=["source_file", "stage", "reason"], partition=partition)
    for source_file, reason in zip(
        rejected.column("source_file").to_pylist(), rejected.column("reason").to_pylist(), strict=True
    ):
        context.log.debug(f"rejected {source_file}: {reason}")
    yield dg.MaterializeResult(
        asset_key="articles",
        metadata=table_metadata(
            articles.slice(articles.num_rows - min(articles.num_rows, 10)),
            store.table_path("articles"),
            _ARTICLE_PREVIEW,
            row_count=articles.num_rows,
            new_articles=stats.articles,
            languages=dg.MetadataValue.json(dict(stats.languages.most_common())),
            near_duplicates=stats.duplicates,
        ),
    )
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
