"""Every string the console core shows has a Vietnamese translation."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from guardian.resources import resource_path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "guardian" / "ui"
MODULES = (
    "console/window.py",
    "console/lock.py",
    "console/dashboard.py",
    "console/dashboard_widgets.py",
    "widgets/time_ring.py",
    "widgets/durations.py",
)
HELPER_CONTEXTS = {"_t": "DashboardPage"}
"""Module-level helpers that translate in a fixed context."""


def translatable(path: Path) -> list[tuple[str, str]]:
    """``(context, source)`` for every ``self.tr("…")``, ``_t("…")`` and ``translate("Ctx", "…")``."""
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, context: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            context = node.name
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name == "tr" and context and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((context, first.value))
            elif name in HELPER_CONTEXTS and isinstance(first, ast.Constant):
                found.append((HELPER_CONTEXTS[name], first.value))
            elif name == "translate" and len(node.args) >= 2:
                ctx, text = node.args[0], node.args[1]
                if isinstance(ctx, ast.Constant) and isinstance(text, ast.Constant):
                    found.append((ctx.value, text.value))
        for child in ast.iter_child_nodes(node):
            visit(child, context)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def vietnamese() -> dict[str, dict[str, str]]:
    return json.loads((resource_path("i18n") / "vi" / "console_core.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", MODULES)
def test_every_string_has_a_vietnamese_translation(module):
    strings = translatable(SOURCE / module)
    assert strings, f"no translatable strings found in {module}"
    catalog = vietnamese()
    missing = [(ctx, text) for ctx, text in strings if not catalog.get(ctx, {}).get(text, "").strip()]
    assert missing == []


def test_translations_keep_their_placeholders():
    for strings in vietnamese().values():
        for source, target in strings.items():
            for mark in ("%1", "%2", "%3"):
                assert (mark in source) == (mark in target), (source, target)


def test_the_installed_translator_speaks_vietnamese(qapp):
    from PySide6.QtCore import QCoreApplication

    from guardian.ui import i18n

    i18n.install("vi")
    try:
        assert QCoreApplication.translate("ChildCard", "Lock now") == "Khóa ngay"
    finally:
        i18n.install("en")
    assert QCoreApplication.translate("ChildCard", "Lock now") == "Lock now"
