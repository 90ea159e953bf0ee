"""Two writers never race on one warehouse, and a warehouse never ingests itself."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsetl import config
from newsetl.writer_lock import WarehouseBusy, exclusive_writer, inside
from orchestration.cli import main


def test_a_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from newsetl.writer_lock import exclusive_writer
            with exclusive_writer({str(tmp_path)!r}):
                print("held", flush=True)
                sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match="another run is writing this warehouse"):
            with exclusive_writer(tmp_path):
                pass
    finally:
        holder.communicate("\n", timeout=30)
    with exclusive_writer(tmp_path):  # released when its holder ended
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from newsetl.writer_lock import exclusive_writer\nwith exclusive_writer({str(tmp_path)!r}):\n "
            "print('held', flush=True)\n import time; time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=30)
    with exclusive_writer(tmp_path):
        pass


def test_newsetl_run_exits_with_a_message_when_another_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    warehouse = tmp_path / "wh"
    with exclusive_writer(warehouse):
        # flock locks are per open file description: a second open in this process conflicts too.
        code = main(["run", "--quiet", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(warehouse)])
    assert code == 3
    assert "another run is writing this warehouse" in capsys.readouterr().err
    assert not (warehouse / "raw_snapshots").exists()


def test_a_warehouse_inside_its_landing_zone_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    landing = tmp_path / "landing"
    shutil.copytree(config.SAMPLES_LANDING, landing)
    code = main(["run", "--quiet", "--landing", str(landing), "--warehouse", str(landing / "warehouse")])
    assert code == 2
    assert "lies inside the landing zone" in capsys.readouterr().err
    assert not (landing / "warehouse" / "raw_snapshots").exists()


def test_inside_follows_the_folder_tree(tmp_path: Path) -> None:
    assert inside(tmp_path / "a" / "b", tmp_path / "a")
    assert inside(tmp_path / "a", tmp_path / "a")
    assert not inside(tmp_path / "ab", tmp_path / "a")
    assert not inside(tmp_path, tmp_path / "a")
