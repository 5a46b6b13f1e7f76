"""Durations in words for people: ``5400`` → ``"1 h 30 min"``, in the UI's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate
"""Module-level strings name their context (``Durations``) so ``pyside6-lupdate`` finds them."""


def human_duration(seconds: int) -> str:
    """``5400`` → ``"1 h 30 min"`` (translated units), rounded down to minutes."""
    minutes = max(0, int(seconds)) // 60
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return translate("Durations", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(rest))
    if hours:
        return translate("Durations", "%1 h").replace("%1", str(hours))
    return translate("Durations", "%1 min").replace("%1", str(rest))
