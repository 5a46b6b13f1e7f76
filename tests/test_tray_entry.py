"""``guardian tray`` is a lean process: its entry imports only what the tray needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guardian.entry import is_tray

SNIPPET = """
import json, logging, os, signal, sys

class Started(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("tray running"):
            with open(sys.argv[1], "w") as out:
                json.dump(sorted(sys.modules), out)
            from PySide6.QtCore import QTimer  # the tray is started: stop it once its loop runs

            QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))

logging.getLogger("guardian.tray").addHandler(Started())
from guardian.entry import main
raise SystemExit(main(sys.argv[2:]))
"""
NEVER = (
    "sqlite3",
    "sqlite_utils",
    "click",
    "pluggy",
    "guardian.store",
    "guardian.api",
    "guardian.agent",
    "guardian.cli",
    "guardian.summaries",
    "guardian.demo",
    "guardian.secrets",
    "keyring",
    "psutil",
    "guardian.ui.console",
)


def test_the_tray_command_is_told_apart() -> None:
    assert (
        is_tray(["tray"]) and is_tray(["--home", "/x", "tray", "--pill"]) and is_tray(["--home=/x", "tray"])
    )
    assert not is_tray([]) and not is_tray(["status"]) and not is_tray(["--version"])
    assert not is_tray(["rules", "import", "tray"]) and not is_tray(["--home", "tray", "status"])


def test_the_tray_entry_starts_without_the_store_the_api_or_the_agent(tmp_path: Path) -> None:
    dump = tmp_path / "modules.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent",
    }
    env.pop("DISPLAY", None)
    args = ["--home", str(tmp_path / "home"), "tray", "--language", "en", "--pill"]
    done = subprocess.run(
        [sys.executable, "-c", SNIPPET, str(dump), *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(dump.read_text()))
    assert "guardian.tray_main" in modules and "guardian.ui.tray.app" in modules, "the tray did start"
    loaded = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in NEVER))
    assert loaded == []


@pytest.mark.parametrize("argv", [["tray", "--help"], ["--home", "/x", "tray", "--help"]])
def test_the_lean_entry_takes_the_clis_tray_options(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from guardian.cli import build_parser
    from guardian.tray_main import build_parser as tray_parser

    def options(parser: object) -> set[str]:
        sub = next(a for a in parser._actions if a.dest == "command")  # type: ignore[attr-defined]
        tray = sub.choices["tray"]
        return {s for a in tray._actions for s in a.option_strings}

    assert options(tray_parser()) == options(build_parser())
    with pytest.raises(SystemExit) as stop:
        tray_parser().parse_args(argv)
    assert stop.value.code == 0 and "--status-every" in capsys.readouterr().out
