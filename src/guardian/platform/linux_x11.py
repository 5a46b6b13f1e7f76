"""X11 through python-xlib: the active window's pid and title, and input idle time.

One connection per display name is kept open (the agent asks every second; no subprocesses). A connection
that breaks is dropped and reopened on the next call. Any X error or missing property answers None.
Not thread-safe: call from one thread (the agent's tick loop).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from guardian.platform.base import Foreground

log = logging.getLogger("guardian.platform")

T = TypeVar("T")


def xlib_available() -> bool:
    return importlib.util.find_spec("Xlib") is not None


class X11Displays:
    """Cached python-xlib connections, keyed by display name (``":0"``)."""

    def __init__(self) -> None:
        self._open: dict[str, Any] = {}

    def close(self) -> None:
        for name in list(self._open):
            self._drop(name)

    def foreground(self, name: str) -> Foreground | None:
        """The pid and title of ``_NET_ACTIVE_WINDOW`` on display ``name``; None when unknown."""
        return self._with_display(name, _read_foreground)

    def idle_seconds(self, name: str) -> float | None:
        """Seconds since the last input on display ``name`` (MIT-SCREEN-SAVER); None when unknown."""
        return self._with_display(name, _read_idle)

    def _with_display(self, name: str, read: Callable[[Any], T | None]) -> T | None:
        from Xlib import error

        for _attempt in range(2):  # a second try on a fresh connection when the cached one broke
            disp = self._connect(name)
            if disp is None:
                return None
            try:
                return read(disp)
            except (error.ConnectionClosedError, OSError):
                log.debug("X display %s connection lost; reconnecting", name)
                self._drop(name)
            except error.XError:
                return None  # e.g. BadWindow: the window closed between two reads
        return None

    def _connect(self, name: str) -> Any:
        if name in self._open:
            return self._open[name]
        from Xlib import display, error

        # python-xlib leaves its fallback TCP socket unclosed when connecting fails; that socket is
        # collected with the exception, inside this block.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                disp = display.Display(name)
            except (error.DisplayError, error.XError, error.ConnectionClosedError, OSError) as exc:
                log.debug("cannot open X display %s: %s", name, exc)
                return None
        self._open[name] = disp
        return disp

    def _drop(self, name: str) -> None:
        disp = self._open.pop(name, None)
        if disp is None:
            return
        with contextlib.suppress(Exception):  # closing a broken socket may fail in many ways; it is gone
            disp.close()


def _cardinal(disp: Any, window: Any, atom_name: str) -> int | None:
    from Xlib import X

    prop = window.get_full_property(disp.intern_atom(atom_name), X.AnyPropertyType)
    if prop is None or len(prop.value) == 0:
        return None
    return int(prop.value[0])


def _title(disp: Any, window: Any) -> str:
    prop = window.get_full_property(disp.intern_atom("_NET_WM_NAME"), disp.intern_atom("UTF8_STRING"))
    if prop is not None and prop.value:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return name or ""


def _read_foreground(disp: Any) -> Foreground | None:
    root = disp.screen().root
    window_id = _cardinal(disp, root, "_NET_ACTIVE_WINDOW")
    if not window_id:
        return None
    window = disp.create_resource_object("window", window_id)
    pid = _cardinal(disp, window, "_NET_WM_PID")
    if not pid:
        return None
    return Foreground(pid=pid, title=_title(disp, window))


def _read_idle(disp: Any) -> float | None:
    if not disp.has_extension("MIT-SCREEN-SAVER"):
        return None
    info = disp.screen().root.screensaver_query_info()
    return float(info.idle) / 1000.0
