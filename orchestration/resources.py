"""Resources, defined once and configured from the environment.

`NEWSETL_LANDING` and `NEWSETL_WAREHOUSE` choose where snapshots come from and where the
warehouse goes; unset, they default to the bundled samples and `./warehouse`.
`NEWSETL_FROZEN_MAX_AGE` (seconds, default 3600; formerly `NEWSETL_SNAPSHOT_MAX_AGE`, still read) is how
long the frozen files of a replaced catalog are kept for readers that still hold a connection to it.
"""

import os
from collections.abc import Callable

import dagster as dg

from newsetl import config, freezes
from newsetl.storage import Warehouse


class LandingZone(dg.ConfigurableResource):
    """The folder (or object-store prefix) the crawlers drop raw snapshots into."""

    root: str

    def path(self) -> str:
        return self.root


class WarehouseStore(dg.ConfigurableResource):
    """The warehouse root: Parquet tables and the DuckDB catalog over them."""

    root: str
    frozen_max_age_seconds: int = int(freezes.MAX_AGE_SECONDS)

    def store(self) -> Warehouse:
        return Warehouse(self.root)


class ProgressReporter(dg.ConfigurableResource):
    """A progress bar on the terminal for long steps; silent in the UI and in tests."""

    enabled: bool = False

    def tracker(self, description: str, total: int) -> "_Tracker":
        return _Tracker(description, total, self.enabled)


class _Tracker:
    def __init__(self, description: str, total: int, enabled: bool):
        self._progress = None
        if enabled and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            self._task = self._progress.add_task(description, total=total)

    def __enter__(self) -> Callable[[int], None]:
        progress = self._progress
        if progress is None:
            return lambda advance: None
        progress.start()
        return lambda advance: progress.advance(self._task, advance)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def _from_env(name: str, default: str) -> str | dg.EnvVar:
    """EnvVar when the variable is set (the UI then shows where the value came from), else the default."""
    return dg.EnvVar(name) if os.environ.get(name) else default


def _frozen_max_age() -> int:  # EnvVar.int gives an IntEnvVar, an int
    for name in (config.FROZEN_MAX_AGE_ENV, config.LEGACY_FROZEN_MAX_AGE_ENV):
        if os.environ.get(name):
            return dg.EnvVar.int(name)
    return int(freezes.MAX_AGE_SECONDS)


def default_resources(progress: bool = False) -> dict[str, dg.ConfigurableResource]:
    return {
        "landing": LandingZone(root=_from_env(config.LANDING_ENV, str(config.SAMPLES_LANDING))),
        "warehouse": WarehouseStore(
            root=_from_env(config.WAREHOUSE_ENV, str(config.DEFAULT_WAREHOUSE)),
            frozen_max_age_seconds=_frozen_max_age(),
        ),
        "progress": ProgressReporter(enabled=progress),
    }
