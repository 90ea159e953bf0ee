"""Every setting of newsetl, declared once: its environment variable, type, default and meaning.

`Settings` is plain data. The library never reads the environment: `orchestration.settings` builds one
`Settings` from it when a process starts (`Settings.from_environ(os.environ)`), and passes it, or the
values a function needs, into the library. Tests construct `Settings(...)` with the values they want.
The README's settings table and the deployment's list of settings are derived from `SETTINGS`
(tests/test_settings.py, tests/test_deployment.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from newsetl.config import DEFAULT_WAREHOUSE, SAMPLES_LANDING

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

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Settings":
        """The settings the variables of `environ` give; an unset or empty variable leaves the default."""
        values = {}
        for setting in SETTINGS:
            for env in (setting.env, *setting.legacy_env):
                if environ.get(env, "").strip():
                    values[setting.name] = setting.parse(environ[env])
                    break
        if "cache" not in values:
            home = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
            values["cache"] = str(Path(home) / "newsetl")
        return cls(**values)


SETTINGS: tuple[Setting, ...] = tuple(Setting(name=f.name, **f.metadata) for f in fields(Settings))
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
