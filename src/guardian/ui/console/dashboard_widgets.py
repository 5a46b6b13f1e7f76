"""Widgets that draw the dashboard's view: a time ring, a card per child, the recent events."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guardian.ui import theme
from guardian.ui.console.app_names import name_label
from guardian.ui.console.dashboard_model import (
    LOCK_METHOD,
    QUICK_MINUTES,
    ChildView,
    DashboardView,
    EventView,
    RequestView,
)
from guardian.ui.widgets.durations import human_duration
from guardian.ui.widgets.time_ring import TimeRing


class CardHost(Protocol):
    """What the cards need from the page that holds them (the page, as a widget, is their parent)."""

    view: DashboardView | None

    @property
    def can_control_agent(self) -> bool: ...

    def agent_action_available(self, method: str) -> bool: ...

    def grant(self, child: str, minutes: int) -> None: ...

    def approve(self, request_id: int, seconds: int) -> None: ...

    def deny(self, request_id: int) -> None: ...

    def toggle_pause(self, child: str, paused: bool) -> None: ...

    def lock_now(self, child: str) -> None: ...


translate = QCoreApplication.translate
"""Module-level strings name their context (``DashboardPage``) so ``pyside6-lupdate`` finds them."""


def describe_event(kind: str, child: str | None, app: str | None, data: Any = None) -> str:
    """A notable event in plain words (``data``: the event's data, for ``agent_gap`` its ``seconds``)."""
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
    if kind == "locked_by_parent" and info.get("locked") == 0:
        text = translate(
            "DashboardPage",
            "Lock now for %1 did nothing: no session of theirs was open or it could not be locked.",
        )
    elif kind == "grant_revoked":
        text = translate("DashboardPage", "Extra time for %1 was taken back (%3).")
    else:
        text = texts.get(kind, kind)
    gap = human_duration(int(info.get("seconds", 0))) if kind in ("agent_gap", "grant_revoked") else ""
    return text.replace("%1", who).replace("%2", what).replace("%3", gap)


def event_text(event: EventView) -> str:
    app = name_label(event.app) if event.app else None
    return describe_event(event.kind, event.child, app, {"seconds": event.seconds, "locked": event.locked})


def _label(text: str, role: str | None = None, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(True)
    return label


class RequestRow(QFrame):
    """One pending request: who, how long, why; Approve with an amount, or Deny."""

    def __init__(self, request: RequestView, page: CardHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_S)
        asked = self.tr("Asks for %1").replace("%1", human_duration(request.seconds))
        if request.app_name:
            asked += " " + self.tr("of %1").replace("%1", name_label(request.app_name))
        if request.reason:
            asked += f": “{request.reason}”"
        layout.addWidget(_label(asked), 1)
        self.amount = QSpinBox(self)
        self.amount.setRange(1, 12 * 60)
        self.amount.setSingleStep(5)
        self.amount.setValue(max(1, request.seconds // 60))
        self.amount.setSuffix(" " + self.tr("min"))
        self.amount.setAccessibleName(self.tr("Minutes to give"))
        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.approve_button.setProperty("role", "primary")
        self.approve_button.setAccessibleName(self.tr("Approve request"))
        self.deny_button = QPushButton(self.tr("&Deny"), self)
        self.deny_button.setAccessibleName(self.tr("Deny request"))
        self.approve_button.clicked.connect(lambda: page.approve(request.id, self.amount.value() * 60))
        self.deny_button.clicked.connect(lambda: page.deny(request.id))
        for widget in (self.amount, self.approve_button, self.deny_button):
            layout.addWidget(widget)


class ChildCard(QFrame):
    """Everything about one child today."""

    def __init__(self, child: ChildView, page: CardHost, *, live: bool) -> None:
        super().__init__(page if isinstance(page, QWidget) else None)
        self.child = child
        self.page = page
        self.setProperty("role", "card")
        self.setAccessibleName(child.name)
        grid = QGridLayout(self)
        grid.setContentsMargins(theme.SPACE_XL, theme.SPACE_L, theme.SPACE_XL, theme.SPACE_L)
        grid.setHorizontalSpacing(theme.SPACE_XL)
        grid.setVerticalSpacing(theme.SPACE_M)
        self.ring = TimeRing(self)
        self.ring.set_values(child.used_s, child.limit_s, child.left_s, paused=child.paused)
        grid.addWidget(self.ring, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self._header(child, live), 0, 1)
        grid.addLayout(self._details(child), 1, 1)
        grid.setColumnStretch(1, 1)
        row = 2
        if child.requests:
            grid.addWidget(self._requests(child), row, 0, 1, 2)
            row += 1
        grid.addLayout(self._actions(child), row, 0, 1, 2)

    def _header(self, child: ChildView, live: bool) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(theme.SPACE_XS)
        name = child.name
        if child.age is not None:
            name += " · " + self.tr("%1 years old").replace("%1", str(child.age))
        box.addWidget(_label(name, "title"))
        box.addWidget(_label(self._state_text(child), "muted"))
        if not live:
            now = self.tr("Now: unknown (the agent is not running)")
        elif child.foreground:
            now = self.tr("Now: %1").replace("%1", name_label(child.foreground))
        else:
            now = self.tr("Now: not using an app")
        box.addWidget(_label(now))
        return box

    def _state_text(self, child: ChildView) -> str:
        used = self.tr("Used %1 today").replace("%1", human_duration(child.used_s))
        if child.left_s is None:
            limit = self.tr("no daily limit")
        elif child.left_s <= 0:
            limit = self.tr("time is up")
        else:
            limit = self.tr("%1 left").replace("%1", human_duration(child.left_s))
        text = f"{used} · {limit}"
        if child.granted_s:
            text += " · " + self.tr("%1 extra given").replace("%1", human_duration(child.granted_s))
        if not child.in_allowed_hours:
            text += " · " + self.tr("outside allowed hours")
        if child.paused:
            text += " · " + self.tr("paused until tomorrow")
        return text

    def _details(self, child: ChildView) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(theme.SPACE_XL)
        apps = QVBoxLayout()
        apps.setSpacing(theme.SPACE_XS)
        apps.addWidget(_label(self.tr("Apps today"), "subtitle"))
        for name, seconds in child.top_apps:
            apps.addWidget(_label(f"{name_label(name)} — {human_duration(seconds)}"))
        if not child.top_apps:
            apps.addWidget(_label(self.tr("No apps used yet today."), "muted"))
        apps.addStretch(1)
        hours = QVBoxLayout()
        hours.setSpacing(theme.SPACE_XS)
        hours.addWidget(_label(self.tr("Allowed hours today"), "subtitle"))
        if child.schedule is None:
            hours.addWidget(_label(self.tr("Any time")))
        elif not child.schedule:
            hours.addWidget(_label(self.tr("Not allowed today")))
        for span in child.schedule or ():
            hours.addWidget(_label(span))
        hours.addStretch(1)
        row.addLayout(apps, 3)
        row.addLayout(hours, 2)
        return row

    def _requests(self, child: ChildView) -> QWidget:
        box = QFrame(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_S)
        layout.addWidget(_label(self.tr("Asking for more time"), "subtitle"))
        self.request_rows = [RequestRow(r, self.page, box) for r in child.requests]
        for row in self.request_rows:
            layout.addWidget(row)
        return box

    def _actions(self, child: ChildView) -> QVBoxLayout:
        """Extra time on one row; the parent's lock and pause on the next (long translations fit)."""
        box = QVBoxLayout()
        box.setSpacing(theme.SPACE_S)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACE_S)
        row.addWidget(_label(self.tr("Give extra time:")))
        self.quick_buttons: dict[int, QPushButton] = {}
        for minutes in QUICK_MINUTES:
            button = QPushButton(theme.icon("plus"), self.tr("%1 min").replace("%1", str(minutes)), self)
            name = self.tr("Give %1 %2 minutes more").replace("%1", child.name).replace("%2", str(minutes))
            button.setAccessibleName(name)
            button.clicked.connect(lambda _=False, m=minutes: self.page.grant(child.name, m))
            self.quick_buttons[minutes] = button
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        if self.page.can_control_agent:
            controls = QHBoxLayout()
            controls.setSpacing(theme.SPACE_S)
            self.lock_button = self._lock_button()
            text = self.tr("Resume today") if child.paused else self.tr("Pause until tomorrow")
            self.pause_button = QPushButton(theme.icon("clock"), text, self)
            self.pause_button.setAccessibleName(f"{text}: {child.name}")
            self.pause_button.clicked.connect(lambda: self.page.toggle_pause(child.name, child.paused))
            controls.addWidget(self.lock_button)
            controls.addWidget(self.pause_button)
            controls.addStretch(1)
            box.addLayout(controls)
        return box

    def _lock_button(self) -> QPushButton:
        text = self.tr("Lock now")
        button = QPushButton(theme.icon("lock"), text, self)
        button.setAccessibleName(f"{text}: {self.child.name}")
        if self.page.agent_action_available(LOCK_METHOD):
            button.clicked.connect(lambda: self.page.lock_now(self.child.name))
        else:
            button.setEnabled(False)
            if self.page.view is not None and self.page.view.live:
                button.setToolTip(self.tr("The running agent does not offer this yet."))
            else:
                button.setToolTip(self.tr("The Guardian agent is not running, so this cannot be done now."))
        return button


class EventsCard(QFrame):
    """Recent notable events in plain words."""

    def __init__(self, events: tuple[EventView, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName(self.tr("Recent events"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE_XL, theme.SPACE_L, theme.SPACE_XL, theme.SPACE_L)
        layout.setSpacing(theme.SPACE_S)
        layout.addWidget(_label(self.tr("Recent events"), "subtitle"))
        if not events:
            layout.addWidget(_label(self.tr("Nothing notable in the last 7 days."), "muted"))
        for event in events:
            line = QHBoxLayout()
            line.setSpacing(theme.SPACE_M)
            when = _label(event.when, "muted")
            when.setWordWrap(False)
            line.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(_label(event_text(event)), 1)
            layout.addLayout(line)
