"""What each materialization reports: row count, a markdown preview, where the data is."""

import dagster as dg
import pyarrow as pa

PREVIEW_ROWS = 10
_CELL_CHARS = 60


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def markdown_preview(table: pa.Table, columns: list[str] | None = None, rows: int = PREVIEW_ROWS) -> str:
    columns = [c for c in (columns or table.column_names) if c in table.column_names]
    if not columns:
        return "(no columns)"
    head = table.select(columns).slice(0, rows).to_pylist()
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row[c]) for c in columns) + " |" for row in head]
    if table.num_rows > rows:
        lines.append(f"\n… {table.num_rows - rows} more rows")
    return "\n".join(lines)


def table_metadata(
    table: pa.Table, path: str, preview_columns: list[str] | None = None, row_count: int | None = None, **extra
) -> dict:
    """row_count is the table's, which for a batch write differs from the rows previewed."""
    rows = table.num_rows if row_count is None else row_count
    return {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "row_count": dg.MetadataValue.int(rows),
        "path": dg.MetadataValue.path(path),
        "preview": dg.MetadataValue.md(markdown_preview(table, preview_columns)),
        **extra,
    }
