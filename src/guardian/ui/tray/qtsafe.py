"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

``SignalInstance.emit`` returns ``True`` and ``QTimer.singleShot`` returns ``None`` without a reference
of their own, so every call from Python takes one reference from the interpreter's ``True`` / ``None``;
a tray that runs for days (a status every few seconds) would abort with "deallocating True or False".
These helpers give the reference back (an extra one is harmless should PySide be fixed).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, SignalInstance


def emit(signal: SignalInstance, *args: Any) -> None:
    result: Any = getattr(signal, "emit")(*args)  # noqa: B009 (typed as returning None; it returns True)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def later(msec: int, function: Callable[[], Any]) -> None:
    result: Any = getattr(QTimer, "singleShot")(msec, slot(function))  # noqa: B009
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def slot(function: Callable[..., Any]) -> Callable[..., None]:
    """``function`` as a slot: PySide6 6.12 takes one reference from ``None`` each time Qt calls a Python
    slot (a timer's ``timeout``, a button's ``clicked``); the wrapper gives it back."""

    def call(*args: Any) -> None:
        try:
            function(*args)
        finally:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))

    return call


def connect(signal: SignalInstance, target: Callable[..., Any] | SignalInstance) -> None:
    """Connect ``signal`` to a function, or relay it to a signal without arguments."""
    if isinstance(target, SignalInstance):
        relayed = target
        signal.connect(slot(lambda *_args: emit(relayed)))
    else:
        signal.connect(slot(target))
