"""WARC framing: a record whose Content-Length does not match it is a rejection of that record, never an
article merged with its neighbour or cut short; a valid uncompressed WARC gives exactly its records."""

import re
from pathlib import Path

from tests.landing_reader import read_landing
from tests.reliability.test_container_caps import _warc

PAGES = [f"<html><body><p>Page number {n} of the crawl.</p></body></html>".encode() for n in range(3)]


def _snapshots(root: Path) -> dict:
    snapshots, _ = read_landing(root)
    return {s.source_file: s for s in snapshots}


def _with_first_length_changed(data: bytes, delta: int) -> bytes:
    found = re.search(rb"Content-Length: (\d+)\r\n", data)
    return data[: found.start(1)] + str(int(found.group(1)) + delta).encode() + data[found.end(1) :]


def test_a_valid_uncompressed_warc_gives_its_records_and_no_phantom_rejection(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc").write_bytes(_warc(PAGES))
    snapshots = _snapshots(tmp_path)
    assert {name: s.content for name, s in snapshots.items()} == {
        f"crawl.warc#{n + 1}": page for n, page in enumerate(PAGES)
    }
    assert all(s.read_error is None for s in snapshots.values())


def test_a_content_length_running_into_the_next_record_is_a_rejection_not_a_merge(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc").write_bytes(_with_first_length_changed(_warc(PAGES), 300))
    snapshots = _snapshots(tmp_path)
    assert "runs past the end of the record" in snapshots["crawl.warc#1"].read_error
    assert snapshots["crawl.warc#1"].content == b""
    assert not any(PAGES[1] in s.content for s in snapshots.values())


def test_a_content_length_too_short_is_a_rejection_not_a_truncated_article(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc").write_bytes(_with_first_length_changed(_warc(PAGES), -20))
    snapshots = _snapshots(tmp_path)
    assert "shorter than the record" in snapshots["crawl.warc#1"].read_error
    assert all(s.content in (b"", *PAGES) for s in snapshots.values())
    assert not any(s.content and s.content in PAGES[0] and s.content != PAGES[0] for s in snapshots.values())
