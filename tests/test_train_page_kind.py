"""The page-kind trainer keeps the corpus validation sites out of training and reads every dev set as
the pipeline reads loose files, all of them articles."""

import gzip
import json
from pathlib import Path

from newsetl.train.page_kind import dev_rows, validation_ids
from newsetl.train.split import is_validation_site

NEWS = (
    "Harbour bridge reopens\n\nThe city's harbour bridge reopened to traffic on Thursday morning, three weeks "
    "after a storm.\n"
)


def _site(held: bool) -> str:
    return next(f"site{i}.example" for i in range(1000) if is_validation_site(f"site{i}.example") == held)


def test_validation_ids_are_the_pages_of_the_validation_sites(tmp_path: Path) -> None:
    held, kept = _site(True), _site(False)
    labels = [
        {"id": "tra-1", "url": f"https://{held}/a"},
        {"id": "tra-2", "url": f"https://www.{kept}/b"},
        {"id": "tra-3", "url": f"https://{held}/c"},
    ]
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(label) + "\n" for label in labels), encoding="utf-8")
    assert validation_ids(tmp_path) == {"tra-1", "tra-3"}


def test_dev_rows_are_articles_with_the_renderer_their_file_name_gives(tmp_path: Path) -> None:
    raw = tmp_path / "demo" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(NEWS, encoding="utf-8")
    (raw / "a.inner.txt").write_text(NEWS, encoding="utf-8")
    (raw / "a.html.gz").write_bytes(gzip.compress(f"<html><body><p>{NEWS}</p></body></html>".encode()))
    gold = [{"file": name, "language": "en"} for name in ("a.txt", "a.inner.txt", "a.html.gz")]
    (tmp_path / "demo" / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    rows = dev_rows(tmp_path)
    assert [(r["renderer"], r["content_type"], r["label"], r["url"]) for r in rows] == [
        ("w3m", "text", 0, None),
        ("chromium", "text", 0, None),
        ("html", "html", 0, None),
    ]
    assert {r["kind"] for r in rows} == {"dev demo"}
