"""The tray's session reports: a change while a report is on its way is sent right after it, not left for the
20 s timer."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from guardian.core.messages import SessionReport
from guardian.ui.tray.live import LiveTrayLink


class SlowAgent:
    """Takes reports; the first one waits until the test lets it through."""

    def __init__(self) -> None:
        self.reports: list[SessionReport] = []
        self.release = threading.Event()

    def report(self, report: SessionReport) -> None:
        if not self.reports:
            self.release.wait(10)
        self.reports.append(report)

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the test did not expect {name}")


def test_a_change_during_a_report_is_reported_right_after_it(qtbot: QtBot) -> None:
    agent = SlowAgent()
    state = {"locked": False}
    live = LiveTrayLink(agent, reporter=lambda: SessionReport("c7", locked=state["locked"]))  # type: ignore[arg-type]
    live.report()
    qtbot.waitUntil(live._report_pending.is_set, timeout=5000)
    state["locked"] = True
    live.report()  # the screen locked while the first report waits
    live.report()  # asked twice: still one more report, not two
    agent.release.set()
    qtbot.waitUntil(lambda: len(agent.reports) == 2, timeout=5000)
    assert [r.locked for r in agent.reports] == [False, True]
    qtbot.waitUntil(lambda: not live._report_pending.is_set(), timeout=5000)
    assert not live._report_again.is_set() and len(agent.reports) == 2, "nothing else was queued"
    live._pool.shutdown(wait=True)
