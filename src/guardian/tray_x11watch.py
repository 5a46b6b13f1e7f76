"""For ``guardian tray`` on X11: tell when the window in front, or its title, changes, from X events.

One X connection of its own asks the root window for ``PropertyNotify`` (``_NET_ACTIVE_WINDOW``) and the
active window for its title properties; a ``QSocketNotifier`` on the connection's socket wakes the UI thread
only when the X server sends one of those events. The session reader then reads the foreground again; while
nothing changes, nothing is read.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger("guardian.tray")


class ActiveWindowWatch(QObject):
    changed = Signal()
    """The active window, or its title, changed (on the UI thread)."""

    def __init__(self, display_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from Xlib import X, display, error

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                self.disp: Any = display.Display(display_name)
            except (error.DisplayError, error.XError, error.ConnectionClosedError, OSError) as exc:
                raise OSError(f"cannot open X display {display_name}: {exc}") from exc
        self.disp.set_error_handler(lambda *_args: None)  # BadWindow: the window closed meanwhile
        self._mask = X.PropertyChangeMask
        self._property_notify = X.PropertyNotify
        self.root = self.disp.screen().root
        self.active_atom = self.disp.intern_atom("_NET_ACTIVE_WINDOW")
        self.title_atoms = {self.disp.intern_atom("_NET_WM_NAME"), self.disp.intern_atom("WM_NAME")}
        self.watched: Any = None
        self.root.change_attributes(event_mask=self._mask)
        self._follow_active()
        self.disp.flush()
        self.events = 0
        """X events seen (for the tests)."""
        self.notifier = QSocketNotifier(self.disp.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._drain)

    def _follow_active(self) -> None:
        """Listen to the title of the window now in front (and no longer to the one before)."""
        from Xlib import X

        prop = self.root.get_full_property(self.active_atom, X.AnyPropertyType)
        window_id = int(prop.value[0]) if prop is not None and len(prop.value) else 0
        if self.watched is not None and self.watched.id != window_id:
            with contextlib.suppress(Exception):
                self.watched.change_attributes(event_mask=X.NoEventMask)
            self.watched = None
        if window_id and self.watched is None:
            self.watched = self.disp.create_resource_object("window", window_id)
            with contextlib.suppress(Exception):
                self.watched.change_attributes(event_mask=self._mask)

    def _drain(self, *_args: object) -> None:
        changed = False
        try:
            while self.disp.pending_events():
                event = self.disp.next_event()
                self.events += 1
                if event.type != self._property_notify:
                    continue
                if event.window.id == self.root.id and event.atom == self.active_atom:
                    self._follow_active()
                    changed = True
                elif self.watched is not None and event.window.id == self.watched.id:
                    changed = changed or event.atom in self.title_atoms
            self.disp.flush()
        except Exception as exc:  # the X server went away: stop listening, the timer still reports
            log.warning("X events stopped: %s", exc)
            self.notifier.setEnabled(False)
            changed = True
        if changed:
            self.changed.emit()

    def close(self) -> None:
        self.notifier.setEnabled(False)
        with contextlib.suppress(Exception):
            self.disp.close()
