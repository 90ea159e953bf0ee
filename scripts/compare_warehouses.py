"""Run the pipeline of a source tree on every eval set and compare the warehouses row by row.

    python scripts/compare_warehouses.py dump --source /tmp/before-src --out /tmp/cmp/before
    python scripts/compare_warehouses.py dump --source . --out /tmp/cmp/after
    python scripts/compare_warehouses.py compare /tmp/cmp/before /tmp/cmp/after

`dump` builds, for each eval set (/work/shared/eval/<set>/raw by default), two warehouses with
`python -m orchestration.cli run --landing L --warehouse W --no-reports` run from the source tree:

- `single`: the whole set in one run (one ingest batch);
- `batches`: the set's files dealt into three batches, one run each (a file's .html.gz and .txt
  versions land in different batches, so near-duplicates are found across batches), the third
  batch also holding byte-identical copies of two files of the first (exact duplicates across
  batches).

Every Parquet table of each warehouse is written out as JSON lines, one per row, sorted, without
what depends on the run rather than the data: the run's timestamps (ingested_at), the ingest batch
keys (they hash the landing files' mtime, ctime and inode) and the landing files' stat fields.
`compare` reports, per set, scenario and table, whether the rows are equal, and the tables that
only one side has.
"""

import argparse
import base64
import datetime
import decimal
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

EVAL = Path("/work/shared/eval")
SETS = ["seeds", "body_en", "countries_en", "countries_ru", "multi", "vi", "wide"]
# Columns whose values come from the run (clock, landing files' stat), not from the data.
RUN_COLUMNS = {"ingested_at", "ingest_batch", "mtime_ns", "ctime_ns", "inode"}
BATCHES = 3
# Freezes (newsetl/freezes.py: FROZEN_DIR, LEGACY_FROZEN_DIR) are hard-linked copies of the tables, as
# many as catalogs built in the last hour: not tables of their own.
FREEZE_FOLDERS = {"_frozen", "_snapshots"}


def _plain(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump_warehouse(warehouse: Path, out: Path) -> None:
    """One sorted JSON-lines file per table folder of the warehouse."""
    out.mkdir(parents=True, exist_ok=True)
    for table in sorted(p for p in warehouse.iterdir() if p.is_dir() and p.name not in FREEZE_FOLDERS):
        files = sorted(table.rglob("*.parquet"))
        if not files:
            continue
        rows = []
        for path in files:
            data = pq.read_table(path, partitioning=None)
            for row in data.to_pylist():
                rows.append(
                    json.dumps(
                        {k: _plain(v) for k, v in row.items() if k not in RUN_COLUMNS},
                        sort_keys=True,
                        ensure_ascii=False,
                    )
                )
        rows.sort()
        (out / f"{table.name}.jsonl").write_text("".join(r + "\n" for r in rows), encoding="utf-8")


def _run(source: Path, landing: Path, warehouse: Path, home: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "run",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--no-reports",
    ]
    done = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def _batches(raw: Path) -> list[list[Path]]:
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    dealt = [files[i::BATCHES] for i in range(BATCHES)]
    return [batch for batch in dealt if batch]


def dump(source: Path, out: Path, sets: list[str], eval_root: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="newsetl-compare-") as scratch:
        scratch_path = Path(scratch)
        home = scratch_path / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        for name in sets:
            raw = eval_root / name / "raw"
            # One run over the whole set.
            warehouse = scratch_path / name / "single" / "warehouse"
            _run(source, raw, warehouse, home)
            dump_warehouse(warehouse, out / name / "single")
            # Three runs, one batch each, into a landing zone that grows.
            landing = scratch_path / name / "batches" / "landing"
            warehouse = scratch_path / name / "batches" / "warehouse"
            batches = _batches(raw)
            for index, batch in enumerate(batches):
                for path in batch:
                    target = landing / path.relative_to(raw)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                if index == len(batches) - 1 and index > 0:
                    for path in batches[0][:2]:
                        shutil.copy2(path, landing / f"copy-{path.name}")
                _run(source, landing, warehouse, home)
            dump_warehouse(warehouse, out / name / "batches")
            print(f"{name}: dumped", file=sys.stderr)


def compare(before: Path, after: Path) -> int:
    differences = 0
    for scenario in sorted(p.relative_to(before) for p in before.glob("*/*") if p.is_dir()):
        left, right = before / scenario, after / scenario
        tables = sorted({p.name for p in left.glob("*.jsonl")} | {p.name for p in right.glob("*.jsonl")})
        for table in tables:
            a, b = left / table, right / table
            if not a.exists() or not b.exists():
                print(
                    f"{scenario} {table[:-6]}: only {'after' if b.exists() else 'before'} "
                    f"({len((b if b.exists() else a).read_text().splitlines())} rows)"
                )
                continue
            rows_a, rows_b = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
            if rows_a == rows_b:
                print(f"{scenario} {table[:-6]}: equal ({len(rows_a)} rows)")
            else:
                differences += 1
                missing, extra = set(rows_a) - set(rows_b), set(rows_b) - set(rows_a)
                print(
                    f"{scenario} {table[:-6]}: DIFFERENT ({len(rows_a)} rows before, {len(rows_b)} after; "
                    f"{len(missing)} only before, {len(extra)} only after)"
                )
    print(f"{differences} table(s) differ")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("--source", type=Path, required=True, help="the source tree whose pipeline runs")
    dumping.add_argument("--out", type=Path, required=True)
    dumping.add_argument("--eval", type=Path, default=EVAL)
    dumping.add_argument("--sets", nargs="*", default=SETS)
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.source.resolve(), args.out.resolve(), args.sets, args.eval)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
