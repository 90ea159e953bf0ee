"""Which landing zones a warehouse belongs to, and what a run found in them and did not read.

A warehouse remembers the landing zone(s) it was filled from (`landing_zones`). A run on another one
(the bundled samples, a typo, a mount path that moved) is refused until the caller says it means it
(`newsetl run --add-landing`, or `add_landing: true` in the raw_snapshots config), so the samples
never slip into a real warehouse unnoticed.

`skipped_landing_entries` holds the entries of each landing zone that the last run skipped, with the
reason, when it was first and last seen, and the batch of the run that first skipped it.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from newsetl import fs, schemas
from newsetl.landing import SkippedPath
from newsetl.storage import Warehouse

LANDING_ZONES = "landing_zones"
SKIPPED_LANDING_ENTRIES = "skipped_landing_entries"
ADD_LANDING_FLAG = "--add-landing"


class LandingZoneMismatch(RuntimeError):
    """The warehouse was filled from other landing zones than the one this run reads."""


def normalize(landing: str | Path) -> str:
    """The landing root as it is recorded: a resolved local folder, or the URL without a trailing slash."""
    text = str(landing)
    if fs.is_url(text):
        return text.rstrip("/")
    return str(Path(text).expanduser().resolve())


def recorded(warehouse: Warehouse) -> list[str]:
    """The landing zones recorded in the warehouse, oldest first."""
    if not warehouse.exists(LANDING_ZONES):
        return []
    table = warehouse.read_table(LANDING_ZONES).sort_by([("first_run_at", "ascending"), ("path", "ascending")])
    return table.column("path").to_pylist()


def _describe(landing: str) -> str:
    from newsetl.config import SAMPLES_LANDING

    return (
        f"{landing} (the bundled samples: NEWSETL_LANDING is unset)"
        if landing == normalize(SAMPLES_LANDING)
        else landing
    )


def check(warehouse: Warehouse, landing: str | Path, add_landing: bool = False) -> None:
    """Raise LandingZoneMismatch, in one line naming both, when the warehouse belongs to other landing zones.

    A new warehouse, or one written before landing zones were recorded, takes the landing zone of its run.
    """
    path = normalize(landing)
    zones = recorded(warehouse)
    if not zones or path in zones or add_landing:
        return
    owners = zones[0] if len(zones) == 1 else ", ".join(zones)
    raise LandingZoneMismatch(
        f"the warehouse {warehouse.root} belongs to the landing zone{'s' if len(zones) > 1 else ''} {owners}, "
        f"not {_describe(path)}; to ingest this one into it too, run again with {ADD_LANDING_FLAG}"
    )


def record_run(warehouse: Warehouse, landing: str | Path, run_at: datetime) -> pa.Table:
    """Note that a run read `landing` at `run_at` (first run kept, last run updated); returns the table."""
    path = normalize(landing)
    rows = warehouse.read_table(LANDING_ZONES).to_pylist() if warehouse.exists(LANDING_ZONES) else []
    for row in rows:
        if row["path"] == path:
            row["last_run_at"] = run_at
            break
    else:
        rows.append({"path": path, "first_run_at": run_at, "last_run_at": run_at})
    table = pa.Table.from_pylist(rows, schema=schemas.LANDING_ZONES)
    warehouse.write_table(LANDING_ZONES, table)
    return table


def record_skipped(
    warehouse: Warehouse,
    landing: str | Path,
    skipped: Iterable[SkippedPath],
    seen_at: datetime,
    ingest_batch: str | None,
) -> pa.Table:
    """Replace this landing zone's skipped entries with those of this run, keeping when each was first
    seen and by which batch; the other landing zones' entries stay. Returns this landing zone's rows."""
    path = normalize(landing)
    before = (
        warehouse.read_table(SKIPPED_LANDING_ENTRIES).to_pylist() if warehouse.exists(SKIPPED_LANDING_ENTRIES) else []
    )
    earlier = {row["path"]: row for row in before if row["landing"] == path}
    others = [row for row in before if row["landing"] != path]
    rows = []
    for entry in skipped:
        first = earlier.get(entry.source_file)
        rows.append(
            {
                "landing": path,
                "path": entry.source_file,
                "reason": entry.reason,
                "first_seen_at": first["first_seen_at"] if first else seen_at,
                "seen_at": seen_at,
                "ingest_batch": first["ingest_batch"] if first else ingest_batch,
            }
        )
    # Written even when empty: every table of the warehouse is a folder of Parquet files.
    warehouse.write_table(
        SKIPPED_LANDING_ENTRIES, pa.Table.from_pylist(others + rows, schema=schemas.SKIPPED_LANDING_ENTRIES)
    )
    return pa.Table.from_pylist(rows, schema=schemas.SKIPPED_LANDING_ENTRIES)


def reason_kind(reason: str) -> str:
    """A skip or rejection reason without what names one entry or file, so that they can be counted per reason."""
    if reason.startswith("symlink to ") and reason.endswith("outside the landing zone"):
        return "symlink outside the landing zone"
    return reason.split(":", 1)[0]


def by_kind(reasons: Iterable[str]) -> dict[str, int]:
    """{reason kind: count}, commonest first, ties by name."""
    counts = Counter(reason_kind(reason) for reason in reasons)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
