"""Hostile input survives: every snapshot ends as an article or a rejection with a reason, and the run completes."""

import gzip
import io
import os
from pathlib import Path

import pytest

from newsetl import config
from newsetl.catalog import connect_catalog
from newsetl.storage import Warehouse
from tests.test_pipeline import materialize

SEED = (config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt").read_bytes()


def _warc_bytes() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    # Paragraphs that differ, as an article's do (one sentence twenty times is what spam pages look like).
    sentences = (
        "The Russian and Chinese delegations met in Geneva to discuss the situation in detail today.",
        "Officials from both sides said the talks had been constructive and would continue next week.",
        "Observers noted that the meeting was the first of its kind since the spring, when contacts were frozen.",
        "A joint statement is expected on Friday, according to a diplomat who asked not to be named.",
    )
    paragraphs = "".join(f"<p>{sentences[i % 4]} Paragraph {i + 1}.</p>" for i in range(12))
    for number in range(3):
        html = (
            f"<html><head><title>Page {number}</title></head><body><article><h1>Headline {number}</h1>"
            + paragraphs
            + "</article></body></html>"
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{number}", "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
        )
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str], set[str]]:
    root = tmp_path_factory.mktemp("hostile")
    landing = root / "landing"
    landing.mkdir()
    outside = root / "outside.txt"
    outside.write_bytes(SEED)
    files = {
        "empty.txt": b"",
        "binary.bin": os.urandom(5000),
        "png named text.txt": b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
        "invalid-utf8.txt": SEED[:3000] + b"\xff\xfe\xfa\x80\x81" + SEED[3000:],
        "nul-bytes.txt": SEED[:2000] + b"\x00" * 3 + SEED[2000:],
        "truncated.html.gz": gzip.compress(b"<html><body>" + SEED + b"</body></html>")[:200],
        "truncated.warc.gz": _warc_bytes()[:700],
        "deeply-nested.html": b"<html><body>" + b"<div>" * 20000 + b"deep" + b"</div>" * 20000 + b"</body></html>",
        "no-newline.txt": b"word " * (20 * 1024 * 1024 // 5),
        "bomb.txt.gz": gzip.compress(b"\n" * (80 * 1024 * 1024)),
        "ünïcødé 名前.txt": SEED,
        "line\nbreak.txt": SEED.replace(b"Putin", b"Putin V."),
        "good.warc.gz": _warc_bytes(),
    }
    for name, data in files.items():
        (landing / name).write_bytes(data)
    (landing / "escape.txt").symlink_to(outside)
    warehouse = root / "warehouse"
    result = materialize(landing, warehouse)
    assert result.success
    with connect_catalog(Warehouse(str(warehouse))) as connection:
        rejected = dict(connection.execute("SELECT source_file, reason FROM rejected_snapshots").fetchall())
        articles = {row[0] for row in connection.execute("SELECT source_file FROM articles").fetchall()}
        raw = {row[0] for row in connection.execute("SELECT source_file FROM raw_snapshots").fetchall()}
    return rejected, articles, raw


def test_every_snapshot_is_an_article_or_a_rejection(hostile) -> None:
    rejected, articles, raw = hostile
    assert raw == set(rejected) | articles
    assert not set(rejected) & articles
    assert all(reason.strip() for reason in rejected.values())


@pytest.mark.parametrize(
    "source_file, reason",
    [
        ("empty.txt", "empty file"),
        ("png named text.txt", "PNG"),
        ("truncated.html.gz", "truncated"),
        ("bomb.txt.gz", "larger than"),
    ],
)
def test_rejection_reasons_say_what_is_wrong(hostile, source_file: str, reason: str) -> None:
    rejected, _, _ = hostile
    assert reason in rejected[source_file]


def test_damaged_text_still_gives_its_article(hostile) -> None:
    _, articles, _ = hostile
    assert {"invalid-utf8.txt", "nul-bytes.txt", "ünïcødé 名前.txt", "line\nbreak.txt"} <= articles


def test_warc_records_are_numbered_and_a_truncated_warc_is_rejected_not_fatal(hostile) -> None:
    rejected, articles, raw = hostile
    assert {"good.warc.gz#1", "good.warc.gz#2", "good.warc.gz#3"} <= articles
    truncated = {f for f in raw if f.startswith("truncated.warc.gz")}
    assert truncated and truncated <= set(rejected)


def test_symlink_outside_the_landing_zone_is_never_read(hostile) -> None:
    rejected, articles, raw = hostile
    assert "escape.txt" not in raw


def test_huge_and_deep_inputs_end_somewhere(hostile) -> None:
    rejected, articles, _ = hostile
    for name in ("no-newline.txt", "deeply-nested.html", "binary.bin"):
        assert name in rejected or name in articles
