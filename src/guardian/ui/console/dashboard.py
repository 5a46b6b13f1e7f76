"""The dashboard: per child, what is happening today, pending requests, quick actions, recent events.

The page is thin. :mod:`guardian.ui.console.dashboard_model` builds a :class:`DashboardView` (data only)
from the API and the agent's live status, on the console's reader thread; the agent is asked through
:class:`~guardian.ui.agent_link_qt.QtAgentLink`, off the UI thread too; the widgets in
:mod:`guardian.ui.console.dashboard_widgets` draw the view. An agent that hangs or a slow database leaves
the window responsive: the page shows the last view it has until the new one is ready.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guardian import computer
from guardian.api import UNDO_GRANT_SECONDS, GuardianAPI, StoreError
from guardian.core.messages import Status
from guardian.core.model import Grant
from guardian.core.protection import PERSONAL
from guardian.errors import GuardianError
from guardian.link import AgentLink, AgentUnreachable, LockResult
from guardian.ui import theme
from guardian.ui.agent_link_qt import QtAgentLink
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard_model import REFRESH_MS, DashboardView, build_view
from guardian.ui.console.dashboard_widgets import ChildCard, EventsCard
from guardian.ui.console.protection import (
    DegradedBanner,
    PersonalBanner,
    ServiceInstaller,
    wants_install_offer,
)
from guardian.ui.widgets.durations import human_duration

log = logging.getLogger("guardian.ui")


translate = QCoreApplication.translate
"""Module-level strings name their context (``DashboardPage``) so ``pyside6-lupdate`` finds them."""


# -- actions (each runs on the console's writer thread with its own API) ------------------------------


@dataclass(frozen=True)
class Signer:
    """Who acts: the PIN the console was opened with and its role."""

    pin: str | None
    role: str

    @classmethod
    def of(cls, ctx: ConsoleContext) -> Signer:
        return cls(ctx.pin, ctx.role)


def quick_grant(api: GuardianAPI, by: Signer, child: str, minutes: int, reason: str) -> tuple[Grant, int]:
    """Give ``minutes`` now; the grant and its id (to take it back within a minute)."""
    return api.give(child, minutes * 60, reason=reason, pin=by.pin, role=by.role)


def undo_grant(api: GuardianAPI, by: Signer, grant_id: int) -> Grant:
    return api.revoke_grant(grant_id, pin=by.pin, role=by.role)


def approve_request(api: GuardianAPI, by: Signer, request_id: int, seconds: int, reason: str) -> Grant:
    """Grant ``seconds`` for a pending request and mark it approved."""
    grant = api.answer_request(
        request_id, approve=True, seconds=seconds, reason=reason, pin=by.pin, role=by.role
    )
    assert grant is not None
    return grant


def deny_request(api: GuardianAPI, by: Signer, request_id: int) -> None:
    api.answer_request(request_id, approve=False, pin=by.pin, role=by.role)


def toggle_pause(api: GuardianAPI, by: Signer, child: str, *, paused: bool) -> bool:
    """Pause ``child`` until tomorrow, or lift today's pause when ``paused``; True when it changed.

    Stored through the API, so it works with or without the agent; a running agent sees it within a tick.
    """
    if paused:
        return api.resume_today(child, pin=by.pin, role=by.role)
    return api.pause_today(child, pin=by.pin, role=by.role)


def installed(check: Callable[[], bool | None]) -> bool | None:
    """``check()``, or None when it cannot tell."""
    try:
        return check()
    except Exception:  # an unreadable folder, a missing tool: not knowing is an answer
        log.debug("could not tell whether the service is installed", exc_info=True)
        return None


# -- the page -------------------------------------------------------------------------------------


class DashboardPage(QScrollArea):
    """Cards per child plus recent events; refreshes every 5 s, when ``ctx.data_changed`` fires and when
    the agent pushes a notice. Nothing here waits on the agent or the database."""

    view_changed = Signal()
    """New figures were drawn."""
    refreshed = Signal()
    """A refresh finished (whether or not anything changed)."""

    def __init__(self, ctx: ConsoleContext, *, agent: QtAgentLink | AgentLink | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        if not isinstance(agent, QtAgentLink):
            agent = QtAgentLink(agent or AgentLink(None), self)
        self.agent = agent
        self.view: DashboardView | None = None
        self.cards: dict[str, ChildCard] = {}
        self._live: Status | None = None
        self._reading = False
        self._stale = False
        self._writing = 0
        self.installer = ServiceInstaller(self)
        self.installer.finished.connect(self._service_installed)
        self.service_check: Callable[[], bool | None] = computer.service_installed
        """Whether the protected service is installed (asked on the reader thread; tests replace it)."""
        self.service_socket: Path | None = None
        """Where the installed service's agent answers (None: the system's place; tests replace it)."""
        self.service_wait_s = 30.0
        """How long to wait for the installed service's agent to answer."""
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL)
        self._layout.setSpacing(theme.SPACE_L)
        self.setWidget(self._body)
        self._build_notice()
        self._show_loading()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)
        agent.status_received.connect(self._on_status)
        agent.unreachable.connect(self._on_unreachable)
        agent.event_received.connect(self._on_notice)
        self.refresh()

    def _build_notice(self) -> None:
        """What the last action really did, with Undo for a grant in its first minute."""
        self.notice = QFrame(self._body)
        self.notice.setProperty("role", "notice")
        row = QHBoxLayout(self.notice)
        row.setContentsMargins(theme.SPACE_M, theme.SPACE_S, theme.SPACE_M, theme.SPACE_S)
        self.notice_text = QLabel()
        self.notice_text.setWordWrap(True)
        self.notice_text.setAccessibleName(self.tr("Result of the last action"))
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Take back the extra time just given"))
        self.undo_button.clicked.connect(self.undo_last_grant)
        row.addWidget(self.notice_text, 1)
        row.addWidget(self.undo_button)
        self.notice.hide()
        self.undo_timer = QTimer(self)
        self.undo_timer.setSingleShot(True)
        self.undo_timer.timeout.connect(self.undo_button.hide)
        self.last_grant: int | None = None
        self.started_agent: int | None = None
        """The process id of an agent this page started."""

    def tell(self, text: str, *, undo_grant: int | None = None) -> None:
        """Show ``text`` above the cards (with Undo for ``undo_grant``, for a minute)."""
        self.notice_text.setText(text)
        self.last_grant = undo_grant
        self.undo_button.setVisible(undo_grant is not None)
        if undo_grant is not None:
            self.undo_timer.start(UNDO_GRANT_SECONDS * 1000)
        self.notice.show()

    def showEvent(self, event: QShowEvent) -> None:
        """Refresh every 5 s and listen to the agent, but only while the page is on screen."""
        super().showEvent(event)
        self.refresh()
        self.timer.start()
        if self.agent.link.address is not None and not self.agent.listening:
            self.agent.listen(self.ctx.pin)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()
        self.agent.stop()

    @property
    def busy(self) -> bool:
        """A read, a change or a status call is still out."""
        return self._reading or self._writing > 0 or self.agent.status_pending

    # -- refreshing (answers arrive on the UI thread) -----------------------------------------

    def refresh(self) -> None:
        """Ask the agent for its status and read the record; the cards follow when both are in."""
        asked = self.agent.link.address is not None and self.agent.refresh_status()
        if not asked or self.agent.reachable is False:
            self._read()  # no agent to wait for (or it is down, or still busy): show the record now

    def _on_status(self, status: Status) -> None:
        self._live = status
        self._read()

    def _on_unreachable(self, why: str) -> None:
        log.info("the agent cannot be reached: %s", why)
        was_live = self._live is not None or (self.view is not None and self.view.live)
        self._live = None
        if was_live or self.view is None:
            self._read()

    def _on_notice(self, event: dict[str, Any]) -> None:
        del event  # a request, a limit reached, a lock: whatever it was, the figures changed
        self.refresh()

    def _read(self) -> None:
        if self._reading:
            self._stale = True
            return
        self._reading = True
        live, check = self._live, self.service_check

        def view(api: GuardianAPI) -> DashboardView:
            return build_view(api, live, service_installed=installed(check))

        self.ctx.read(view, self._on_view, self._on_read_failed, context=self)

    def _on_view(self, view: object) -> None:
        self._reading = False
        if self._stale:
            self._stale = False
            self._read()
        if isinstance(view, DashboardView) and view != self.view:
            self.view = view
            self._rebuild(view)
            self.view_changed.emit()
        if not self.busy:
            self.refreshed.emit()

    def _on_read_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("dashboard refresh failed: %s", exc)
        if self._stale:
            self._stale = False
            self._read()
        if not self.busy:
            self.refreshed.emit()

    # -- drawing ------------------------------------------------------------------------------

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.notice:
                widget.hide()  # gone from the page now, deleted when the event loop gets to it
                widget.deleteLater()

    def _show_loading(self) -> None:
        title = QLabel(self.tr("Today"))
        title.setProperty("role", "title")
        self._layout.addWidget(title)
        loading = QLabel(self.tr("Loading…"))
        loading.setProperty("role", "muted")
        self._layout.addWidget(loading)
        self._layout.addStretch(1)

    def _rebuild(self, view: DashboardView) -> None:
        self._clear()
        title = QLabel(self.tr("Today"))
        title.setProperty("role", "title")
        self._layout.addWidget(title)
        self._layout.addWidget(self.notice)
        if not view.live:
            self._layout.addWidget(self._protection_banner(view.protection))
        self._add_protection_notes(view)
        if view.unlinked:
            unlinked = QLabel(
                self.tr(
                    "Not protected: %1 has no computer account linked. Link one on the Children page."
                ).replace("%1", ", ".join(view.unlinked))
            )
            unlinked.setProperty("role", "alert")
            unlinked.setWordWrap(True)
            self._layout.addWidget(unlinked)
        if not view.children:
            empty = QLabel(self.tr("No children yet. Add a child on the Children page."))
            empty.setWordWrap(True)
            self._layout.addWidget(empty)
        self.cards = {}
        for child in view.children:
            card = ChildCard(child, self, live=view.live)
            self.cards[child.name] = card
            self._layout.addWidget(card)
        self._layout.addWidget(EventsCard(view.events, self))
        self._layout.addStretch(1)

    def _protection_banner(self, why: str) -> QWidget:
        """A banner no one can miss: protection is off, why, and (for a parent) a button to start it."""
        banner = QFrame(self._body)
        banner.setObjectName("protection_off")
        row = QHBoxLayout(banner)
        row.setContentsMargins(0, 0, 0, 0)
        reasons = {
            "never": self.tr(
                "Protection is OFF: the Guardian agent has never run on this computer, so no limits are enforced."
            ),
            "stopped": self.tr(
                "Protection is OFF: the Guardian agent is not running, so no limits are enforced now. The figures below come from the saved record."
            ),
            "not_answering": self.tr(
                "Protection may be off: the Guardian agent does not answer the console. The figures below come from the saved record."
            ),
        }
        self.protection_text = QLabel(reasons.get(why, reasons["stopped"]))
        self.protection_text.setProperty("role", "alert")
        self.protection_text.setWordWrap(True)
        self.protection_text.setAccessibleName(self.tr("Protection status"))
        row.addWidget(self.protection_text, 1)
        self.start_button = QPushButton(self.tr("&Start protection"))
        self.start_button.setProperty("role", "primary")
        self.start_button.setAccessibleName(self.tr("Start the Guardian agent for this account"))
        self.start_button.clicked.connect(self.start_agent)
        row.addWidget(self.start_button)
        self.start_button.setVisible(self.ctx.is_parent and why in ("never", "stopped"))
        if self.view is not None and wants_install_offer(self.view, self.ctx.is_parent):
            row.addWidget(self._install_button(banner))
        return banner

    def _add_protection_notes(self, view: DashboardView) -> None:
        """While the agent runs: protection degraded, and personal mode with what it cannot do."""
        if view.live and view.degraded:
            self._layout.addWidget(DegradedBanner(view.degraded, self._body))
        if view.live and view.mode == PERSONAL:
            banner = PersonalBanner(view.account, self._body)
            if wants_install_offer(view, self.ctx.is_parent):
                banner.column.addWidget(self._install_button(banner), 0, Qt.AlignmentFlag.AlignLeft)
            self._layout.addWidget(banner)

    def _install_button(self, parent: QWidget) -> QPushButton:
        self.install_button = self.installer.button(parent)
        self.install_button.clicked.connect(self.install_service)
        return self.install_button

    def install_service(self) -> None:
        """Install the protected service through the OS's administrator prompt, off the UI thread; the
        result is told when the prompt and the install are over (:meth:`_service_installed`)."""
        home, socket, wait_s = self.ctx.api.data_dir(), self.service_socket, self.service_wait_s
        self.installer.install = lambda: computer.install_service(home, socket=socket, wait_s=wait_s)
        if self.installer.start():
            self.install_button.setEnabled(False)
            self.tell(self.installer.waiting_text())

    def _service_installed(self, result: object) -> None:
        self.tell(self.installer.report(result))
        with contextlib.suppress(RuntimeError):  # the banner may have been redrawn meanwhile
            self.install_button.setEnabled(True)
        if isinstance(result, computer.ServiceInstall) and result.answering:
            if self.started_agent is not None:  # the personal agent this page started: the service takes over
                with contextlib.suppress(OSError):
                    os.kill(self.started_agent, signal.SIGTERM)
                self.started_agent = None
            self.agent.link.retarget(self.service_socket or computer.service_socket())
        self.refresh()

    def start_agent(self) -> None:
        """Start the agent for this account (personal mode); the banner goes once it answers."""
        try:
            self.started_agent = computer.start_agent(self.ctx.api.data_dir())
        except OSError as exc:
            self.tell(self.tr("The agent could not be started: %1").replace("%1", str(exc)))
            return
        self.tell(self.tr("Starting protection… this takes a few seconds."))
        for delay in (1500, 4000, 8000):
            QTimer.singleShot(delay, self, self.refresh)

    # -- slots the cards call -------------------------------------------------------------------

    @property
    def can_control_agent(self) -> bool:
        return self.ctx.is_parent

    def agent_action_available(self, method: str) -> bool:
        return bool(self.view and self.view.live and self.agent.supports(method))

    def grant(self, child: str, minutes: int) -> None:
        reason = translate("DashboardPage", "Extra time from the console")
        by = Signer.of(self.ctx)
        self._run(
            lambda api: quick_grant(api, by, child, minutes, reason), lambda given: self._given(child, given)
        )

    def _given(self, child: str, given: object) -> None:
        if isinstance(given, tuple):
            grant, grant_id = given
            text = (
                self.tr("%1 got %2 more today.")
                .replace("%1", child)
                .replace("%2", human_duration(grant.seconds))
            )
            self.tell(text, undo_grant=grant_id)

    def undo_last_grant(self) -> None:
        """Take back the grant just given (the API refuses after a minute, and says so)."""
        grant_id, self.last_grant = self.last_grant, None
        if grant_id is None:
            return
        self.undo_button.hide()
        by = Signer.of(self.ctx)
        self._run(lambda api: undo_grant(api, by, grant_id), self._undone)

    def _undone(self, grant: object) -> None:
        if isinstance(grant, Grant):
            self.tell(self.tr("Undone: the %1 were taken back.").replace("%1", human_duration(grant.seconds)))

    def approve(self, request_id: int, seconds: int) -> None:
        reason = translate("DashboardPage", "Request approved in the console")
        by = Signer.of(self.ctx)
        self._run(lambda api: approve_request(api, by, request_id, seconds, reason))

    def deny(self, request_id: int) -> None:
        by = Signer.of(self.ctx)
        self._run(lambda api: deny_request(api, by, request_id))

    def toggle_pause(self, child: str, paused: bool) -> None:
        if not paused:
            question = self.tr("Pause %1 until tomorrow? Only always-allowed apps can be used until then.")
            answer = QMessageBox.question(self, self.tr("Guardian"), question.replace("%1", child))
            if answer != QMessageBox.StandardButton.Yes:
                return
        by = Signer.of(self.ctx)
        self._run(lambda api: toggle_pause(api, by, child, paused=paused))

    def lock_now(self, child: str) -> None:
        """Ask the agent to lock ``child``'s sessions; the answer comes back later, as a message."""
        self.agent.lock(
            child,
            pin=self.ctx.pin,
            on_done=lambda result: self._locked(child, result),
            on_failed=self._failed,
        )

    def _locked(self, child: str, result: LockResult) -> None:
        if result.locked:
            text = (
                self.tr("%1's session was locked.")
                if result.locked == result.sessions == 1
                else self.tr("%1 of %2 sessions of %3 were locked.")
                .replace("%1", str(result.locked))
                .replace("%2", str(result.sessions))
            )
            self.tell(text.replace("%1", child).replace("%3", child))
        if not result.sessions:
            text = self.tr("%1 has no open session on this computer to lock.").replace("%1", child)
            QMessageBox.information(self, self.tr("Guardian"), text)
        elif not result.locked:
            text = self.tr("The computer could not lock %1's session.").replace("%1", child)
            QMessageBox.warning(self, self.tr("Guardian"), text)
        self.ctx.data_changed.emit()

    def _failed(self, exc: GuardianError) -> None:
        text = str(exc)
        if isinstance(exc, AgentUnreachable):
            text = self.tr(
                "The Guardian agent is not running or does not answer, so this cannot be done now."
            )
        QMessageBox.warning(self, self.tr("Guardian"), text)

    def _run(self, action: Callable[[GuardianAPI], Any], then: Callable[[Any], None] | None = None) -> None:
        """Carry out ``action`` on the writer thread; then ``then(result)`` and refresh, or say why it failed."""
        self._writing += 1
        self.ctx.write(action, lambda result: self._written(result, then), self._write_failed, context=self)

    def _written(self, result: object, then: Callable[[Any], None] | None = None) -> None:
        self._writing -= 1
        if then is not None:
            then(result)
        self.ctx.data_changed.emit()

    def _write_failed(self, exc: BaseException) -> None:
        self._writing -= 1
        if isinstance(exc, (GuardianError, StoreError)):
            self._failed(GuardianError(str(exc)) if isinstance(exc, StoreError) else exc)
        else:
            log.error("a dashboard action failed", exc_info=exc)
            self._failed(GuardianError(str(exc)))
        self.refreshed.emit()
