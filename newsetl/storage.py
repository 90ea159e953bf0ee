"""The warehouse on disk (or object storage): Parquet tables written atomically, read back whole.

Every table is a folder `<root>/<table>/` of Parquet files. A write goes to a temporary name and is
renamed into place, so a reader, or a run killed mid-write, never sees a half-written file. On an
object store (`s3://bucket/prefix`) a rename is a copy and a delete, but one PUT is atomic: the file
is staged on the local disk and uploaded once to its final key when complete.

The DuckDB catalog is a local file even for an object-store warehouse (DuckDB cannot write a database
to S3): `Warehouse.catalog` names its folder (the `NEWSETL_CATALOG` setting), by default one per warehouse URL
under `./warehouse/catalogs/`.
"""

import functools
import os
import posixpath
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from newsetl import fs as filesystems
from newsetl import schemas

PART_FILE = "part-0.parquet"
_TMP_SUFFIX = ".tmp"
# Small state files of the warehouse, beside its tables (no table is named with a leading underscore).
STATE_FOLDER = "_state"
# The marker of a settled warehouse (newsetl.settled): any write to a table removes it first.
SETTLED_STATE = "settled.json"


@dataclass(frozen=True)
class Warehouse:
    root: str  # a local folder or an object-store URL such as s3://bucket/prefix
    # The local folder of warehouse.duckdb when the warehouse is on an object store; None: one per URL.
    catalog: str | None = None
    s3: filesystems.S3Options = filesystems.S3Options()  # how an object-store root is reached

    @property
    def _fs_and_base(self) -> tuple[pafs.FileSystem, str]:
        return filesystems.resolve(self.root, self.s3)

    def _local_root(self) -> Path:
        return Path(self.root).expanduser().resolve()

    @property
    def is_local(self) -> bool:
        return not filesystems.is_url(self.root)

    def table_path(self, table: str) -> str:
        _, base = self._fs_and_base
        return posixpath.join(base, table)

    def table_glob(self, table: str, partition: str | None = None) -> str:
        """The path DuckDB reads a table (or one `key=value` partition of it) from."""
        base = self.root.rstrip("/") if not self.is_local else str(self._local_root())
        return f"{base}/{table}/{partition}/*.parquet" if partition else f"{base}/{table}/**/*.parquet"

    def catalog_path(self) -> str:
        """Always a local file: inside a local warehouse, else in `catalog` or a folder named after the URL."""
        from newsetl.config import CATALOG_FILE, DEFAULT_WAREHOUSE

        if self.is_local:
            return str(self._local_root() / CATALOG_FILE)
        if self.catalog:
            return str(Path(self.catalog).expanduser().resolve() / CATALOG_FILE)
        scheme, rest = self.root.rstrip("/").split("://", 1)
        return str(DEFAULT_WAREHOUSE / "catalogs" / scheme / rest / CATALOG_FILE)

    def state_path(self, name: str) -> str:
        _, base = self._fs_and_base
        return posixpath.join(base, STATE_FOLDER, name)

    def write_state(self, name: str, body: bytes) -> None:
        """Write one state file whole: a reader sees the old body or the new one, never half of one."""
        fs, _ = self._fs_and_base
        path = self.state_path(name)
        if not self.is_local:  # one PUT is whole or absent
            with fs.open_output_stream(path) as out:
                out.write(body)
            return
        fs.create_dir(posixpath.dirname(path), recursive=True)
        temporary = f"{path}.{uuid.uuid4().hex}{_TMP_SUFFIX}"
        with fs.open_output_stream(temporary) as out:
            out.write(body)
        fs.move(temporary, path)

    def read_state(self, name: str) -> bytes | None:
        """A state file's body; None when there is none."""
        fs, _ = self._fs_and_base
        try:
            with fs.open_input_stream(self.state_path(name)) as stream:
                return stream.read()
        except FileNotFoundError:
            return None

    def delete_state(self, name: str) -> None:
        fs, _ = self._fs_and_base
        path = self.state_path(name)
        if fs.get_file_info(path).type == pafs.FileType.File:
            fs.delete_file(path)

    def unsettle(self) -> None:
        """Forget that the warehouse was settled (newsetl.settled): it is about to change."""
        self.delete_state(SETTLED_STATE)

    def exists(self, table: str, partition: str | None = None) -> bool:
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        return bool(self._parquet_files(fs, folder))

    def schema_metadata(self, table: str, partition: str | None = None) -> dict[bytes, bytes]:
        """The key-value metadata of a table (or partition) written whole: its one file's Arrow schema."""
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        files = self._parquet_files(fs, folder)
        return dict(pq.read_schema(files[0], filesystem=fs).metadata or {}) if files else {}

    def _parquet_files(self, fs: pafs.FileSystem, folder: str) -> list[str]:
        info = fs.get_file_info(pafs.FileSelector(folder, recursive=True, allow_not_found=True))
        return sorted(i.path for i in info if i.type == pafs.FileType.File and i.path.endswith(".parquet"))

    def write_table(self, table: str, data: pa.Table, partition: str | None = None) -> str:
        """Replace a table (or one `key=value` partition of it) with `data`; returns the file written.

        Delete-then-insert on the partition: re-running never duplicates rows.
        """
        schema = schemas.TABLES[table] if table in schemas.TABLES else data.schema
        with self.table_writer(table, partition, schema=schema) as writer:
            writer.write(data)
        return writer.path

    def null_counts(self, table: str, columns: list[str], partition: str | None = None) -> dict[str, int] | None:
        """Nulls per column from the Parquet footers' statistics, without reading the data;
        None when a file lacks the statistics (the caller then counts)."""
        fs, _ = self._fs_and_base
        counts = dict.fromkeys(columns, 0)
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        for path in self._parquet_files(fs, folder):
            metadata = pq.read_metadata(path, filesystem=fs)
            positions = {metadata.schema.column(i).path: i for i in range(metadata.num_columns)}
            for column in columns:
                if column not in positions:
                    return None
                for group in range(metadata.num_row_groups):
                    statistics = metadata.row_group(group).column(positions[column]).statistics
                    if statistics is None or not statistics.has_null_count:
                        return None
                    counts[column] += statistics.null_count
        return counts

    def row_count(self, table: str, partition: str | None = None) -> int:
        """Rows of a table or of one `key=value` partition, from its files' footers alone (no column is read)."""
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        return sum(pq.read_metadata(path, filesystem=fs).num_rows for path in self._parquet_files(fs, folder))

    def table_writer(self, table: str, partition: str | None = None, schema: pa.Schema | None = None) -> "TableWriter":
        """A writer that streams record batches into a temporary file and renames it into place on success."""
        schema = schema or schemas.TABLES[table]
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        return TableWriter(self, fs, folder, schema, whole_table=partition is None)

    def partitions(self, table: str, key: str) -> dict[str, float]:
        """{value: time last written} of the `key=value` partition folders a table has."""
        fs, _ = self._fs_and_base
        prefix = f"{key}="
        written: dict[str, float] = {}
        for path in self._parquet_files(fs, self.table_path(table)):
            folder = posixpath.basename(posixpath.dirname(path))
            if folder.startswith(prefix):
                mtime = fs.get_file_info(path).mtime
                value = folder[len(prefix) :]
                written[value] = max(written.get(value, 0.0), mtime.timestamp() if mtime else 0.0)
        return written

    def delete_partition(self, table: str, partition: str) -> None:
        self.unsettle()
        fs, _ = self._fs_and_base
        folder = posixpath.join(self.table_path(table), partition)
        if fs.get_file_info(folder).type == pafs.FileType.Directory:
            fs.delete_dir(folder)

    def read_table(self, table: str, columns: list[str] | None = None, partition: str | None = None) -> pa.Table:
        """A whole table, or one `key=value` partition of it; a table never written reads as empty."""
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        files = self._parquet_files(fs, folder)
        schema = schemas.TABLES.get(table)
        if not files:
            if schema is None:
                raise FileNotFoundError(f"table {table} has no Parquet files under {folder}")
            empty = schema.empty_table()
            return empty.select(columns) if columns else empty
        # Partition values live in folder names; the files themselves carry the table's columns.
        return pa.concat_tables(
            [pq.read_table(f, filesystem=fs, columns=columns, partitioning=None) for f in files],
            promote_options="permissive",
        )

    def iter_chunks(
        self, table: str, partition: str | None = None, columns: list[str] | None = None, chunk_rows: int = 2048
    ) -> Iterator[pa.RecordBatch]:
        """A table or partition in chunks (Arrow record batches) of at most `chunk_rows` rows, so large
        tables are read in bounded memory."""
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        for path in self._parquet_files(fs, folder):
            with fs.open_input_file(path) as handle:
                yield from pq.ParquetFile(handle).iter_batches(batch_size=chunk_rows, columns=columns)

    def iter_row_groups(
        self, table: str, partition: str | None, columns: list[str]
    ) -> Iterator[tuple[pa.Table, Callable[[list[str]], pa.Table]]]:
        """(columns of one Parquet row group, a function reading other columns of the same rows), row group
        by row group: a reader can look at small columns first and fetch large ones only where needed."""
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        for path in self._parquet_files(fs, folder):
            with fs.open_input_file(path) as handle:
                parquet = pq.ParquetFile(handle)
                for index in range(parquet.num_row_groups):
                    yield (
                        parquet.read_row_group(index, columns=columns),
                        functools.partial(_read_row_group, parquet, index),
                    )


def _read_row_group(parquet: pq.ParquetFile, index: int, columns: list[str]) -> pa.Table:
    return parquet.read_row_group(index, columns=columns)


class TableWriter:
    """Streams batches to a temporary Parquet file; on success renames it into place and drops stale files."""

    def __init__(self, warehouse: Warehouse, fs: pafs.FileSystem, folder: str, schema: pa.Schema, whole_table: bool):
        self._warehouse, self._fs, self._folder, self._schema = warehouse, fs, folder, schema
        self._whole_table = whole_table
        self.path = posixpath.join(folder, PART_FILE)
        self._staged = not warehouse.is_local
        if self._staged:
            # Staged on the local disk: an unfinished upload never replaces the object, a finished one does at once.
            handle, self._temporary = tempfile.mkstemp(prefix="newsetl-", suffix=f".parquet{_TMP_SUFFIX}")
            os.close(handle)
            self._temporary_fs: pafs.FileSystem = pafs.LocalFileSystem()
        else:
            self._temporary = posixpath.join(folder, f".{uuid.uuid4().hex}{_TMP_SUFFIX}")
            self._temporary_fs = fs
        self.rows = 0

    def __enter__(self) -> "TableWriter":
        self._warehouse.unsettle()
        if not self._staged:
            self._fs.create_dir(self._folder, recursive=True)  # an object store has no folders, only key prefixes
        self._writer = pq.ParquetWriter(
            self._temporary, self._schema, filesystem=self._temporary_fs, compression="zstd"
        )
        return self

    def write(self, data: pa.Table | pa.RecordBatch | list[dict]) -> None:
        if isinstance(data, list):
            data = pa.Table.from_pylist(data, schema=self._schema)
        elif isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        if data.num_rows:
            self._writer.write_table(data.select(self._schema.names).cast(self._schema))
            self.rows += data.num_rows

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._writer.close()
        if exc_type is not None:
            self._temporary_fs.delete_file(self._temporary)
            return
        if self._staged:
            try:
                pafs.copy_files(
                    self._temporary, self.path, source_filesystem=self._temporary_fs, destination_filesystem=self._fs
                )
            finally:
                self._temporary_fs.delete_file(self._temporary)
        else:
            self._fs.move(self._temporary, self.path)
        # Older files of the same scope go only after the new file is in place, so a reader sees
        # old rows or new rows, never none.
        for stale in self._warehouse._parquet_files(self._fs, self._folder):
            if stale != self.path and (not self._whole_table or posixpath.dirname(stale) == self._folder):
                self._fs.delete_file(stale)
        # Temporaries beside it are what a killed writer of this same file left: never read, now garbage.
        for info in self._fs.get_file_info(pafs.FileSelector(self._folder, recursive=False)):
            if info.type == pafs.FileType.File and info.path.endswith(_TMP_SUFFIX):
                self._fs.delete_file(info.path)
