"""The time ring: screen time used against the day's allowance, with the time left in the middle.

Shared by the parent console (a ring per child on the dashboard) and the child's tray.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from guardian.ui import theme
from guardian.ui.widgets.durations import human_duration

__all__ = ["TimeRing"]

WARN_BELOW_S = 15 * 60
"""Less than this left turns the ring amber."""


class TimeRing(QWidget):
    """A ring showing screen time used against the limit, with the time left in the middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.used_s = 0
        self.limit_s: int | None = None
        self.left_s: int | None = None
        self.paused = False
        self.setMinimumSize(QSize(132, 132))
        self.setAccessibleName(self.tr("Screen time today"))

    def set_values(
        self, used_s: int, limit_s: int | None, left_s: int | None, *, paused: bool = False
    ) -> None:
        self.used_s, self.limit_s, self.left_s, self.paused = used_s, limit_s, left_s, paused
        self.setToolTip(self.caption())
        self.setAccessibleDescription(self.caption())
        self.update()

    @property
    def fraction(self) -> float:
        """Share of the day's allowance used (limit plus grants), 0…1; 0 without a limit."""
        if self.left_s is None:
            return 0.0
        total = self.used_s + max(0, self.left_s)
        return 1.0 if total <= 0 else min(1.0, self.used_s / total)

    def caption(self) -> str:
        used = self.tr("%1 used").replace("%1", human_duration(self.used_s))
        if self.paused:
            return self.tr("Paused until tomorrow") + " · " + used
        if self.left_s is None:
            return used + " · " + self.tr("no daily limit")
        return used + " · " + self.tr("%1 left").replace("%1", human_duration(max(0, self.left_s)))

    def colour(self) -> QColor:
        if self.left_s is None:
            return QColor(theme.ACCENT_DARK if theme.is_dark() else theme.ACCENT_LIGHT)
        if self.left_s <= 0:
            return QColor(theme.BAD)
        return QColor(theme.WARN if self.left_s <= WARN_BELOW_S else theme.GOOD)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        side = min(self.width(), self.height()) - 12
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self.palette().color(self.palette().ColorRole.Mid)
        painter.setPen(QPen(track, 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawEllipse(rect)
        if self.left_s is not None and self.fraction > 0 and not self.paused:
            painter.setPen(QPen(self.colour(), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawArc(rect, 90 * 16, int(-self.fraction * 360 * 16))
        self._paint_centre(painter, rect)
        painter.end()

    def _paint_centre(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(self.palette().color(self.palette().ColorRole.WindowText))
        big = QFont(self.font())
        big.setPointSize(theme.FONT_SUBTITLE + 1)
        big.setBold(True)
        value = human_duration(max(0, self.left_s if self.left_s is not None else self.used_s))
        if self.paused:
            value = self.tr("Paused")
        while (
            big.pointSize() > theme.FONT_SMALL
            and QFontMetrics(big).horizontalAdvance(value) > rect.width() - 28
        ):
            big.setPointSize(big.pointSize() - 1)
        painter.setFont(big)
        top = QRectF(rect.left(), rect.center().y() - 22, rect.width(), 24)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, value)
        small = QFont(self.font())
        small.setPointSize(theme.FONT_SMALL)
        painter.setFont(small)
        word = self.tr("left") if self.left_s is not None else self.tr("used")
        if self.paused:
            word = self.tr("until tomorrow")
        painter.drawText(
            QRectF(rect.left(), rect.center().y() + 2, rect.width(), 20), Qt.AlignmentFlag.AlignCenter, word
        )
