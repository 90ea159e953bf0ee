"""Whether a warehouse is settled: what lets `newsetl run` answer "nothing new" without starting Dagster.

A warehouse is settled when a `newsetl run` left every registered batch done and the catalog built, by
the code now installed, and nothing has written the warehouse since. The run that gets there writes
`<warehouse>/_state/settled.json` with the code versions of the batch assets, the catalog's version (its
views and the declared tables) and the landing zone; every table write, partition delete and batch
registration removes the file first (`Warehouse.table_writer`, `Warehouse.delete_partition`,
`newsetl.batches.write_manifest`), so a sensor's new batch, a failed run from the UI or a
`newsetl drop-batch` all send the next `newsetl run` down the full path again. A marker left by an older
newsetl, or by another landing zone's run, does not match and is ignored.

The state is one small file, whatever the history: reading it costs one open. Whether the landing zone
holds anything new is the landing cursor's to say (newsetl.landing_cursor.has_new: only the folders
changed since its watermark are looked into; `newsetl run --full-listing` looks into every one).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from newsetl import code_versions, config, schemas
from newsetl.storage import SETTLED_STATE, Warehouse


@dataclass(frozen=True)
class Settled:
    landing: str
    code_versions: dict[str, str]
    catalog_version: str
    reports_drawn: bool = False


def catalog_version(sql_dir: Path = config.SQL_DIR) -> str:
    """A digest of what the catalog is built from besides the data: the views in sql/views and the
    declared tables' columns and types."""
    digest = hashlib.sha256()
    for path in sorted((sql_dir / "views").glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name, schema in sorted(schemas.TABLES.items()):
        digest.update(f"{name}:{schema}\n".encode())
    return digest.hexdigest()[:12]


def current(landing: str, reports_drawn: bool = False) -> Settled:
    """What a settled marker written now, by this code, for this landing zone, says."""
    versions = {
        "bronze": code_versions.BRONZE,
        "silver": code_versions.silver(),
        "facts": code_versions.facts(),
    }
    return Settled(landing, versions, catalog_version(), reports_drawn)


def mark(warehouse: Warehouse, landing: str, reports_drawn: bool = False) -> None:
    """Record that the warehouse is settled for `landing` (the caller has checked nothing is pending)."""
    body = json.dumps(asdict(current(landing, reports_drawn)), sort_keys=True).encode()
    warehouse.write_state(SETTLED_STATE, body)


def note_reports_drawn(warehouse: Warehouse) -> None:
    """The reports were drawn from the settled warehouse: a later nothing-new run need not draw them again."""
    marker = read(warehouse)
    if marker is not None and not marker.reports_drawn:
        mark(warehouse, marker.landing, reports_drawn=True)


def read(warehouse: Warehouse) -> Settled | None:
    body = warehouse.read_state(SETTLED_STATE)
    if body is None:
        return None
    try:
        return Settled(**json.loads(body))
    except (ValueError, TypeError):
        return None  # a marker of another form: not settled


def is_settled(warehouse: Warehouse, landing: str, reports_wanted: bool) -> bool:
    """The warehouse is settled for `landing` by this code (and its reports drawn, if they are wanted)."""
    marker = read(warehouse)
    if marker is None:
        return False
    now = current(landing, marker.reports_drawn)
    return marker == now and (marker.reports_drawn or not reports_wanted)
