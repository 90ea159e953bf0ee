"""The process that runs `newsetl query` SQL cannot write: Landlock (newsetl/sandbox.py) stops every
write the parser would have let through, even with the parser out of the way.

Each attempt runs in a child process (Landlock cannot be undone, and this test process has more to
do); the child seals itself exactly as `orchestration/sealed_query.py` does, then runs the SQL
straight on the connection, with no statement check."""

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsetl import config, sandbox
from newsetl.storage import Warehouse
from orchestration.cli import main
from tests.reliability.query_warehouse import build_source_warehouse

pytestmark = pytest.mark.skipif(sandbox.abi() < 3, reason="needs Linux Landlock ABI 3 or later")

# Runs in the child: argv = warehouse, spill folder, "sealed"|"open", "executor"|"bare", then SQL
# statements and `python:` lines; prints one JSON list with "ok" or the error for each.
_CHILD = textwrap.dedent(
    """
    import json, os, sys
    import duckdb
    from newsetl.catalog import connect_catalog
    from newsetl.query import open_read_only, seal_this_process
    from newsetl.storage import Warehouse

    root, spill, seal, connection_kind, *attempts = sys.argv[1:]
    warehouse = Warehouse(root)
    if seal == "sealed":
        seal_this_process(warehouse, spill)
    if connection_kind == "executor":  # the connection `newsetl query` uses
        connection = open_read_only(warehouse, spill)
    else:  # a read-only catalog connection with none of DuckDB's own confinement: Landlock alone
        connection = connect_catalog(warehouse)
    outcomes = []
    for attempt in attempts:
        try:
            if attempt.startswith("python:"):
                exec(attempt[len("python:"):])
            else:
                connection.execute(attempt).fetchall()
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(outcomes))
    """
)


def _attempt(
    warehouse: Warehouse, spill: Path, attempts: list[str], seal: bool = True, connection: str = "bare"
) -> list[str]:
    spill.mkdir(exist_ok=True)
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, warehouse.root, str(spill), "sealed" if seal else "open", connection, *attempts],
        capture_output=True, text=True, timeout=120, cwd=config.PROJECT_ROOT,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.splitlines()[-1])


def _fingerprint(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return build_source_warehouse(tmp_path)


def _writes(root: Path, outside: Path) -> dict[str, str]:
    part = next(root.glob("dim_source/**/*.parquet"))
    frozen = next(root.glob("_frozen/*/dim_source/**/*.parquet"))
    return {
        "copy to a new file in the warehouse": f"COPY (SELECT 1 AS x) TO '{root}/new.csv'",
        "copy over a live part file": f"COPY (SELECT 9 AS x) TO '{part}' (FORMAT parquet)",
        "copy over the frozen file the catalog reads": f"COPY (SELECT 9 AS x) TO '{frozen}' (FORMAT parquet)",
        "explain analyze copy over a part file": f"EXPLAIN ANALYZE COPY (SELECT 9 AS x) TO '{part}' (FORMAT parquet)",
        "copy overwriting a table folder (deletes its files)": (
            f"COPY (SELECT 1 AS x) TO '{part.parent}' (FORMAT parquet, OVERWRITE)"
        ),
        "copy to a file under /tmp": f"COPY (SELECT 1 AS x) TO '{outside}'",
        "attach a new database": f"ATTACH '{root}/other.duckdb' AS other",
        "delete a part file": f"python:os.remove({str(part)!r})",
        "truncate a part file": f"python:os.truncate({str(part)!r}, 0)",
        "rename the catalog away": (
            f"python:os.rename({str(root / 'warehouse.duckdb')!r}, {str(root / 'gone.duckdb')!r})"
        ),
        "make a folder": f"python:os.mkdir({str(root / 'made')!r})",
    }


def test_a_sealed_query_process_cannot_write_even_past_the_parser(warehouse: Warehouse, tmp_path: Path) -> None:
    root = Path(warehouse.root)
    outside = tmp_path / "outside" / "leak.csv"
    outside.parent.mkdir()
    writes = _writes(root, outside)
    before = _fingerprint(root)
    for connection in ("bare", "executor"):
        outcomes = dict(
            zip(
                writes,
                _attempt(warehouse, tmp_path / "spill", list(writes.values()), connection=connection),
                strict=True,
            )
        )
        assert all(outcome != "ok" for outcome in outcomes.values()), (connection, outcomes)
    # Landlock's refusal is the kernel's EACCES, whatever DuckDB or Python makes of it.
    assert "Permission denied" in outcomes["delete a part file"]
    assert _fingerprint(root) == before
    assert not outside.exists()


def test_without_the_seal_the_same_writes_go_through(warehouse: Warehouse, tmp_path: Path) -> None:
    """What the test above would see if the sandbox did nothing: it can fail."""
    root = Path(warehouse.root)
    outside = tmp_path / "outside" / "leak.csv"
    outside.parent.mkdir()
    writes = _writes(root, outside)
    chosen = [
        writes["copy to a file under /tmp"],
        writes["copy to a new file in the warehouse"],
        writes["make a folder"],
    ]
    assert _attempt(warehouse, tmp_path / "spill", chosen, seal=False) == ["ok", "ok", "ok"]
    assert outside.exists() and (root / "new.csv").exists() and (root / "made").is_dir()


def test_a_sealed_process_reads_the_catalog_and_writes_its_spill_folder(warehouse: Warehouse, tmp_path: Path) -> None:
    spill = tmp_path / "spill"
    part = next(Path(warehouse.root).glob("dim_source/**/*.parquet"))
    reads = [
        "SELECT source_name FROM dim_source",
        "SELECT count(*) FROM dim_source",
        f"SELECT * FROM read_parquet('{part}')",
    ]
    assert _attempt(warehouse, spill, [*reads, f"COPY (SELECT 1 AS x) TO '{spill}/allowed.csv'"]) == ["ok"] * 4
    assert (spill / "allowed.csv").read_text().splitlines() == ["x", "1"]


# A sort larger than the memory limit: DuckDB must spill it to its temporary directory.
_SPILLING = [
    "SET enable_progress_bar = false",
    "SET memory_limit = '32MB'",
    "SET preserve_insertion_order = false",
    "SELECT max(s) FROM (SELECT i, hash(i) AS s FROM range(3000000) t(i) ORDER BY s)",
]


def test_a_query_larger_than_memory_spills_to_the_private_folder_only(warehouse: Warehouse, tmp_path: Path) -> None:
    spill = tmp_path / "spill"
    assert _attempt(warehouse, spill, [f"SET temp_directory = '{spill}'", *_SPILLING]) == ["ok"] * 5
    # The same query spilling beside the catalog (DuckDB's default place) fails in the sandbox.
    beside = f"{warehouse.root}/warehouse.duckdb.tmp"
    outcomes = _attempt(warehouse, spill, [f"SET temp_directory = '{beside}'", *_SPILLING])
    assert outcomes[:4] == ["ok"] * 4 and "Permission denied" in outcomes[4], outcomes
    assert not Path(beside).exists()


def test_newsetl_query_answers_from_the_sealed_child(warehouse: Warehouse, capsys: pytest.CaptureFixture) -> None:
    assert (
        main(
            ["query", "--warehouse", warehouse.root, "--format", "csv", "SELECT source_name FROM dim_source ORDER BY 1"]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["source_name", "(unknown)", "Sputnik"]
    assert "Landlock" not in captured.err


def test_without_landlock_newsetl_query_warns_and_answers_in_process(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(sandbox, "abi", lambda: 0)
    assert (
        main(["query", "--warehouse", warehouse.root, "--format", "csv", "SELECT count(*) AS n FROM dim_source"]) == 0
    )
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["n", "2"]
    assert "no Linux Landlock" in captured.err and captured.err.strip().count("\n") == 0


def test_a_child_that_outlives_its_time_is_killed() -> None:
    assert sandbox.run_child([sys.executable, "-c", "import time; time.sleep(120)"], b"", kill_after=0.5) is None
    assert (
        sandbox.run_child([sys.executable, "-c", "import sys; sys.exit(len(sys.stdin.read()))"], b"abc", kill_after=60)
        == 3
    )


def test_a_child_that_cannot_seal_itself_runs_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.sealed_query", str(tmp_path / "no such folder"), warehouse.root,
         "--format", "csv"],
        input=b"SELECT 42 AS answer", capture_output=True, timeout=120, cwd=config.PROJECT_ROOT,
    )  # fmt: skip
    assert completed.returncode == 2 and completed.stdout == b""
    assert b"could not seal the query process, nothing ran" in completed.stderr
