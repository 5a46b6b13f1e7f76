"""Where Guardian keeps its data: ``--home``, then ``GUARDIAN_HOME``, then the per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_NAME = "guardian.db"


def home_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("GUARDIAN_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("guardian", appauthor=False))


def demo_home() -> Path:
    """The embedded demo family's folder, kept apart from real data."""
    return Path(platformdirs.user_data_dir("guardian", appauthor=False)) / "demo"


def db_path(home: Path) -> Path:
    return home / DB_NAME
