"""A real second OS account for tests that act as a child against an agent running as root.

``temporary_account()`` runs ``useradd`` (a unique ``gxwi…`` name, no home, no login shell) and ``userdel``
on exit; it skips the test with the reason when not root or the tools are missing. ``as_account(name, ...)``
is the command line that runs a program as that account.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PREFIX = "gxwi"


@contextmanager
def temporary_account() -> Iterator[str]:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to act as a second (child's) account")
    name = f"{PREFIX}{secrets.token_hex(4)}"
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True
    )
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


def uid_of(name: str) -> int:
    return pwd.getpwnam(name).pw_uid


def as_account(name: str, *args: str) -> list[str]:
    """``args`` (a Python script and its arguments) run by this venv's Python as ``name``."""
    return ["runuser", "-u", name, "--", sys.executable, *args]
