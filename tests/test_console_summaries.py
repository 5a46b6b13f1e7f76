"""The Summaries page: pickers, highlights, tamper box, charts, PDF and print; a caregiver reads, never changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QPushButton

from guardian import summary_text
from guardian.api import GuardianAPI
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.summaries_page import SummariesPage
from guardian.ui.console.window import ConsoleWindow
from tests.helpers import settle_page

RULE_CHANGERS = (
    "save_rules",
    "import_rules",
    "grant",
    "pause_today",
    "resume_today",
    "answer_request",
    "set_pin",
    "erase_child_records",
    "apply_retention",
)


@pytest.fixture
def page(qtbot, family: GuardianAPI) -> SummariesPage:
    family.store.events.add(
        "agent_gap", ts=int(family.clock.now()) - 6 * 86_400, data={"seconds": 900, "clean": False}
    )
    ctx = ConsoleContext(family, role="caregiver")
    ctx.language = "en"
    widget = SummariesPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    return widget


def test_defaults_to_the_last_full_week_and_the_first_child(page: SummariesPage, family: GuardianAPI) -> None:
    assert page.week == family.last_full_week() == "2026-W47"
    assert page.child_box.currentText() == "Minh An"
    assert page.child_box.count() == 3 and page.week_box.count() == 12
    assert page.summary is not None and page.summary.child == "Minh An"


def test_shows_highlights_tamper_box_and_three_charts(qtbot, page: SummariesPage) -> None:
    assert page.summary is not None
    for line in summary_text.highlights(page.summary, "en"):
        assert line in page.highlights.text()
    assert len(page.findChildren(QChartView)) == 3
    page.child_box.setCurrentIndex(2)
    settle_page(qtbot, page)
    assert page.summary is not None and page.summary.child == "Gia Huy"
    assert "Guardian was stopped unexpectedly" in page.tamper.text()
    assert page.tamper.property("role") == "alert"


def test_changing_the_week_shows_that_week(qtbot, page: SummariesPage) -> None:
    page.week_box.setCurrentIndex(1)
    settle_page(qtbot, page)
    assert page.summary is not None and page.summary.first == "2026-11-09"


def test_vietnamese_page_reads_vietnamese(qtbot, family: GuardianAPI) -> None:
    i18n.install("vi")
    ctx = ConsoleContext(family)
    ctx.language = "vi"
    widget = SummariesPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    assert widget.title.text() == "Tóm tắt hằng tuần"
    assert "Minh An" in widget.highlights.text() and "dùng máy tính" in widget.highlights.text()
    assert not re.search(r"\b(used|week|minutes)\b", widget.highlights.text())


def test_save_as_pdf_writes_a_page_per_child(qtbot, page: SummariesPage, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "week.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(page.saved):
        page.pdf_button.click()
        assert page.status.text() == "Saving…" and not page.pdf_button.isEnabled()
    assert page.pdf_button.isEnabled() and page.status.text() == ""
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 3  # one a child


def test_print_paints_on_the_chosen_printer(qtbot, page: SummariesPage, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return int(QPrintDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(page.printed):
        page.print_button.click()
        assert page.status.text() == "Printing…" and not page.print_button.isEnabled()
    assert target.read_bytes().startswith(b"%PDF")


def test_a_caregiver_sees_summaries_and_requests_but_nothing_that_changes_rules(
    qtbot, family: GuardianAPI, monkeypatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    for name in RULE_CHANGERS:
        monkeypatch.setattr(GuardianAPI, name, lambda *a, _n=name, **k: calls.append(_n))
    version = family.rules_version()
    window = ConsoleWindow(ConsoleContext(family), first_run=False)
    qtbot.addWidget(window)
    window.unlock("caregiver", "5678")
    assert window.page_keys == ["dashboard", "summaries", "guide"]
    assert window.show_page("summaries")
    page = window.pages["summaries"]
    assert isinstance(page, SummariesPage)
    settle_page(qtbot, page)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "c.pdf"), ""))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: int(QPrintDialog.DialogCode.Rejected))
    buttons = page.findChildren(QPushButton)
    assert {b.text() for b in buttons} == {"Save as &PDF…", "P&rint…"}
    for button in buttons:
        button.click()
        settle_page(qtbot, page)
    asked = 0
    for index in range(page.child_box.count()):
        page.child_box.setCurrentIndex(index)
        settle_page(qtbot, page)
        assert page.summary is not None
        for request in page.summary.requests:
            assert summary_text.request_line(request, family.zone(), "vi") in page.requests.text()
            asked += 1
    assert asked > 0  # the caregiver does see the children's requests and their answers
    assert calls == [] and family.rules_version() == version
    assert (tmp_path / "c.pdf").exists()


def test_the_summary_wording_is_complete_in_both_languages() -> None:
    for table in (summary_text.LABELS, summary_text.EVENTS, summary_text.HIGHLIGHTS, summary_text.TAMPER):
        for key, (en, vi) in table.items():
            assert en.strip() and vi.strip(), key
            assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", vi)), key


def test_refreshing_and_saving_many_times_keeps_none_alive(
    qtbot, page: SummariesPage, tmp_path: Path
) -> None:
    import sys

    before = sys.getrefcount(None)
    for n in range(6):
        page.week_box.setCurrentIndex(n % 2)
        settle_page(qtbot, page)
        with qtbot.waitSignal(page.saved):
            assert page.save_pdf(tmp_path / "again.pdf")
    assert (
        sys.getrefcount(None) >= before - 100
    )  # without the guard: thousands lost (an abort in a long session)


@pytest.fixture
def parent_page(qtbot, family: GuardianAPI) -> SummariesPage:
    ctx = ConsoleContext(family, role="parent", pin="1234")
    ctx.language = "en"
    widget = SummariesPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    return widget


def test_a_parent_exports_a_childs_records_with_the_pin(
    qtbot, parent_page: SummariesPage, family: GuardianAPI, tmp_path: Path, monkeypatch
) -> None:
    import json

    from PySide6.QtWidgets import QInputDialog

    target = tmp_path / "an.json"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("1234", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(parent_page.exported):
        parent_page.export_button.click()
        assert parent_page.status.text() == "Exporting…" and not parent_page.erase_button.isEnabled()
    assert parent_page.status.text() == "Saved an.json."
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["child"] == "Minh An" and data["records"]["usage"]
    assert family.notable_events(0, ["child_exported"])


def test_erasing_needs_confirmation_and_the_right_pin(
    qtbot, parent_page: SummariesPage, family: GuardianAPI, monkeypatch
) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    child_id = family.store.children.id_for("Minh An")
    assert child_id is not None
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    parent_page.erase_button.click()
    assert family.store.usage.between(child_id, 0, 2**40)  # not confirmed: nothing deleted
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("0000", True))
    parent_page.erase_button.click()
    settle_page(qtbot, parent_page)
    assert warnings and family.store.usage.between(child_id, 0, 2**40)  # wrong PIN: nothing deleted
    family.store.meta.set_json("pin_backoff", {"failures": 0, "until": 0})
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("1234", True))
    parent_page.erase_button.click()
    settle_page(qtbot, parent_page)
    assert family.store.usage.between(child_id, 0, 2**40) == []
    assert family.notable_events(0, ["child_erased"])
    assert parent_page.summary is not None and parent_page.summary.screen_s == 0
