import gzip
import json
import os
from pathlib import Path

from newsetl.landing import discover
from tests.landing_reader import read_landing


def _snapshots(root: Path):
    snapshots, skipped = read_landing(root)
    return {s.source_file: s for s in snapshots}, skipped


def test_nested_folders_and_odd_names_keep_relative_posix_paths(tmp_path: Path) -> None:
    (tmp_path / "2024" / "06").mkdir(parents=True)
    (tmp_path / "2024" / "06" / "a page.txt").write_text("hello")
    (tmp_path / "báo chí.txt").write_text("xin chào")
    (tmp_path / "line\nbreak.txt").write_text("odd")
    (tmp_path / ".hidden.txt").write_text("skip me")
    snapshots, _ = _snapshots(tmp_path)
    assert set(snapshots) == {"2024/06/a page.txt", "báo chí.txt", "line\nbreak.txt"}


def test_gzip_html_is_decompressed_and_hashed_on_its_content(tmp_path: Path) -> None:
    html = b"<html><body><p>Hello</p></body></html>"
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(html))
    (tmp_path / "b.html").write_bytes(html)
    snapshots, _ = _snapshots(tmp_path)
    assert snapshots["a.html.gz"].content == html
    assert snapshots["a.html.gz"].snapshot_id == snapshots["b.html"].snapshot_id
    assert snapshots["a.html.gz"].content_type == "html"


def test_truncated_gzip_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "t.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 10000)[:30])
    snapshots, _ = _snapshots(tmp_path)
    assert snapshots["t.html.gz"].read_error and snapshots["t.html.gz"].content == b""


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    from newsetl.landing import read_file

    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 100_000))
    (bomb,) = discover(tmp_path)[0]
    (snapshot,) = read_file(bomb, max_snapshot_bytes=1000)
    assert "larger than 1000 bytes" in snapshot.read_error


def test_symlink_outside_the_landing_zone_is_skipped_and_reported(tmp_path: Path) -> None:
    landing, outside = tmp_path / "landing", tmp_path / "secret.txt"
    landing.mkdir()
    outside.write_text("not yours")
    (landing / "inside.txt").write_text("fine")
    os.symlink(outside, landing / "link.txt")
    os.symlink(landing / "inside.txt", landing / "alias.txt")
    files, skipped = discover(landing)
    assert [f.source_file for f in files] == ["alias.txt", "inside.txt"]
    assert [s.source_file for s in skipped] == ["link.txt"] and "outside the landing zone" in skipped[0].reason


def test_jsonl_records_are_numbered_from_one(tmp_path: Path) -> None:
    lines = [
        {"url": "https://example.com/a", "html": "<p>A</p>", "fetch_time": "2024-06-19T08:00:00Z"},
        {"url": "https://example.com/b", "text": "Plain text"},
        "not an object",
    ]
    (tmp_path / "export.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    snapshots, _ = _snapshots(tmp_path)
    first, second = snapshots["export.jsonl#1"], snapshots["export.jsonl#2"]
    assert (first.content_type, first.url, first.fetched_at.isoformat()) == (
        "html",
        "https://example.com/a",
        "2024-06-19T08:00:00",
    )
    assert (second.content_type, second.content) == ("text", b"Plain text")
    assert snapshots["export.jsonl#3"].read_error and snapshots["export.jsonl#4"].read_error.startswith("invalid JSON")


def test_warc_response_records(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, url in enumerate(["https://example.com/a", "https://example.com/b"]):
            body = f"<html><body><p>Page {number}</p></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
            writer.write_record(record)
    snapshots, _ = _snapshots(tmp_path)
    assert sorted(snapshots) == ["crawl.warc.gz#1", "crawl.warc.gz#2"]
    assert snapshots["crawl.warc.gz#2"].url == "https://example.com/b"
    assert b"Page 1" in snapshots["crawl.warc.gz#2"].content
    assert snapshots["crawl.warc.gz#1"].fetched_at is not None


def test_listing_carries_size_and_mtime_and_a_dangling_link_is_still_listed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"12345")
    os.utime(tmp_path / "a.txt", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (tmp_path / "gone.txt").symlink_to(tmp_path / "vanished.txt")
    files = {f.source_file: f for f in discover(tmp_path)[0]}
    assert (files["a.txt"].size, files["a.txt"].mtime_ns) == (5, 1_700_000_000_000_000_000)
    # It cannot be looked at, but it is listed, so that reading it is rejected visibly.
    assert (files["gone.txt"].size, files["gone.txt"].mtime_ns) == (-1, -1)


def test_files_of_a_folder_come_before_its_subfolders(tmp_path: Path) -> None:
    from newsetl.landing import walk_order

    for name in ["b/z.txt", "b/c/a.txt", "a.txt", "z.txt", "a/y.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    listed = [f.source_file for f in discover(tmp_path)[0]]
    assert listed == ["a.txt", "z.txt", "a/y.txt", "b/z.txt", "b/c/a.txt"]
    # Object stores list keys flat; the same sort key gives them the same order.
    assert sorted(reversed(listed), key=walk_order) == listed


def _listed_by_os_walk(root: Path) -> list[str]:
    """The listing rule, spelled with os.walk: sorted names, hidden entries skipped, symlinked folders not entered."""
    listed = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name != "Thumbs.db":
                path = Path(folder) / name
                if not path.is_symlink() or path.resolve().is_relative_to(root.resolve()):
                    listed.append(path.relative_to(root).as_posix())
    return listed


def test_listing_matches_a_sorted_walk(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    root = tmp_path / "landing"
    for name in [
        "b/z.txt",
        "b/c/a.txt",
        "a.txt",
        "Z.txt",
        "a/y.txt",
        ".hidden/x.txt",
        "b/.x.txt",
        "Thumbs.db",
        "b/c/d/e.html.gz",
        "sp ace/ü.txt",
        "10.txt",
        "9.txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    (root / "linked-folder").symlink_to(root / "b")  # a folder link is not entered: its files are listed once
    (root / "a" / "to-outside.txt").symlink_to(outside / "secret.txt")
    (root / "a" / "to-inside.txt").symlink_to(root / "a.txt")
    (root / "a" / "dangling.txt").symlink_to(root / "missing.txt")
    files, skipped = discover(root)
    assert [f.source_file for f in files] == _listed_by_os_walk(root)
    # What the walk leaves out is reported, in walk order: nothing disappears silently.
    assert [s.source_file for s in skipped] == [
        ".hidden/",
        "Thumbs.db",
        "linked-folder/",
        "a/to-outside.txt",
        "b/.x.txt",
    ]


def _changed_at(path: Path) -> int:
    stat = path.stat()
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


def _bound_after(tmp_path: Path, folder: Path) -> int:
    """A bound just after `folder`'s last change, once the file clock (coarse: a few ms) has moved past it,
    so that what is written next is after the bound."""
    bound = _changed_at(folder) + 1
    probe = tmp_path / "probe"
    while True:
        probe.write_bytes(b"")
        if _changed_at(probe) >= bound:
            probe.unlink()
            return bound


def test_bounded_listing_leaves_out_the_files_of_folders_unchanged_since_the_bound(tmp_path: Path) -> None:
    root = tmp_path / "landing"
    (root / "2026/old").mkdir(parents=True)
    (root / "2026/old/a.txt").write_text("old")
    (root / "2026/old/.hidden").write_text("old")
    bound = _bound_after(tmp_path, root / "2026/old")
    (root / "2026/old/deeper").mkdir()  # changes old/ itself: it is listed again
    (root / "2026/new").mkdir()
    (root / "2026/new/b.txt").write_text("new")

    files, _ = discover(root, changed_since_ns=bound)
    assert [f.source_file for f in files] == ["2026/new/b.txt", "2026/old/a.txt"]

    quiet = _bound_after(tmp_path, root / "2026/new")
    (root / "2026/old/deeper/c.txt").write_text("deep")  # only deeper/ changes, not its parents
    files, skipped = discover(root, changed_since_ns=quiet)
    assert [f.source_file for f in files] == ["2026/old/deeper/c.txt"]
    assert skipped == []  # the hidden file of an unchanged folder is not looked at either


def test_full_listing_still_sees_a_file_rewritten_in_place_in_an_old_folder(tmp_path: Path) -> None:
    root = tmp_path / "landing"
    (root / "old").mkdir(parents=True)
    (root / "old/a.txt").write_text("first")
    bound = _bound_after(tmp_path, root / "old")
    with open(root / "old/a.txt", "r+") as rewrite:  # in place: the folder's entries do not change
        rewrite.write("again")

    assert discover(root, changed_since_ns=bound)[0] == []  # the documented caveat of the bounded listing
    assert [f.source_file for f in discover(root)[0]] == ["old/a.txt"]
