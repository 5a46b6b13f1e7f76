"""The Summaries page: a child's week at a glance, for parents and caregivers alike.

Week and child pickers (default: the last full week, the first child), the highlights, tamper evidence in
its own box, charts (days by category with the limit, hour of day, top apps), limits and requests, and
"Save as PDF" / "Print". Nothing here changes rules: it only reads ``GuardianAPI.summary``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guardian import summary_text as words
from guardian.api import GuardianAPI
from guardian.core.summary import ChildSummary
from guardian.summary_export import SummaryReport
from guardian.ui import theme
from guardian.ui.console import summaries_charts as charts
from guardian.ui.console.context import ConsoleContext
from guardian.ui.jobs import run_job


def _label(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


def load_report(api: GuardianAPI, child: str | None, week: str, language: str) -> SummaryReport:
    """One week's summary of ``child`` (``None``: every child), read through ``api`` on any thread."""
    found = api.summary(child, week)
    first, last = (found[0].first, found[0].last) if found else ("", "")
    return SummaryReport(first, last, found, api.zone(), language)


class SummariesPage(QWidget):
    saved = Signal()
    """A PDF asked for by :meth:`save_pdf` is written."""
    printed = Signal()
    """The pages asked for by :meth:`print_to` are painted on the printer."""
    exported = Signal()
    """A child's records asked for by :meth:`export_records` are written."""
    erased = Signal(int)
    """A child's records are deleted: how many."""

    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: ChildSummary | None = None
        self._task: str | None = None
        self._shown = False
        self._printer: QPrinter | None = None
        self.title = _label(self.tr("Weekly summaries"), "title")
        self.week_box = QComboBox()
        self.week_box.setAccessibleName(self.tr("Week"))
        self.child_box = QComboBox()
        self.child_box.setAccessibleName(self.tr("Child"))
        self.pdf_button = QPushButton(self.tr("Save as &PDF…"))
        self.pdf_button.setProperty("role", "primary")
        self.print_button = QPushButton(self.tr("P&rint…"))
        self.pdf_button.clicked.connect(self.ask_save_pdf)
        self.print_button.clicked.connect(self.ask_print)
        pickers = QHBoxLayout()
        pickers.setSpacing(theme.SPACE_S)
        for text, box in ((self.tr("&Week:"), self.week_box), (self.tr("C&hild:"), self.child_box)):
            label = QLabel(text)
            label.setBuddy(box)
            pickers.addWidget(label)
            pickers.addWidget(box)
        pickers.addStretch(1)
        self.status = _label("", "muted")
        self.status.setAccessibleName(self.tr("Progress"))
        pickers.addWidget(self.status)
        pickers.addWidget(self.pdf_button)
        pickers.addWidget(self.print_button)

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setSpacing(theme.SPACE_M)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE_XL, theme.SPACE_L, theme.SPACE_XL, theme.SPACE_M)
        layout.setSpacing(theme.SPACE_M)
        layout.addWidget(self.title)
        layout.addLayout(pickers)
        layout.addWidget(scroll, 1)
        if ctx.is_parent:
            layout.addLayout(self._records_row())

        self._reads = 0
        self._show_note(self.tr("Loading…"))
        self._read(
            lambda api: (api.recent_weeks(12), [c.name for c in api.rules().children]), self._fill_pickers
        )
        self.week_box.currentIndexChanged.connect(self.refresh)
        self.child_box.currentIndexChanged.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)

    def _records_row(self) -> QHBoxLayout:
        """A parent's data-rights actions for the chosen child (never built for a caregiver)."""
        self.export_button = QPushButton(self.tr("&Export this child's records…"))
        self.erase_button = QPushButton(self.tr("Era&se this child's records…"))
        self.export_button.clicked.connect(self.ask_export)
        self.erase_button.clicked.connect(self.ask_erase)
        row = QHBoxLayout()
        row.addWidget(_label(self.tr("This child's records:"), "muted"))
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.erase_button)
        return row

    # -- data ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A read is out on the context's reader thread, or a save, print, export or erase is out."""
        return self._reads > 0 or self.saving

    def _read(self, fn: Callable[[GuardianAPI], Any], on_done: Callable[[Any], None]) -> None:
        self._reads += 1

        def done(result: Any) -> None:
            self._reads -= 1
            on_done(result)

        self.ctx.read(fn, done, self._read_failed, context=self)

    def _read_failed(self, exc: BaseException) -> None:
        self._reads -= 1
        self.summary = None
        self._show_note(self.tr("Could not read the summaries: {error}").format(error=exc))

    def _fill_pickers(self, found: tuple[list[tuple[str, date, date]], list[str]]) -> None:
        weeks, children = found
        for box in (self.week_box, self.child_box):
            box.blockSignals(True)
        for week, first, last in weeks:
            text = self.tr("{week}: {first} – {last}").format(
                week=week, first=f"{first:%d/%m}", last=f"{last:%d/%m/%Y}"
            )
            self.week_box.addItem(text, week)
        for child in children:
            self.child_box.addItem(child, child)
        for box in (self.week_box, self.child_box):
            box.blockSignals(False)
        self.refresh()

    @property
    def week(self) -> str:
        return str(self.week_box.currentData())

    def refresh(self) -> None:
        """Read the shown week and child again (on the reader thread); shown when the answer comes."""
        if not self.week_box.count() and self.busy:
            return  # the pickers are still being read; they refresh once filled
        child = self.child_box.currentData()
        if not self.week_box.count() or child is None:
            self._report_read(None)
            return
        week, language = self.week, self.ctx.language
        self._read(lambda api: load_report(api, child, week, language), self._report_read)

    def _report_read(self, report: SummaryReport | None) -> None:
        self.summary = report.children[0] if report and report.children else None
        self._show(report)

    def _show_note(self, text: str) -> None:
        self._clear()
        self._shown = False
        self.pdf_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.body_layout.addWidget(_label(text, "muted"))
        self.body_layout.addStretch(1)

    # -- showing ------------------------------------------------------------------------------

    def _clear(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _show(self, report: SummaryReport | None) -> None:
        self._clear()
        self._shown = report is not None
        self.pdf_button.setEnabled(self._shown and not self.saving)
        self.print_button.setEnabled(self._shown and not self.saving)
        s = self.summary
        if report is None or s is None:
            self.body_layout.addWidget(_label(self.tr("There are no children in the rules yet."), "muted"))
            self.body_layout.addStretch(1)
            return
        lang = self.ctx.language
        self.body_layout.addWidget(_label(self.tr("Highlights"), "subtitle"))
        self.highlights = _label("\n".join(f"•  {line}" for line in words.highlights(s, lang)))
        self.highlights.setAccessibleName(self.tr("Highlights"))
        self.body_layout.addWidget(self.highlights)
        self.body_layout.addWidget(self._tamper_box(s, report))
        total = words.label(
            "total",
            lang,
            total=words.duration(s.screen_s, lang),
            average=words.duration(s.screen_s // max(1, len(s.days)), lang),
        )
        self.body_layout.addWidget(_label(self.tr("Screen time by day"), "subtitle"))
        self.body_layout.addWidget(_label(total))
        self.body_layout.addWidget(charts.days_chart(s, lang))
        self.body_layout.addWidget(_label(self.tr("Use by hour of day"), "subtitle"))
        self.body_layout.addWidget(charts.hours_chart(s, lang))
        self.body_layout.addWidget(_label(self.tr("Top apps"), "subtitle"))
        self.body_layout.addWidget(charts.apps_chart(s, lang))
        self.body_layout.addWidget(_label(self.tr("Limits and requests"), "subtitle"))
        lines = [words.counts_line(s.counts, lang)] if any(s.counts.values()) else []
        lines += [words.web_line(s.web_blocks, lang)] if s.web_blocks else []
        lines += [words.request_line(r, report.tz, lang) for r in s.requests] or [
            words.label("no_requests", lang)
        ]
        self.requests = _label("\n".join(lines))
        self.requests.setAccessibleName(self.tr("Limits and requests"))
        self.body_layout.addWidget(self.requests)
        self.body_layout.addStretch(1)

    def _tamper_box(self, s: ChildSummary, report: SummaryReport) -> QFrame:
        lines = words.tamper_lines(s, report.tz, report.lang)
        box = QFrame()
        box.setProperty("role", "card")
        box.setObjectName("tamperBox")
        layout = QVBoxLayout(box)
        heading = _label(self.tr("Signs of tampering"), "subtitle")
        self.tamper = _label(
            "\n".join(f"⚠  {line}" for line in lines) if lines else words.label("no_tamper", report.lang),
            "alert" if lines else None,
        )
        self.tamper.setAccessibleName(self.tr("Signs of tampering"))
        layout.addWidget(heading)
        layout.addWidget(self.tamper)
        if lines:
            layout.addWidget(
                _label(
                    self.tr(
                        "Guardian keeps counting through these, but they can mean someone tried to get around"
                        " the rules. Talk about it together before changing anything."
                    ),
                    "muted",
                )
            )
        return box

    # -- saving and printing ------------------------------------------------------------------

    @property
    def saving(self) -> bool:
        """A save, print, export or erase is out (its buttons wait disabled, ``status`` says what)."""
        return self._task is not None

    def _actions(self) -> list[QPushButton]:
        found = [self.pdf_button, self.print_button]
        return found + ([self.export_button, self.erase_button] if self.ctx.is_parent else [])

    def _start(self, note: str) -> bool:
        """Mark a task as started, unless one is already out (a second click does nothing)."""
        if self._task is not None:
            return False
        self._task = note
        for button in self._actions():
            button.setEnabled(False)
        self.status.setText(note)
        return True

    def _finish(self, note: str = "") -> None:
        self._task = None
        for button in self._actions():
            button.setEnabled(True)
        self.pdf_button.setEnabled(self._shown)
        self.print_button.setEnabled(self._shown)
        self.status.setText(note)

    def _failed(self, title: str, text: str = "{error}") -> Callable[[BaseException], None]:
        """Shows what went wrong in ``text`` (``{error}``: the reason, in plain words) and frees the buttons."""

        def show(exc: BaseException) -> None:
            self._finish()
            QMessageBox.warning(self, title, text.format(error=exc))

        return show

    def _paint(
        self,
        failed: Callable[[BaseException], None],
        paint: Callable[[SummaryReport], None],
        done: Callable[[], None],
    ) -> None:
        """Read the shown week of every child (reader thread), then ``paint`` it on a pool thread."""
        week, language = self.week, self.ctx.language

        def painted(_result: object) -> None:
            self._finish()
            done()

        def read(report: SummaryReport) -> None:
            run_job(lambda: paint(report), painted, failed, context=self)

        self.ctx.read(lambda api: load_report(api, None, week, language), read, failed, context=self)

    def save_pdf(self, path: Path) -> bool:
        """Write the shown week, every child a page, to ``path``, off the UI thread (``saved`` tells when);
        False when nothing is shown or a save is already out."""
        from guardian.summary_pdf import write_pdf

        if not self.week_box.count() or not self._start(self.tr("Saving…")):
            return False
        failed = self._failed(self.tr("Save as PDF"), self.tr("Could not save: {error}"))
        self._paint(failed, lambda report: write_pdf(report, path), self.saved.emit)
        return True

    def print_to(self, printer: QPrinter) -> bool:
        """Paint the shown week on ``printer`` off the UI thread (``printed`` tells when it is sent)."""
        from guardian.summary_pdf import paint_pages

        if not self.week_box.count() or not self._start(self.tr("Printing…")):
            return False
        self._printer = printer  # kept alive until painted

        def sent() -> None:
            self._printer = None
            self.printed.emit()

        failed = self._failed(self.tr("Print"), self.tr("Could not print: {error}"))
        self._paint(failed, lambda report: paint_pages(report, printer), sent)
        return True

    def ask_save_pdf(self) -> None:
        if self.saving:
            return
        suggested = str(Path.home() / f"guardian-{self.week}.pdf")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), suggested, self.tr("PDF files (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def ask_print(self) -> None:
        if self.saving:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    # -- a child's data rights (parents only) ----------------------------------------------------

    def _ask_pin(self, title: str) -> str | None:
        pin, ok = QInputDialog.getText(
            self, title, self.tr("Type the parent PIN to continue:"), QLineEdit.EchoMode.Password
        )
        return pin if ok and pin else None

    def export_records(self, child: str, pin: str, path: Path) -> bool:
        """Write every record of ``child`` as JSON to ``path`` on the writer thread (the API checks the PIN
        and logs it); ``exported`` tells when the file is written."""
        if not self._start(self.tr("Exporting…")):
            return False
        title = self.tr("Export {child}'s records").format(child=child)

        def written(_result: object) -> None:
            self._finish(self.tr("Saved {name}.").format(name=path.name))
            self.exported.emit()

        self.ctx.write(
            lambda api: write_records(api, child, pin, path), written, self._failed(title), context=self
        )
        return True

    def erase_records(self, child: str, pin: str) -> bool:
        """Delete ``child``'s records on the writer thread; ``erased(count)`` tells how many."""
        if not self._start(self.tr("Deleting…")):
            return False
        title = self.tr("Erase {child}'s records").format(child=child)

        def erased(removed: dict[str, int]) -> None:
            self._finish()
            self.ctx.data_changed.emit()
            count = sum(removed.values())
            self.erased.emit(count)
            QMessageBox.information(self, title, self.tr("{count} records deleted.").format(count=count))

        self.ctx.write(
            lambda api: api.erase_child_records(child, pin=pin), erased, self._failed(title), context=self
        )
        return True

    def ask_export(self) -> None:
        if self.saving:
            return
        child = str(self.child_box.currentData())
        title = self.tr("Export {child}'s records").format(child=child)
        pin = self._ask_pin(title)
        if pin is None:
            return
        suggested = str(Path.home() / f"guardian-{child}.json")
        name, _ = QFileDialog.getSaveFileName(self, title, suggested, self.tr("JSON files (*.json)"))
        if name:
            self.export_records(child, pin, Path(name))

    def ask_erase(self) -> None:
        if self.saving:
            return
        child = str(self.child_box.currentData())
        title = self.tr("Erase {child}'s records").format(child=child)
        sure = QMessageBox.question(
            self,
            title,
            self.tr(
                "Delete all of {child}'s recorded use, events, requests and extra time? This cannot be undone."
                " The rules for {child} stay."
            ).format(child=child),
        )
        if sure != QMessageBox.StandardButton.Yes:
            return
        pin = self._ask_pin(title)
        if pin is not None:
            self.erase_records(child, pin)


def write_records(api: GuardianAPI, child: str, pin: str, path: Path) -> None:
    """Every record of ``child`` as JSON in ``path`` (on the writer thread: the API logs the export)."""
    data = api.export_child_records(child, pin=pin)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
