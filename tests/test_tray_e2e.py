"""The child's tray as a real process beside the real agent, under Xvfb + openbox.

A warning floats a new window without taking the keyboard from the child's app; time's up covers the whole
screen; the tray outlives an agent restart; a request approved with an authenticator code gives the time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import psutil
import pytest

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.core.totp import code_at
from guardian.ipc.client import IpcClient, default_socket_path
from guardian.secrets import enrol_totp
from guardian.store import Store
from tests import xsession
from tests.agent_harness import ME, cli_json, import_rules, running_agent, wait_for
from tests.child_account import child_account
from tests.keyrings import NoKeyring

pytestmark = pytest.mark.slow

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RULES = f"""
[settings]
warn_before = ["20s"]
grace = "5s"
idle_after = "1h"

[[child]]
name = "Kid"
accounts = ["{ME}"]
screen_time = "30s"
at_limit = "notify"
"""
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
BANNER = "Guardian: time is running out"
TIMES_UP = "Guardian: time's up"


def visible(display: str, name: str) -> list[dict[str, int]]:
    """Geometry of every visible window named ``name`` (``{"X", "Y", "WIDTH", "HEIGHT", "WINDOW"}``)."""
    env = {**os.environ, "DISPLAY": display}
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.split()
    out = []
    for window in found:
        shell = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window],
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        out.append({key: int(value) for key, value in values.items() if value.lstrip("-").isdigit()})
    return out


def active_window(display: str) -> int | None:
    env = {**os.environ, "DISPLAY": display}
    out = subprocess.run(["xdotool", "getactivewindow"], env=env, capture_output=True, text=True, timeout=10)
    return int(out.stdout) if out.stdout.strip().isdigit() else None


@contextmanager
def running_tray(home: Path, display: str) -> Iterator[subprocess.Popen[bytes]]:
    log = home / "tray.log"
    env = {**os.environ, **NO_KEYRING, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    cmd = [
        sys.executable,
        "-m",
        "guardian",
        "--home",
        str(home),
        "tray",
        "--language",
        "en",
        "--pill",
        "--status-every",
        "1",
        "--verbose",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        yield proc
    finally:
        xsession.stop(proc)


def tray_log(home: Path) -> str:
    return (home / "tray.log").read_text(errors="replace")


def test_the_tray_warns_covers_the_screen_outlives_a_restart_and_gets_time_by_code(home: Path) -> None:
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    import_rules(home, RULES)
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        with Store(home / "guardian.db") as store:
            assert enrol_totp(SECRET, home, GuardianAPI(store, SystemClock())) == "file"
    finally:
        keyring.set_keyring(previous)
    with xsession.x_display() as display:
        app = xsession.start_window(display, "KidsEssay")
        xsession.activate(display, app.pid)
        essay = active_window(display)
        agent_env = {**NO_KEYRING, "DISPLAY": display}
        try:
            with running_tray(home, display) as tray:
                with running_agent(home, env=agent_env, interval=0.5):
                    wait_for(
                        "the tray to connect", lambda: "connected to the Guardian agent" in tray_log(home)
                    )
                    banner = wait_for("the warning banner", lambda: visible(display, BANNER), timeout=30)
                    assert banner[0]["WIDTH"] < 800  # a banner, not a cover
                    assert active_window(display) == essay  # the child's app keeps the keyboard
                    covers = wait_for("the time's-up screen", lambda: visible(display, TIMES_UP), timeout=40)
                    assert (covers[0]["X"], covers[0]["Y"], covers[0]["WIDTH"], covers[0]["HEIGHT"]) == (
                        0,
                        0,
                        800,
                        600,
                    )
                wait_for("the tray to notice", lambda: "the Guardian agent is unreachable" in tray_log(home))
                assert tray.poll() is None
                with running_agent(home, env=agent_env, interval=0.5):
                    wait_for(
                        "the tray to reconnect",
                        lambda: tray_log(home).count("connected to the Guardian agent") >= 2,
                    )
                    assert tray.poll() is None
                    with IpcClient(default_socket_path(home)) as child:
                        request = child.call("request_time", {"seconds": 600, "reason": "finish my essay"})
                        answer = child.call(
                            "request.approve",
                            {"request_id": request["request_id"], "code": code_at(SECRET, time.time())},
                        )
                    assert (answer["status"], answer["seconds"]) == ("approved", 600)
                    kid = wait_for(
                        "the status to show the extra time",
                        lambda: next(
                            (
                                c
                                for c in cli_json(home, "status", "--json")["children"]
                                if c["screen"]["granted_s"]
                            ),
                            None,
                        ),
                    )
                    assert kid["screen"]["granted_s"] == 600 and kid["screen"]["left_s"] > 500
                    wait_for("the time's-up screen to go", lambda: not visible(display, TIMES_UP), timeout=15)
                tray.send_signal(signal.SIGTERM)
                assert tray.wait(timeout=10) == 0
                assert "tray stopped" in tray_log(home)
        finally:
            xsession.stop(app)


@pytest.fixture
def kid() -> Iterator[str]:
    """A real second account for the child, made for this test and deleted after it."""
    with child_account("gxtr") as name:
        yield name


def test_the_childs_own_account_runs_the_tray_and_sees_the_warning_and_times_up(kid: str) -> None:
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    place = Path(tempfile.mkdtemp(prefix="guardian-tray-kid-"))
    place.chmod(0o755)
    home, own = place / "home", place / "kid"
    home.mkdir(mode=0o755)
    own.mkdir(mode=0o700)
    shutil.chown(own, kid, kid)
    import_rules(home, RULES.replace(f'accounts = ["{ME}"]', f'accounts = ["{kid}"]'))
    kid_env = {"HOME": str(own), "XDG_RUNTIME_DIR": str(own), "QT_QPA_PLATFORM": "xcb"}
    try:
        with xsession.x_display() as display:

            def as_kid(*cmd: str, log: Path | None = None) -> subprocess.Popen[bytes]:
                env = [f"{k}={v}" for k, v in {**kid_env, "DISPLAY": display}.items()]
                cmdline = ["runuser", "-u", kid, "--", "env", *env, *cmd]
                if log is None:
                    return subprocess.Popen(cmdline, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                with log.open("ab") as out:
                    return subprocess.Popen(cmdline, stdout=out, stderr=subprocess.STDOUT)

            app = as_kid("xterm", "-class", "KidsEssay", "-e", "sleep", "120")
            tray_log_path = place / "tray.log"
            tray = as_kid(
                sys.executable,
                "-m",
                "guardian",
                "--home",
                str(home),
                "tray",
                "--language",
                "en",
                "--pill",
                "--status-every",
                "1",
                "--verbose",
                log=tray_log_path,
            )
            try:
                essay_pid = wait_for(
                    "the child's xterm",
                    lambda: next(
                        (
                            p.pid
                            for p in psutil.process_iter(["name", "username"])
                            if p.info["name"] == "xterm" and p.info["username"] == kid
                        ),
                        None,
                    ),
                )
                xsession.activate(display, essay_pid)
                essay = active_window(display)
                with running_agent(home, env={**NO_KEYRING, "DISPLAY": display}, interval=0.5):
                    wait_for(
                        "the tray to connect",
                        lambda: "connected to the Guardian agent" in tray_log_path.read_text(),
                    )
                    tray_owner = wait_for(
                        "the tray process",
                        lambda: next(
                            (
                                p.info["username"]
                                for p in psutil.process_iter(["cmdline", "username"])
                                if "tray" in (p.info["cmdline"] or []) and p.info["username"] == kid
                            ),
                            None,
                        ),
                    )
                    assert tray_owner == kid
                    wait_for("the warning banner", lambda: visible(display, BANNER), timeout=30)
                    assert active_window(display) == essay
                    covers = wait_for("the time's-up screen", lambda: visible(display, TIMES_UP), timeout=40)
                    assert (covers[0]["WIDTH"], covers[0]["HEIGHT"]) == (800, 600)
            finally:
                for proc in (tray, app):
                    xsession.stop(proc)
    finally:
        shutil.rmtree(place, ignore_errors=True)
