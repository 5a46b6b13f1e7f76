"""Documentation stays true: every CLI command is in the README, and the README's commands exist."""

from __future__ import annotations

import argparse
from pathlib import Path

from guardian.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def commands(parser: argparse.ArgumentParser, prefix: str = "guardian") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = commands(sub, f"{prefix} {name}")
                found += nested or [f"{prefix} {name}"]
    return found


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in commands(build_parser()):
        words = command.split()
        line = next((ln for ln in readme.splitlines() if ln.startswith(" ".join(words[:2]))), None)
        assert line is not None and words[-1] in line, f"{command} is not documented in README.md"


def test_readme_commands_use_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 scripts/bootstrap.py && .venv/bin/guardian demo" in readme
    assert "python3 scripts/bootstrap.py && .venv/bin/python scripts/check.py" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 scripts/bootstrap.py && .venv/bin/python scripts/check.py" in ci
    for name in (
        "scripts/bootstrap.py",
        "scripts/check.py",
        "docs/rules-file.md",
        "docs/catalog.md",
        "docs/storage.md",
        "docs/architecture.md",
        "CHANGELOG.md",
    ):
        assert (ROOT / name).exists(), name
