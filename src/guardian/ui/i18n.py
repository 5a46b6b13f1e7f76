"""Translations. Every user-visible string goes through Qt's ``tr``/``QCoreApplication.translate``.

Vietnamese lives in ``resources/i18n/vi/*.json``: one file per UI module, each an object
``{"Context": {"English source": "Vietnamese text"}}``. English is the source language.

For layout checks (tests, screenshots) the pseudo-language ``pseudo`` — or ``GUARDIAN_PSEUDO=1`` with any
language — turns every string into a bracketed, accented version about 40% longer: ``[Śàvé šéttîñgš ẫẫẫ]``.
It shows clipped text, missing ``tr`` calls (plain English) and tight layouts without a translator.
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from guardian.resources import resource_path

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
PSEUDO = "pseudo"
PSEUDO_ENV = "GUARDIAN_PSEUDO"
PSEUDO_GROWTH = 0.4
_ACCENTED = str.maketrans(
    "aeiouyAEIOUYcdnsz",
    "ấệîộữýẤỆÎỘỮÝçđñšž",
)
_KEEP = re.compile(r"\{[^{}]*\}|%\d|<[^<>]*>|&[a-zA-Z]+;|&&|\n")
"""Placeholders, markup, entities and line breaks, which the pseudo-translation leaves as they are."""
_PAD = "ẫ"


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
        return self.lookup(context, source)

    def lookup(self, context: str, source: str) -> str | None:
        return self._strings.get(context, {}).get(source) or None

    def isEmpty(self) -> bool:
        return not self._strings


def pseudo_text(source: str) -> str:
    """``Save &settings`` → ``[Šấvệ &šệttîñgš ẫẫẫẫẫ]``: accented, ~40% longer, placeholders kept."""
    core = source.strip()
    if not core:
        return source
    lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()) :]
    return lead + _pseudo_core(core) + trail


def _pseudo_core(source: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _KEEP.finditer(source):
        parts.append(source[last : match.start()].translate(_ACCENTED))
        parts.append(match.group())
        last = match.end()
    parts.append(source[last:].translate(_ACCENTED))
    visible = len(_KEEP.sub("", source))
    padding = max(1, math.ceil(visible * PSEUDO_GROWTH) - 3)
    words = [_PAD * min(5, padding - i) for i in range(0, padding, 5)]
    return "[" + "".join(parts) + " " + " ".join(words) + "]"


class PseudoTranslator(JsonTranslator):
    """Every string as :func:`pseudo_text` of its English source, for layout checks."""

    def __init__(self) -> None:
        super().__init__(PSEUDO)

    def lookup(self, context: str, source: str) -> str | None:
        del context
        return pseudo_text(source)

    def isEmpty(self) -> bool:
        return False


def pseudo_requested() -> bool:
    """``GUARDIAN_PSEUDO=1`` asks for the pseudo-translation whatever language is chosen."""
    return os.environ.get(PSEUDO_ENV, "") not in ("", "0")


_installed: JsonTranslator | None = None


def install(language: str) -> None:
    """Switch the application's language (``vi``, ``en`` or ``pseudo``) for every string translated from now on."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == PSEUDO or pseudo_requested():
        _installed = PseudoTranslator()
    elif language != "en":
        _installed = JsonTranslator(language)
    if _installed is not None:
        app.installTranslator(_installed)


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
