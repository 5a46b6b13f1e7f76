"""Installing the protected service from a normal account: the administrator prompt of each OS (pkexec run
for real with a fake on PATH; UAC and osascript written and faked), and the family carried along."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

import pytest

from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.service_install import carry, elevate
from guardian.service_install.command import run
from guardian.service_install.elevate import (
    CANCELLED,
    DONE,
    FAILED,
    REFUSED,
    UNAVAILABLE,
    classify,
    elevated_command,
    run_elevated,
)
from guardian.service_install.plan import RecordingHost
from guardian.store import Store
from tests.fake_pkexec import FakePkexec

RULES = 'version = 1\n[[child]]\nname = "An"\naccounts = ["an"]\nscreen_time = { default = "2h" }\n'


@pytest.fixture
def pkexec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePkexec:
    return FakePkexec(tmp_path, monkeypatch)


def test_pkexec_runs_this_guardian_with_the_install_arguments(pkexec: FakePkexec) -> None:
    pkexec.answer(0, "Installed Guardian's protected service; data in /var/lib/guardian.")
    result = run_elevated(["service", "install", "--from", "/home/p/.local/share/guardian"], platform="linux")
    assert result.outcome == DONE
    assert pkexec.args == [
        str(Path(sys.executable).absolute()),
        "-m",
        "guardian.cli",
        "service",
        "install",
        "--from",
        "/home/p/.local/share/guardian",
    ]


@pytest.mark.parametrize(
    ("code", "say", "outcome"),
    [
        (126, "Error executing command as another user: Request dismissed", CANCELLED),
        (127, "Error executing command as another user: Not authorized", REFUSED),
        (1, "guardian: 'systemctl enable --now guardian-agent.service' failed (1): no unit", FAILED),
    ],
)
def test_each_answer_at_the_prompt_is_reported_as_it_was(
    pkexec: FakePkexec, code: int, say: str, outcome: str
) -> None:
    pkexec.answer(code, say)
    result = run_elevated(["service", "install"], platform="linux")
    assert (result.outcome, result.code, result.message) == (outcome, code, say)


def test_without_pkexec_nothing_runs_and_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_elevated(["service", "install"], platform="linux")
    assert result.outcome == UNAVAILABLE and "pkexec" in result.message


def test_the_command_pkexec_runs_is_a_working_guardian(pkexec: FakePkexec) -> None:
    """The fake pkexec runs what it was given (as root, as pkexec would): a dry run of the install."""
    pkexec.answer(run=True)
    result = run_elevated(["service", "install", "--dry-run"], platform="linux")
    assert result.outcome == DONE, result.output
    assert "Would install (system mode)" in result.output


def test_windows_asks_through_uac_and_tells_a_cancel_from_a_failure() -> None:
    seen: list[list[str]] = []

    def uac(answer: int) -> elevate.Runner:
        def run(command: list[str]) -> tuple[int, str]:
            seen.append(command)
            return answer, "" if answer != 1 else "The service could not be created."

        return run

    program = ["C:\\Program Files\\Guardian\\guardian.exe"]
    cancelled = run_elevated(["service", "install"], platform="win32", program=program, run=uac(1223))
    assert cancelled.outcome == CANCELLED
    command = seen[0]
    assert command[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command"]
    assert (
        "-FilePath 'C:\\Program Files\\Guardian\\guardian.exe' -ArgumentList 'service','install'"
        in command[4]
    )
    assert "-Verb RunAs" in command[4] and "exit 1223" in command[4]
    failed = run_elevated(["service", "install"], platform="win32", program=program, run=uac(1))
    assert (failed.outcome, failed.message) == (FAILED, "The service could not be created.")
    assert run_elevated(["service", "install"], platform="win32", program=program, run=uac(0)).outcome == DONE


def test_macos_asks_through_osascript_with_administrator_privileges() -> None:
    command = elevated_command(
        "darwin", ["/Applications/Guardian.app/guardian"], ["service", "install", "--from", 'a "b"']
    )
    assert command[:2] == ["osascript", "-e"]
    assert command[2] == (
        'do shell script "/Applications/Guardian.app/guardian service install --from \'a \\"b\\"\' 2>&1" '
        "with administrator privileges"
    )
    assert classify("darwin", 1, "execution error: User canceled. (-128)").outcome == CANCELLED
    assert classify("darwin", 1, "execution error: guardian: no (1)").outcome == FAILED


def test_the_family_comes_along_into_the_service_folder(tmp_path: Path) -> None:
    personal, service = tmp_path / "personal", tmp_path / "service"
    service.mkdir()
    api = GuardianAPI.open(personal / "guardian.db", FakeClock())
    api.import_rules(RULES, "test")
    api.set_pin("parent", "2468")
    api.close()
    line = carry.carry_family(personal, service)
    assert "brought the family's rules, PINs and records" in line
    db = service / "guardian.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((service / "guardian-rules.toml").stat().st_mode) == 0o600
    with Store(db) as store:
        moved = GuardianAPI(store, FakeClock())
        assert [c.name for c in moved.rules().children] == ["An"]
        assert moved.verify_pin("2468") == "parent"
    os.utime(db, (1, 1))
    assert "kept the database already" in carry.carry_family(personal, service)
    assert db.stat().st_mtime == 1, "a service's own database is never replaced"


def test_install_from_brings_the_family_before_the_service_starts(capsys: pytest.CaptureFixture[str]) -> None:
    host = RecordingHost()
    args = argparse.Namespace(
        action="install", personal=False, program="/opt/guardian/guardian", from_home="/home/p/guardian"
    )
    assert run(args, host, platform="darwin") == 0
    assert host.carried == [(Path("/home/p/guardian"), Path("/Library/Application Support/Guardian"))]
    assert "brought the family from /home/p/guardian" in capsys.readouterr().out
    personal = argparse.Namespace(action="install", personal=True, program="g", from_home="/home/p/guardian")
    own = RecordingHost(admin=False)
    assert run(personal, own, platform="darwin") == 0
    assert own.carried == [], "personal mode keeps its own folder"
