"""Translations. Every user-visible string goes through Qt's ``tr``/``QCoreApplication.translate``.

Vietnamese lives in the Qt Linguist file ``resources/translations/guardian_vi.ts`` (Qt's own button and menu
strings in ``qtbase_vi.ts``), compiled to ``.qm`` by ``scripts/bootstrap.py`` and loaded here by plain
``QTranslator``s. English is the source language. How to add a string: docs/translations.md.

When a ``.qm`` is missing or older than its ``.ts`` (a source tree without bootstrap), it is compiled on the fly
into the user's cache folder; only when that is impossible does the console stay in English, with a warning.

For layout checks (tests, screenshots) the pseudo-language ``pseudo`` — or ``GUARDIAN_PSEUDO=1`` with any
language — turns every string into a bracketed, accented version about 40% longer: ``[Śàvé šéttîñgš ẫẫẫ]``.
It shows clipped text, missing ``tr`` calls (plain English) and tight layouts without a translator. Its
``.ts``/``.qm`` are generated from the strings of ``guardian_vi.ts``.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from guardian.resources import resource_path
from guardian.ui import linguist
from guardian.ui.linguist import PSEUDO, pseudo_text

__all__ = ["LANGUAGES", "PSEUDO", "PSEUDO_ENV", "install", "pseudo_requested", "pseudo_text", "tr"]

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
PSEUDO_ENV = "GUARDIAN_PSEUDO"
PSEUDO_NAME = "guardian_pseudo"
log = logging.getLogger(__name__)


def folder() -> Path:
    return resource_path("translations")


def cache_folder() -> Path:
    return Path(platformdirs.user_cache_dir("guardian", appauthor=False)) / "translations"


def qm_file(name: str) -> Path | None:
    """The compiled ``NAME.qm`` (``guardian_vi``, ``qtbase_vi``, ``guardian_pseudo``), compiling it into the cache
    folder when the shipped one is missing or stale; ``None`` (and a warning) when that cannot be done.

    A cached ``.qm`` is named after a digest of what it is made from, so source trees sharing one cache (several
    checkouts, an installed copy) never load each other's translations."""
    source = folder() / (linguist.ts_name("vi") if name == PSEUDO_NAME else f"{name}.ts")
    made_from = [source, Path(linguist.__file__)] if name == PSEUDO_NAME else [source]
    shipped = folder() / f"{name}.qm"
    if shipped.is_file() and not linguist.stale(shipped, *made_from):
        return shipped
    if not source.is_file():
        log.warning("no translation %s in %s: reinstall Guardian", name, folder())
        return None
    try:
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in made_from)).hexdigest()[:16]
        cached = cache_folder() / f"{name}-{digest}.qm"
        if not cached.is_file():
            ts = source
            if name == PSEUDO_NAME:
                ts = linguist.write_pseudo_ts(source, cached.with_suffix(".ts"))
            linguist.lrelease(ts, cached)
        return cached
    except (linguist.ToolMissing, RuntimeError, OSError) as exc:
        log.warning("cannot compile %s, showing English instead: %s", source, exc)
        return None


def _translator(qm: Path | None) -> QTranslator | None:
    if qm is None:
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        log.warning("cannot load %s, showing English instead", qm)
        return None
    return translator


def translators(language: str) -> list[QTranslator]:
    """What :func:`install` puts on the application for ``language`` (Qt searches the last one first)."""
    files: list[Path | None] = []
    if language == PSEUDO or pseudo_requested():
        files = [qm_file(PSEUDO_NAME)]
    elif language in LANGUAGES and language != "en":
        qt_own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / f"qtbase_{language}.qm"
        files = [
            qt_own if qt_own.is_file() else None,
            qm_file(f"qtbase_{language}"),
            qm_file(f"guardian_{language}"),
        ]
    return [t for t in map(_translator, files) if t is not None]


def pseudo_requested() -> bool:
    """``GUARDIAN_PSEUDO=1`` asks for the pseudo-translation whatever language is chosen."""
    return os.environ.get(PSEUDO_ENV, "") not in ("", "0")


_installed: list[QTranslator] = []


def install(language: str) -> bool:
    """Switch the application's language (``vi``, ``en`` or ``pseudo``) for every string translated from now on.

    False when the translation could not be loaded (logged; the strings stay English)."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed[:] = translators(language)
    for translator in _installed:
        app.installTranslator(translator)
    if language == "en" and not pseudo_requested():
        return True
    return bool(_installed) and Path(_installed[-1].filePath()).name.startswith("guardian_")


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
