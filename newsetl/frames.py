"""Arrow tables as Polars frames."""

import polars as pl
import pyarrow as pa


def frame_of(table: pa.Table) -> pl.DataFrame:
    """The table as a DataFrame, zero-copy like `pl.from_arrow` (`pl.DataFrame(table)` would rechunk).

    `pl.from_arrow` is typed `DataFrame | Series` since pyarrow has no types to tell a table from an
    array by; a table always gives a DataFrame."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
