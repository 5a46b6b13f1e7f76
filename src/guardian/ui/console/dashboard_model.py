"""What the dashboard shows, as plain data: :func:`build_view` turns the API's record and the agent's live
status into a :class:`DashboardView`. No Qt here (tested without it); the page runs it off the UI thread and
the widgets in :mod:`guardian.ui.console.dashboard_widgets` draw it, words and all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from guardian.api import GuardianAPI
from guardian.core.messages import AgentHealth, ChildEntry, Status

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
    "grant_revoked",
)
RECENT_EVENTS_WINDOW = 7 * 86400
RECENT_EVENTS_SHOWN = 8
TOP_APPS = 5


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
    """A notable event; the widgets put it in words (:func:`dashboard_widgets.describe_event`)."""

    ts: int
    when: str
    kind: str
    child: str | None
    app: str | None
    """The app's display name."""
    seconds: int = 0
    """How long, for events that have a length (``agent_gap``)."""
    locked: int | None = None
    """Sessions really locked, for ``locked_by_parent`` (None: not recorded)."""


@dataclass(frozen=True)
class DashboardView:
    children: tuple[ChildView, ...]
    events: tuple[EventView, ...]
    live: bool
    """Whether the figures come from the running agent."""
    protection: str = "on"
    """``on``; or why not: ``never`` (never started), ``stopped`` (not running: stopped or crashed),
    ``not_answering`` (it records but does not answer the console)."""
    unlinked: tuple[str, ...] = ()
    """Children with no computer account: nothing is enforced for them."""
    degraded: str | None = None
    """The running agent's "protection degraded: …" reason (it enforces the saved copy of the rules)."""
    mode: str | None = None
    """How the running agent runs: ``system`` (the protected service), ``personal``, or None (not running,
    or an older agent that does not say)."""
    account: str | None = None
    """The account the running agent runs as."""
    service_installed: bool | None = None
    """Whether the protected service is installed on this computer (None: not known)."""


def app_name(api: GuardianAPI, app_id: str) -> str:
    app = api.catalog().get(app_id)
    return app.name if app is not None else app_id


def format_span(start: float, end: float, tz: tzinfo) -> str:
    first = datetime.fromtimestamp(start, tz).strftime("%H:%M")
    last = datetime.fromtimestamp(end, tz)
    text = "24:00" if last.hour == 0 and last.minute == 0 and end > start else last.strftime("%H:%M")
    return f"{first}–{text}"


def current_status(api: GuardianAPI, live: Status | None) -> tuple[Status, bool]:
    """The agent's live status when there is one (``True``), else the API's own evaluation (``False``)."""
    if live is not None:
        return live, True
    return api.status(), False


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


def child_view(api: GuardianAPI, data: ChildEntry, requests: list[RequestView]) -> ChildView:
    """One child's card from a status entry (the agent's adds what is in front)."""
    name = data.child
    rules = api.rules().child(name)
    screen = data.screen
    apps = {k: v for k, v in data.apps_used.items() if not k.startswith("@")}
    top = sorted(apps.items(), key=lambda item: (-item[1], item[0]))[:TOP_APPS]
    tz = api.zone()
    hours_limited = rules is not None and not rules.allowed_hours.is_empty()
    schedule = tuple(format_span(s, e, tz) for s, e in data.allowed_today) if hours_limited else None
    foreground = data.foreground
    return ChildView(
        name=name,
        age=rules.age if rules else None,
        state=data.state,
        foreground=app_name(api, foreground) if foreground is not None else None,
        used_s=screen.used_s,
        limit_s=screen.limit_s,
        left_s=screen.left_s,
        granted_s=screen.granted_s,
        top_apps=tuple((app_name(api, app), seconds) for app, seconds in top),
        schedule=schedule,
        in_allowed_hours=data.in_allowed_hours,
        requests=tuple(r for r in requests if r.child.casefold() == name.casefold()),
        paused=data.paused,
    )


def recent_events(api: GuardianAPI, limit: int = RECENT_EVENTS_SHOWN) -> list[EventView]:
    """Notable events of the last week, newest first."""
    now = api.clock.now()
    rows = api.notable_events(now - RECENT_EVENTS_WINDOW, NOTABLE_EVENTS)
    tz = api.zone()
    out = []
    for row in reversed(rows[-limit:]):
        info: Mapping[str, Any] = row.data or {}
        out.append(
            EventView(
                ts=row.ts,
                when=datetime.fromtimestamp(row.ts, tz).strftime("%d/%m %H:%M"),
                kind=row.kind,
                child=row.child,
                app=app_name(api, row.app) if row.app else None,
                seconds=int(info.get("seconds", 0) or 0),
                locked=int(info["locked"]) if isinstance(info.get("locked"), int) else None,
            )
        )
    return out


def build_view(
    api: GuardianAPI, live: Status | None, *, service_installed: bool | None = None
) -> DashboardView:
    """Everything the dashboard shows, from the record and ``live`` (the agent's status, or None)."""
    status, is_live = current_status(api, live)
    requests = pending_requests(api)
    children = tuple(child_view(api, data, requests) for data in status.children)
    health = status.agent if is_live else None
    return DashboardView(
        children=children,
        events=tuple(recent_events(api)),
        live=is_live,
        protection="on" if is_live else protection_off_reason(api.agent_health()),
        unlinked=tuple(c.name for c in api.rules().children if not c.accounts),
        degraded=health.degraded if health else None,
        mode=health.mode if health else None,
        account=health.account if health else None,
        service_installed=service_installed,
    )


def degraded_cause(reason: str) -> str:
    """``database`` when the agent fell back because its database is unusable (``agent/failsafe.py``
    words it so), else ``other``."""
    return "database" if "database is repaired" in reason else "other"


def protection_off_reason(health: AgentHealth) -> str:
    """Why the agent does not protect, from its health record (``GuardianAPI.agent_health``)."""
    if health.last_tick is None:
        return "never"
    return "not_answering" if health.running else "stopped"
