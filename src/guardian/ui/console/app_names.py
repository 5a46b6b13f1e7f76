"""Built-in app names in the console's language.

Most names in ``resources/apps.toml`` are brands (Roblox, Zalo) and stay as they are. The generic ones below are
translated in the ``AppCatalog`` context of the Linguist file; each must be the ``name`` of an entry of apps.toml
(tests/test_i18n.py checks). A parent's own apps keep the name the parent gave them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from guardian.core.model import App

GENERIC_NAMES: tuple[object, ...] = (
    QT_TRANSLATE_NOOP("AppCatalog", "Accessibility tools (on-screen keyboard, magnifier, narrator)"),
    QT_TRANSLATE_NOOP("AppCatalog", "Calculator"),
    QT_TRANSLATE_NOOP("AppCatalog", "File Explorer"),
    QT_TRANSLATE_NOOP("AppCatalog", "Poki (web games)"),
    QT_TRANSLATE_NOOP("AppCatalog", "Settings"),
    QT_TRANSLATE_NOOP("AppCatalog", "Snipping Tool"),
    QT_TRANSLATE_NOOP("AppCatalog", "Task Manager"),
    QT_TRANSLATE_NOOP("AppCatalog", "Typing practice (RapidTyping, TypingClub, Typing.com, Monkeytype)"),
    QT_TRANSLATE_NOOP("AppCatalog", "Xbox app"),
)


def display_name(app: App) -> str:
    """``app``'s name as the console shows it: translated when it is a generic built-in name."""
    if app.builtin and app.name in GENERIC_NAMES:
        return QCoreApplication.translate("AppCatalog", app.name)
    return app.name


def name_label(name: str) -> str:
    """A name the Qt-free dashboard model took from the catalog, in the console's language.

    Only the name is known here, so a parent's own app that has a generic built-in name is translated too."""
    return QCoreApplication.translate("AppCatalog", name) if name in GENERIC_NAMES else name
