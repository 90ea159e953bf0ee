"""One writer per warehouse: a second run on the same warehouse stops at once instead of racing the first.

Two runs writing one warehouse (cron plus the sensor, two shells) rename each other's temporary files
away and each rebuild the gold tables over a half-written silver. An advisory `flock` on a file in the
warehouse folder is released by the kernel when its holder exits, killed or not, so a crashed run
never leaves a stale lock behind.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".newsetl-writer.lock"


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's writer lock."""


@contextmanager
def exclusive_writer(warehouse_folder: str | Path) -> Iterator[None]:
    """Hold the writer lock of a local warehouse folder for the duration of the block."""
    folder = Path(warehouse_folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise WarehouseBusy(
                f"another run is writing this warehouse ({folder}, process {holder}); try again when it ends"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the flock


def inside(inner: str | Path, outer: str | Path) -> bool:
    """Whether folder `inner` is `outer` or lies below it (both resolved, links followed)."""
    inner_path, outer_path = Path(inner).resolve(), Path(outer).resolve()
    return inner_path == outer_path or outer_path in inner_path.parents
