"""Resources, defined once and configured from the environment.

`PipelineSettings` holds every setting (newsetl.settings), each as the text of its variable: a
`dg.EnvVar` where the variable is set (the UI then shows where the value came from and never shows a
key), the value of a `Settings` otherwise. The landing zone and the warehouse resources share that one
resource, and the assets take their settings from it.
"""

import os
from collections.abc import Callable
from dataclasses import fields

import dagster as dg

from newsetl.fs import S3Options
from newsetl.settings import S3_ENVIRONMENT, SETTINGS, Settings
from newsetl.storage import Warehouse
from orchestration.settings import environ_of, from_environment

# The variable each field of PipelineSettings is the text of.
_VARIABLE_OF_FIELD: dict[str, str] = {setting.name: setting.env for setting in SETTINGS} | {
    f"s3_{field.name}": S3_ENVIRONMENT[field.name] for field in fields(S3Options)
}


class PipelineSettings(dg.ConfigurableResource):
    """Every setting of newsetl.settings.Settings (the tuning aside), as the text of its variable; None
    leaves its default. `to_settings()` parses them as Settings.from_environ does."""

    landing: str | None = None
    warehouse: str | None = None
    catalog: str | None = None
    executor: str | None = None
    sensor: str | None = None
    workers: str | None = None
    reject_non_articles: str | None = None
    max_snapshot_bytes: str | None = None
    frozen_max_age: str | None = None
    cache: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_session_token: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> "PipelineSettings":
        """The resource that gives `settings` back (its tuning aside)."""
        environ = environ_of(settings)
        return cls(**{name: environ[env] for name, env in _VARIABLE_OF_FIELD.items() if env in environ})

    @classmethod
    def from_environment(cls) -> "PipelineSettings":
        """EnvVar for every variable set in this process, the settings' defaults for the others."""
        defaults = environ_of(from_environment())
        values: dict[str, str | dg.EnvVar] = {}
        for name, env in _VARIABLE_OF_FIELD.items():
            setting = next((s for s in SETTINGS if s.name == name), None)
            names = (env, *setting.legacy_env) if setting else (env,)
            given = next((candidate for candidate in names if os.environ.get(candidate, "").strip()), None)
            if given is not None:
                values[name] = dg.EnvVar(given)
            elif env in defaults:
                values[name] = defaults[env]
        return cls(**values)

    def to_settings(self) -> Settings:
        texts = {env: getattr(self, name) for name, env in _VARIABLE_OF_FIELD.items()}
        return Settings.from_environ({env: text for env, text in texts.items() if text is not None})


class LandingZone(dg.ConfigurableResource):
    """The folder (or object-store prefix) the crawlers drop raw snapshots into (Settings.landing)."""

    settings: PipelineSettings

    def path(self) -> str:
        return self.settings.to_settings().landing


class WarehouseStore(dg.ConfigurableResource):
    """The warehouse: Parquet tables and the DuckDB catalog over them (Settings.warehouse, .catalog, .s3)."""

    settings: PipelineSettings

    def store(self) -> Warehouse:
        return self.settings.to_settings().warehouse_store()

    def run_settings(self) -> Settings:
        """The settings the warehouse's writers run with (workers, limits, ...)."""
        return self.settings.to_settings()


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


def default_resources(settings: Settings | None = None, progress: bool = False) -> dict[str, dg.ConfigurableResource]:
    """The resources of the definitions: those of `settings`, else of this process's environment."""
    shared = PipelineSettings.of(settings) if settings is not None else PipelineSettings.from_environment()
    return {
        "landing": LandingZone(settings=shared),
        "warehouse": WarehouseStore(settings=shared),
        "progress": ProgressReporter(enabled=progress),
    }
