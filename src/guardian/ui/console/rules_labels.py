"""Translated labels shared by the rules editor and the app picker (categories, weekdays, actions)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from guardian.core.model import CATEGORY_PREFIX
from guardian.ui.console.rules_model import hm

translate = QCoreApplication.translate


def category_label(category: str) -> str:
    labels = {
        "games": translate("RulesLabels", "Games"),
        "emulators": translate("RulesLabels", "Emulators"),
        "social": translate("RulesLabels", "Social networks and chat"),
        "video": translate("RulesLabels", "Video"),
        "music": translate("RulesLabels", "Music"),
        "browsers": translate("RulesLabels", "Web browsers"),
        "education": translate("RulesLabels", "Education"),
        "creative": translate("RulesLabels", "Drawing and creating"),
        "office": translate("RulesLabels", "Office and homework"),
        "utilities": translate("RulesLabels", "Utilities"),
        "other": translate("RulesLabels", "Other"),
    }
    return labels.get(category, category)


def weekday_label(day: int) -> str:
    return (
        translate("RulesLabels", "Monday"),
        translate("RulesLabels", "Tuesday"),
        translate("RulesLabels", "Wednesday"),
        translate("RulesLabels", "Thursday"),
        translate("RulesLabels", "Friday"),
        translate("RulesLabels", "Saturday"),
        translate("RulesLabels", "Sunday"),
    )[day]


def weekday_short(day: int) -> str:
    return (
        translate("RulesLabels", "Mon"),
        translate("RulesLabels", "Tue"),
        translate("RulesLabels", "Wed"),
        translate("RulesLabels", "Thu"),
        translate("RulesLabels", "Fri"),
        translate("RulesLabels", "Sat"),
        translate("RulesLabels", "Sun"),
    )[day]


def at_limit_label(action: str) -> tuple[str, str]:
    """The action's short name and a one-line explanation."""
    labels = {
        "lock": (
            translate("RulesLabels", "Lock the screen"),
            translate("RulesLabels", "The computer locks; a parent can unlock it or give extra time."),
        ),
        "logout": (
            translate("RulesLabels", "Sign out"),
            translate("RulesLabels", "The child is signed out; unsaved work in open apps may be lost."),
        ),
        "close_apps": (
            translate("RulesLabels", "Close apps"),
            translate(
                "RulesLabels", "Apps are closed except the always-allowed ones, so homework can go on."
            ),
        ),
        "notify": (
            translate("RulesLabels", "Only notify"),
            translate("RulesLabels", "Nothing is closed; the child just sees that time is up."),
        ),
    }
    return labels[action]


def duration_label(seconds: int) -> str:
    hours, minutes = hm(seconds)
    if hours and minutes:
        return translate("RulesLabels", "{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if hours:
        return translate("RulesLabels", "{hours} h").format(hours=hours)
    return translate("RulesLabels", "{minutes} min").format(minutes=minutes)


def ref_label(ref: str, app_names: dict[str, str]) -> str:
    """A readable name for an app id or ``category:NAME``."""
    if ref.startswith(CATEGORY_PREFIX):
        name = category_label(ref.removeprefix(CATEGORY_PREFIX))
        return translate("RulesLabels", "All {category}").format(category=name)
    return app_names.get(ref, ref)


def label_buttons(buttons: QDialogButtonBox, ok: str, cancel: str) -> None:
    """Give a dialog's OK and Cancel buttons translated text (Qt's own translations are not loaded)."""
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
