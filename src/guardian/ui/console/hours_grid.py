"""``HoursGrid``: the week as 7 rows of 48 half-hour cells; paint with the mouse or the keyboard."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from guardian.core.model import Weekly
from guardian.ui.console import rules_model as rm
from guardian.ui.console.rules_labels import weekday_label, weekday_short

Cell = tuple[int, int]


class HoursGrid(QWidget):
    """Allowed hours for a week. A drag paints a rectangle with the opposite of the first cell's state;
    arrows move the keyboard cursor and Space toggles the cell under it. ``changed`` carries the grid."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid: rm.Grid = rm.ranges_to_rows(Weekly())
        self._before_drag: rm.Grid | None = None
        self._anchor: Cell | None = None
        self._paint_value = True
        self._cursor: Cell = (0, 14)
        self._read_only = False
        self._days: list[str] = []
        self._retranslate()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Allowed hours, one row per day, one cell per half hour"))
        self.setToolTip(self.tr("Drag to allow or block hours. Arrow keys move, Space switches a half hour."))

    # -- state --

    def grid(self) -> rm.Grid:
        return self._grid

    def set_grid(self, grid: rm.Grid) -> None:
        """Show ``grid`` without emitting ``changed``."""
        self._grid = grid
        self.update()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.update()

    def cursor_cell(self) -> Cell:
        return self._cursor

    # -- geometry --

    def _retranslate(self) -> None:
        """Day names are translated once (not on every paint)."""
        self._days = [weekday_short(d) for d in range(7)]
        self._label_w = max(self.fontMetrics().horizontalAdvance(day) for day in self._days) + 12

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            self._retranslate()
        super().changeEvent(event)

    def _label_width(self) -> int:
        return self._label_w

    def _header_height(self) -> int:
        return self.fontMetrics().height() + 6

    def _row_height(self) -> int:
        return max(22, self.fontMetrics().height() + 8)

    def _cell_width(self) -> float:
        return max(6.0, (self.width() - self._label_width() - 2) / rm.SLOTS_PER_DAY)

    def sizeHint(self) -> QSize:
        return QSize(
            self._label_width() + rm.SLOTS_PER_DAY * 14, self._header_height() + 7 * self._row_height() + 2
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(self._label_width() + rm.SLOTS_PER_DAY * 7, self.sizeHint().height())

    def cell_rect(self, day: int, slot: int) -> QRect:
        """Where a cell is drawn (tests press the mouse at its centre)."""
        width = self._cell_width()
        left = self._label_width() + round(slot * width)
        right = self._label_width() + round((slot + 1) * width)
        top = self._header_height() + day * self._row_height()
        return QRect(left, top, right - left, self._row_height())

    def cell_at(self, pos: QPoint) -> Cell | None:
        x = pos.x() - self._label_width()
        y = pos.y() - self._header_height()
        if x < 0 or y < 0:
            return None
        slot = int(x / self._cell_width())
        day = y // self._row_height()
        if day >= 7 or slot >= rm.SLOTS_PER_DAY:
            return None
        return day, slot

    # -- painting --

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        palette = self.palette()
        allowed = QColor("#3b9b5d")
        blocked = palette.color(QPalette.ColorRole.Base).darker(112)
        if self._read_only:
            allowed = allowed.lighter(130)
        line = palette.color(QPalette.ColorRole.Mid)
        text = palette.color(QPalette.ColorRole.WindowText)
        self._paint_hours(painter, text)
        for day in range(7):
            label = QRect(
                0,
                self._header_height() + day * self._row_height(),
                self._label_width() - 6,
                self._row_height(),
            )
            painter.setPen(text)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self._days[day]
            )
            for slot in range(rm.SLOTS_PER_DAY):
                rect = self.cell_rect(day, slot)
                painter.fillRect(rect, allowed if self._grid[day][slot] else blocked)
                painter.setPen(line if slot % 2 else line.darker(130))
                painter.drawLine(rect.topLeft(), rect.bottomLeft())
            painter.setPen(line)
            painter.drawLine(self.cell_rect(day, 0).bottomLeft(), self.cell_rect(day, 47).bottomRight())
        if self.hasFocus():
            pen = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(pen)
            painter.drawRect(self.cell_rect(*self._cursor).adjusted(0, 0, -1, -1))
            painter.drawRect(self.cell_rect(*self._cursor).adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_hours(self, painter: QPainter, color: QColor) -> None:
        painter.setPen(color)
        room = self.fontMetrics().horizontalAdvance("00") + 4
        hour = self._cell_width() * 2
        step = 1 if hour > room else 2 if 2 * hour > room else 4
        for hour in range(0, 24, step):
            rect = self.cell_rect(0, hour * 2)
            box = QRect(rect.left() - round(hour) // 2 - 10, 0, round(hour) + 20, self._header_height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{hour:02d}")

    # -- mouse --

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if self._read_only or cell is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._anchor = cell
        self._cursor = cell
        self._before_drag = self._grid
        self._paint_value = not self._grid[cell[0]][cell[1]]
        self._drag_to(cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if self._anchor is not None and cell is not None:
            self._drag_to(cell)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if self._anchor is None:
            return
        if cell is not None:
            self._drag_to(cell)
        changed = self._grid != self._before_drag
        self._anchor = None
        self._before_drag = None
        if changed:
            self.changed.emit(self._grid)

    def _drag_to(self, cell: Cell) -> None:
        assert self._anchor is not None and self._before_drag is not None
        self._cursor = cell
        self._grid = rm.paint(self._before_drag, rm.rectangle(self._anchor, cell), self._paint_value)
        self.update()

    # -- keyboard --

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        key = Qt.Key(event.key())
        if key in moves:
            dd, ds = moves[key]
            day = min(6, max(0, self._cursor[0] + dd))
            slot = min(rm.SLOTS_PER_DAY - 1, max(0, self._cursor[1] + ds))
            self._cursor = (day, slot)
            self._announce()
            self.update()
        elif key == Qt.Key.Key_Space and not self._read_only:
            day, slot = self._cursor
            self._grid = rm.paint(self._grid, [self._cursor], not self._grid[day][slot])
            self._announce()
            self.update()
            self.changed.emit(self._grid)
        else:
            super().keyPressEvent(event)

    def _announce(self) -> None:
        day, slot = self._cursor
        start = rm.SLOT_MINUTES * slot
        state = self.tr("allowed") if self._grid[day][slot] else self.tr("not allowed")
        self.setAccessibleDescription(
            self.tr("{day} {time}: {state}").format(
                day=weekday_label(day), time=f"{start // 60:02d}:{start % 60:02d}", state=state
            )
        )

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._announce()
        super().focusInEvent(event)
