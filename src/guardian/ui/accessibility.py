"""What screen readers hear: a combo box is named by its label (its accessible name) and read out its value.

Qt's own combo-box interface on Linux speaks the current item as the name, so "Language" is heard as
"Tiếng Việt". :func:`install` registers an interface that keeps the two apart: Name is the accessible name
given in the code, Value the current text.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QComboBox


class ComboBoxAccessible(QAccessibleWidget):
    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo, QAccessible.Role.ComboBox)
        self._combo = combo

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name and self._combo.accessibleName():
            return self._combo.accessibleName()
        if t in (QAccessible.Text.Name, QAccessible.Text.Value):
            return self._combo.currentText()
        return super().text(t)


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if key == "QComboBox" and isinstance(obj, QComboBox):
        return ComboBoxAccessible(obj)
    return None


_INSTALLED = False


def install() -> None:
    """Use :class:`ComboBoxAccessible` for every combo box (once per process)."""
    global _INSTALLED
    if not _INSTALLED:
        QAccessible.installFactory(_factory)
        _INSTALLED = True
