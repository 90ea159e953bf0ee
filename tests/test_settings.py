"""The one declaration of settings: how the environment becomes a Settings, and that it names every setting."""

import re

import pytest

from newsetl import config
from newsetl.settings import SETTINGS, SETTINGS_BY_ENV, Settings, settings_table


def test_unset_or_empty_variables_leave_the_defaults() -> None:
    settings = Settings.from_environ({"NEWSETL_WORKERS": "", "HOME": "/home/reader"})
    assert settings.landing == str(config.SAMPLES_LANDING)
    assert settings.warehouse == str(config.DEFAULT_WAREHOUSE)
    assert settings.workers is None and settings.reject_non_articles is False
    assert settings.cache == "/home/reader/.cache/newsetl"


def test_variables_are_parsed_into_their_types() -> None:
    settings = Settings.from_environ(
        {
            "NEWSETL_WORKERS": " 6 ",
            "NEWSETL_REJECT_NON_ARTICLES": "On",
            "NEWSETL_MAX_SNAPSHOT_BYTES": "1000",
            "NEWSETL_EXECUTOR": "k8s",
            "NEWSETL_CACHE": "/var/cache/x",
            "XDG_CACHE_HOME": "/ignored",
        }
    )
    assert (settings.workers, settings.reject_non_articles, settings.max_snapshot_bytes) == (6, True, 1000)
    assert (settings.executor, settings.cache) == ("k8s", "/var/cache/x")


def test_the_former_name_of_a_setting_is_read_when_the_new_one_is_unset() -> None:
    assert Settings.from_environ({"NEWSETL_SNAPSHOT_MAX_AGE": "5"}).frozen_max_age == 5
    both = {"NEWSETL_SNAPSHOT_MAX_AGE": "5", "NEWSETL_FROZEN_MAX_AGE": "7"}
    assert Settings.from_environ(both).frozen_max_age == 7


@pytest.mark.parametrize(
    "name, value",
    [("NEWSETL_WORKERS", "0"), ("NEWSETL_WORKERS", "many"), ("NEWSETL_SENSOR", "maybe"), ("NEWSETL_EXECUTOR", "x")],
)
def test_a_value_that_means_nothing_is_refused_with_its_name(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_environ({name: value})


def test_the_table_has_a_row_per_setting() -> None:
    rows = settings_table().splitlines()[2:]
    assert [re.match(r"\| `(\w+)`", row).group(1) for row in rows] == [s.env for s in SETTINGS]


def test_every_newsetl_variable_the_code_names_is_declared() -> None:
    named = set()
    for folder in ("newsetl", "orchestration", "assets"):
        for module in (config.PROJECT_ROOT / folder).rglob("*.py"):
            named |= set(re.findall(r"\bNEWSETL_[A-Z_]+\b", module.read_text(encoding="utf-8")))
    assert named - set(SETTINGS_BY_ENV) == set()


def test_the_readme_shows_the_table_of_the_declaration() -> None:
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme
