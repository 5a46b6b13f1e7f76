"""The command line in Vietnamese: status, results and errors follow the console's language, else the system
locale; English otherwise. No Qt is loaded for it (the CLI stays quick to start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guardian import cli, cli_text
from guardian.api import GuardianAPI

FAMILY = 'version = 1\n[[child]]\nname = "An"\naccounts = ["an"]\nscreen_time = "1h30m"\n'


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cli_text.use("en")


def run(home: Path, *args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, "-m", "guardian.cli", "--home", str(home), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def family_home(home: Path, api: GuardianAPI) -> Path:
    api.import_rules(FAMILY)
    return home


def test_status_follows_the_system_locale(family_home: Path) -> None:
    vi = run(family_home, "status", lang="vi_VN.UTF-8")
    assert vi.returncode == 0, vi.stderr
    assert "Dịch vụ Guardian: không chạy" in vi.stdout
    assert "An: hôm nay đã dùng 0 phút, còn 1 giờ 30 phút (bình thường)" in vi.stdout
    en = run(family_home, "status")
    assert "Agent: not running" in en.stdout and "An: 0m used today, 1h 30m left (ok)" in en.stdout


def test_the_consoles_language_wins_over_the_locale(family_home: Path, api: GuardianAPI) -> None:
    api.set_ui_language("vi")
    assert "Dịch vụ Guardian" in run(family_home, "status", lang="en_US.UTF-8").stdout
    api.set_ui_language("en")
    assert "Agent: not running" in run(family_home, "status", lang="vi_VN.UTF-8").stdout


def test_errors_are_in_vietnamese_too(family_home: Path, api: GuardianAPI) -> None:
    api.set_ui_language("vi")
    missing = run(family_home, "rules", "check", "/nonexistent/family.toml")
    assert missing.returncode == 1
    assert missing.stderr == "guardian: /nonexistent/family.toml: không có tệp này\n"
    nobody = run(family_home, "child", "erase", "Binh")
    assert "không có con nào tên 'Binh'" in nobody.stderr


def test_messages_raised_deeper_are_matched_by_template() -> None:
    assert cli_text.localized("there is no child named 'Lan'", "vi") == "không có con nào tên 'Lan'"
    assert cli_text.localized("The parent PIN is set.", "vi") == "Đã đặt mã PIN của cha mẹ."
    assert cli_text.localized("something new", "vi") == "something new"
    assert cli_text.localized("that PIN is not right", "en") == "that PIN is not right"


def test_the_locale_decides_without_a_console_setting(tmp_path: Path) -> None:
    assert cli_text.choose(tmp_path / "none.db", {"LANG": "vi_VN.UTF-8"}) == "vi"
    assert cli_text.choose(tmp_path / "none.db", {"LC_ALL": "en_GB.UTF-8", "LANG": "vi_VN"}) == "en"
    assert cli_text.choose(None, {}) == "en"
    assert not (tmp_path / "none.db").exists(), "choosing a language never creates the database"


def test_every_vietnamese_template_keeps_its_placeholders() -> None:
    import re

    for source, target in cli_text.VI.items():
        assert sorted(re.findall(r"\{(\w+)\}", source)) == sorted(re.findall(r"\{(\w+)\}", target)), source


def test_the_command_line_loads_no_qt(family_home: Path) -> None:
    code = (
        "import sys; from guardian import cli; cli.main(['--home', sys.argv[1], 'status']);"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(family_home)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_in_process_main_speaks_the_console_language(family_home: Path, api: GuardianAPI, capsys) -> None:
    api.set_ui_language("vi")
    assert cli.main(["--home", str(family_home), "status"]) == 0
    assert "Dịch vụ Guardian: không chạy" in capsys.readouterr().out
