"""Lock state end to end: ``guardian tray`` on a private session bus with a fake screensaver, the real agent
under Xvfb + openbox; while the screensaver says the screen is locked the agent counts nothing, and it
counts again once it is unlocked. Once as this account, once as a real second account made for the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psutil
import pytest

from guardian.ipc.client import IpcClient, default_socket_path
from tests import xsession
from tests.agent_harness import ME, import_rules, running_agent, wait_for
from tests.child_account import child_account
from tests.dbus_harness import fake_service, need_dbus, private_bus, set_screensaver

pytestmark = pytest.mark.slow

RULES = """
[settings]
idle_after = "1h"

[[app]]
id = "essay"
name = "Essay"
category = "education"
match = {{ exe_names = ["xterm"] }}

[[child]]
name = "Kid"
accounts = ["{account}"]
screen_time = "2h"
at_limit = "notify"
"""
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def kid_status(home: Path) -> dict[str, Any]:
    """The child's part of the agent's live status; empty before the agent's first tick has evaluated it."""
    with IpcClient(default_socket_path(home)) as client:
        children = client.call("status")["children"]
    return children[0] if children else {}


def in_use(home: Path) -> list[str] | None:
    return kid_status(home).get("in_use")


def tray_cmd(home: Path) -> list[str]:
    return [sys.executable, "-m", "guardian", "--home", str(home), "tray", "--language", "en", "--pill"]


def used(home: Path) -> int:
    return int(kid_status(home).get("screen", {}).get("used_s", 0))


def check_lock(
    home: Path,
    display: str,
    bus: str,
    log: Callable[[], str],
    prefix: Sequence[str] = (),
    *,
    session_known: bool = True,
) -> None:
    """Lock and unlock through the fake screensaver; with ``session_known`` the agent stops counting while
    locked, otherwise (the OS shows the agent no session of the tray's account) it refuses the report and
    goes on counting."""
    with running_agent(home, env={**NO_KEYRING, "DISPLAY": display}, interval=0.5) as agent:
        wait_for("the tray to connect", lambda: "connected to the Guardian agent" in log(), timeout=30)
        assert "lock state from: org.freedesktop.ScreenSaver" in log()
        assert "screen is unlocked" in log()
        wait_for("the agent to count the child's time", lambda: in_use(home) == ["essay"], timeout=20)
        set_screensaver(bus, True, prefix)
        wait_for("the tray to see the lock", lambda: "screen is locked" in log())
        if not session_known:
            at_lock = used(home)
            wait_for("the agent to go on counting", lambda: used(home) >= at_lock + 3, timeout=20)
            assert in_use(home) == ["essay"]
            refused = agent.log.read_text(errors="replace")
            assert "refused a session report from account" in refused and "unknown_session" in refused
            return
        # the agent's own X11 idle reading must show nobody at the keyboard for 10 s (nobody types on Xvfb)
        wait_for("the agent to stop counting", lambda: in_use(home) == [], timeout=30)
        at_lock = used(home)
        set_screensaver(bus, False, prefix)
        wait_for(
            "the tray to see the unlock", lambda: "screen is unlocked" in log().split("screen is locked")[-1]
        )
        wait_for("the agent to count again", lambda: in_use(home) == ["essay"], timeout=20)
        wait_for("the time to grow again", lambda: used(home) > at_lock, timeout=20)


def test_a_locked_screen_stops_screen_time_as_the_tray_reports_it(home: Path) -> None:
    need_dbus()
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    import_rules(home, RULES.format(account=ME))
    log_path = home / "tray.log"
    with xsession.x_display() as display, private_bus() as bus, fake_service(bus, "screensaver"):
        app = xsession.start_window(display, "KidsEssay")
        xsession.activate(display, app.pid)
        env = {
            **os.environ,
            **NO_KEYRING,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "DBUS_SESSION_BUS_ADDRESS": bus,
        }
        with log_path.open("ab") as out:
            tray = subprocess.Popen(
                [*tray_cmd(home), "--verbose"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        try:
            check_lock(home, display, bus, lambda: log_path.read_text(errors="replace"))
        finally:
            xsession.stop(tray)
            xsession.stop(app)


@pytest.fixture
def kid() -> Iterator[str]:
    """A real second account for the child, made for this test and deleted after it."""
    with child_account("gxtray") as name:
        yield name


def test_the_childs_own_tray_reports_the_lock_and_the_agent_weighs_it_by_its_session(kid: str) -> None:
    need_dbus()
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    place = Path(tempfile.mkdtemp(prefix="guardian-tray-lock-"))
    place.chmod(0o755)
    home, own = place / "home", place / "kid"
    home.mkdir(mode=0o755)
    own.mkdir(mode=0o700)
    shutil.chown(own, kid, kid)
    import_rules(home, RULES.format(account=kid))
    as_kid = ["runuser", "-u", kid, "--"]
    log_path = place / "tray.log"
    procs: list[subprocess.Popen[Any]] = []
    try:
        with (
            xsession.x_display() as display,
            private_bus(as_kid) as bus,
            fake_service(bus, "screensaver", prefix=as_kid),
        ):
            env = {
                "HOME": str(own),
                "XDG_RUNTIME_DIR": str(own),
                "QT_QPA_PLATFORM": "xcb",
                "DISPLAY": display,
            }
            env_args = [f"{k}={v}" for k, v in {**env, "DBUS_SESSION_BUS_ADDRESS": bus}.items()]
            procs.append(
                subprocess.Popen(
                    [*as_kid, "env", *env_args, "xterm", "-class", "KidsEssay", "-e", "sleep", "300"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            with log_path.open("ab") as out:
                procs.append(
                    subprocess.Popen(
                        [*as_kid, "env", *env_args, *tray_cmd(home), "--verbose"],
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            essay = wait_for(
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
            xsession.activate(display, essay)
            # No logind nor utmp here: the OS shows the agent no session of the child's account, so the agent
            # refuses its tray's reports (fail closed) and counts on. That the agent believes the lock of a
            # session the OS shows the account has: the test above and tests/test_agent_stages.py.
            check_lock(
                home, display, bus, lambda: log_path.read_text(errors="replace"), as_kid, session_known=False
            )
    finally:
        for proc in procs:
            xsession.stop(proc)
        shutil.rmtree(place, ignore_errors=True)
