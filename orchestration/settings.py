"""The one place that reads the environment: it becomes a `newsetl.settings.Settings`, passed into the library."""

import os

from newsetl.settings import Settings


def from_environment() -> Settings:
    """The settings of this process, read now (a test's monkeypatched variables are seen)."""
    return Settings.from_environ(os.environ)
