"""Screenshots of everything the child sees (``tray-*.png``), called by ``scripts/screenshots.py``.

The tray is driven by a link with canned answers, so the pictures do not depend on a running agent:
the window (time left, per-app time, allowed hours, why an app closed), the window while the agent is
unreachable, the warning banner, the health reminder, the time's-up screen, asking for more time, the help
page, "what Guardian records about you" and the corner pill.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from guardian.ui import i18n
from guardian.ui.tray.app import TrayController
from guardian.ui.tray.link import OnError, OnResult, TrayLink

LANGUAGES = ("vi", "en")
AT_2100 = time.mktime(time.strptime("2026-11-27 21:00", "%Y-%m-%d %H:%M"))
INFO = {
    "child": "Minh An",
    "age": 8,
    "preset": "primary",
    "at_limit": "lock",
    "grace": 60,
    "warn_lead": 900,
    "hotlines": ["111", "02623.951.567"],
    "retention_days": 180,
    "health_reminder": True,
    "remote_approvals_left": 2,
    "authenticator": True,
    "games": ["minecraft"],
    "app_names": {},
}


class CannedLink(TrayLink):
    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, dict[str, Any]] = {
            "tray.info": INFO,
            "request_time": {"request_id": 7},
            "request.status": {"request_id": 7, "status": "pending", "seconds": 0, "by": None},
        }

    def call(
        self, method: str, params: dict[str, Any], on_result: OnResult, on_error: OnError | None = None
    ) -> None:
        on_result(dict(self.answers[method]))


def status(**child: Any) -> dict[str, Any]:
    entry = {
        "child": "Minh An",
        "screen": {"limit_s": 7200, "granted_s": 0, "used_s": 2400, "left_s": 4800},
        "app_limits": [],
        "apps_used": {"minecraft": 2100, "youtube": 1800, "word": 900},
        "apps_left": {"minecraft": 1500, "youtube": 0, "word": None},
        "allowed_until": AT_2100,
        "next_allowed_at": None,
        "state": "ok",
        "paused": False,
        "foreground": "word",
    }
    entry.update(child)
    return {"now": 0, "agent": {"running": True}, "children": [entry]}


def _settle(widget: QWidget, size: tuple[int, int] | None = None) -> None:
    if size:
        widget.resize(*size)
    for _ in range(3):
        QApplication.processEvents()


def _save(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> Path:
    _settle(widget, size)
    widget.grab().save(str(path))
    return path


def _scrolled(widget: QWidget, path: Path) -> Path:
    """A scroll area's whole content (the help page is longer than its window)."""
    inner = widget.widget()  # type: ignore[attr-defined]
    inner.resize(540, inner.heightForWidth(540) if inner.hasHeightForWidth() else inner.sizeHint().height())
    _settle(inner)
    inner.resize(540, inner.sizeHint().height())
    _settle(inner)
    inner.grab().save(str(path))
    return path


def render_language(out_dir: Path, language: str) -> list[Path]:
    i18n.install(language)
    link = CannedLink()
    tray = TrayController(link, language=language, system_tray=False)
    link.publish_online(True)
    link.publish_status(status())
    shots: list[tuple[str, Callable[[], Path]]] = []
    written: list[Path] = []
    out = lambda name: out_dir / f"tray-{name}-{language}.png"  # noqa: E731

    link.publish_notice({"event": "app_closed", "app": "youtube", "verdict": "exhausted"})
    tray.banner.hide()
    tray.open_window()
    written.append(_save(tray.window, out("window"), (420, 330)))

    link.publish_notice({"event": "warning", "subject": "screen", "ref": None, "left": 300})
    written.append(_save(tray.banner, out("warning")))
    tray.clock = lambda: 1000.0
    tray.streak.observe(1000.0 - 31 * 60, True)
    tray.streak.last_play = 999.0
    link.publish_status(status(foreground="minecraft"))
    written.append(_save(tray.banner, out("reminder")))
    tray.banner.hide()

    assert tray.pill is not None
    written.append(_save(tray.pill, out("pill")))

    tray.open_ask()
    tray.ask.choices.button(30).click()
    tray.ask.reason.setText(
        "Con muốn làm xong bài thuyết trình" if language == "vi" else "To finish my slides"
    )
    written.append(_save(tray.ask, out("ask"), (460, 200)))
    tray.ask.send.click()
    written.append(_save(tray.ask, out("ask-waiting"), (460, 330)))
    tray.ask.poll.stop()
    tray.ask.hide()

    tray.open_help()
    written.append(_scrolled(tray.help.tabs.widget(0), out("help")))
    tray.open_help(privacy=True)
    written.append(_save(tray.help, out("privacy"), (560, 520)))
    tray.help.hide()

    link.publish_notice({"event": "time_up", "reason": "screen_time_over", "grace": 60, "action": "lock"})
    cover = tray.timesup.covers[0]
    tray.timesup.timer.stop()
    tray.timesup.left = 42
    tray.timesup._update()
    written.append(_save(cover, out("timesup"), (1024, 640)))
    tray.timesup.stop()

    link.publish_online(False)
    written.append(_save(tray.window, out("offline"), (420, 330)))
    for widget in (tray.window, tray.pill, tray.banner, tray.help, tray.ask):
        widget.close()
        widget.deleteLater()
    del shots
    return written


def render_screenshots(out_dir: Path, api: object = None) -> list[Path]:
    del api
    written: list[Path] = []
    for language in LANGUAGES:
        written += render_language(out_dir, language)
    i18n.install("en")
    return written
