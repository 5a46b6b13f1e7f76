"""Shared fixtures. Qt runs offscreen; nothing ever touches the real user data folder."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

# Qt's offscreen screen is a 1366×768 laptop, the smallest screen the console is made for.
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={Path(__file__).with_name('laptop_screen.json')}")

from tests.helpers import VN, ts

pytest_plugins = ("tests.demo_family",)  # the demo family fixtures: demo_db, family

# Tests that start real agents, X servers, accounts, namespaces or installs share the machine: with
# pytest-xdist (``scripts/check.py`` runs two workers) they all run on one worker, one after another, so a
# root agent of one test never meets another test's processes. A module joins by what it uses.
MACHINE_WIDE = (
    "agent_harness",
    "link_harness",
    "xsession",
    "child_account",
    "second_account",
    "exec_accounts",
    "deb_sandbox",
    "squat_socket",
    "useradd",
    "unshare",
    "netns",
)
_SEEN: dict[Path, bool] = {}


def machine_wide(path: Path) -> bool:
    if path not in _SEEN:
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        _SEEN[path] = any(word in text for word in MACHINE_WIDE)
    return _SEEN[path]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Every machine-wide test in one unit (started first: it is the largest), every other test on its own."""
    from xdist.scheduler import LoadScopeScheduling

    root = config.rootpath

    class MachineInOneUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "machine" if machine_wide(root / nodeid.split("::", 1)[0]) else nodeid

    return MachineInOneUnit(config, log)  # type: ignore[arg-type]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A failed test that ran a real agent on its ``home`` shows the end of that agent's log."""
    report: pytest.TestReport = yield
    home = getattr(item, "funcargs", {}).get("home")
    if report.failed and isinstance(home, Path):
        for log in sorted(home.rglob("agent*.log"))[:3]:
            with contextlib.suppress(OSError):
                tail = log.read_text(errors="replace").splitlines()[-120:]
                report.sections.append((f"{log.name} (last {len(tail)} lines)", "\n".join(tail)))
    return report


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default data location at a temporary folder."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("HOME", str(base / "home"))
    monkeypatch.delenv("GUARDIAN_HOME", raising=False)
    monkeypatch.delenv("GUARDIAN_PIN", raising=False)
    monkeypatch.delenv("GUARDIAN_NEW_PIN", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # the command line speaks English unless a test asks otherwise
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setattr(
        "guardian.paths.system_home", lambda *args, **kwargs: base / "system"
    )  # no service here


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def api(home: Path) -> Iterator[object]:
    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store

    store = Store(home / "guardian.db")
    yield GuardianAPI(store, FakeClock(now=ts("2026-11-27 18:00")), tz=VN)
    store.close()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A test that switches the UI language must not leak it into the next test."""
    yield
    if "PySide6.QtCore" in __import__("sys").modules:
        from PySide6.QtCore import QCoreApplication

        if QCoreApplication.instance() is not None:
            from guardian.ui import i18n

            i18n.install("en")


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test started; each is killed afterwards with whatever it started (``runuser``'s child)."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            try:
                family = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                family = []
            proc.kill()
            proc.wait()
            for child in family:
                with contextlib.suppress(psutil.Error):
                    child.kill()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()
