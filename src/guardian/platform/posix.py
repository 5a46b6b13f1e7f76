"""Helpers shared by the Linux, macOS and fake platforms: signals, users and groups."""

from __future__ import annotations

import os
import signal

from guardian.platform.base import CloseRequest


def signal_process(pid: int, sig: signal.Signals) -> CloseRequest:
    """Send ``sig`` to ``pid``: "gone" when there is no such process, "denied" when it is not ours."""
    if pid <= 0:
        return "gone"  # 0 and negative pids address process groups; never signal those
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return "gone"
    except PermissionError:
        return "denied"
    return "requested"


def current_user() -> str:
    """The login name this process runs as."""
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def in_any_group(user: str, groups: tuple[str, ...]) -> bool | None:
    """Whether ``user`` is uid 0 or belongs to one of ``groups`` (as primary or supplementary group).

    None when the user is unknown to this machine.
    """
    import grp
    import pwd

    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return None
    if account.pw_uid == 0:
        return True
    for name in groups:
        try:
            group = grp.getgrnam(name)
        except KeyError:
            continue
        if account.pw_gid == group.gr_gid or user in group.gr_mem:
            return True
    return False
