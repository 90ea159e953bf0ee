"""What a report run can be asked for: kept free of the chart and query libraries, so that the CLI's
parser (which shows these defaults) is built without importing them."""

from dataclasses import dataclass

DEFAULT_LANG = "en"
GRAINS = ("auto", "day", "week")


@dataclass(frozen=True)
class ReportOptions:
    lang: str = DEFAULT_LANG
    top_n: int = 10  # countries drawn by name; the rest fold into "other"
    matrix_top_n: int = 15  # countries in the co-mention matrix
    top_outlets: int = 10
    grain: str = "auto"

    def __post_init__(self) -> None:
        if self.grain not in GRAINS:
            raise ValueError(f"grain must be one of {', '.join(GRAINS)}, not {self.grain!r}")
        if min(self.top_n, self.matrix_top_n, self.top_outlets) < 1:
            raise ValueError("top_n, matrix_top_n and top_outlets must be at least 1")
