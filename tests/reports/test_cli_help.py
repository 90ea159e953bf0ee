"""Every option of the commands a newcomer meets first says what it does in `--help`."""

import argparse

import pytest

from orchestration.cli import build_parser


def _subcommand(name: str) -> argparse.ArgumentParser:
    commands = next(action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction))
    return commands.choices[name]


@pytest.mark.parametrize("command", ["run", "ui", "report"])
def test_every_option_has_help(command):
    options = [action for action in _subcommand(command)._actions if not isinstance(action, argparse._HelpAction)]
    assert options, f"newsetl {command} has options"
    unexplained = [action.option_strings or [action.dest] for action in options if not (action.help or "").strip()]
    assert not unexplained, f"newsetl {command}: options without help: {unexplained}"
