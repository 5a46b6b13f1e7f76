"""A child moving the wall clock a day forward and back neither resets nor doubles usage; both jumps are logged.

The agent runs under libfaketime with the monotonic clock left real, so only the wall clock jumps.
"""

from __future__ import annotations

import glob
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.store import Store
from tests.agent_harness import app_binary, cli_json, family, import_rules, running_agent, wait_for

pytestmark = pytest.mark.slow
LIBS = glob.glob("/usr/lib/*/faketime/libfaketime.so.1") + glob.glob("/usr/lib/faketime/libfaketime.so.1")


@pytest.fixture
def app() -> Iterator[subprocess.Popen[bytes]]:
    folder = Path(tempfile.mkdtemp(prefix="guardian-clock-"))
    proc = subprocess.Popen([str(app_binary(folder, "guardian-free-app")), "600"])
    yield proc
    proc.kill()
    proc.wait()


def used(home: Path) -> int:
    report = cli_json(
        home, "report", "--format", "json", "--child", "Kid", "--from", time.strftime("%Y-%m-%d")
    )
    return int(report["children"][0]["days"][-1]["apps"].get("free-game", 0))


def clock_changes(home: Path) -> list[int]:
    with Store(home / "guardian.db") as store:
        return [
            int((e.data or {})["delta"])
            for e in store.events.between(None, 0, 2**40, kinds=["clock_changed"])
        ]


@pytest.mark.skipif(not LIBS, reason="libfaketime is not installed (apt-get install faketime)")
def test_wall_clock_jumps_are_logged_and_change_nothing(home: Path, app: subprocess.Popen[bytes]) -> None:
    offset = home / "faketime"
    offset.write_text("+0\n")
    env = {
        "LD_PRELOAD": LIBS[0],
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    import_rules(home, family())
    began = time.monotonic()
    with running_agent(home, env=env):
        wait_for("3 s of use", lambda: used(home) >= 3, timeout=20)
        offset.write_text("+1d\n")
        wait_for("the forward jump to be logged", lambda: any(d > 80_000 for d in clock_changes(home)))
        after_forward = used(home)
        assert after_forward >= 3, "moving the clock to tomorrow reset today's usage"
        wait_for("use to keep counting", lambda: used(home) >= after_forward + 2, timeout=20)
        offset.write_text("+0\n")
        wait_for("the backward jump to be logged", lambda: any(d < -80_000 for d in clock_changes(home)))
        before_end = used(home)
        wait_for("use to keep counting", lambda: used(home) >= before_end + 2, timeout=20)
    elapsed = time.monotonic() - began
    total = used(home)
    assert total <= elapsed + 2, f"{total}s counted in {elapsed:.1f}s: usage was doubled"
    assert len([d for d in clock_changes(home) if abs(d) > 80_000]) == 2
    status = cli_json(home, "status", "--json")
    assert (
        status["children"][0]["apps_used"]["free-game"] == total
        or abs(status["children"][0]["apps_used"]["free-game"] - total) <= 2
    )


def live(home: Path) -> dict[str, object]:
    from guardian.ipc.client import IpcClient, default_socket_path

    with IpcClient(default_socket_path(home)) as client:
        status = client.call("status")
    children = status.get("children") or []
    return children[0] if children else {}


@pytest.mark.skipif(not LIBS, reason="libfaketime is not installed (apt-get install faketime)")
def test_restarting_the_agent_with_the_clock_a_day_ahead_keeps_the_day(
    home: Path, app: subprocess.Popen[bytes]
) -> None:
    """Stop the agent, move the clock to tomorrow, start it again: today's usage stays, no fresh allowance."""
    offset = home / "faketime"
    offset.write_text("+0\n")
    env = {
        "LD_PRELOAD": LIBS[0],
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    import_rules(home, family())
    with running_agent(home, env=env):
        wait_for("3 s of use", lambda: used(home) >= 3, timeout=20)
        day = wait_for("the live day", lambda: live(home).get("day"))
    offset.write_text("+1d\n")
    with running_agent(home, env=env):
        wait_for("a status", lambda: live(home).get("day"))
        child = live(home)
        assert child["day"] == day, "a restart with the clock a day ahead started a fresh day"
        apps_used = child["apps_used"]
        assert isinstance(apps_used, dict) and apps_used.get("free-game", 0) >= 3
        wait_for("the clock change to be logged", lambda: any(d > 80_000 for d in clock_changes(home)))
