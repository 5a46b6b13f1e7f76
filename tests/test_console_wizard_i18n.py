"""Every string the wizard, settings and guide pages translate has a Vietnamese entry."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from guardian.ui.console import wizard_logic

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["wizard.py", "settings_page.py", "guide.py"]
CATALOG = ROOT / "resources" / "i18n" / "vi" / "console_setup.json"


def translatable(path: Path) -> set[tuple[str, str]]:
    """``(context, source)`` of every ``self.tr("…")`` (context: the enclosing class) and ``translate("C", "…")``."""
    found: set[tuple[str, str]] = set()
    for cls in (
        n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)
    ):
        for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
            found |= _strings(call, cls.name)
    for call in (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "translate" and len(call.args) >= 2:
            context, source = call.args[0], call.args[1]
            if isinstance(context, ast.Constant) and isinstance(source, ast.Constant):
                found.add((context.value, source.value))
    return found


def _strings(call: ast.Call, context: str) -> set[tuple[str, str]]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "tr" and call.args:
        arg = call.args[0]
        assert isinstance(arg, ast.Constant), f"tr() needs one string literal (line {call.lineno})"
        return {(context, arg.value)}
    return set()


def all_strings() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for name in MODULES:
        found |= translatable(ROOT / "src" / "guardian" / "ui" / "console" / name)
    return sorted(found)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scanner_finds_strings() -> None:
    found = all_strings()
    assert ("FirstRunWizard", "&Next >") in found
    assert ("PinPage", "Parent PIN") in found
    assert len(found) > 80


@pytest.mark.parametrize(("context", "source"), all_strings())
def test_every_string_has_vietnamese(context: str, source: str) -> None:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    translated = catalog.get(context, {}).get(source, "")
    assert translated.strip(), f"missing Vietnamese for {context}: {source!r}"
    assert fields(translated) == fields(source), f"placeholders differ for {source!r}"
    assert translated.count("&") <= 1
    # PySide's self.tr() treats a translation equal to its source as missing and asks the base
    # classes' contexts next, so an identical "translation" would not show.
    assert translated != source


def test_catalog_has_no_stale_entries() -> None:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    used = set(all_strings())
    stale = [(c, s) for c, texts in catalog.items() for s in texts if (c, s) not in used]
    assert stale == []


def test_plain_word_phrases_exist_in_both_languages_with_the_same_fields() -> None:
    en, vi = wizard_logic.PHRASES["en"], wizard_logic.PHRASES["vi"]
    assert en.keys() == vi.keys()
    for key in en:
        assert fields(en[key]) == fields(vi[key]), key
    assert wizard_logic.CATEGORY_NAMES["en"].keys() == wizard_logic.CATEGORY_NAMES["vi"].keys()


def test_vietnamese_text_has_diacritics() -> None:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    texts = " ".join(t for strings in catalog.values() for t in strings.values())
    assert re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", texts)
