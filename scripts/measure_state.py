"""What one batch loads for duplicates, against a synthetic history: CPU time and peak RSS.

    python scripts/measure_state.py --warehouse /tmp/scale/wh --source /tmp/before-src   # a tree before bands.py
    python scripts/measure_state.py --warehouse /tmp/scale/wh --source .

The first call writes the history (BATCHES x ROWS raw snapshots and original articles with random
signatures, and their band rows). A source tree with newsetl/bands.py is measured as it runs now
(ten chunk lookups of 1,000 snapshot ids; one band join for 10,000 signatures); one without it as it
ran before (every snapshot id into a dict, every original into an in-memory LSH index).
Run each source in its own process: the peak RSS is the process's.
"""

import argparse
import hashlib
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

BATCHES, ROWS = 20, 10_000
NEW = "ingest_batch=new"


def write_history(root: str) -> None:
    import numpy as np
    import pyarrow as pa

    from newsetl import bands, schemas
    from newsetl.dedupe import NUM_PERM, Signature, to_bytes
    from newsetl.storage import Warehouse

    store, rng = Warehouse(root), np.random.default_rng(1)
    for b in range(BATCHES):
        part, when, n = f"ingest_batch=b{b:03d}", datetime(2026, 1, 1, b), ROWS
        files = [f"f{b}/{i}.txt" for i in range(n)]
        raw = {
            "snapshot_id": [hashlib.sha256(f"{b}-{i}".encode()).hexdigest() for i in range(n)],
            "source_file": files,
            "ingested_at": [when] * n,
        }
        store.write_table(
            "raw_snapshots",
            pa.table(
                {f.name: raw.get(f.name, pa.nulls(n, f.type)) for f in schemas.RAW_SNAPSHOTS},
                schema=schemas.RAW_SNAPSHOTS,
            ),
            partition=part,
        )
        sigs = [Signature(rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)) for _ in range(n)]
        ids = [f"a{b}-{i}" for i in range(n)]
        arts = {
            "article_id": ids,
            "source_file": files,
            "ingested_at": [when] * n,
            "minhash": [to_bytes(s) for s in sigs],
        }
        table = pa.table(
            {f.name: arts.get(f.name, pa.nulls(n, f.type)) for f in schemas.ARTICLES}, schema=schemas.ARTICLES
        )
        store.write_table("articles", table, partition=part)
        bands.write_bands(store, part, bands.band_rows(table, dict(zip(ids, sigs, strict=True))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--source", required=True, type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.source.resolve()))
    from newsetl.storage import Warehouse

    if not os.path.exists(args.warehouse):
        write_history(args.warehouse)
    store = Warehouse(args.warehouse)
    start = time.process_time()
    if (args.source / "newsetl" / "bands.py").exists():
        import numpy as np

        from newsetl import bands
        from newsetl.bronze import KnownSnapshots
        from newsetl.dedupe import NUM_PERM, Signature

        rng = np.random.default_rng(2)
        sigs = [Signature(rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)) for _ in range(ROWS)]
        ids = [hashlib.sha256(f"new-{i}".encode()).hexdigest() for i in range(1000)]
        start = time.process_time()
        known = KnownSnapshots(store, NEW)
        for _ in range(ROWS // 1000):
            known.lookup(ids)
        middle = time.process_time()
        finder = bands.earlier_originals(store, NEW, sigs)
        what = (
            f"exact: {ROWS // 1000} chunk joins; near: band join of {ROWS} signatures, {len(finder)} originals loaded"
        )
    else:
        from newsetl.bronze import known_snapshots
        from newsetl.silver import earlier_originals

        seen = known_snapshots(store, NEW)
        middle = time.process_time()
        finder = earlier_originals(store, NEW)
        what = f"exact: {len(seen)} ids in a dict; near: an index of every original"
    end = time.process_time()
    print(f"history {BATCHES * ROWS} snapshots and originals; {what}")
    print(
        f"CPU exact {middle - start:.2f} s, near {end - middle:.2f} s; peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
