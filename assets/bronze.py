"""Bronze: every raw snapshot of the landing zone, as it arrived."""

from datetime import datetime, timezone

import dagster as dg
import pyarrow as pa

from assets.metadata import table_metadata
from newsetl import schemas
from newsetl.landing import read_landing
from orchestration.resources import LandingZone, ProgressReporter, WarehouseStore


@dg.asset(
    group_name="bronze",
    kinds={"python", "parquet"},
    description=(
        "One row per raw snapshot in the landing zone (text, HTML, WARC and JSON Lines records), "
        "keyed by the sha256 of its bytes; identical bytes give one row. Keeps the bytes, so that "
        "articles can be rebuilt without the landing zone."
    ),
)
def raw_snapshots(
    context: dg.AssetExecutionContext, landing: LandingZone, warehouse: WarehouseStore, progress: ProgressReporter
) -> dg.MaterializeResult:
    ingested_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    snapshots, skipped = read_landing(landing.path())
    for path in skipped:
        context.log.warning(f"skipped {path.source_file}: {path.reason}")
    rows: list[dict] = []
    seen: dict[str, str] = {}
    repeats = 0
    for snapshot in snapshots:
        snapshot_id = snapshot.snapshot_id
        if snapshot_id in seen:
            repeats += 1
            context.log.info(f"{snapshot.source_file} repeats the bytes of {seen[snapshot_id]}: one row kept")
            continue
        seen[snapshot_id] = snapshot.source_file
        rows.append(
            {
                "snapshot_id": snapshot_id,
                "source_file": snapshot.source_file,
                "format": snapshot.format,
                "content_type": snapshot.content_type,
                "byte_size": len(snapshot.content),
                "ingested_at": ingested_at,
                "url": snapshot.url,
                "fetched_at": snapshot.fetched_at,
                "read_error": snapshot.error,
                "content": snapshot.content,
            }
        )
    table = pa.Table.from_pylist(rows, schema=schemas.RAW_SNAPSHOTS)
    store = warehouse.store()
    path = store.write_table("raw_snapshots", table)
    formats = table.group_by("format").aggregate([("snapshot_id", "count")]).to_pylist()
    return dg.MaterializeResult(
        metadata=table_metadata(
            table,
            path,
            ["source_file", "format", "byte_size", "snapshot_id"],
            landing=dg.MetadataValue.path(landing.path()),
            formats=dg.MetadataValue.json({f["format"]: f["snapshot_id_count"] for f in formats}),
            repeated_bytes=dg.MetadataValue.int(repeats),
            skipped_paths=dg.MetadataValue.md("\n".join(f"- `{s.source_file}`: {s.reason}" for s in skipped) or "none"),
        )
    )
