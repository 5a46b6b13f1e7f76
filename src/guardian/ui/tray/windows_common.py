"""Small helpers the tray's windows share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ON_TOP_NO_FOCUS = (
    Qt.WindowType.Tool
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowDoesNotAcceptFocus
)
"""Flags of windows that float over everything, a full-screen game too, and never take the keyboard."""


def float_without_focus(widget: QWidget) -> None:
    widget.setWindowFlags(ON_TOP_NO_FOCUS)
    widget.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        widget.setProperty("role", role)
    return widget


def big(widget: QLabel, points: float = 1.6) -> QLabel:
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * points)
    font.setBold(True)
    widget.setFont(font)
    return widget
