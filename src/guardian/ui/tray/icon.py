"""The tray icon: a disc coloured by state with the minutes left (or a sign) drawn on it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from guardian.ui.tray.state import TrayState

COLOURS = {
    "plenty": "#2e7d32",
    "warning": "#e69500",
    "app_limit": "#2e7d32",
    "outside_hours": "#1f3a5f",
    "paused": "#1f3a5f",
    "time_up": "#c62828",
    "unreachable": "#757575",
    "unknown": "#757575",
}


def icon_text(state: TrayState) -> str:
    if state.kind in ("unreachable", "unknown"):
        return "?"
    if state.kind in ("outside_hours", "paused", "time_up"):
        return "0"
    if state.screen_left_s is None:
        return "∞"
    minutes = (state.screen_left_s + 59) // 60
    return f"{minutes // 60}h" if minutes >= 100 else str(minutes)


def tray_icon(state: TrayState, size: int = 64) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(COLOURS.get(state.kind, "#757575")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, size - 4, size - 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.42))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, icon_text(state))
    painter.end()
    return QIcon(pixmap)
