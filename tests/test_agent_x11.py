"""Under a real X server (Xvfb + openbox), the agent attributes foreground time to the window in front."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests import xsession
from tests.agent_harness import ME, cli_json, import_rules, running_agent, wait_for

pytestmark = pytest.mark.slow

RULES = f"""
[[app]]
id = "term-a"
category = "games"
match = {{ exe_names = ["guardian-term-a"] }}

[[app]]
id = "term-b"
category = "video"
match = {{ exe_names = ["guardian-term-b"] }}

[[child]]
name = "Kid"
accounts = ["{ME}"]
"""


def live(home: Path) -> dict[str, object]:
    status = cli_json(home, "status", "--json")
    return status["children"][0] if status["children"] else {}


def test_foreground_switches_are_attributed_within_a_second(home: Path) -> None:
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    folder = Path(tempfile.mkdtemp(prefix="guardian-x11-"))
    xterm = shutil.which("xterm") or "xterm"
    for name in ("guardian-term-a", "guardian-term-b"):
        shutil.copy(xterm, folder / name)
    import_rules(home, RULES)
    with xsession.x_display() as display:
        term_a = xsession.start_window(display, "TermA", str(folder / "guardian-term-a"))
        term_b = xsession.start_window(display, "TermB", str(folder / "guardian-term-b"))
        expected = {"term-a": 0.0, "term-b": 0.0}
        try:
            xsession.activate(display, term_b.pid)  # in front while the agent starts: counted as term-b
            switches: list[tuple[float, str]] = [(time.monotonic(), "term-b")]
            with running_agent(home, env={"DISPLAY": display}, interval=0.5) as agent:
                for pid, app in ((term_a.pid, "term-a"), (term_b.pid, "term-b"), (term_a.pid, "term-a")):
                    began = time.monotonic()
                    xsession.activate(display, pid)
                    switches.append((time.monotonic(), app))
                    wait_for(f"{app} in front", lambda app=app: live(home).get("foreground") == app)
                    noticed = time.monotonic() - began
                    assert noticed < 1.5, f"the agent noticed {app} after {noticed:.2f}s"
                    start = agent.ticks()
                    wait_for("four more ticks", lambda start=start: agent.ticks() >= start + 4)
                switches.append((time.monotonic(), ""))  # the agent stops right after this
                for (at, app), (until, _) in itertools.pairwise(switches):
                    expected[app] += until - at
        finally:
            xsession.stop(term_a)
            xsession.stop(term_b)
    report = cli_json(
        home, "report", "--format", "json", "--child", "Kid", "--from", time.strftime("%Y-%m-%d")
    )
    used = report["children"][0]["days"][-1]["apps"]
    for app, seconds in expected.items():
        # within a second per switch (each app has at most three boundaries here), plus start-up
        assert abs(used.get(app, 0) - seconds) <= 3.0, (app, used, expected)
