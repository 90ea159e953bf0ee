"""The one declaration of settings: how the environment becomes a Settings, and that it names every setting."""

import re

import pytest

from newsetl import config
from newsetl.fs import S3Options
from newsetl.settings import DEFAULTS, SETTINGS, SETTINGS_BY_ENV, Settings, settings_table


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


def test_the_aws_variables_give_the_s3_options_and_are_no_row_of_the_table() -> None:
    settings = Settings.from_environ({"AWS_ENDPOINT_URL": "http://minio:9000", "AWS_ACCESS_KEY_ID": "k"})
    assert settings.s3 == S3Options(endpoint_url="http://minio:9000", access_key_id="k")
    assert Settings.from_environ({}).s3 == S3Options() and not S3Options().given()
    assert "AWS_" not in settings_table() and {"s3", "tuning"}.isdisjoint(s.name for s in SETTINGS)


def test_a_secret_is_not_shown_in_the_settings_repr() -> None:
    settings = Settings(s3=S3Options(access_key_id="key-id", secret_access_key="hush", session_token="hush too"))
    assert "key-id" in repr(settings) and "hush" not in repr(settings)


def test_no_environment_gives_the_declared_defaults() -> None:
    assert Settings.from_environ({}) == Settings() == DEFAULTS


ROUND_TRIPS = [
    Settings(),
    Settings.from_environ({"HOME": "/home/reader"}),
    Settings(
        landing="s3://crawl/landing",
        warehouse="s3://news/warehouse",
        catalog="/var/lib/newsetl",
        executor="k8s",
        sensor=True,
        workers=3,
        reject_non_articles=True,
        max_snapshot_bytes=1000,
        frozen_max_age=0,
        cache="/var/cache/newsetl",
        s3=S3Options("http://minio:9000", "eu-west-1", "key-id", "secret", "token"),
    ),
]


@pytest.mark.parametrize("settings", ROUND_TRIPS)
def test_the_environment_of_settings_gives_them_back(settings: Settings) -> None:
    from orchestration.settings import environ_of

    assert Settings.from_environ(environ_of(settings)) == settings


def test_a_child_gets_the_settings_in_place_of_the_parents_variables() -> None:
    from orchestration.settings import child_environ

    parent = {"PATH": "/bin", "NEWSETL_WORKERS": "8", "NEWSETL_SNAPSHOT_MAX_AGE": "5", "AWS_SESSION_TOKEN": "old"}
    child = child_environ(Settings(landing="/crawl"), parent, DAGSTER_HOME="/home/dagster")
    assert child["PATH"] == "/bin" and child["DAGSTER_HOME"] == "/home/dagster"
    assert child["NEWSETL_LANDING"] == "/crawl"
    assert {"NEWSETL_WORKERS", "NEWSETL_SNAPSHOT_MAX_AGE", "AWS_SESSION_TOKEN"}.isdisjoint(child)
    assert Settings.from_environ(child) == Settings(landing="/crawl")


def test_the_settings_resource_has_a_field_per_setting() -> None:
    from dataclasses import fields

    from orchestration.resources import PipelineSettings

    expected = {s.name for s in SETTINGS} | {f"s3_{f.name}" for f in fields(S3Options)}
    assert set(PipelineSettings.model_fields) == expected


@pytest.mark.parametrize("settings", ROUND_TRIPS)
def test_the_settings_resource_gives_the_settings_back(settings: Settings) -> None:
    from orchestration.resources import PipelineSettings

    assert PipelineSettings.of(settings).to_settings() == settings


def test_the_settings_resource_names_the_variables_that_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import dagster as dg

    from orchestration.resources import PipelineSettings

    for name in ("NEWSETL_WORKERS", "NEWSETL_FROZEN_MAX_AGE", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSETL_SNAPSHOT_MAX_AGE", "5")  # the former name, still read
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "hush")
    resource = PipelineSettings.from_environment()
    assert resource.frozen_max_age == dg.EnvVar("NEWSETL_SNAPSHOT_MAX_AGE")
    assert resource.s3_secret_access_key == dg.EnvVar("AWS_SECRET_ACCESS_KEY")
    assert resource.workers is None and resource.max_snapshot_bytes == str(Settings().max_snapshot_bytes)


def test_worker_count_is_the_setting_else_the_cpus_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsetl import cpus

    monkeypatch.setattr(cpus, "available_cpus", lambda: 3)
    assert Settings().worker_count() == 3
    assert Settings(workers=5).worker_count() == 5
