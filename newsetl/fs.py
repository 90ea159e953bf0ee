"""Where a root lives: a local folder or an object-store prefix (`s3://bucket/prefix`), as a pyarrow filesystem.

The S3 endpoint and credentials come from the standard AWS settings, which pyarrow reads itself:
`AWS_ENDPOINT_URL` (an S3-compatible server such as MinIO; `http://` turns TLS off),
`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, or the instance's
role when no key is set. No newsetl-specific setting is needed.

DuckDB reaches the same objects through that filesystem (`connect_duckdb`): no extension has to be
downloaded at run time, and the catalog's views keep plain `read_parquet('s3://…')` paths, so a DuckDB
with the httpfs extension (the CLI, a BI tool) reads the same catalog with its own S3 settings.
"""

import io
import os
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow.fs as pafs

# The settings that change which server and which identity an S3 filesystem talks to.
_S3_SETTINGS = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_PROFILE",
)


def is_url(root: str | Path) -> bool:
    return "://" in str(root)


def resolve(root: str | Path) -> tuple[pafs.FileSystem, str]:
    """(filesystem, base path inside it): a local root is made absolute, a URL keeps its bucket/prefix."""
    if not is_url(root):
        return pafs.LocalFileSystem(), str(Path(root).expanduser().resolve())
    return _from_uri(str(root).rstrip("/"), tuple(os.environ.get(name) for name in _S3_SETTINGS))


@lru_cache(maxsize=16)
def _from_uri(uri: str, _settings: tuple) -> tuple[pafs.FileSystem, str]:
    # One client per root and settings: from_uri may ask the server for the bucket's region each time.
    filesystem, base = pafs.FileSystem.from_uri(uri)
    return filesystem, base.rstrip("/")


def scheme(root: str | Path) -> str:
    return str(root).split("://", 1)[0].lower() if is_url(root) else "file"


class _NativeReader(io.RawIOBase):
    """A pyarrow stream as a Python raw file, so that io.BufferedReader gives it readline and peek."""

    def __init__(self, native):
        self._native = native

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
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


def _fsspec_wrapper(filesystem: pafs.FileSystem, protocol: str):
    from fsspec.implementations.arrow import ArrowFSWrapper

    names = (protocol, f"{protocol}a") if protocol == "s3" else (protocol,)

    class ObjectStore(ArrowFSWrapper):
        # DuckDB routes `<protocol>://` paths to the registered filesystem with that protocol.
        protocol = names
        cachable = False

    return ObjectStore(filesystem)


def connect_duckdb(root: str | Path, database: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that can read the warehouse at root, local or on an object store."""
    # Never fetch an extension at run time: the S3 access below needs none.
    connection = duckdb.connect(database, read_only=read_only, config={"autoinstall_known_extensions": False})
    if is_url(root):
        filesystem, _ = resolve(root)
        connection.register_filesystem(_fsspec_wrapper(filesystem, scheme(root)))
    return connection


def duckdb_prefix(root: str | Path) -> str:
    """The root as DuckDB names it, ending in `/`: for allowed_directories and read_parquet globs."""
    if is_url(root):
        return str(root).rstrip("/") + "/"
    return str(Path(root).expanduser().resolve()) + "/"
