"""Whether a warehouse is settled: what lets `newsetl run` answer "nothing new" without starting Dagster.

A warehouse is settled when a `newsetl run` left every registered batch done and the catalog built, by
the code now installed, and nothing has written the warehouse since. The run that gets there writes
`<warehouse>/_state/settled.json` with the code versions of the batch assets, the catalog's version (its
views and the declared tables) and the landing zone; every table write, partition delete and batch
registration removes the file first (`Warehouse.table_writer`, `Warehouse.delete_partition`,
`newsetl.batches.write_manifest`), so a sensor's new batch, a failed run from the UI or a
`newsetl drop-batch` all send the next `newsetl run` down the full path again. A marker left by an older
newsetl, or by another landing zone's run, does not match and is ignored.

The state is one small file, whatever the history: reading it costs one open. The marker also keeps
when the run that wrote it began listing the landing zone (less a margin for coarse file timestamps and
clock skew): a folder whose mtime and ctime are both older holds only files that run looked at, so the
nothing-new check opens every folder but looks only at the files of those changed since
(`newsetl.landing.discover(changed_since_ns=...)`). A file rewritten in place inside an old folder
changes only the file; that check misses it, and `newsetl run --full-listing` finds it.
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
    # Folders unchanged since (ns since the epoch) hold only files that run looked at; None: unknown.
    listed_since_ns: int | None = None


# Linux stamps files from a clock a tick behind time.time_ns(), and a network share or an object store
# stamps them with its own clock: a folder changed in the minute before a run counts as changed.
LISTING_MARGIN_NS = 60 * 1_000_000_000


def listing_bound(started_ns: int) -> int:
    """The `listed_since_ns` of a run that began listing at `started_ns`."""
    return started_ns - LISTING_MARGIN_NS


def catalog_version(sql_dir: Path = config.SQL_DIR) -> str:
    """A digest of what the catalog is built from besides the data: the views in sql/views and the
    declared tables' columns and types."""
    digest = hashlib.sha256()
    for path in sorted((sql_dir / "views").glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name, schema in sorted(schemas.TABLES.items()):
        digest.update(f"{name}:{schema}\n".encode())
    return digest.hexdigest()[:12]


def current(landing: str, reports_drawn: bool = False, listed_since_ns: int | None = None) -> Settled:
    """What a settled marker written now, by this code, for this landing zone, says."""
    versions = {
        "bronze": code_versions.BRONZE,
        "silver": code_versions.silver(),
        "facts": code_versions.facts(),
    }
    return Settled(landing, versions, catalog_version(), reports_drawn, listed_since_ns)


def mark(warehouse: Warehouse, landing: str, reports_drawn: bool = False, listed_since_ns: int | None = None) -> None:
    """Record that the warehouse is settled for `landing` (the caller has checked nothing is pending);
    `listed_since_ns` as `listing_bound` gives it for the run that settled it."""
    body = json.dumps(asdict(current(landing, reports_drawn, listed_since_ns)), sort_keys=True).encode()
    warehouse.write_state(SETTLED_STATE, body)


def note_reports_drawn(warehouse: Warehouse) -> None:
    """The reports were drawn from the settled warehouse: a later nothing-new run need not draw them again."""
    marker = read(warehouse)
    if marker is not None and not marker.reports_drawn:
        mark(warehouse, marker.landing, reports_drawn=True, listed_since_ns=marker.listed_since_ns)


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
    now = current(landing, marker.reports_drawn, marker.listed_since_ns)
    return marker == now and (marker.reports_drawn or not reports_wanted)
