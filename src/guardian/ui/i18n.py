"""Translations. Every user-visible string goes through Qt's ``tr``/``QCoreApplication.translate``.

Vietnamese lives in ``resources/i18n/vi/*.json``: one file per UI module, each an object
``{"Context": {"English source": "Vietnamese text"}}``. English is the source language.
"""

from __future__ import annotations

import ctypes
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from guardian.resources import resource_path

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


@cache
def catalog(language: str) -> dict[str, dict[str, str]]:
    """Every translation for ``language``, merged from its JSON files."""
    merged: dict[str, dict[str, str]] = {}
    folder = resource_path("i18n") / language
    if not folder.is_dir():
        return merged
    for path in sorted(Path(folder).glob("*.json")):
        for context, strings in json.loads(path.read_text(encoding="utf-8")).items():
            merged.setdefault(context, {}).update(strings)
    return merged


class JsonTranslator(QTranslator):
    """A ``QTranslator`` backed by the JSON catalogs (no compile step, easy to review in a diff)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.lang = language
        self._strings = catalog(language)

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """The Vietnamese text, or None so Qt falls back to the English source."""
        if disambiguation is None:
            # PySide6 passes a borrowed None here and releases it once more after the call; without this
            # the interpreter's None runs out of references after a few thousand translations and aborts.
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        del n
        return self._strings.get(context, {}).get(source) or None

    def isEmpty(self) -> bool:
        return not self._strings


_installed: JsonTranslator | None = None


def install(language: str) -> None:
    """Switch the application's language (``vi`` or ``en``) for every string translated from now on."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language != "en":
        _installed = JsonTranslator(language)
        app.installTranslator(_installed)


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
