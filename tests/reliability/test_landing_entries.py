"""Every entry of the landing zone is read or reported: special files never block a run, and what is
not read (hidden names, unreadable or symlinked folders, FIFOs, sockets) is a skip with its reason."""

import os
import signal
import socket
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsetl import config
from newsetl import landing as landing_module
from newsetl.bronze import ingest_batch
from newsetl.landing import LandingFile, discover, read_file
from newsetl.landing_cursor import plan_batch
from newsetl.storage import Warehouse
from tests.landing_reader import read_landing

SEED = (config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt").read_bytes()


@pytest.fixture
def hang_guard():
    """Fails the test instead of hanging it: a blocked open() is the bug these tests look for."""

    def fail(signum, frame):
        raise TimeoutError("reading the landing zone blocked")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _skips(root: Path) -> dict[str, str]:
    _, skipped = discover(root)
    return {s.source_file: s.reason for s in skipped}


def test_a_fifo_and_a_socket_are_skipped_with_their_kind_and_never_opened(tmp_path: Path, hang_guard) -> None:
    (tmp_path / "good.txt").write_bytes(SEED)
    os.mkfifo(tmp_path / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "socket.txt"))
    try:
        snapshots, skipped = read_landing(tmp_path)
        assert [s.source_file for s in snapshots] == ["good.txt"]
    finally:
        server.close()
    reasons = {s.source_file: s.reason for s in skipped}
    assert reasons == {"pipe.txt": "not a regular file (FIFO)", "socket.txt": "not a regular file (socket)"}


def test_a_file_that_became_a_fifo_after_the_listing_is_a_rejection_not_a_hang(tmp_path: Path, hang_guard) -> None:
    os.mkfifo(tmp_path / "late.txt")
    [snapshot] = read_file(LandingFile(str(tmp_path / "late.txt"), "late.txt", "text", False))
    assert snapshot.content == b"" and "not a regular file (FIFO)" in snapshot.read_error


def test_hidden_names_and_symlinked_folders_are_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(SEED)
    (tmp_path / ".hidden.txt").write_bytes(SEED)
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / "Thumbs.db").write_bytes(b"junk")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "page.txt").write_bytes(SEED)
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "page.txt").write_bytes(SEED)
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert _skips(tmp_path) == {
        ".hidden.txt": "hidden file",
        ".DS_Store": "hidden file",
        "Thumbs.db": "system file",
        ".cache/": "hidden folder",
        "alias/": "symlinked folder, not followed",
    }
    assert [f.source_file for f in discover(tmp_path)[0]] == ["good.txt", "real/page.txt"]


def test_an_unreadable_folder_is_reported_and_its_siblings_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom chmod 000 changes nothing: the folder refuses its listing instead.
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "page.txt").write_bytes(SEED)
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "page.txt").write_bytes(SEED)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(landing_module.os, "scandir", scandir)
    files, skipped = discover(tmp_path)
    assert [f.source_file for f in files] == ["open/page.txt"]
    assert [(s.source_file, s.reason) for s in skipped] == [("locked/", "unreadable folder: Permission denied")]


def test_a_file_name_that_is_not_utf8_is_ingested_with_escapes_beside_the_good_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "good.txt").write_bytes(SEED)
    with open(os.path.join(os.fsencode(landing), b"bad\xff.txt"), "wb") as out:
        out.write(SEED.replace(b"Putin", b"Putin V."))
    store = Warehouse(str(tmp_path / "warehouse"))
    ingest_batch(store, plan_batch(landing, store), datetime(2026, 11, 1, 12))
    rows = ds.dataset(tmp_path / "warehouse" / "raw_snapshots", format="parquet", partitioning="hive").to_table(
        columns=["source_file", "content", "read_error"]
    )
    by_name = {row["source_file"]: row for row in rows.to_pylist()}
    assert set(by_name) == {"bad\\xff.txt", "good.txt"}
    assert by_name["bad\\xff.txt"]["read_error"] is None and b"Putin V." in by_name["bad\\xff.txt"]["content"]
