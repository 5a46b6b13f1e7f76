"""A real second OS account for agent tests: made with ``useradd`` in set-up, removed with ``userdel``.

Names start with ``gxag`` (this test family) and a random suffix, so parallel runs never collide, and
only the account a test made is ever deleted.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
import pytest


@contextmanager
def child_account(prefix: str = "gxag") -> Iterator[str]:
    """Yield the name of a new unprivileged account; skipped with a reason when not root."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to add a second OS account (useradd)")
    if not shutil.which("useradd") or not shutil.which("userdel") or not shutil.which("runuser"):
        pytest.skip("needs useradd, userdel and runuser to act as a second OS account")
    name = f"{prefix}{secrets.token_hex(4)}"
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True
    )
    try:
        yield name
    finally:
        end_processes_of(name)
        subprocess.run(["userdel", name], capture_output=True)


def end_processes_of(user: str) -> None:
    """Kill what is left running as ``user`` (an account this test made), by pid, and wait for it."""
    uid = pwd.getpwnam(user).pw_uid
    left = [p for p in psutil.process_iter() if _uid(p) == uid]
    for proc in left:
        with suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(left, timeout=10)


def _uid(proc: psutil.Process) -> int | None:
    try:
        return int(proc.uids().real)
    except psutil.Error:
        return None


def as_user(user: str, *args: str) -> list[str]:
    """A command line that runs ``args`` as ``user``."""
    return ["runuser", "-u", user, "--", *args]


def python_as(user: str, *args: str) -> list[str]:
    """This interpreter run as ``user`` (the repository's sources are readable by every account)."""
    return as_user(user, sys.executable, *args)


def open_to_all(path: Path) -> Path:
    """Let any account enter ``path`` and its parents (the temp folder pytest made is 0700)."""
    for part in [path, *path.parents]:
        if str(part) in ("/", "/tmp"):
            break
        part.chmod(part.stat().st_mode | 0o755)
    return path
