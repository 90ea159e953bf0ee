"""Where a root lives: a local folder or an object-store prefix (`s3://bucket/prefix`), as a pyarrow filesystem.

The S3 endpoint and credentials are `S3Options`, passed in: orchestration reads them from the standard
AWS variables (`AWS_ENDPOINT_URL`, an S3-compatible server such as MinIO, `http://` turning TLS off;
`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`; newsetl.settings).
What is left unset is left to the AWS SDK's own chain (a profile, the instance's role).
No newsetl-specific setting is needed.

DuckDB reaches the same objects through that filesystem (`connect_duckdb`): no extension has to be
downloaded at run time, and the catalog's views keep plain `read_parquet('s3://…')` paths, so a DuckDB
with the httpfs extension (the CLI, a BI tool) reads the same catalog with its own S3 settings.
"""

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.fs as pafs


@dataclass(frozen=True)
class S3Options:
    """Which S3 server and identity an object-store root is reached with; None leaves a value to the AWS SDK."""

    endpoint_url: str | None = None  # an S3-compatible server; `http://` turns TLS off
    region: str | None = None  # None: the bucket's own region, asked of AWS
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)

    def given(self) -> bool:
        return any(value is not None for value in vars(self).values())


def is_url(root: str | Path) -> bool:
    return "://" in str(root)


def resolve(root: str | Path, s3: S3Options = S3Options()) -> tuple[pafs.FileSystem, str]:
    """(filesystem, base path inside it): a local root is made absolute, a URL keeps its bucket/prefix."""
    if not is_url(root):
        return pafs.LocalFileSystem(), str(Path(root).expanduser().resolve())
    return _from_uri(str(root).rstrip("/"), s3)


@lru_cache(maxsize=16)
def _from_uri(uri: str, s3: S3Options) -> tuple[pafs.FileSystem, str]:
    # One client per root and options: from_uri may ask the server for the bucket's region each time.
    protocol, rest = uri.split("://", 1)
    if not s3.given() or protocol.lower() not in ("s3", "s3a"):
        filesystem, base = pafs.FileSystem.from_uri(uri)
        return filesystem, base.rstrip("/")
    bucket = rest.split("/", 1)[0]
    region = s3.region or (pafs.resolve_s3_region(bucket) if s3.endpoint_url is None else None)
    filesystem = pafs.S3FileSystem(
        access_key=s3.access_key_id,
        secret_key=s3.secret_access_key,
        session_token=s3.session_token,
        region=region,
        endpoint_override=s3.endpoint_url,
    )
    return filesystem, rest.rstrip("/")


def forget_filesystems() -> None:
    """Drop the cached object-store clients (a test that starts a new server on the same URL)."""
    _from_uri.cache_clear()


def scheme(root: str | Path) -> str:
    return str(root).split("://", 1)[0].lower() if is_url(root) else "file"


class _NativeReader(io.RawIOBase):
    """A pyarrow stream as a Python raw file, so that io.BufferedReader gives it readline and peek."""

    def __init__(self, native: pa.NativeFile) -> None:
        self._native = native

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._native.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._native.close()
        super().close()


def open_read(filesystem: pafs.FileSystem, path: str, buffer_size: int = 1 << 20) -> io.BufferedReader:
    """A buffered binary reader of one object; large reads become few requests on an object store."""
    # compression=None: the bytes as stored; pyarrow would otherwise gunzip by the name, and the readers do that.
    native = filesystem.open_input_stream(path, compression=None)
    return io.BufferedReader(_NativeReader(native), buffer_size=buffer_size)


def _fsspec_wrapper(filesystem: pafs.FileSystem, protocol: str) -> Any:  # an fsspec filesystem
    from fsspec.implementations.arrow import ArrowFSWrapper

    names = (protocol, f"{protocol}a") if protocol == "s3" else (protocol,)

    class ObjectStore(ArrowFSWrapper):
        # DuckDB routes `<protocol>://` paths to the registered filesystem with that protocol.
        protocol = names
        cachable = False

    return ObjectStore(filesystem)


def connect_duckdb(
    root: str | Path, database: str = ":memory:", read_only: bool = False, s3: S3Options = S3Options()
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that can read the warehouse at root, local or on an object store."""
    # Never fetch an extension at run time: the S3 access below needs none.
    connection = duckdb.connect(database, read_only=read_only, config={"autoinstall_known_extensions": False})
    if is_url(root):
        filesystem, _ = resolve(root, s3)
        connection.register_filesystem(_fsspec_wrapper(filesystem, scheme(root)))
    return connection


def duckdb_prefix(root: str | Path) -> str:
    """The root as DuckDB names it, ending in `/`: for allowed_directories and read_parquet globs."""
    if is_url(root):
        return str(root).rstrip("/") + "/"
    return str(Path(root).expanduser().resolve()) + "/"
