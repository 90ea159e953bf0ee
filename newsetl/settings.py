"""Every setting of newsetl, declared once: its environment variable, type, default and meaning.

`Settings` is plain data. The library never reads the environment: `orchestration.settings` builds one
`Settings` from it when a process starts (`Settings.from_environ(os.environ)`), and passes it, or the
values a function needs, into the library. Tests construct `Settings(...)` with the values they want.
The README's settings table and the deployment's list of settings are derived from `SETTINGS`
(tests/test_settings.py, tests/test_deployment.py).

Two fields are not in that table: `s3`, read from the standard AWS variables (`S3_ENVIRONMENT`), and
`tuning`, which no variable sets (chunk sizes and thresholds; tests and benchmarks pass their own).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsetl.config import DEFAULT_WAREHOUSE, SAMPLES_LANDING
from newsetl.fs import S3Options

if TYPE_CHECKING:
    from newsetl.storage import Warehouse

EXECUTORS = ("in_process", "multiprocess", "k8s")
_TRUE, _FALSE = {"on", "1", "true", "yes"}, {"off", "0", "false", "no"}


@dataclass(frozen=True)
class Setting:
    """How one field of `Settings` is read from the environment."""

    name: str  # the field of Settings
    env: str
    kind: str  # what the value is, as the README's table says it
    default_text: str  # the default, as the README's table says it
    doc: str
    parse: Callable[[str], Any]
    legacy_env: tuple[str, ...] = ()  # former names, read when `env` is unset


def _switch(env: str) -> Callable[[str], bool]:
    def parse(text: str) -> bool:
        value = text.strip().lower()
        if value in _TRUE | _FALSE:
            return value in _TRUE
        raise ValueError(f"{env}={text!r}: on or off")

    return parse


def _whole(env: str, minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise ValueError(f"{env}={text!r}: a whole number, at least {minimum}")
        return value

    return parse


def _executor(text: str) -> str:
    if text.strip() not in EXECUTORS:
        raise ValueError(f"NEWSETL_EXECUTOR must be in_process, multiprocess or k8s, not {text!r}")
    return text.strip()


def _text(text: str) -> str:
    return text


def _setting(
    default: Any, env: str, kind: str, default_text: str, doc: str, parse: Callable[[str], Any], **more: Any
) -> Any:
    """A field of Settings with how it is read; the README shows `default_text`, or the default when empty."""
    metadata = {"env": env, "kind": kind, "doc": doc, "parse": parse, "default_text": default_text or str(default)}
    return field(default=default, metadata={**metadata, **more})


# The standard AWS variable of each field of S3Options.
S3_ENVIRONMENT: dict[str, str] = {
    "endpoint_url": "AWS_ENDPOINT_URL",
    "region": "AWS_REGION",
    "access_key_id": "AWS_ACCESS_KEY_ID",
    "secret_access_key": "AWS_SECRET_ACCESS_KEY",
    "session_token": "AWS_SESSION_TOKEN",
}


@dataclass(frozen=True)
class Tuning:
    """Sizes and thresholds that trade memory and process start-up against speed. No variable sets them:
    the defaults are the product's, and tests and benchmarks pass other values."""

    # Rows of a Parquet row group, and snapshots read at a time: ~8 KB pages make ~10 MB. A chunk of
    # rows is also cut at bronze_chunk_bytes of content, however few snapshots that is.
    bronze_chunk_rows: int = 1000
    bronze_chunk_bytes: int = 64 * 2**20
    # Below this many files, starting worker processes costs more than it saves.
    bronze_parallel_threshold: int = 2000
    # Snapshots a worker cleans at a time: small enough that both cores stay busy to the end of a batch,
    # large enough that sending and receiving a chunk costs little beside cleaning it.
    silver_task_rows: int = 250
    # Text snapshots per site read to learn its repeated lines (boilerplate).
    silver_sample_per_domain: int = 2000
    # Below this many snapshots, starting worker processes costs more than it saves.
    silver_parallel_threshold: int = 1000
    # Cleaning costs about a millisecond a page and is linear in its size (a 64 MiB snapshot takes
    # seconds): a page that needs this long is pathological input, and a rejection is the right answer.
    snapshot_budget_seconds: float | None = 60.0


@dataclass(frozen=True)
class Settings:
    landing: str = _setting(
        str(SAMPLES_LANDING),
        "NEWSETL_LANDING",
        "folder or s3:// URL",
        "the bundled samples",
        "where the crawlers write raw snapshots",
        _text,
    )
    warehouse: str = _setting(
        str(DEFAULT_WAREHOUSE),
        "NEWSETL_WAREHOUSE",
        "folder or s3:// URL",
        "`<project>/warehouse`",
        "where the Parquet warehouse and its catalog live",
        _text,
    )
    catalog: str | None = _setting(
        None,
        "NEWSETL_CATALOG",
        "folder",
        "a folder per URL under `<project>/warehouse/catalogs/`",
        "the local folder of warehouse.duckdb when the warehouse is on an object store (a shared volume on Kubernetes)",
        _text,
    )
    executor: str = _setting(
        "in_process",
        "NEWSETL_EXECUTOR",
        "in_process, multiprocess or k8s",
        "",
        "how a run's steps are executed: k8s runs each step in its own pod",
        _executor,
    )
    sensor: bool = _setting(
        False,
        "NEWSETL_SENSOR",
        "on/off",
        "off",
        "start the landing_zone_sensor switched on",
        _switch("NEWSETL_SENSOR"),
    )
    workers: int | None = _setting(
        None,
        "NEWSETL_WORKERS",
        "whole number",
        "the CPUs the process may use",
        "worker processes for reading and cleaning a batch",
        _whole("NEWSETL_WORKERS", 1),
    )
    # Off by default: on the corpus validation sites the model catches 13-18% of such pages (far from
    # the 0.6 it would take to turn it on) and costs about 2.5 ms a text page, more than the rest of
    # the cleaning (see README).
    reject_non_articles: bool = _setting(
        False,
        "NEWSETL_REJECT_NON_ARTICLES",
        "on/off",
        "off",
        "reject pages the page-kind model takes for no article (listings, shops, about pages) as not_an_article",
        _switch("NEWSETL_REJECT_NON_ARTICLES"),
    )
    max_snapshot_bytes: int = _setting(
        64 * 2**20,
        "NEWSETL_MAX_SNAPSHOT_BYTES",
        "bytes",
        "67108864 (64 MiB)",
        "largest snapshot read, after decompression; a larger one is rejected",
        _whole("NEWSETL_MAX_SNAPSHOT_BYTES", 1),
    )
    frozen_max_age: int = _setting(
        3600,
        "NEWSETL_FROZEN_MAX_AGE",
        "seconds",
        "",
        "how long the frozen files of a replaced catalog are kept for readers still holding it",
        _whole("NEWSETL_FROZEN_MAX_AGE", 0),
        legacy_env=("NEWSETL_SNAPSHOT_MAX_AGE",),
    )
    cache: str | None = _setting(
        None,
        "NEWSETL_CACHE",
        "folder",
        "`$XDG_CACHE_HOME/newsetl`, else `~/.cache/newsetl`",
        "where the reports keep the Vega bundle they inline",
        _text,
    )
    s3: S3Options = S3Options()  # from the AWS variables (S3_ENVIRONMENT), not a row of the table
    tuning: Tuning = Tuning()  # set by no variable

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Settings":
        """The settings the variables of `environ` give; an unset or empty variable leaves the default."""
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            for env in (setting.env, *setting.legacy_env):
                if environ.get(env, "").strip():
                    values[setting.name] = setting.parse(environ[env])
                    break
        if "cache" not in values and (environ.get("XDG_CACHE_HOME") or environ.get("HOME")):
            # The user's cache folder; with neither variable (no user), the reports cache only in memory.
            home = environ.get("XDG_CACHE_HOME") or str(Path(environ["HOME"]) / ".cache")
            values["cache"] = str(Path(home) / "newsetl")
        s3 = {name: environ[env].strip() for name, env in S3_ENVIRONMENT.items() if environ.get(env, "").strip()}
        return cls(**values, s3=S3Options(**s3))

    def worker_count(self) -> int:
        """Worker processes for reading and cleaning a batch: `workers` when set, else the CPUs this
        process may use (affinity and cgroup quota, newsetl.cpus), not the node's core count."""
        if self.workers is not None:
            return self.workers
        from newsetl.cpus import available_cpus

        return available_cpus()

    def warehouse_store(self) -> "Warehouse":
        """The warehouse these settings name, with its catalog folder and object-store options."""
        from newsetl.storage import Warehouse

        return Warehouse(self.warehouse, catalog=self.catalog, s3=self.s3)


# What a function uses when its caller passes no settings: the declared defaults, no environment.
DEFAULTS = Settings()

SETTINGS: tuple[Setting, ...] = tuple(Setting(name=f.name, **f.metadata) for f in fields(Settings) if f.metadata)
SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
SETTINGS_BY_ENV: dict[str, Setting] = {
    env: setting for setting in SETTINGS for env in (setting.env, *setting.legacy_env)
}


def settings_table() -> str:
    """The README's table of settings, one row per setting."""
    rows = ["| Variable | Value | Default | What it does |", "| --- | --- | --- | --- |"]
    for setting in SETTINGS:
        former = f" (formerly `{'`, `'.join(setting.legacy_env)}`)" if setting.legacy_env else ""
        rows.append(f"| `{setting.env}`{former} | {setting.kind} | {setting.default_text} | {setting.doc} |")
    return "\n".join(rows)
