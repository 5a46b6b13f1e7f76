"""Weekly summaries as PDF: one page per child with the charts, through Qt's ``QPdfWriter``.

The charts are the same SVG as the HTML export, drawn by ``QSvgRenderer``; the text is drawn with
``QPainter`` in the report's language. The same painting prints on paper (``paint_pages`` on a QPrinter).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtSvg import QSvgRenderer

from guardian import summary_svg as svg
from guardian import summary_text as words
from guardian.core.summary import ChildSummary
from guardian.summary_export import SummaryReport

DPI = 96
WIDTH = 560
"""Content width in points at ``DPI`` (A4 minus margins is about 640 at 96 dpi)."""


def ensure_gui() -> QGuiApplication:
    """A QGuiApplication for fonts and painting; offscreen when none exists and no display is set."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    assert isinstance(app, QGuiApplication)
    return app


def write_pdf(report: SummaryReport, path: Path) -> None:
    """Write ``report`` to ``path`` as an A4 PDF, one page per child (a title page when there is none)."""
    ensure_gui()
    _write(report, path)


def _write(report: SummaryReport, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(14, 12, 14, 12), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"Guardian — {words.label('title', report.lang)} {report.first} – {report.last}")
    writer.setCreator("Guardian")
    paint_pages(report, writer)


def paint_pages(report: SummaryReport, device: QPdfWriter | QPrinter) -> None:
    """Paint the report on ``device`` (a QPdfWriter or a QPrinter), one page per child."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the PDF or printer cannot be written")
    try:
        area = device.pageLayout().paintRectPixels(device.resolution())
        scale = area.width() / (WIDTH + 20)
        painter.scale(scale, scale)
        children: list[ChildSummary | None] = [*report.children] or [None]
        for n, child in enumerate(children):
            if n:
                device.newPage()
            _Page(painter, report, device, area.height() / scale).paint(child)
    finally:
        painter.end()


class _Page:
    """Paints one child's summary from the top of a page, continuing on a new page when it runs out."""

    def __init__(
        self, painter: QPainter, report: SummaryReport, device: QPdfWriter | QPrinter, height: float
    ) -> None:
        self.p = painter
        self.r = report
        self.lang = report.lang
        self.device = device
        self.height = height
        self.y = 0.0

    def _room(self, needed: float) -> None:
        if self.y > 0 and self.y + needed > self.height:
            self.device.newPage()
            self.y = 0.0

    def _font(self, size: float, bold: bool = False) -> None:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        font.setBold(bold)
        self.p.setFont(font)

    def text(
        self, text: str, size: float = 9.5, *, bold: bool = False, color: str = "#222222", indent: float = 0
    ) -> None:
        self._font(size, bold)
        self.p.setPen(QColor(color))
        rect = QRectF(indent, self.y, WIDTH - indent, 2000)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        used = self.p.boundingRect(rect, flags, text)
        self._room(used.height())
        rect.moveTop(self.y)
        self.p.drawText(rect, flags, text)
        self.y += used.height() + 2

    def chart(self, source: str) -> None:
        renderer = QSvgRenderer(QByteArray(source.encode("utf-8")))
        size = renderer.defaultSize()
        self._room(size.height())
        renderer.render(self.p, QRectF(0, self.y, size.width(), size.height()))
        self.y += size.height() + 4

    def paint(self, s: ChildSummary | None) -> None:
        lang = self.lang
        self.text(f"Guardian — {words.label('title', lang)}", 14, bold=True)
        self.text(words.label("period", lang, first=self.r.first, last=self.r.last), 10, color="#555555")
        if s is None:
            return
        self.y += 4
        self.text(s.child, 14, bold=True)
        for line in words.highlights(s, lang):
            self.text(f"•  {line}", indent=6)
        self._tamper(s)
        self.text(words.label("screen_time", lang), 11, bold=True)
        average = words.duration(s.screen_s // max(1, len(s.days)), lang)
        self.text(words.label("total", lang, total=words.duration(s.screen_s, lang), average=average))
        self.chart(svg.days_chart(s, lang, height=160))
        self.chart(svg.legend(s, lang))
        self.text(words.label("hours", lang), 11, bold=True)
        self.chart(svg.hours_strip(s, lang))
        if s.late_night_s:
            self.text(f"{words.label('late', lang)}: {words.duration(s.late_night_s, lang)}")
        self.text(words.label("top_apps", lang), 11, bold=True)
        self.chart(svg.apps_chart(s, lang))
        self.text(words.label("events", lang), 11, bold=True)
        counts = words.counts_line(s.counts, lang)
        if counts:
            self.text(counts)
        for line in [words.request_line(q, self.r.tz, lang) for q in s.requests] or [
            words.label("no_requests", lang)
        ]:
            self.text(line, indent=6)

    def _tamper(self, s: ChildSummary) -> None:
        lines = words.tamper_lines(s, self.r.tz, self.lang)
        top = self.y + 4
        self.y = top + 6
        color = "#c9302c" if lines else "#4caf50"
        self.text(words.label("tamper", self.lang), 10.5, bold=True, indent=8)
        for line in lines or [words.label("no_tamper", self.lang)]:
            self.text(line, indent=8)
        self.y += 4
        self.p.setPen(QPen(QColor(color), 2))
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.drawRoundedRect(QRectF(0, top, WIDTH, self.y - top), 5, 5)
        self.y += 10
