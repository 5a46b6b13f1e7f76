"""What every console page gets: the API, who is signed in, and a signal when data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from guardian.api import GuardianAPI


class ConsoleContext(QObject):
    """Shared by the console's pages. Pages call ``api``; they never touch SQL or policy internals.

    ``role`` is ``"parent"`` or ``"caregiver"`` once unlocked; ``pin`` is kept only while unlocked so
    rule changes can be authorised, and cleared when the console locks.
    """

    data_changed = Signal()
    """Rules, grants or requests changed: pages refresh what they show."""
    language_changed = Signal(str)

    def __init__(self, api: GuardianAPI, *, role: str = "parent", pin: str | None = None) -> None:
        super().__init__()
        self.api = api
        self.role = role
        self.pin = pin
        self.language = "vi"

    @property
    def is_parent(self) -> bool:
        return self.role == "parent"
