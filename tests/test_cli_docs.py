"""docs/cli.md documents every command, every flag and every exit status of the real parser."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from guardian import cli
from guardian.cli import build_parser

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def leaf_parsers(
    parser: argparse.ArgumentParser, prefix: str = "guardian"
) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= leaf_parsers(sub, f"{prefix} {name}") or {f"{prefix} {name}": sub}
    return found


def section(text: str, heading: str) -> str:
    """The part of ``text`` under ``## heading`` (up to the next ``## ``)."""
    match = re.search(rf"^## {re.escape(heading)}\b.*?$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match is not None, f"docs/cli.md has no section '## {heading}'"
    return match.group(1)


def test_every_command_has_a_section_naming_each_of_its_flags() -> None:
    text = DOC.read_text(encoding="utf-8")
    commands = leaf_parsers(build_parser())
    assert len(commands) >= 7
    for command, parser in commands.items():
        body = section(text, command)
        for action in parser._actions:
            for flag in action.option_strings:
                if flag in ("-h", "--help", "--home"):
                    continue
                assert f"`{flag}" in body, f"{command} {flag} is not documented in docs/cli.md"
        positionals = [a.dest.upper() for a in parser._actions if not a.option_strings]
        heading = next(line for line in text.splitlines() if line.startswith(f"## {command}"))
        for name in positionals:
            assert name in heading, f"{command}: argument {name} missing from its heading"


def test_flags_of_every_command_and_exit_statuses_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    everywhere = section(text, "Everywhere")
    for flag in ("--home", "--help", "--version"):
        assert f"`{flag}" in everywhere
    statuses = section(text, "Exit statuses")
    for code in (
        0,
        cli.EXIT_USER_ERROR,
        cli.EXIT_USAGE,
        cli.EXIT_BUG,
        cli.EXIT_INTERRUPTED,
        cli.EXIT_BROKEN_PIPE,
    ):
        assert re.search(rf"^\| {code} \|", statuses, flags=re.M), f"exit status {code} is not documented"


def test_the_module_names_a_document_that_exists() -> None:
    assert "docs/cli.md" in (cli.__doc__ or "") and DOC.is_file()
