"""The wizard's plain-word phrases (built outside Qt) exist in both languages; the wizard shows Vietnamese.

Completeness of every tr() string is checked once for the whole source tree in tests/test_i18n.py."""

from __future__ import annotations

import re
import string

from PySide6.QtWidgets import QWizard

from guardian.ui import i18n, linguist
from guardian.ui.console import wizard_logic
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard import FirstRunWizard
from tests.test_i18n import TS


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_plain_word_phrases_exist_in_both_languages_with_the_same_fields() -> None:
    en, vi = wizard_logic.PHRASES["en"], wizard_logic.PHRASES["vi"]
    assert en.keys() == vi.keys()
    for key in en:
        assert fields(en[key]) == fields(vi[key]), key
    assert wizard_logic.CATEGORY_NAMES["en"].keys() == wizard_logic.CATEGORY_NAMES["vi"].keys()


def test_vietnamese_text_has_diacritics() -> None:
    texts = " ".join(m.translation for m in linguist.read_ts(TS) if m.context == "FirstRunWizard")
    assert re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", texts)


def test_the_wizard_starts_in_vietnamese(qtbot, api) -> None:
    ctx = ConsoleContext(api, pin=None)
    ctx.language = "vi"
    wizard = FirstRunWizard(ctx, accounts=["an"], is_admin=lambda user: False)
    qtbot.addWidget(wizard)
    try:
        assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Tiếp >"
        assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Hủy"
    finally:
        i18n.install("en")
