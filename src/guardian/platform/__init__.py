"""The one seam for the operating system. ``current()`` picks the implementation for this OS."""

from __future__ import annotations

import sys

from guardian.platform.base import CloseRequest, Foreground, Platform, Session

__all__ = ["CloseRequest", "Foreground", "Platform", "Session", "current"]


def current() -> Platform:
    if sys.platform.startswith("win"):
        from guardian.platform.windows import WindowsPlatform

        return WindowsPlatform()
    if sys.platform == "darwin":
        from guardian.platform.macos import MacPlatform

        return MacPlatform()
    from guardian.platform.linux import LinuxPlatform

    return LinuxPlatform()
