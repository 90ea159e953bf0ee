"""Listing the landing zone: a full listing against one bounded by a watermark (newsetl.landing.discover).

The landing zone is N small files in folders of FILES_PER_FOLDER (as a crawler writing one folder per
hour would leave them), then one new folder written after the bound, as the sensor sees it on a tick.
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsetl.landing import discover

FILES_PER_FOLDER = 1000
NEW_FILES = 10


def _changed_at(path: Path) -> int:
    stat = path.stat()
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


def write_landing(root: Path, files: int) -> int:
    """`files` old files, then a bound, then NEW_FILES new ones in a new folder; returns the bound."""
    for number in range(files):
        folder = root / f"{number // FILES_PER_FOLDER:05d}"
        if number % FILES_PER_FOLDER == 0:
            folder.mkdir(parents=True)
        (folder / f"{number:07d}.txt").write_bytes(b"x")
    newest = max((_changed_at(folder) for folder in root.iterdir()), default=0)
    probe = root.parent / "probe"
    while True:  # the file clock is coarse: wait until what is written next is after the bound
        probe.write_bytes(b"")
        if _changed_at(probe) > newest:
            probe.unlink()
            break
    new = root / "new"
    new.mkdir()
    for number in range(NEW_FILES):
        (new / f"{number}.txt").write_bytes(b"x")
    return newest + 1


def _best_of(repeats: int, listing: Callable[[], int]) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        found = listing()
        best = min(best, time.perf_counter() - started)
    return best, found


def listing_bench(files: int, repeats: int = 3, keep: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-listing-", dir=keep) as scratch:
        root = Path(scratch) / "landing"
        root.mkdir()
        bound = write_landing(root, files)
        full, listed = _best_of(repeats, lambda: len(discover(root)[0]))
        bounded, new = _best_of(repeats, lambda: len(discover(root, changed_since_ns=bound)[0]))
    return {
        "landing_files": listed,
        "new_files": new,
        "full_listing_s": round(full, 4),
        "bounded_listing_s": round(bounded, 4),
        "folders": -(-files // FILES_PER_FOLDER) + 1,
        "cpus": os.cpu_count(),
    }


def format_listing(report: dict) -> str:
    return (
        f"landing listing, {report['landing_files']} files in {report['folders']} folders "
        f"({report['new_files']} new, best of 3):\n"
        f"  full listing:    {report['full_listing_s']:.4f} s\n"
        f"  bounded listing: {report['bounded_listing_s']:.4f} s (folders unchanged since the watermark: files not "
        "looked at)"
    )
