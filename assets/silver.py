"""Silver: cleaned articles, and the snapshots that gave none with the reason why."""

import dagster as dg
import pyarrow as pa

from assets.metadata import table_metadata
from newsetl import schemas
from newsetl.batches import PARTITION_KEY
from newsetl.landing_zones import by_kind
from newsetl.silver import SilverStats, batch_size, clean_batch, pending_batches
from orchestration.resources import ProgressReporter, WarehouseStore

_ARTICLE_PREVIEW = ["source_file", "title", "language", "published_at", "source_name", "countries", "duplicate_of"]


class CleaningConfig(dg.Config):
    """By default only batches whose raw snapshots changed are cleaned; reprocess_all cleans every batch
    again, e.g. after upgrading the extractor or the gazetteer."""

    reprocess_all: bool = False


def _read(store, table: str, columns: list[str], partitions: list[str]) -> pa.Table:
    parts = [store.read_table(table, columns=columns, partition=p) for p in partitions]
    return pa.concat_tables(parts) if parts else schemas.TABLES[table].empty_table().select(columns)


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
)
def cleaned_snapshots(context: dg.AssetExecutionContext, config: CleaningConfig, warehouse: WarehouseStore, progress: ProgressReporter):
    store = warehouse.store()
    batches = pending_batches(store, config.reprocess_all)
    total = SilverStats()
    for key in batches:
        partition = f"{PARTITION_KEY}={key}"
        size = batch_size(store, partition)
        with progress.tracker(f"cleaning batch {key}", size) as advance:
            stats = clean_batch(store, partition, advance, size=size)
        context.log.info(f"batch {key}: {stats.articles} articles, {stats.rejected} rejected, {stats.duplicates} near-duplicates")
        for name in ("snapshots", "articles", "rejected", "duplicates"):
            setattr(total, name, getattr(total, name) + getattr(stats, name))
        total.languages.update(stats.languages)
        total.reasons.update(stats.reasons)

    # What this run wrote, not the whole history: the batches it cleaned, read partition by partition.
    partitions = [f"{PARTITION_KEY}={key}" for key in batches]
    articles = _read(store, "articles", _ARTICLE_PREVIEW, partitions[-1:])
    rejected = _read(store, "rejected_snapshots", ["source_file", "stage", "reason"], partitions)
    for source_file, reason in zip(rejected.column("source_file").to_pylist(), rejected.column("reason").to_pylist()):
        context.log.debug(f"rejected {source_file}: {reason}")
    batch_info = {"batches_cleaned": dg.MetadataValue.json(batches)}
    yield dg.MaterializeResult(
        asset_key="articles",
        metadata=table_metadata(
            articles.slice(articles.num_rows - min(articles.num_rows, 10)),
            store.table_path("articles"),
            _ARTICLE_PREVIEW,
            row_count=store.row_count("articles"),
            new_articles=total.articles,
            languages=dg.MetadataValue.json(dict(total.languages.most_common())),
            near_duplicates=total.duplicates,
            **batch_info,
        ),
    )
    yield dg.MaterializeResult(
        asset_key="rejected_snapshots",
        metadata=table_metadata(
            rejected,
            store.table_path("rejected_snapshots"),
            row_count=store.row_count("rejected_snapshots"),
            new_rejections=total.rejected,
            reasons=dg.MetadataValue.json(dict(total.reasons.most_common(20))),
            reasons_by_kind=dg.MetadataValue.json(by_kind(total.reasons.elements())),
            **batch_info,
        ),
    )
