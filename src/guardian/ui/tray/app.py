"""The tray's controller: wires a :class:`TrayLink` to the icon (or the pill), the window, the banner, the
time's-up screen, the request window and the help window. Slots stay thin; the decisions are in
:mod:`guardian.ui.tray.state`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from guardian.core.messages import (
    AppClosedNotice,
    BlockedNotice,
    NoParams,
    Notice,
    RequestAnswer,
    Status,
    TimeUpNotice,
    TrayInfo,
    WarningNotice,
)
from guardian.ui.tray import words
from guardian.ui.tray.ask import AskWindow
from guardian.ui.tray.banner import WarningBanner
from guardian.ui.tray.content import group_for
from guardian.ui.tray.help import HelpWindow
from guardian.ui.tray.icon import tray_icon
from guardian.ui.tray.link import TrayLink
from guardian.ui.tray.pill import TimePill
from guardian.ui.tray.state import GameStreak, TrayState, foreground_of, is_playing, tray_state
from guardian.ui.tray.timesup import TimesUpScreen
from guardian.ui.tray.window import TrayWindow

log = logging.getLogger("guardian.tray")

OVER = ("time_up", "outside_hours", "paused")
OVER_REASON = {"time_up": "screen_time_over", "outside_hours": "outside_hours", "paused": "paused"}


class TrayController(QObject):
    def __init__(
        self,
        link: TrayLink,
        *,
        language: str = "vi",
        system_tray: bool | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.link = link
        self.language = language
        self.clock = clock
        self.info: TrayInfo | None = None
        """From ``tray.info``; None until the agent answered."""
        self.status: Status | None = None
        self.state = TrayState("unknown")
        self.was_offline = False
        self.streak = GameStreak()
        self.window = TrayWindow()
        self.banner = WarningBanner()
        self.timesup = TimesUpScreen()
        self.help = HelpWindow()
        self.ask = AskWindow(link)
        self.window.ask_requested.connect(self.open_ask)
        self.window.help_requested.connect(self.open_help)
        self.window.privacy_requested.connect(lambda: self.open_help(privacy=True))
        self.banner.help_requested.connect(self.open_help)
        self.timesup.ask_requested.connect(self.open_ask)
        self.timesup.help_requested.connect(self.open_help)
        self.timesup.finished.connect(self.link.at_limit)
        self.ask.answered.connect(self._answered)
        use_tray = QSystemTrayIcon.isSystemTrayAvailable() if system_tray is None else system_tray
        self.icon: QSystemTrayIcon | None = None
        self.pill: TimePill | None = None
        if use_tray:
            self.icon = QSystemTrayIcon(tray_icon(self.state))
            menu = QMenu()
            menu.addAction(QCoreApplication.translate("TrayWindow", "My time"), self.open_window)
            menu.addAction(QCoreApplication.translate("TrayWindow", "Ask for more time"), self.open_ask)
            menu.addAction(QCoreApplication.translate("TrayWindow", "Help"), self.open_help)
            self.menu = menu
            self.icon.setContextMenu(menu)
            self.icon.activated.connect(lambda _reason: self.open_window())
            self.icon.show()
        else:
            self.pill = TimePill()
            self.pill.clicked.connect(self.open_window)
            self.pill.show()
        link.status_changed.connect(self.on_status)
        link.notice.connect(self.on_notice)
        link.online_changed.connect(self.on_online)
        self._show_state(self.state)

    # -- from the link ------------------------------------------------------------------------------

    def on_online(self, online: bool) -> None:
        if not online:
            self.was_offline = True
            self.window.show_why("")
            self._show_state(tray_state(None, online=False))
            return
        self._ask_info()
        if self.was_offline:
            self.window.show_why(QCoreApplication.translate("TrayWindow", "Connected to Guardian again."))
            self.was_offline = False

    def on_status(self, status: Status) -> None:
        self.status = status
        lead = self.info.warn_lead if self.info else 15 * 60
        state = tray_state(status, online=True, warn_lead=lead)
        self._show_state(state)
        reason = OVER_REASON.get(state.kind)
        if reason and not self.timesup.is_showing() and self.info and reason != self.timesup.dismissed:
            self.timesup.start(reason, self.info.grace, self._action())
        elif reason is None and state.kind != "unknown":
            self.timesup.dismissed = None
            if self.timesup.is_showing():
                self.timesup.stop()
        self._health(status)

    def on_notice(self, event: Notice) -> None:
        child = getattr(event, "child", None)
        if self.info is not None and child is not None and child != self.info.child:
            return  # a brother's or sister's notice (an agent older than this tray sends some to all): not ours to show
        if isinstance(event, WarningNotice):
            self.banner.show_warning(
                QCoreApplication.translate("WarningBanner", "Time is running out"),
                words.what_runs_out(event.subject, event.ref, event.left),
            )
            log.info("warning on screen at %.3f: %s", time.time(), event.subject)
        elif isinstance(event, TimeUpNotice):
            self.timesup.start(event.reason, event.grace, event.action or self._action())
        elif isinstance(event, AppClosedNotice | BlockedNotice):
            text = words.why_closed(event.app, event.verdict)
            self.window.show_why(text)
            if event.verdict != "time_up":
                self.banner.show_warning(
                    QCoreApplication.translate("WarningBanner", "An app was closed"), text
                )
        self.link.refresh()

    # -- actions --------------------------------------------------------------------------------------

    def open_window(self) -> None:
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def open_ask(self) -> None:
        info = self.info
        self.ask.open(
            authenticator=info is not None and info.authenticator,
            remote_left=info.remote_approvals_left if info else 0,
        )

    def open_help(self, privacy: bool = False) -> None:
        info = self.info
        group = group_for(info.age if info else None, info.preset if info else None)
        hotlines = list(info.hotlines if info and info.hotlines else ["111"])
        days = info.retention_days if info else 365
        self.help.show_page(self.language, group, hotlines, days, privacy=privacy)

    # -- helpers --------------------------------------------------------------------------------------

    def _ask_info(self) -> None:
        self.link.ask("tray.info", NoParams(), TrayInfo, self._got_info, lambda _code, _message: None)

    def _got_info(self, info: TrayInfo) -> None:
        self.info = info
        words.CUSTOM_NAMES.update(info.app_names)
        if self.status is not None:
            self.on_status(self.status)

    def _answered(self, answer: RequestAnswer) -> None:
        if answer.status == "approved":
            self.window.request.setText(
                QCoreApplication.translate("TrayWindow", "Your parents gave you {time} more.").format(
                    time=words.duration(answer.seconds)
                )
            )
        else:
            self.window.request.setText(
                QCoreApplication.translate("TrayWindow", "Your parents said no to more time this time.")
            )
        self._ask_info()

    def _action(self) -> str:
        return self.info.at_limit if self.info else "lock"

    def _show_state(self, state: TrayState) -> None:
        self.state = state
        self.window.show_state(state)
        tip = self.window.headline_text(state)
        if self.icon is not None:
            self.icon.setIcon(tray_icon(state))
            self.icon.setToolTip(tip)
        if self.pill is not None:
            short = words.duration(state.screen_left_s) if state.screen_left_s is not None else ""
            if state.kind in OVER:
                short = QCoreApplication.translate("TrayWindow", "Time's up")
            elif state.kind in ("unreachable", "unknown"):
                short = QCoreApplication.translate("TrayWindow", "Guardian: not connected")
            elif not short:
                short = QCoreApplication.translate("TrayWindow", "No limit today")
            self.pill.set_text(short, tip)

    def _health(self, status: Status) -> None:
        info = self.info
        if info is None or not info.health_reminder or (info.age is not None and info.age >= 18):
            return
        playing = is_playing(foreground_of(status), info.games)
        if self.streak.observe(self.clock(), playing):
            self.banner.show_warning(
                QCoreApplication.translate("WarningBanner", "Time for a break"),
                QCoreApplication.translate(
                    "WarningBanner",
                    "You have been playing for {minutes} minutes. Stand up, stretch and rest your eyes "
                    "for a few minutes.",
                ).format(minutes=self.streak.minutes),
            )
