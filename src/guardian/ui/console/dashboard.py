"""The dashboard: per child, what is happening today, pending requests, quick actions, recent events.

The page is thin. Plain functions build a :class:`DashboardView` (data only) from the API and the
agent, and carry out actions (grants, answers to requests); the widgets in
:mod:`guardian.ui.console.dashboard_widgets` only draw that view.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from guardian.api import GuardianAPI
from guardian.core.model import Grant
from guardian.errors import GuardianError
from guardian.ipc.client import AgentNotRunning, IpcClient, IpcError, default_socket_path
from guardian.ipc.protocol import METHODS
from guardian.ui import theme
from guardian.ui.console.app_names import display_name
from guardian.ui.console.context import ConsoleContext

log = logging.getLogger("guardian.ui")

REFRESH_MS = 5000
QUICK_MINUTES = (15, 30, 60)
LOCK_METHOD = "child.lock"
NOTABLE_EVENTS = (
    "blocked_launch",
    "limit_reached",
    "app_closed",
    "clock_changed",
    "agent_gap",
    "tray_missing",
    "pin_failed",
    "paused",
    "locked_by_parent",
)
RECENT_EVENTS_WINDOW = 7 * 86400
RECENT_EVENTS_SHOWN = 8


translate = QCoreApplication.translate
"""Module-level strings name their context (``DashboardPage``) so ``pyside6-lupdate`` finds them."""


# -- the agent ------------------------------------------------------------------------------------


class AgentLink:
    """The running agent over IPC, if any; ``socket`` None means never look for one (tests, no home)."""

    def __init__(self, socket: Path | None) -> None:
        self.socket = socket

    @classmethod
    def for_home(cls, home: Path | None) -> AgentLink:
        return cls(None if home is None else default_socket_path(home))

    def status(self) -> dict[str, Any] | None:
        """The agent's live status, or None when it is not reachable."""
        if self.socket is None:
            return None
        try:
            with IpcClient(self.socket) as client:
                return client.call("status", timeout=1.0)
        except (AgentNotRunning, IpcError, TimeoutError, OSError, ValueError):
            return None

    def supports(self, method: str) -> bool:
        return method in METHODS

    def call_with_pin(self, method: str, params: dict[str, Any], pin: str | None) -> dict[str, Any]:
        """Sign in with ``pin`` (when one is needed) and call a parent method."""
        if self.socket is None:
            raise AgentNotRunning("the Guardian agent is not running")
        with IpcClient(self.socket) as client:
            if pin:
                params = {**params, "token": client.call("auth", {"pin": pin})["token"]}
            return client.call(method, params)


def current_status(api: GuardianAPI, agent: AgentLink) -> tuple[dict[str, Any], bool]:
    """The agent's live status when it runs (``True``), else the API's own evaluation (``False``)."""
    live = agent.status()
    if live is not None:
        return live, True
    return api.status(), False


# -- the view (plain data) --------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestView:
    id: int
    child: str
    seconds: int
    app: str | None
    app_name: str | None
    reason: str
    ts: int


@dataclass(frozen=True)
class ChildView:
    name: str
    age: int | None
    state: str
    foreground: str | None
    used_s: int
    limit_s: int | None
    left_s: int | None
    granted_s: int
    top_apps: tuple[tuple[str, int], ...]
    schedule: tuple[str, ...] | None
    """Allowed windows today as ``"07:00–21:00"``; None when allowed at any hour."""
    in_allowed_hours: bool
    requests: tuple[RequestView, ...]
    paused: bool = False
    """A parent paused the child until tomorrow."""


@dataclass(frozen=True)
class EventView:
    ts: int
    when: str
    text: str


@dataclass(frozen=True)
class DashboardView:
    children: tuple[ChildView, ...]
    events: tuple[EventView, ...]
    live: bool
    """Whether the figures come from the running agent."""


def app_name(api: GuardianAPI, app_id: str) -> str:
    app = api.catalog().get(app_id)
    return display_name(app) if app is not None else app_id


def format_span(start: float, end: float, tz: tzinfo) -> str:
    first = datetime.fromtimestamp(start, tz).strftime("%H:%M")
    last = datetime.fromtimestamp(end, tz)
    text = "24:00" if last.hour == 0 and last.minute == 0 and end > start else last.strftime("%H:%M")
    return f"{first}–{text}"


def human_duration(seconds: int) -> str:
    """``5400`` → ``"1 h 30 min"`` (translated units), rounded down to minutes."""
    minutes = max(0, int(seconds)) // 60
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return translate("DashboardPage", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(rest))
    if hours:
        return translate("DashboardPage", "%1 h").replace("%1", str(hours))
    return translate("DashboardPage", "%1 min").replace("%1", str(rest))


def pending_requests(api: GuardianAPI) -> list[RequestView]:
    """Unanswered requests for more time, oldest first, with the child's name."""
    return [
        RequestView(
            id=row.id,
            child=row.child,
            seconds=row.seconds,
            app=row.app,
            app_name=None if row.app is None else app_name(api, row.app),
            reason=row.reason,
            ts=row.ts,
        )
        for row in api.pending_requests()
    ]


def child_view(api: GuardianAPI, data: dict[str, Any], requests: list[RequestView]) -> ChildView:
    """One child's card from a status entry (``ChildStatus.to_dict`` plus the agent's extras)."""
    name = str(data["child"])
    rules = api.rules().child(name)
    screen = data.get("screen", {})
    apps = {k: int(v) for k, v in dict(data.get("apps_used", {})).items() if not k.startswith("@")}
    top = sorted(apps.items(), key=lambda item: (-item[1], item[0]))[:5]
    tz = api.zone()
    spans = data.get("allowed_today")
    hours_limited = rules is not None and not rules.allowed_hours.is_empty()
    schedule = tuple(format_span(s, e, tz) for s, e in spans or ()) if hours_limited else None
    foreground = data.get("foreground")
    return ChildView(
        name=name,
        age=rules.age if rules else None,
        state=str(data.get("state", "ok")),
        foreground=app_name(api, foreground) if isinstance(foreground, str) else None,
        used_s=int(screen.get("used_s", 0)),
        limit_s=screen.get("limit_s"),
        left_s=screen.get("left_s"),
        granted_s=int(screen.get("granted_s", 0)),
        top_apps=tuple((app_name(api, app), seconds) for app, seconds in top),
        schedule=schedule,
        in_allowed_hours=bool(data.get("in_allowed_hours", True)),
        requests=tuple(r for r in requests if r.child.casefold() == name.casefold()),
        paused=bool(data.get("paused", False)),
    )


def describe_event(kind: str, child: str | None, app: str | None, data: Any) -> str:
    """A notable event in plain words."""
    who = child or translate("DashboardPage", "A child")
    what = app or translate("DashboardPage", "an app")
    info = data if isinstance(data, dict) else {}
    texts = {
        "blocked_launch": translate("DashboardPage", "%1 tried to open %2, which is blocked or out of time."),
        "limit_reached": translate("DashboardPage", "%1 reached a time limit."),
        "app_closed": translate("DashboardPage", "Guardian closed %2 for %1."),
        "clock_changed": translate("DashboardPage", "The computer's clock was changed."),
        "agent_gap": translate("DashboardPage", "Guardian was not running for %3."),
        "tray_missing": translate("DashboardPage", "Guardian's helper was not running in %1's session."),
        "pin_failed": translate("DashboardPage", "A wrong PIN was typed."),
        "paused": translate("DashboardPage", "%1 was paused until tomorrow."),
        "locked_by_parent": translate("DashboardPage", "%1's computer was locked from the console."),
    }
    text = texts.get(kind, kind)
    gap = human_duration(int(info.get("seconds", 0))) if kind == "agent_gap" else ""
    return text.replace("%1", who).replace("%2", what).replace("%3", gap)


def recent_events(api: GuardianAPI, limit: int = RECENT_EVENTS_SHOWN) -> list[EventView]:
    """Notable events of the last week, newest first."""
    now = api.clock.now()
    rows = api.notable_events(now - RECENT_EVENTS_WINDOW, NOTABLE_EVENTS)
    tz = api.zone()
    out = []
    for row in reversed(rows[-limit:]):
        app = app_name(api, row.app) if row.app else None
        when = datetime.fromtimestamp(row.ts, tz).strftime("%d/%m %H:%M")
        out.append(EventView(row.ts, when, describe_event(row.kind, row.child, app, row.data)))
    return out


def build_view(api: GuardianAPI, agent: AgentLink) -> DashboardView:
    status, live = current_status(api, agent)
    requests = pending_requests(api)
    children = tuple(child_view(api, data, requests) for data in status.get("children", []))
    return DashboardView(children=children, events=tuple(recent_events(api)), live=live)


# -- actions --------------------------------------------------------------------------------------


def quick_grant(ctx: ConsoleContext, child: str, minutes: int) -> Grant:
    reason = translate("DashboardPage", "Extra time from the console")
    return ctx.api.grant(child, minutes * 60, reason=reason, pin=ctx.pin, role=ctx.role)


def approve_request(ctx: ConsoleContext, request_id: int, seconds: int) -> Grant:
    """Grant ``seconds`` for a pending request and mark it approved."""
    reason = translate("DashboardPage", "Request approved in the console")
    grant = ctx.api.answer_request(
        request_id, approve=True, seconds=seconds, reason=reason, pin=ctx.pin, role=ctx.role
    )
    assert grant is not None
    return grant


def deny_request(ctx: ConsoleContext, request_id: int) -> None:
    ctx.api.answer_request(request_id, approve=False, pin=ctx.pin, role=ctx.role)


def toggle_pause(ctx: ConsoleContext, child: str, *, paused: bool) -> bool:
    """Pause ``child`` until tomorrow, or lift today's pause when ``paused``; True when it changed.

    Stored through the API, so it works with or without the agent; a running agent sees it within a tick.
    """
    if paused:
        return ctx.api.resume_today(child, pin=ctx.pin, role=ctx.role)
    return ctx.api.pause_today(child, pin=ctx.pin, role=ctx.role)


# -- the page -------------------------------------------------------------------------------------


class DashboardPage(QScrollArea):
    """Cards per child plus recent events; refreshes every 5 s and when ``ctx.data_changed`` fires."""

    def __init__(self, ctx: ConsoleContext, *, agent: AgentLink | None = None) -> None:
        super().__init__()
        from guardian.ui.console.dashboard_widgets import ChildCard, EventsCard

        self._card_type, self._events_type = ChildCard, EventsCard
        self.ctx = ctx
        self.agent = agent or AgentLink(None)
        self.view: DashboardView | None = None
        self.cards: dict[str, Any] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL)
        self._layout.setSpacing(theme.SPACE_L)
        self.setWidget(self._body)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Refresh every 5 s, but only while the page is on screen."""
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def refresh(self) -> None:
        """Rebuild the cards when what they show changed (so typing in a spin box is not lost)."""
        try:
            view = build_view(self.ctx.api, self.agent)
        except GuardianError as exc:
            log.warning("dashboard refresh failed: %s", exc)
            return
        if view == self.view:
            return
        self.view = view
        self._rebuild(view)

    def _rebuild(self, view: DashboardView) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        title = QLabel(self.tr("Today"))
        title.setProperty("role", "title")
        self._layout.addWidget(title)
        if not view.live:
            note = QLabel(self.tr("The Guardian agent is not running: figures come from the saved record."))
            note.setProperty("role", "muted")
            note.setWordWrap(True)
            self._layout.addWidget(note)
        if not view.children:
            empty = QLabel(self.tr("No children yet. Add a child on the Rules page."))
            empty.setWordWrap(True)
            self._layout.addWidget(empty)
        self.cards = {}
        for child in view.children:
            card = self._card_type(child, self, live=view.live)
            self.cards[child.name] = card
            self._layout.addWidget(card)
        self._layout.addWidget(self._events_type(view.events, self))
        self._layout.addStretch(1)

    # -- slots the cards call -------------------------------------------------------------------

    @property
    def can_control_agent(self) -> bool:
        return self.ctx.is_parent

    def agent_action_available(self, method: str) -> bool:
        return bool(self.view and self.view.live and self.agent.supports(method))

    def grant(self, child: str, minutes: int) -> None:
        self._run(lambda: quick_grant(self.ctx, child, minutes))

    def approve(self, request_id: int, seconds: int) -> None:
        self._run(lambda: approve_request(self.ctx, request_id, seconds))

    def deny(self, request_id: int) -> None:
        self._run(lambda: deny_request(self.ctx, request_id))

    def toggle_pause(self, child: str, paused: bool) -> None:
        if not paused:
            question = self.tr("Pause %1 until tomorrow? Only always-allowed apps can be used until then.")
            answer = QMessageBox.question(self, self.tr("Guardian"), question.replace("%1", child))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(lambda: toggle_pause(self.ctx, child, paused=paused))

    def lock_now(self, child: str) -> None:
        self._run(lambda: self._lock(child))

    def _lock(self, child: str) -> None:
        result = self.agent.call_with_pin(LOCK_METHOD, {"child": child}, self.ctx.pin)
        if not result.get("sessions"):
            text = self.tr("%1 has no open session on this computer to lock.").replace("%1", child)
            QMessageBox.information(self, self.tr("Guardian"), text)
        elif not result.get("locked"):
            text = self.tr("The computer could not lock %1's session.").replace("%1", child)
            QMessageBox.warning(self, self.tr("Guardian"), text)

    def _run(self, action: Any) -> None:
        try:
            action()
        except (GuardianError, IpcError, AgentNotRunning) as exc:
            QMessageBox.warning(self, self.tr("Guardian"), str(exc))
            return
        self.ctx.data_changed.emit()
