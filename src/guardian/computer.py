"""This computer, as the console needs it: its accounts, who is logged in, who is an administrator, and the
programs the person at the console is running (to pick an app from).

Beside ``GuardianAPI`` (which knows only the database), so the UI asks this module and never the platform
layer or psutil itself. Every answer is best effort: a platform that cannot tell gives an empty list or None.
"""

from __future__ import annotations

import getpass
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("guardian")


def password_entries() -> list[tuple[str, int, str]]:
    """``(name, uid, shell)`` of every account in the password database (POSIX; empty on Windows)."""
    if os.name != "posix":
        return []
    import pwd

    return [(p.pw_name, p.pw_uid, p.pw_shell) for p in pwd.getpwall()]


NO_LOGIN_SHELLS = ("nologin", "false", "sync", "halt", "shutdown")
FIRST_HUMAN_UID = 1000
NOBODY_UID = 65534


def is_human(uid: int, shell: str) -> bool:
    """A person's account: a uid from 1000 (not root, not a service, not ``nobody``) with a login shell."""
    return FIRST_HUMAN_UID <= uid < NOBODY_UID and not shell.rstrip("/").endswith(NO_LOGIN_SHELLS)


def human_accounts() -> list[str]:
    """People's accounts on this computer (see :func:`pick_humans`)."""
    return pick_humans(password_entries(), session_users())


def pick_humans(entries: Iterable[tuple[str, int, str]], logged_in: Iterable[str] = ()) -> list[str]:
    """People's accounts among ``(name, uid, shell)`` entries plus logged-in users, sorted.

    A logged-in user is added only when the password database does not know them (a directory account);
    a known system account (``root``) is never offered, even while logged in.
    """
    entries = list(entries)
    known = {name for name, _uid, _shell in entries}
    names = {name for name, uid, shell in entries if is_human(uid, shell)}
    names.update(name for name in logged_in if name and name not in known)
    return sorted(names, key=str.casefold)


def session_users() -> list[str]:
    """Users with an open session now, as the platform sees them."""
    try:
        from guardian.platform import current

        return [session.user for session in current().sessions()]
    except Exception:  # the platform layer may be unavailable (no logind, no utmp): listing is optional
        log.debug("could not list sessions", exc_info=True)
        return []


def is_admin(user: str) -> bool | None:
    """Whether ``user`` can administer this computer; None when the platform cannot tell."""
    try:
        from guardian.platform import current

        return current().is_admin(user)
    except Exception:  # unknown is an answer too: no warning is better than a crash in the wizard
        log.debug("could not tell whether %s is an administrator", user, exc_info=True)
        return None


def my_programs() -> list[tuple[str, str]]:
    """Name and executable path of every process of the account running this, as psutil sees them."""
    import psutil

    me = getpass.getuser()
    found: list[tuple[str, str]] = []
    for proc in psutil.process_iter(["name", "exe", "username"]):
        info = proc.info
        user = (info.get("username") or "").rsplit("\\", 1)[-1]
        if user == me:
            found.append((info.get("name") or "", info.get("exe") or ""))
    return found


_STARTED: list[subprocess.Popen[bytes]] = []


def start_agent(home: Path) -> int:
    """Start ``guardian agent`` on ``home`` for this account, detached from the console (personal mode).

    Its output goes to ``home/agent.log``. Returns its process id; the agent itself reports whether it runs
    (its health record), so the caller waits on that rather than on this process.
    """
    home.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "guardian.cli", "--home", str(home), "agent"]
    flags = 0
    if os.name == "nt":
        flags = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    with (home / "agent.log").open("ab") as out:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            close_fds=True,
            start_new_session=os.name != "nt",
            creationflags=flags,
        )
    _STARTED.append(proc)  # it outlives the console; kept so it is not reported as a leak
    pid: int = proc.pid
    log.info("started the agent for %s as process %d", home, pid)
    return pid


# -- the protected service -----------------------------------------------------------------------


def service_installed(platform: str = sys.platform) -> bool:
    """Whether Guardian's protected service is installed on this computer: its data folder and every file
    ``guardian service install`` (or the package) puts in place are there."""
    from guardian.service_install.command import plan_for
    from guardian.service_install.linux import program_path

    plan = plan_for(platform, personal=False, program=program_path())
    return Path(plan.data_dir).is_dir() and all(Path(item.path).exists() for item in plan.files)


def service_socket() -> Path:
    """Where the protected service's agent listens (a socket path, or the pipe named after it)."""
    from guardian import paths
    from guardian.ipc.client import agent_socket_path

    return agent_socket_path(paths.system_home())


@dataclass(frozen=True)
class ServiceInstall:
    """What "Install the service" did: the administrator prompt's outcome (``guardian.service_install.
    elevate``: done, cancelled, refused, failed, unavailable), the install's own message, and whether the
    service's agent answered afterwards."""

    outcome: str
    message: str
    answering: bool = False


def install_service(
    home: Path | None, *, socket: Path | None = None, wait_s: float = 30.0, platform: str = sys.platform
) -> ServiceInstall:
    """Run ``guardian service install`` as an administrator (the OS asks for the password), bringing the
    family from ``home`` (personal mode's folder) along; then wait up to ``wait_s`` for the service's agent
    to answer. Blocks while the prompt is open: call it off the UI thread."""
    from guardian import paths
    from guardian.service_install.elevate import DONE, run_elevated

    args = ["service", "install"]
    if home is not None and Path(home).resolve() != paths.system_home(platform).resolve():
        args += ["--from", str(home)]
    result = run_elevated(args, platform=platform)
    if result.outcome != DONE:
        return ServiceInstall(result.outcome, result.message)
    return ServiceInstall(DONE, result.message, agent_answers(socket or service_socket(), wait_s))


def agent_answers(address: Path, wait_s: float) -> bool:
    """Whether an agent answers ``status`` at ``address`` within ``wait_s`` seconds (asked every half second)."""
    from guardian.link import AgentLink, AgentUnreachable

    link = AgentLink(address, timeout=2.0)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                link.status()
                return True
            except AgentUnreachable:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.5)
    finally:
        link.close()
