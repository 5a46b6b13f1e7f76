"""The dashboard's protection banners beside "protection is off": protection degraded (the agent enforces the
saved copy of the rules), personal mode (what it cannot do, from ``guardian.core.protection``), and "Install
the service", run through the OS's administrator prompt off the UI thread, with what really happened.

The page (:mod:`guardian.ui.console.dashboard`) decides which banner shows; the words and the install job
live here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from guardian import computer
from guardian.core.protection import PERSONAL_LIMITS
from guardian.ui import theme
from guardian.ui.console.dashboard_model import DashboardView, degraded_cause
from guardian.ui.jobs import run_job

translate = QCoreApplication.translate


def _label(text: str, role: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", role)
    label.setWordWrap(True)
    return label


class DegradedBanner(QFrame):
    """The agent runs but protects less than it should: why, in plain words, and what the parent can do."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protection_degraded")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_S)
        if degraded_cause(reason) == "database":
            what = self.tr(
                "Protection is reduced: Guardian's database cannot be used (it is damaged, missing or cannot "
                "be written). The agent keeps enforcing the last saved rules and counts time in a separate "
                "file until the database is repaired."
            )
            todo = self.tr(
                "What to do: restart the computer. If this message stays, make sure the disk is not full, "
                "then ask whoever administers this computer to restore Guardian's database from the backup "
                "beside it (the details below name the files)."
            )
        else:
            what = self.tr("Protection is reduced: the Guardian agent cannot do everything it should.")
            todo = self.tr(
                "What to do: restart the computer. If this message stays, show the details below to whoever "
                "administers this computer."
            )
        self.text = _label(what, "alert", self)
        self.text.setAccessibleName(self.tr("Protection status"))
        self.todo = _label(todo, "", self)
        self.details = _label(self.tr("Details: %1").replace("%1", reason), "muted", self)
        for widget in (self.text, self.todo, self.details):
            layout.addWidget(widget)


def personal_limits(account: str) -> list[str]:
    """What personal mode cannot do, one sentence per ``PERSONAL_LIMITS`` key, in the console's language."""
    words = {
        "can_stop": translate("PersonalBanner", "%1 can stop it, and read or change its rules and records."),
        "one_account": translate(
            "PersonalBanner", "It closes only the apps of %1, never those of another account (a child's own)."
        ),
        "no_exec_guard": translate(
            "PersonalBanner",
            "A blocked program starts and is closed a moment later, instead of never starting.",
        ),
        "no_web_filter": translate(
            "PersonalBanner",
            "There is no web filter: no blocked sites, no forced SafeSearch, no browser policies.",
        ),
    }
    return [words[key].replace("%1", account) for key, _english in PERSONAL_LIMITS]


class PersonalBanner(QFrame):
    """The agent runs in personal mode: say so, and what that mode cannot do."""

    def __init__(self, account: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protection_personal")
        self.column = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_S)
        who = account or self.tr("this account")
        self.text = _label(
            self.tr(
                "Personal mode: Guardian runs as the account %1, not as a protected service, so it protects "
                "less:"
            ).replace("%1", who),
            "alert",
            self,
        )
        self.text.setAccessibleName(self.tr("Protection status"))
        layout.addWidget(self.text)
        self.limits = _label("\n".join(f"• {line}" for line in personal_limits(who)), "", self)
        layout.addWidget(self.limits)
        self.advice = _label(
            self.tr(
                "To guard a child's own account, install the protected service (it needs the password of "
                "this computer's administrator)."
            ),
            "muted",
            self,
        )
        layout.addWidget(self.advice)


def wants_install_offer(view: DashboardView, is_parent: bool) -> bool:
    """Offer "Install the service" to a parent when it is known not to be installed and protection is off
    or only personal."""
    return is_parent and view.service_installed is False and (not view.live or view.mode == "personal")


class ServiceInstaller(QObject):
    """Runs ``computer.install_service`` off the UI thread (the administrator prompt may stay open for a
    long time) and says what happened in :meth:`report`."""

    finished = Signal(object)
    """A :class:`guardian.computer.ServiceInstall`, or an exception the install raised."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False
        self.install: Callable[[], computer.ServiceInstall] = lambda: computer.install_service(None)

    def start(self) -> bool:
        if self.running:
            return False
        self.running = True
        run_job(self.install, self._done, self._done, context=self)
        return True

    def _done(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    def button(self, parent: QWidget) -> QPushButton:
        button = QPushButton(self.tr("&Install the service"), parent)
        button.setProperty("role", "primary")
        button.setAccessibleName(
            self.tr("Install Guardian as a protected service (asks for the administrator's password)")
        )
        button.setEnabled(not self.running)
        return button

    def waiting_text(self) -> str:
        return self.tr(
            "Waiting for the administrator's password in the system's prompt… Guardian keeps working meanwhile."
        )

    def report(self, result: object) -> str:
        """What happened, in plain words."""
        if not isinstance(result, computer.ServiceInstall):
            return self.tr("Installing the service failed: %1").replace("%1", str(result))
        detail = result.message
        if result.outcome == "done":
            if result.answering:
                return self.tr(
                    "The protected service is installed and its agent answers: protection is on, and a child's "
                    "account cannot stop it."
                )
            return self.tr(
                "The protected service is installed, but its agent does not answer yet. If protection does not "
                "come on within a minute, restart the computer."
            )
        if result.outcome == "cancelled":
            return self.tr("Nothing was installed: the administrator's prompt was closed without a password.")
        if result.outcome == "refused":
            return self.tr(
                "Nothing was installed: the administrator's password was not accepted, or this computer could "
                "not ask for it (%1)."
            ).replace("%1", detail)
        if result.outcome == "unavailable":
            return self.tr(
                "Nothing was installed: this computer has no administrator prompt Guardian can use (%1). An "
                "administrator can install it from a terminal: sudo guardian service install"
            ).replace("%1", detail)
        return self.tr("Installing the service failed: %1").replace(
            "%1", detail or self.tr("no reason given")
        )
