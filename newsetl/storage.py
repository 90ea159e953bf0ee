"""The warehouse on disk (or object storage): Parquet tables written atomically, read back whole.

Every table is a folder `<root>/<table>/` of Parquet files. A write goes to a temporary name and is
renamed into place, so a reader, or a run killed mid-write, never sees a half-written file.
"""

import posixpath
import uuid
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from newsetl import schemas

PART_FILE = "part-0.parquet"
_TMP_SUFFIX = ".tmp"


def _is_url(root: str) -> bool:
    return "://" in root


@dataclass(frozen=True)
class Warehouse:
    root: str  # a local folder or an object-store URL such as s3://bucket/prefix

    @property
    def _fs_and_base(self) -> tuple[pafs.FileSystem, str]:
        if _is_url(self.root):
            fs, base = pafs.FileSystem.from_uri(self.root)
            return fs, base.rstrip("/")
        return pafs.LocalFileSystem(), str(self._local_root())

    def _local_root(self):
        from pathlib import Path

        return Path(self.root).expanduser().resolve()

    @property
    def is_local(self) -> bool:
        return not _is_url(self.root)

    def table_path(self, table: str) -> str:
        _, base = self._fs_and_base
        return posixpath.join(base, table)

    def table_glob(self, table: str) -> str:
        """The path DuckDB reads a table from."""
        base = self.root.rstrip("/") if not self.is_local else str(self._local_root())
        return f"{base}/{table}/**/*.parquet"

    def catalog_path(self) -> str:
        from newsetl.config import CATALOG_FILE

        return str(self._local_root() / CATALOG_FILE) if self.is_local else f"{self.root.rstrip('/')}/{CATALOG_FILE}"

    def exists(self, table: str) -> bool:
        fs, _ = self._fs_and_base
        return bool(self._parquet_files(fs, self.table_path(table)))

    def _parquet_files(self, fs: pafs.FileSystem, folder: str) -> list[str]:
        info = fs.get_file_info(pafs.FileSelector(folder, recursive=True, allow_not_found=True))
        return sorted(i.path for i in info if i.type == pafs.FileType.File and i.path.endswith(".parquet"))

    def write_table(self, table: str, data: pa.Table, partition: str | None = None) -> str:
        """Replace a table (or one `key=value` partition of it) with `data`; returns the file written.

        Delete-then-insert on the partition: re-running never duplicates rows.
        """
        schema = schemas.TABLES.get(table)
        if schema is not None:
            data = data.select(schema.names).cast(schema)
        fs, _ = self._fs_and_base
        folder = self.table_path(table) if partition is None else posixpath.join(self.table_path(table), partition)
        fs.create_dir(folder, recursive=True)
        final = posixpath.join(folder, PART_FILE)
        temporary = posixpath.join(folder, f".{uuid.uuid4().hex}{_TMP_SUFFIX}")
        pq.write_table(data, temporary, filesystem=fs, compression="zstd", row_group_size=64 * 1024)
        fs.move(temporary, final)
        # Other files in the replaced scope are rows of an earlier layout: they go after the new
        # file is in place, so a reader sees old or new rows, never none.
        scope = folder if partition is not None else self.table_path(table)
        for stale in self._parquet_files(fs, scope):
            if stale != final and (partition is not None or posixpath.dirname(stale) == folder):
                fs.delete_file(stale)
        return final

    def read_table(self, table: str, columns: list[str] | None = None) -> pa.Table:
        fs, _ = self._fs_and_base
        files = self._parquet_files(fs, self.table_path(table))
        schema = schemas.TABLES.get(table)
        if not files:
            if schema is None:
                raise FileNotFoundError(f"table {table} has no Parquet files under {self.table_path(table)}")
            empty = schema.empty_table()
            return empty.select(columns) if columns else empty
        dataset = pq.ParquetDataset(files, filesystem=fs)
        return dataset.read(columns=columns)

    def remove_stale_temporaries(self) -> int:
        """Temporary files left by a killed run; they are never read, only cleaned up."""
        fs, base = self._fs_and_base
        info = fs.get_file_info(pafs.FileSelector(base, recursive=True, allow_not_found=True))
        stale = [i.path for i in info if i.type == pafs.FileType.File and i.path.endswith(_TMP_SUFFIX)]
        for path in stale:
            fs.delete_file(path)
        return len(stale)
