"""The one seam for the operating system. ``current()`` picks the implementation for this OS."""

from __future__ import annotations

import os
import shutil
import sys

from guardian.platform.base import CloseRequest, Foreground, Platform, Session
from guardian.platform.web import WebRedirect

__all__ = ["CloseRequest", "Foreground", "Platform", "Session", "current", "web_redirect"]


def current() -> Platform:
    if sys.platform.startswith("win"):
        from guardian.platform.windows import WindowsPlatform

        return WindowsPlatform()
    if sys.platform == "darwin":
        from guardian.platform.macos import MacPlatform

        return MacPlatform()
    from guardian.platform.linux import LinuxPlatform

    return LinuxPlatform()


def web_redirect() -> WebRedirect | None:
    """Where this OS can send children's DNS to the agent's resolver: Linux as root with ``nft``; else None."""
    if sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("nft"):
        from guardian.platform.linux_nft import NftRedirect

        return NftRedirect()
    return None
