"""`newsetl report` as the user calls it: through an argparse parser like cli.py's."""

import argparse
from pathlib import Path

import pytest

from orchestration import report_cli


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="newsetl")
    report_cli.add_report_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_report_writes_the_files_and_says_where(tiny_warehouse, capsys):
    assert _run(["report", "--warehouse", tiny_warehouse.root]) == 0
    out = capsys.readouterr().out
    page = Path(tiny_warehouse.root) / "reports" / "index.html"
    assert page.exists()
    assert f"report: {page}" in out
    assert "country_co_mentions.png" in out


def test_report_takes_the_warehouse_from_the_environment(tiny_warehouse, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSETL_WAREHOUSE", tiny_warehouse.root)
    assert _run(["report", "--lang", "zh", "--top", "2", "--grain", "day", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").exists()
    assert not (Path(tiny_warehouse.root) / "reports").exists()


def test_open_hands_the_page_to_the_browser(tiny_warehouse, monkeypatch):
    opened = []
    monkeypatch.setattr(report_cli.webbrowser, "open", lambda url: opened.append(url) or True)
    assert _run(["report", "--warehouse", tiny_warehouse.root, "--open"]) == 0
    assert opened == [(Path(tiny_warehouse.root) / "reports" / "index.html").as_uri()]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--lang", "not-a-language"], "not a language code"),
        (["--top", "0"], "at least 1"),
    ],
)
def test_bad_options_are_refused(tiny_warehouse, capsys, argv, message):
    assert _run(["report", "--warehouse", tiny_warehouse.root, *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_warehouse_never_run_is_explained(tmp_path, capsys):
    assert _run(["report", "--warehouse", str(tmp_path)]) == 2
    assert "run `newsetl run` first" in capsys.readouterr().err


def test_without_a_browser_open_says_so_and_still_succeeds(tiny_warehouse, monkeypatch, capsys):
    monkeypatch.setattr(report_cli.webbrowser, "open", lambda url: False)
    assert _run(["report", "--warehouse", tiny_warehouse.root, "--open"]) == 0
    assert "no browser" in capsys.readouterr().err


def test_an_object_store_warehouse_needs_a_local_folder(capsys):
    assert _run(["report", "--warehouse", "s3://bucket/warehouse"]) == 2
    assert "--out" in capsys.readouterr().err
