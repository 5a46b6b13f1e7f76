"""Translations: the Linguist files are complete, compiled .qm files load in plain QTranslators, and a missing
.qm is compiled on the fly (or the console says why it stays English) instead of crashing."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox

from guardian.ui import i18n, linguist

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "guardian_vi.ts"


def load_script():
    spec = importlib.util.spec_from_file_location("translations_script", ROOT / "scripts" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def english_after(qapp: QApplication) -> Iterator[None]:
    yield
    i18n.install("en")


def test_every_source_string_has_a_finished_vietnamese_translation() -> None:
    assert load_script().problems() == []


def test_the_check_finds_an_unfinished_a_missing_and_a_stale_string(tmp_path: Path) -> None:
    folder = tmp_path / "translations"
    shutil.copytree(TS.parent, folder, ignore=shutil.ignore_patterns("*.qm", "guardian_pseudo.ts"))
    text = (folder / TS.name).read_text(encoding="utf-8")
    text = text.replace(
        "<translation>Khóa ngay</translation>", '<translation type="unfinished"></translation>'
    )
    text = text.replace("<source>Lock the screen</source>", "<source>A string no code uses</source>", 1)
    (folder / TS.name).write_text(text, encoding="utf-8")
    found = "\n".join(load_script().problems(folder))
    assert "ChildCard: 'Lock now': translation is unfinished" in found
    assert "not in guardian_vi.ts (run `update`): RulesLabels: 'Lock the screen'" in found
    assert "no longer in the sources (run `update`): RulesLabels: 'A string no code uses'" in found


@pytest.mark.parametrize(
    ("source", "target", "why"),
    [
        ("%1 min", "phút", "%-placeholders differ"),
        ("Saved to {path}", "Đã lưu", "{}-placeholders differ"),
        ("<b>Rules</b>", "Quy tắc", "markup differs"),
        ("&Approve", "Đồng ý (&A)", "accelerator shown as text"),
        ("&Save", "Lưu", "accelerator (&) is lost"),
        ("&Approve", "Đồng &ý", "cannot type"),
        ("&Save", "&Lưu &lại", "more than one & accelerator"),
        ("Save", "", "translation is empty"),
        ("Rules", "Nội quy", "say 'quy tắc', not 'nội quy'"),
        ("Caregiver PIN", "Mã PIN người trông trẻ", "say 'người chăm sóc'"),
    ],
)
def test_a_translation_that_cannot_ship_is_named(source: str, target: str, why: str) -> None:
    problems = linguist.message_problems(linguist.Message("Ctx", source, target, None))
    assert any(why in p for p in problems), problems


def test_vietnamese_comes_from_the_ts_file_and_english_is_the_source(qapp, english_after) -> None:
    assert i18n.install("vi")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Khóa ngay"
    assert all(type(t) is QTranslator for t in i18n._installed), "plain QTranslators, no subclass"
    assert i18n.install("en")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Lock now"


def test_every_finished_string_of_the_ts_file_is_shown_in_vietnamese(qapp, english_after) -> None:
    i18n.install("vi")
    wrong = [
        (m.context, m.source, QCoreApplication.translate(m.context, m.source))
        for m in linguist.read_ts(TS)
        if QCoreApplication.translate(m.context, m.source) != m.translation
    ]
    assert wrong == []


def test_message_box_buttons_are_vietnamese(qapp, english_after) -> None:
    i18n.install("vi")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Guardian",
        "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    texts = {
        box.button(b).text().replace("&", "")
        for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)
    }
    assert texts == {"Có", "Không"}
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"


def test_qts_own_file_dialog_speaks_vietnamese(qapp, english_after) -> None:
    i18n.install("vi")
    dialog = QFileDialog(None, "Guardian")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Tên tệp:", "&Loại tệp:"} <= labels
    dialog.deleteLater()


def test_many_translations_leave_none_references_intact(qapp, english_after) -> None:
    i18n.install("vi")
    before = sys.getrefcount(None)
    for _ in range(20_000):
        QCoreApplication.translate("NoSuchContext", "Nothing to translate")
    assert sys.getrefcount(None) >= before - 100


@pytest.fixture
def source_tree(tmp_path: Path, monkeypatch) -> Path:
    """A translations folder holding only the .ts files (no bootstrap ran), and an empty cache folder."""
    folder = tmp_path / "translations"
    folder.mkdir()
    for ts in ("guardian_vi.ts", "qtbase_vi.ts"):
        shutil.copy(TS.parent / ts, folder / ts)
    monkeypatch.setattr(i18n, "folder", lambda: folder)
    monkeypatch.setattr(i18n, "cache_folder", lambda: tmp_path / "cache")
    return tmp_path


def test_a_missing_qm_is_compiled_into_the_cache(qapp, source_tree, english_after) -> None:
    assert i18n.install("vi")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Khóa ngay"
    assert len(list((source_tree / "cache").glob("guardian_vi-*.qm"))) == 1
    assert i18n.install(i18n.PSEUDO)
    assert QCoreApplication.translate("ChildCard", "Lock now") == linguist.pseudo_text("Lock now")
    assert not list((source_tree / "translations").glob("*.qm")), "the source tree is left as it was"


def test_a_cached_qm_of_another_source_tree_is_never_loaded(qapp, source_tree, english_after) -> None:
    assert i18n.install("vi")
    (compiled,) = (source_tree / "cache").glob("guardian_vi-*.qm")
    ts = source_tree / "translations" / "guardian_vi.ts"
    ts.write_text(ts.read_text(encoding="utf-8").replace("Khóa ngay", "Khóa máy ngay"), encoding="utf-8")
    older = compiled.stat().st_mtime - 60  # another checkout's file, older than what this one compiled
    os.utime(ts, (older, older))
    assert i18n.install("vi")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Khóa máy ngay"
    assert len(list((source_tree / "cache").glob("guardian_vi-*.qm"))) == 2, "each source keeps its own .qm"
    assert compiled.is_file()


def test_a_stale_shipped_qm_is_not_loaded(qapp, source_tree, english_after) -> None:
    folder = source_tree / "translations"
    linguist.lrelease(folder / "guardian_vi.ts", folder / "guardian_vi.qm")
    ts = folder / "guardian_vi.ts"
    ts.write_text(ts.read_text(encoding="utf-8").replace("Khóa ngay", "Khóa máy ngay"), encoding="utf-8")
    os.utime(ts, (ts.stat().st_atime, (folder / "guardian_vi.qm").stat().st_mtime + 10))
    assert i18n.install("vi")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Khóa máy ngay"


def test_without_lrelease_the_console_stays_english_and_says_why(
    qapp, source_tree, monkeypatch, caplog, english_after
) -> None:
    def missing(name: str) -> Path:
        raise linguist.ToolMissing(f"{name} not found")

    monkeypatch.setattr(linguist, "tool", missing)
    with caplog.at_level(logging.WARNING, logger="guardian.ui.i18n"):
        assert not i18n.install("vi")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Lock now"
    assert re.search(
        r"cannot compile .*guardian_vi\.ts, showing English instead: lrelease not found", caplog.text
    )


def test_no_json_catalog_and_no_reference_workaround_left() -> None:
    assert not (ROOT / "resources" / "i18n").exists()
    for path in (ROOT / "src").rglob("*.py"):
        assert "Py_IncRef" not in path.read_text(encoding="utf-8"), path
    assert "ctypes" not in (ROOT / "src" / "guardian" / "ui" / "i18n.py").read_text(encoding="utf-8")


def test_vietnamese_outside_the_ts_file_uses_the_same_words() -> None:
    from guardian.ui.console import wizard_logic

    texts = {
        "guide_vi.md": (ROOT / "resources" / "guide" / "guide_vi.md").read_text(encoding="utf-8"),
        "presets.toml": (ROOT / "resources" / "presets.toml").read_text(encoding="utf-8"),
        "wizard_logic.PHRASES": " ".join(wizard_logic.PHRASES["vi"].values()),
        "qtbase_vi.ts": (TS.parent / "qtbase_vi.ts").read_text(encoding="utf-8"),
    }
    slips = {name: linguist.glossary_slips(text) for name, text in texts.items() if linguist.glossary_slips(text)}
    assert slips == {}
