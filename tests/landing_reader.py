"""Reading a whole landing folder at once, for tests that want every snapshot of a small tree.

The pipeline reads file by file (`discover` then `read_file` per partition); this is the same walk in one call.
"""

from collections.abc import Iterator
from pathlib import Path

from newsetl import fs
from newsetl.landing import RawSnapshot, SkippedPath, discover, read_file


def read_landing(
    root: str | Path, s3: fs.S3Options = fs.S3Options()
) -> tuple[Iterator[RawSnapshot], list[SkippedPath]]:
    files, skipped = discover(root, s3=s3)

    def snapshots() -> Iterator[RawSnapshot]:
        for file in files:
            yield from read_file(file)

    return snapshots(), skipped
