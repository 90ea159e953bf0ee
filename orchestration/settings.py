"""The one place that reads the environment: it becomes a `newsetl.settings.Settings`, passed into the library.

A process builds its Settings once (`from_environment`); what it changes (the command line's
--landing, the eval's scratch warehouse) is a `dataclasses.replace` of it. A child process that must
see the same settings (a `dagster dev`, a sealed query) gets them as its environment (`child_environ`).
"""

import os
from collections.abc import Mapping
from dataclasses import fields

from newsetl.fs import S3Options
from newsetl.settings import S3_ENVIRONMENT, SETTINGS, Settings


def from_environment() -> Settings:
    """The settings of this process, read now (a test's monkeypatched variables are seen)."""
    return Settings.from_environ(os.environ)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def environ_of(settings: Settings) -> dict[str, str]:
    """The variables that give `settings` back (`Settings.from_environ(environ_of(s)) == s`, the tuning
    aside, which no variable sets); a value left None has no variable."""
    environ = {}
    for setting in SETTINGS:
        value = getattr(settings, setting.name)
        if value is not None:
            environ[setting.env] = _text(value)
    for field in fields(S3Options):
        value = getattr(settings.s3, field.name)
        if value is not None:
            environ[S3_ENVIRONMENT[field.name]] = value
    return environ


# Every variable a Settings is read from: a child's environment drops them all before it gets its own.
SETTINGS_VARIABLES: tuple[str, ...] = tuple(
    [env for setting in SETTINGS for env in (setting.env, *setting.legacy_env)] + list(S3_ENVIRONMENT.values())
)


def child_environ(settings: Settings, base: Mapping[str, str] = os.environ, **extra: str) -> dict[str, str]:
    """The environment of a child process that must run with `settings`: `base` (PATH, HOME, ...) with
    every setting's variable replaced by those of `settings`, then `extra`."""
    environ = {name: value for name, value in base.items() if name not in SETTINGS_VARIABLES}
    return {**environ, **environ_of(settings), **extra}
