"""Frozen copies of the warehouse's Parquet files for the catalog: what a catalog reader sees.

The catalog is rebuilt only at the end of a run whose checks passed. Its views read hard links of
the table files taken at that moment (`_snapshots/<id>/<table>/...`), so a later run that replaces
files, or is killed halfway, changes nothing a catalog reader sees until the next catalog is in
place. Hard links cost no space; the previous snapshot is kept for readers still running a query
on the previous catalog, older ones are deleted.
"""

import os
import shutil
import time
import uuid
from pathlib import Path

SNAPSHOT_DIR = "_snapshots"
KEEP = 2  # the current snapshot and the one before it


def freeze(root: Path, tables: list[str]) -> tuple[str, dict[str, Path]]:
    """(snapshot id, {table: its frozen folder}) for the tables that have files."""
    snapshot_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    base = root / SNAPSHOT_DIR / f".{snapshot_id}.partial"
    frozen: dict[str, Path] = {}
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
        frozen[table] = table
    final = root / SNAPSHOT_DIR / snapshot_id
    base.rename(final) if base.exists() else final.mkdir(parents=True, exist_ok=True)
    return snapshot_id, {table: final / table for table in frozen}


def prune(root: Path, keep: int = KEEP) -> int:
    """Delete all but the newest `keep` snapshots (and partial ones left by a killed run)."""
    folder = root / SNAPSHOT_DIR
    if not folder.is_dir():
        return 0
    partial = [p for p in folder.iterdir() if p.name.startswith(".")]
    complete = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    doomed = partial + complete[: max(0, len(complete) - keep)]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return len(doomed)
