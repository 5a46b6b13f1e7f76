"""The translator survives heavy use (a PySide6 reference bug once aborted the console) and translates."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from guardian.ui import i18n


def test_many_translations_leave_none_references_intact(qapp: QApplication) -> None:
    i18n.install("vi")
    try:
        before = sys.getrefcount(None)
        for _ in range(20_000):
            QCoreApplication.translate("NoSuchContext", "Nothing to translate")
        assert sys.getrefcount(None) >= before - 100
    finally:
        i18n.install("en")


def test_vietnamese_catalog_translates_and_english_is_the_source(qapp: QApplication) -> None:
    strings = i18n.catalog("vi")
    context, table = next(iter(strings.items()))
    source, translated = next(iter(table.items()))
    i18n.install("vi")
    try:
        assert QCoreApplication.translate(context, source) == translated
    finally:
        i18n.install("en")
    assert QCoreApplication.translate(context, source) == source
