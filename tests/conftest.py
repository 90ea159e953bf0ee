import gzip
import shutil
from pathlib import Path

import pytest

from newsetl import config

SEEDS = sorted(config.SAMPLES_LANDING.glob("*.txt"))


@pytest.fixture
def sample_landing(tmp_path: Path) -> Path:
    """A copy of the bundled samples, so a test may add files beside them."""
    landing = tmp_path / "landing"
    shutil.copytree(config.SAMPLES_LANDING, landing)
    return landing


@pytest.fixture
def hostile_landing(sample_landing: Path) -> Path:
    """The samples plus one file of each kind of bad input the pipeline must survive."""
    (sample_landing / "empty.txt").write_bytes(b"")
    (sample_landing / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (sample_landing / "noise.txt").write_bytes(bytes((i * 131 + 7) % 256 for i in range(4000)))
    (sample_landing / "truncated.html.gz").write_bytes(gzip.compress(b"<html><body>" + b"x" * 5000)[:40])
    # A dangling link stands for an unreadable file: permissions do not stop root, which CI may be.
    (sample_landing / "unreadable.txt").symlink_to(sample_landing / "vanished.txt")
    return sample_landing
