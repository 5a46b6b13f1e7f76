"""Where Guardian keeps its data: ``--home``, then ``GUARDIAN_HOME``, then the system data folder when Guardian
is installed as a service (:func:`system_home`: made by ``guardian service install`` or the installer, root /
administrators only), then the per-user data folder (personal mode)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

DB_NAME = "guardian.db"


def home_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("GUARDIAN_HOME")
    if env:
        return Path(env).expanduser().resolve()
    system = system_home()
    if system.is_dir():
        return system
    return Path(platformdirs.user_data_dir("guardian", appauthor=False))


def demo_home() -> Path:
    """The embedded demo family's folder, kept apart from real data."""
    return Path(platformdirs.user_data_dir("guardian", appauthor=False)) / "demo"


def db_path(home: Path) -> Path:
    return home / DB_NAME


def system_home(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> Path:
    """The system agent's data folder (service mode): ``/var/lib/guardian`` on Linux,
    ``%ProgramData%\\Guardian`` on Windows, ``/Library/Application Support/Guardian`` on macOS."""
    if platform == "win32":
        return Path(environ.get("ProgramData") or r"C:\ProgramData") / "Guardian"
    if platform == "darwin":
        return Path("/Library/Application Support/Guardian")
    return Path("/var/lib/guardian")
