"""`guardian` and `guardian demo` open the console window (Qt offscreen; the event loop is not entered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from guardian import cli


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> list[str]:
    """Replace the event loop: record the visible top-level windows and return at once."""
    seen: list[str] = []

    def fake_exec(self: QApplication | None = None) -> int:
        seen.extend(type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible())
        for widget in QApplication.topLevelWidgets():
            widget.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    return seen


def test_demo_builds_the_family_then_opens_the_console(
    home: Path, shown: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--home", str(home), "demo"]) == 0
    assert "Minh An" in capsys.readouterr().out
    assert "ConsoleWindow" in shown


def test_no_command_opens_the_console(home: Path, shown: list[str]) -> None:
    assert cli.main(["--home", str(home)]) == 0
    assert "ConsoleWindow" in shown


def test_without_a_display_the_demo_says_so_instead_of_crashing(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    assert cli.main(["--home", str(home), "demo"]) == 0
    assert "No display here" in capsys.readouterr().out
