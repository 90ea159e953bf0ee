"""Freezes: hard-linked copies of the warehouse's Parquet files that the catalog's views read.

The catalog is rebuilt only at the end of a run whose checks passed. Its views read hard links of
the table files taken at that moment (`_frozen/<freeze id>/<table>/...`), so a later run that
replaces files, or is killed halfway, changes nothing a catalog reader sees until the next catalog
is in place. Hard links cost no space until the live files are replaced; a replaced freeze is kept
for `max_age` seconds (`prune`; Settings.frozen_max_age, an hour by default), for readers still holding a
connection to an older catalog.

("Snapshot" in newsetl means one crawl capture, a row of raw_snapshots; these are freezes.)
"""

import os
import shutil
import time
import uuid
from pathlib import Path

FROZEN_DIR = "_frozen"
# Where warehouses written before the rename kept their freezes; `prune` empties it once the
# catalogs that read it have been replaced for longer than the grace period.
LEGACY_FROZEN_DIR = "_snapshots"


def freeze(root: Path, tables: list[str]) -> tuple[str, dict[str, Path]]:
    """(freeze id, {table: its frozen folder}) for the tables that have files."""
    freeze_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    base = root / FROZEN_DIR / f".{freeze_id}.partial"
    frozen: list[str] = []
    for table in tables:
        source = root / table
        files = sorted(p for p in source.rglob("*.parquet") if p.is_file()) if source.is_dir() else []
        if not files:
            continue
        for file in files:
            target = base / table / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(file, target)
            except OSError:
                shutil.copy2(file, target)  # a file system without hard links still gets a frozen copy
        frozen.append(table)
    final = root / FROZEN_DIR / freeze_id
    base.rename(final) if base.exists() else final.mkdir(parents=True, exist_ok=True)
    return freeze_id, {table: final / table for table in frozen}


def prune(root: Path, max_age: float, current: str | None = None, now: float | None = None) -> int:
    """Delete the freezes replaced more than `max_age` seconds ago (and partial ones left by a killed
    run); `current`, the one the catalog now reads, and the newest are always kept. A reader that holds
    a connection to the catalog open (a BI tool, a long query) needs the files of the catalog it opened.

    A freeze is replaced when the catalog of the next one goes into place (`mark_current` stamps that
    moment on the next one's folder), so a reader that opened a catalog keeps reading its freeze for
    at least `max_age` seconds after a newer catalog took its place, however many runs come in between.
    Freezes in the legacy folder were all replaced by the oldest freeze in the current one."""
    folder = root / FROZEN_DIR
    if not folder.is_dir():
        return 0
    now = time.time() if now is None else now
    partial = [p for p in folder.iterdir() if p.name.startswith(".")]
    # Frozen in this order; the names' second-resolution stamps alone would tie within a second.
    complete = sorted(
        (p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: (p.stat().st_mtime_ns, p.name)
    )
    replaced = [
        older for older, newer in zip(complete, complete[1:], strict=False) if now - newer.stat().st_mtime > max_age
    ]
    doomed = partial + [p for p in replaced if p.name != current]
    legacy = root / LEGACY_FROZEN_DIR
    if legacy.is_dir() and complete and now - complete[0].stat().st_mtime > max_age:
        doomed.append(legacy)
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return len(doomed)


def mark_current(root: Path, freeze_id: str) -> None:
    """Stamp the moment a catalog reading this freeze went into place: the end of the previous one's
    life as the current freeze, from which `prune` counts its age."""
    os.utime(root / FROZEN_DIR / freeze_id)


def discard(root: Path, freeze_id: str) -> None:
    """Delete a freeze no catalog reads (its catalog build failed)."""
    shutil.rmtree(root / FROZEN_DIR / freeze_id, ignore_errors=True)
