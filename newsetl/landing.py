"""Reading the landing zone: every file, and every record inside container files, as raw snapshots.

The landing zone is a folder or an object-store prefix (`s3://bucket/prefix`, through pyarrow.fs);
source_file is relative to it and `/`-separated either way. A file that cannot be read still yields
a snapshot carrying the error, so that it lands in rejected_snapshots instead of disappearing.
"""

import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import Any

import pyarrow.fs as pafs

from newsetl import formats, fs
from newsetl.formats import JSONL, WARC
from newsetl.settings import DEFAULTS

# A snapshot larger than `max_snapshot_bytes` after decompression is refused: it protects the run from
# gzip bombs (the NEWSETL_MAX_SNAPSHOT_BYTES setting).

_SKIPPED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}

# The read error of a file refused for want of permission: ingestion tries it again on the next run.
PERMISSION_DENIED = "unreadable: permission denied"


@dataclass(frozen=True, slots=True)
class RawSnapshot:
    """One raw snapshot as the readers give it, bronze writes it and the silver workers clean it: a
    raw_snapshots row (schemas.RAW_SNAPSHOTS) is `to_row()`, and `from_row()` reads one back."""

    source_file: str  # relative to the landing root, "/"-separated; "path#n" inside containers
    format: str  # text, html, warc, jsonl: how the snapshot was stored
    content_type: str  # text or html: how its payload is to be read
    content: bytes
    url: str | None = None
    fetched_at: datetime | None = None
    read_error: str | None = None  # why the snapshot could not be read; content is then empty
    ingested_at: datetime | None = None  # None until bronze writes it: the run's clock, not the file's
    # The sha256 of the content, computed on construction; a row read back gives its stored id.
    snapshot_id: str = ""

    def __post_init__(self) -> None:
        if not self.snapshot_id:
            object.__setattr__(self, "snapshot_id", _snapshot_id(self.content, self.source_file, self.read_error))

    def to_row(self) -> dict:
        """The raw_snapshots row: every field, and byte_size, which the content gives."""
        row = {name: getattr(self, name) for name in RAW_SNAPSHOT_FIELDS}
        row["byte_size"] = len(self.content)
        return row

    @classmethod
    def from_row(cls, row: dict) -> "RawSnapshot":
        """A raw_snapshots row (byte_size may be absent: the content gives it) as the record."""
        values = {name: row[name] for name in RAW_SNAPSHOT_FIELDS}
        values["content_type"] = values["content_type"] or "text"
        values["content"] = values["content"] or b""
        return cls(**values)


# The raw_snapshots columns a record is read back from: all but byte_size.
RAW_SNAPSHOT_FIELDS = tuple(field.name for field in fields(RawSnapshot))


def _snapshot_id(content: bytes, source_file: str, read_error: str | None) -> str:
    if read_error is not None:
        # No bytes to hash: the id names the file, so a fixed file gets a new id.
        return hashlib.sha256(b"unreadable:" + source_file.encode("utf-8", "surrogateescape")).hexdigest()
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, slots=True)
class LandingFile:
    path: Path | str  # a local path, or the object's path inside `filesystem` ("bucket/prefix/a.txt")
    source_file: str
    format: str  # text, html, warc, jsonl
    compressed: bool
    size: int = -1  # bytes as listed; -1 when the file could not be looked at (it is then rejected visibly)
    mtime_ns: int = -1
    filesystem: pafs.FileSystem | None = None  # None: the local disk
    # Rewriting a file in place changes its ctime even when size and mtime are put back; -1 on object stores.
    ctime_ns: int = -1
    inode: int = -1

    @property
    def is_local(self) -> bool:
        return self.filesystem is None


@dataclass(frozen=True, slots=True)
class SkippedPath:
    source_file: str
    reason: str


def discover(
    root: str | Path,
    changed_since_ns: int | None = None,
    s3: fs.S3Options = fs.S3Options(),
    looked_at: list[str] | None = None,
) -> tuple[list[LandingFile], list[SkippedPath]]:
    """Every snapshot file under root (a folder or an `s3://bucket/prefix`), sorted as a walk of sorted folders
    meets them: a folder's files before its subfolders, and what is not read (hidden names, symlinks leading
    outside root, symlinked or unreadable folders, FIFOs, sockets, devices) with the reason.

    With `changed_since_ns` (a bounded listing), the files of a folder whose mtime and ctime are both older
    are neither looked at nor returned: adding, removing or renaming a file changes its folder's mtime, so
    such a folder holds only files already seen. Its subfolders are still walked, since a change deep down
    does not touch its parents. Caveat: a file rewritten in place inside an old folder changes only the
    file, so a bounded listing misses it; a full listing (no bound) finds it. On an object store there are
    no folders to judge by: objects older than the bound are left out after the full listing; `s3` is
    how such a root is reached. `looked_at`, if given, receives the prefix ("" for the root, "a/b/") of every
    local folder whose files were looked at."""
    if fs.is_url(root):
        files, skipped = _discover_objects(str(root), s3)
        if changed_since_ns is not None:
            files = [f for f in files if f.mtime_ns < 0 or f.mtime_ns >= changed_since_ns]
        return files, skipped
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"landing zone {root} is not a folder")
    files = []
    skipped = []
    _walk(str(root), "", root, files, skipped, changed_since_ns, looked_at)
    return files, skipped


def _folder_unchanged(folder: str, changed_since_ns: int | None) -> bool:
    if changed_since_ns is None:
        return False
    try:
        stat = os.stat(folder)
    except OSError:
        return False  # listed in full, so that the error surfaces as it would without a bound
    return max(stat.st_mtime_ns, stat.st_ctime_ns) < changed_since_ns


def _walk(
    folder: str,
    prefix: str,
    root: Path,
    files: list[LandingFile],
    skipped: list[SkippedPath],
    changed_since_ns: int | None = None,
    looked_at: list[str] | None = None,
) -> None:
    """os.walk's top-down order over sorted names, on scandir entries: their cached types and one stat
    per file make listing 100,000 files a fraction of a second. Whatever is not read (hidden names,
    unreadable or symlinked folders, FIFOs, sockets, devices) is reported in `skipped` with its reason.
    A folder unchanged since `changed_since_ns` contributes only its subfolders (see discover)."""
    unchanged = _folder_unchanged(folder, changed_since_ns)
    if looked_at is not None and not unchanged:
        looked_at.append(prefix)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        skipped.append(SkippedPath(prefix or "./", f"unreadable folder: {exc.strerror or exc}"))
        return
    subfolders = []
    for entry in entries:
        name = entry.name
        source_file = prefix + printable_name(name)
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if name.startswith("."):
                skipped.append(SkippedPath(source_file + "/", "hidden folder"))
            elif entry.is_symlink():
                skipped.append(SkippedPath(source_file + "/", "symlinked folder, not followed"))
            else:
                subfolders.append(entry)
            continue
        if unchanged:
            continue
        if name in _SKIPPED_NAMES or name.startswith("."):
            skipped.append(SkippedPath(source_file, "hidden file" if name.startswith(".") else "system file"))
            continue
        if entry.is_symlink():
            target = Path(entry.path).resolve()
            if not target.is_relative_to(root):
                skipped.append(SkippedPath(source_file, f"symlink to {target}, outside the landing zone"))
                continue
        fmt, compressed = formats.classify(name)
        stat = _file_stat(entry.stat, source_file, skipped)
        if stat is None:
            continue
        size, mtime_ns, ctime_ns, inode = stat
        files.append(
            LandingFile(entry.path, source_file, fmt.name, compressed, size, mtime_ns, ctime_ns=ctime_ns, inode=inode)
        )
    for entry in subfolders:
        _walk(entry.path, f"{prefix}{printable_name(entry.name)}/", root, files, skipped, changed_since_ns, looked_at)


def look_up(
    root: str | Path, source_files: list[str], s3: fs.S3Options = fs.S3Options()
) -> tuple[list[LandingFile], list[SkippedPath]]:
    """The landing files named (source_file as discover gives it), each looked up on its own rather than by
    listing the landing zone: a file gone since is left out, one that is no longer a regular file (or now a
    symlink leading outside root) is skipped with the reason, as discover would. Returned in walk order."""
    wanted = sorted(set(source_files), key=walk_order)
    if fs.is_url(root):
        filesystem, base = fs.resolve(str(root), s3)
        found: list[LandingFile] = []
        paths = [f"{base.rstrip('/')}/{name}" for name in wanted]
        for name, info in zip(wanted, filesystem.get_file_info(paths) if paths else [], strict=True):
            if info.type == pafs.FileType.File:
                fmt, compressed = formats.classify(name.rsplit("/", 1)[-1])
                mtime_ns = info.mtime_ns if info.mtime_ns is not None else -1
                found.append(LandingFile(info.path, name, fmt.name, compressed, info.size, mtime_ns, filesystem))
        return found, []
    root = Path(root).resolve()
    files: list[LandingFile] = []
    skipped: list[SkippedPath] = []
    folders: dict[str, tuple[str, dict[str, str] | None] | None] = {}
    for source_file in wanted:
        folder, _, name = source_file.rpartition("/")
        if folder not in folders:
            folders[folder] = _real_folder(root, folder)
        known = folders[folder]
        if known is None:
            continue  # its folder is gone, or no longer one discover walks
        path, names = known
        if "\\" in name:  # maybe bytes that are not UTF-8, printed: the folder's entries say which name it is
            if names is None:
                names = _printable_names(path)
                folders[folder] = (path, names)
            if name not in names:
                continue
            on_disk = names[name]
        else:
            on_disk = name
        file = _landing_file(root, path, on_disk, source_file, skipped)
        if file is not None:
            files.append(file)
    return files, skipped


def _real_folder(root: Path, folder: str) -> tuple[str, None] | None:
    """The path of `folder` (a source_file prefix without its slash), or None when it is no real folder
    inside root any more (gone, or replaced by a symlink, which discover does not follow)."""
    path = os.path.join(root, *folder.split("/")) if folder else str(root)
    if not os.path.isdir(path) or os.path.realpath(path) != os.path.normpath(path):
        return None
    return path, None


def _printable_names(path: str) -> dict[str, str]:
    try:
        with os.scandir(path) as listing:
            return {printable_name(entry.name): entry.name for entry in listing}
    except OSError:
        return {}


def _landing_file(
    root: Path, folder: str, name: str, source_file: str, skipped: list[SkippedPath]
) -> LandingFile | None:
    """One entry as discover's walk takes it in, or None (recorded in skipped when it is not read)."""
    path = os.path.join(folder, name)
    if not os.path.lexists(path):
        return None  # gone since it was listed
    if os.path.islink(path):
        target = Path(path).resolve()
        if not target.is_relative_to(root):
            skipped.append(SkippedPath(source_file, f"symlink to {target}, outside the landing zone"))
            return None
    fmt, compressed = formats.classify(name)
    stat = _file_stat(lambda: os.stat(path), source_file, skipped)
    if stat is None:
        return None
    size, mtime_ns, ctime_ns, inode = stat
    return LandingFile(path, source_file, fmt.name, compressed, size, mtime_ns, ctime_ns=ctime_ns, inode=inode)


def _file_stat(
    stat: Callable[[], os.stat_result], source_file: str, skipped: list[SkippedPath]
) -> tuple[int, int, int, int] | None:
    """(size, mtime_ns, ctime_ns, inode) of a landing entry; None when it is not a regular file (recorded in
    `skipped`: opening a FIFO blocks until someone writes to it, a device can be read forever). A dangling or
    unreadable entry is still listed, with -1s, so that reading it fails visibly."""
    try:
        result = stat()
    except OSError:
        return -1, -1, -1, -1
    if not S_ISREG(result.st_mode):
        skipped.append(SkippedPath(source_file, f"not a regular file ({_kind(result.st_mode)})"))
        return None
    return result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino


def printable_name(name: str) -> str:
    """A file name as source_file keeps it: bytes that are not UTF-8 (surrogate escapes from os.fsdecode)
    become backslash escapes, since Parquet strings must be valid UTF-8. The file itself is opened by its path."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    for test, kind in (
        (S_ISFIFO, "FIFO"),
        (S_ISSOCK, "socket"),
        (S_ISCHR, "character device"),
        (S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"


def walk_order(source_file: str) -> list[tuple[int, str]]:
    """Sort key giving os.walk's order over sorted folders: a folder's files, then its subfolders."""
    *folders, name = source_file.split("/")
    return [(1, folder) for folder in folders] + [(0, name)]


def _discover_objects(root: str, s3: fs.S3Options) -> tuple[list[LandingFile], list[SkippedPath]]:
    """The objects under an object-store prefix. Folders there are only key prefixes: an empty prefix is an
    empty landing zone, a missing bucket an error. There are no symlinks to follow."""
    filesystem, base = fs.resolve(root, s3)
    bucket = base.split("/", 1)[0]
    if filesystem.get_file_info(bucket).type == pafs.FileType.NotFound:
        raise FileNotFoundError(f"landing zone {root}: bucket {bucket} does not exist")
    files: list[LandingFile] = []
    skipped: list[SkippedPath] = []
    for info in filesystem.get_file_info(pafs.FileSelector(base, recursive=True, allow_not_found=True)):
        if info.type != pafs.FileType.File:
            continue
        source_file = info.path[len(base) :].lstrip("/")
        *folders, name = source_file.split("/")
        if any(folder.startswith(".") for folder in folders):
            skipped.append(SkippedPath(source_file, "in a hidden folder"))
            continue
        if name in _SKIPPED_NAMES or name.startswith("."):
            skipped.append(SkippedPath(source_file, "hidden file" if name.startswith(".") else "system file"))
            continue
        fmt, compressed = formats.classify(name)
        mtime_ns = info.mtime_ns if info.mtime_ns is not None else -1
        files.append(LandingFile(info.path, source_file, fmt.name, compressed, info.size, mtime_ns, filesystem))
    return sorted(files, key=lambda f: walk_order(f.source_file)), skipped


class _TooLarge(Exception):
    pass


def _too_large_reason(cap: int) -> str:
    return f"larger than {cap} bytes after decompression (limit NEWSETL_MAX_SNAPSHOT_BYTES)"


def _read_capped(stream: io.BufferedIOBase, cap: int) -> bytes:
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise _TooLarge(_too_large_reason(cap))
    return data


def _open_raw(file: LandingFile) -> io.BufferedIOBase:
    if file.filesystem is not None:  # not local: the path is the object's, a str
        return fs.open_read(file.filesystem, str(file.path))
    # O_NONBLOCK: a file replaced by a FIFO after the listing must not block the open; regular files ignore it.
    descriptor = os.open(file.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not S_ISREG(mode):
            raise OSError(f"not a regular file ({_kind(mode)})")
        return open(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _size(file: LandingFile) -> int:
    if file.filesystem is None:
        return os.stat(file.path).st_size
    return file.filesystem.get_file_info(str(file.path)).size


def _open_payload(file: LandingFile) -> io.BufferedIOBase:
    raw = _open_raw(file)
    if file.compressed:
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


def read_file(file: LandingFile, max_snapshot_bytes: int = DEFAULTS.max_snapshot_bytes) -> Iterator[RawSnapshot]:
    """The snapshots in one landing file: one for text/HTML, one per record in containers; a snapshot
    over `max_snapshot_bytes` after decompression is a read error."""
    fmt = formats.FORMATS[file.format]
    content_type = fmt.content_type
    try:
        if fmt.container:
            records = 0
            for snapshot in _CONTAINER_READERS[fmt.name](file, max_snapshot_bytes):
                records += 1
                yield snapshot
            if not records:
                # A container with nothing in it is still a file someone dropped: reject it visibly.
                yield RawSnapshot(
                    file.source_file,
                    file.format,
                    content_type,
                    b"",
                    read_error=f"{fmt.empty_reason} (empty or truncated {file.format} file)",
                )
            return
        with _open_payload(file) as stream:
            content = _read_capped(stream, max_snapshot_bytes)
        if fmt is formats.TEXT and formats.looks_like_html(content):
            content_type = formats.HTML.content_type
        yield RawSnapshot(file.source_file, file.format, content_type, content)
    except (OSError, EOFError, zlib.error, _TooLarge) as exc:
        yield RawSnapshot(file.source_file, file.format, content_type, b"", read_error=_describe(exc))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "truncated compressed file"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not valid gzip: {exc}"
    if isinstance(exc, PermissionError):
        return PERMISSION_DENIED
    if isinstance(exc, _TooLarge):
        return str(exc)
    return f"unreadable: {exc}"


def _parse_time(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(value, tz=UTC)
        else:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _capped_lines(stream: io.BufferedIOBase, cap: int) -> Iterator[bytes | None]:
    """The stream's lines, each read with at most cap + 1 bytes in memory; None stands for a
    line over the cap, whose rest is skipped in bounded reads up to its newline."""
    while line := stream.readline(cap + 1):
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(cap + 1)) and not rest.endswith(b"\n"):
            pass
        yield None


def _read_jsonl(file: LandingFile, cap: int) -> Iterator[RawSnapshot]:
    with _open_payload(file) as stream:
        for number, line in enumerate(_capped_lines(stream, cap), start=1):
            source_file = f"{file.source_file}#{number}"
            if line is None:
                yield RawSnapshot(
                    source_file, JSONL.name, "text", b"", read_error=f"JSON line {_too_large_reason(cap)}"
                )
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield RawSnapshot(source_file, JSONL.name, "text", b"", read_error=f"invalid JSON line: {exc}")
                continue
            if not isinstance(record, dict):
                yield RawSnapshot(source_file, JSONL.name, "text", b"", read_error="JSON line is not an object")
                continue
            html, text = record.get("html"), record.get("text")
            if isinstance(html, str) and html.strip():
                payload, content_type = html, "html"
            elif isinstance(text, str):
                payload, content_type = text, "text"
            else:
                yield RawSnapshot(
                    source_file, JSONL.name, "text", b"", read_error="JSON line has neither 'html' nor 'text'"
                )
                continue
            fetched = record.get("fetch_time") or record.get("fetched_at") or record.get("timestamp")
            url = record.get("url") if isinstance(record.get("url"), str) else None
            yield RawSnapshot(
                source_file,
                JSONL.name,
                content_type,
                payload.encode("utf-8", "surrogatepass"),
                url,
                _parse_time(fetched),
            )


def _read_warc(file: LandingFile, cap: int) -> Iterator[RawSnapshot]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    complete_until = 0  # where the last fully read record ends
    with _open_raw(file) as stream:
        size = _size(file)
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for record in records:
                snapshot = None
                if record.rec_type == "response":
                    number += 1
                    snapshot = _warc_response(record, f"{file.source_file}#{number}", cap)
                misframed_before = records.err_count
                records.read_to_end(record)
                # Past the blank lines that close the record: in an uncompressed WARC they are not in its length.
                complete_until = records.offset
                # ARC records start with their URL, not a version line: only WARC framing is checked.
                is_warc = record.format == "warc"
                next_line = records.next_line if is_warc else None
                # warcio counts a record not followed by its blank line (and skips one line to find the next).
                framing = _framing_error(next_line, snapshot, is_warc and records.err_count > misframed_before)
                if framing and snapshot is None and _lost_sync(next_line):
                    number += 1
                    snapshot = RawSnapshot(f"{file.source_file}#{number}", WARC.name, "html", b"", read_error=framing)
                elif framing and snapshot is not None:
                    snapshot = RawSnapshot(
                        snapshot.source_file,
                        WARC.name,
                        "html",
                        b"",
                        snapshot.url,
                        snapshot.fetched_at,
                        read_error=framing,
                    )
                if snapshot is not None:
                    yield snapshot
                if _lost_sync(next_line):
                    return  # what follows is not where a record starts: the next one cannot be found
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
            number += 1
            yield RawSnapshot(
                f"{file.source_file}#{number}", WARC.name, "html", b"", read_error=f"damaged WARC: {_describe(exc)}"
            )
            return
    if complete_until < size:
        # warcio stops quietly at a cut-off record: the bytes after the last whole record are a lost record.
        yield RawSnapshot(
            f"{file.source_file}#{number + 1}",
            WARC.name,
            "html",
            b"",
            read_error=f"truncated WARC: {size - complete_until} bytes after the last complete record",
        )


# A WARC record's header block starting inside another record's payload: its Content-Length ran on.
_EMBEDDED_WARC_HEADER = re.compile(rb"\r?\n\r?\nWARC/1\.[01]\r?\n(?:[\w-]+: [^\r\n]*\r?\n)*?WARC-Type: ")


def _framing_error(next_line: bytes | None, snapshot: RawSnapshot | None, not_closed: bool) -> str | None:
    """Why a record's Content-Length does not frame it, judged from what it holds and what follows it."""
    if snapshot is not None and snapshot.read_error is None and _EMBEDDED_WARC_HEADER.search(snapshot.content):
        return "damaged WARC: Content-Length runs past the end of the record, into the next record"
    if _lost_sync(next_line):
        return (
            "damaged WARC: Content-Length is shorter than the record (no record header after it); "
            "the rest of the file is not read"
        )
    if not_closed:
        return "damaged WARC: Content-Length is shorter than the record (it is not followed by a blank line)"
    return None


def _lost_sync(next_line: bytes | None) -> bool:
    return next_line is not None and next_line != b"" and not next_line.startswith(b"WARC/")


def _warc_response(record: Any, source_file: str, cap: int) -> RawSnapshot:  # a warcio ArcWarcRecord
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = _parse_time(record.rec_headers.get_header("WARC-Date"))
    mime = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    if mime and "html" not in mime.lower() and "text" not in mime.lower():
        return RawSnapshot(
            source_file, WARC.name, "html", b"", url, fetched, read_error=f"not a text response ({mime})"
        )
    try:
        content = _read_capped(record.content_stream(), cap)
    except (OSError, EOFError, zlib.error, _TooLarge) as exc:
        return RawSnapshot(source_file, WARC.name, "html", b"", url, fetched, read_error=_describe(exc))
    content_type = "text" if "text/plain" in mime.lower() else "html"
    return RawSnapshot(source_file, WARC.name, content_type, content, url, fetched)


_CONTAINER_READERS = {WARC.name: _read_warc, JSONL.name: _read_jsonl}
