"""Real second accounts and programs for the exec tests (root only): made in set-up, removed in teardown."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PYTHON = shutil.which("python3", path="/usr/bin:/bin") or "/usr/bin/python3"
"""The system's Python (root-owned, outside any child-writable place) for the child's helper scripts."""

EXEC_AND_REPORT = """
import os, sys
path, args = sys.argv[1], sys.argv[2:]
try:
    os.execv(path, [path, *args])
except OSError as exc:
    print("errno", exc.errno, flush=True)
    sys.exit(3)
"""


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    home: Path


def need_root() -> None:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to act as a second account")
    if not os.path.exists(PYTHON):
        pytest.skip("needs the system's python3")


@contextmanager
def account(prefix: str = "gxex") -> Iterator[Account]:
    """A new OS account with a home (``gxex`` + random suffix), deleted with its home afterwards."""
    need_root()
    name = f"{prefix}{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True, capture_output=True)
    try:
        entry = pwd.getpwnam(name)
        yield Account(name, entry.pw_uid, Path(entry.pw_dir))
    finally:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@contextmanager
def program_folder() -> Iterator[Path]:
    """A root-owned folder outside every child-writable place (where installed programs live)."""
    folder = Path("/opt") / f"gxex-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o755, parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_program(source: str, to: Path, owner: Account | None = None) -> Path:
    """A copy of a real program (``touch``, ``sleep``) under a new name."""
    shutil.copy(shutil.which(source) or f"/usr/bin/{source}", to)
    to.chmod(0o755)
    if owner is not None:
        os.chown(to, owner.uid, -1)
    return to


def marker_path(owner: Account, name: str) -> Path:
    """Where a program run by ``owner`` writes first thing (a place the owner can write)."""
    return owner.home / f"{name}.marker"


def run_as(user: Account | None, *argv: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", user.name, "--"] if user is not None else []
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=timeout)


def exec_as(user: Account | None, program: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``user`` exec-s ``program`` (from Python, so a refusal's errno is printed as ``errno N``)."""
    return run_as(user, PYTHON, "-c", EXEC_AND_REPORT, str(program), *args)
