"""The size cap holds inside containers: one JSON Lines line or WARC record over it is a rejection of
that record, read in bounded pieces, and the records around it are read as usual."""

import io
import json
from pathlib import Path

import pytest

from newsetl import landing
from newsetl.landing import discover, read_file

CAP = 1000


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The returned list collects the size of every piece read from a landing file."""
    pieces: list[int] = []
    open_payload = landing._open_payload

    class Recording:
        """The payload stream, noting how much each read or line brought into memory."""

        def __init__(self, stream):
            self._stream = stream

        def readline(self, size=-1):
            line = self._stream.readline(size)
            pieces.append(len(line))
            return line

        def read(self, size=-1):
            data = self._stream.read(size)
            pieces.append(len(data))
            return data

        def __iter__(self):
            return iter(self.readline, b"")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._stream.close()

    def recording_payload(file):
        return Recording(open_payload(file))

    monkeypatch.setattr(landing, "_open_payload", recording_payload)
    return pieces


def _snapshots(root: Path) -> dict:
    """The snapshots of the landing zone at root, read with the cap at CAP bytes."""
    return {s.source_file: s for file in discover(root)[0] for s in read_file(file, max_snapshot_bytes=CAP)}


def test_a_json_line_over_the_cap_is_rejected_and_its_neighbours_are_read(tmp_path: Path, small_cap: list[int]) -> None:
    lines = [
        json.dumps({"url": "https://example.org/1", "text": "short one"}),
        json.dumps({"url": "https://example.org/2", "text": "x" * 50_000}),
        json.dumps({"url": "https://example.org/3", "text": "short three"}),
    ]
    (tmp_path / "export.jsonl").write_text("\n".join(lines) + "\n")
    snapshots = _snapshots(tmp_path)
    assert snapshots["export.jsonl#1"].content == b"short one"
    assert (
        "larger than 1000 bytes" in snapshots["export.jsonl#2"].read_error
        and snapshots["export.jsonl#2"].content == b""
    )
    assert snapshots["export.jsonl#3"].content == b"short three"
    assert small_cap and max(small_cap) <= CAP + 1


def test_a_last_json_line_over_the_cap_without_a_newline_is_rejected(tmp_path: Path, small_cap: list[int]) -> None:
    (tmp_path / "export.jsonl").write_text(json.dumps({"text": "fine"}) + "\n" + json.dumps({"text": "y" * 5000}))
    snapshots = _snapshots(tmp_path)
    assert snapshots["export.jsonl#1"].content == b"fine"
    assert "larger than" in snapshots["export.jsonl#2"].read_error


def _warc(pages: list[bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for number, html in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{number}", "response", payload=io.BytesIO(html), http_headers=headers
            )
        )
    return out.getvalue()


def test_a_warc_record_over_the_cap_is_rejected_and_its_neighbours_are_read(
    tmp_path: Path, small_cap: list[int]
) -> None:
    small, big = b"<html><body><p>small</p></body></html>", b"<html><body>" + b"<p>big</p>" * 5000 + b"</body></html>"
    (tmp_path / "crawl.warc").write_bytes(_warc([small, big, small + b" "]))
    snapshots = _snapshots(tmp_path)
    assert set(snapshots) == {"crawl.warc#1", "crawl.warc#2", "crawl.warc#3"}
    assert snapshots["crawl.warc#1"].content == small
    assert "larger than 1000 bytes" in snapshots["crawl.warc#2"].read_error and snapshots["crawl.warc#2"].content == b""
    assert snapshots["crawl.warc#3"].content == small + b" "
