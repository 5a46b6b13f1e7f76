"""How this agent runs: the protected service's rights (root, SYSTEM) or personal mode, and as whom; sent in
``status`` (``AgentHealth.mode`` and ``account``) so the console can say what protection is missing."""

from __future__ import annotations

import getpass
import os
import sys

from guardian.core.protection import PERSONAL, SYSTEM


def run_mode() -> tuple[str, str | None]:
    """``(mode, account)``: ``system`` with administrator rights (what the service runs with: it can see,
    close and refuse every account's programs), else ``personal``."""
    return (SYSTEM if is_admin() else PERSONAL), account()


def is_admin() -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    return os.geteuid() == 0


def account() -> str | None:
    try:
        if os.name == "posix":
            import pwd

            return pwd.getpwuid(os.geteuid()).pw_name
        return getpass.getuser()
    except (KeyError, OSError):  # an account the password database does not know (a container's uid)
        return None
