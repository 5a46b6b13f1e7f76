"""The demo family as pytest fixtures for console tests: built once per module, a fresh copy per test.

Registered for every test module in ``conftest.py`` (``pytest_plugins``); a module may define its own ``family``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian import demo
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.store import Store
from tests.helpers import VN, ts

NOW = ts("2026-11-27 18:00")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo family, built once per module."""
    path = tmp_path_factory.mktemp("demo") / "guardian.db"
    with Store(path) as store:
        demo.generate(store, now=NOW, seed=7, weeks=1)
    return path


@pytest.fixture
def family(demo_db: Path, tmp_path: Path) -> Iterator[GuardianAPI]:
    """A GuardianAPI on this test's own copy of the demo database, at a fixed "now"."""
    path = tmp_path / "family.db"
    shutil.copyfile(demo_db, path)
    store = Store(path)
    yield GuardianAPI(store, FakeClock(now=NOW), tz=VN)
    store.close()
