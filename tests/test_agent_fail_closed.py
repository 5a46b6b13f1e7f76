"""A broken database never opens the gate: the real agent keeps enforcing the last good rules.

The child's blocked app runs as the child's own account. The database is corrupt, emptied to 0 bytes, or
read-only for the agent (a personal-mode agent running as that account: root writes any file). Each time
the agent must start, close the blocked app, say "protection degraded" in its status, and leave the broken
file as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardian.ipc.client import IpcClient, default_socket_path
from guardian.store.family_copy import family_copy_path
from tests.agent_harness import app_binary, family, import_rules, wait_for
from tests.child_account import as_user, child_account, python_as

pytestmark = pytest.mark.slow


@pytest.fixture
def kid() -> Iterator[str]:
    with child_account() as name:
        yield name


@pytest.fixture
def place(kid: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="guardian-failclosed-"))
    folder.chmod(0o755)
    (folder / "home").mkdir(mode=0o755)
    app_binary(folder, "guardian-blocked-app")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def agent_command(home: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "guardian.cli",
        "--home",
        str(home),
        "agent",
        "--interval",
        "0.5",
        "--verbose",
    ]


def live_status(home: Path, agent: subprocess.Popen[bytes], log: Path, owner: str | None) -> dict[str, Any]:
    """The agent's live status, asked as the account that runs it (clients trust only their own or root's)."""

    def answer() -> dict[str, Any] | None:
        if agent.poll() is not None:
            raise AssertionError(f"the agent exited with {agent.returncode}:\n{log.read_text()}")
        if not default_socket_path(home).exists():
            return None
        if owner is not None:
            cli = python_as(owner, "-m", "guardian.cli", "--home", str(home), "status", "--json")
            done = subprocess.run(cli, capture_output=True, text=True, timeout=30)
            status = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else {}
            return status if status.get("children") and status["agent"].get("pid") else None
        try:
            with IpcClient(default_socket_path(home)) as client:
                status = client.call("status")
        except OSError:
            return None
        return status if status.get("children") else None

    return wait_for("the agent to serve its status", answer, timeout=20)


def run_and_check(
    home: Path, place: Path, kid: str, agent_cmd: list[str], *, owner: str | None = None
) -> dict[str, Any]:
    log = place / "agent.log"
    with log.open("wb") as out:
        agent = subprocess.Popen(agent_cmd, stdout=out, stderr=subprocess.STDOUT)
    game: subprocess.Popen[bytes] | None = None
    try:
        status = live_status(home, agent, log, owner)
        game = subprocess.Popen(as_user(kid, str(place / "guardian-blocked-app"), "600"))
        began = time.monotonic()
        try:
            game.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the child's blocked app kept running: the agent failed open") from None
        assert time.monotonic() - began < 3
        text = log.read_text(errors="replace")
        assert "protection degraded" in text, text
        assert "Traceback" not in text, text
        return status
    finally:
        if game is not None and game.poll() is None:
            game.kill()
            game.wait()
        agent.terminate()
        agent.wait(timeout=15)


def degraded(status: dict[str, Any]) -> str:
    return str(status["agent"].get("degraded") or "")


def test_every_rules_save_writes_a_root_only_family_copy(home: Path) -> None:
    import_rules(home, family())
    copy = family_copy_path(home / "guardian.db")
    assert copy.exists() and copy.stat().st_mode & 0o777 == 0o600
    assert 'blocked = ["sleepy-game"]' in copy.read_text(encoding="utf-8")


def test_a_corrupt_database_keeps_the_last_good_rules(place: Path, kid: str) -> None:
    home = place / "home"
    import_rules(home, family(accounts=(kid,)))
    db = home / "guardian.db"
    for extra in (home / "guardian.db-wal", home / "guardian.db-shm"):
        extra.unlink(missing_ok=True)
    db.write_bytes(b"this is not a database, it was scribbled over" * 100)
    before = db.read_bytes()
    status = run_and_check(home, place, kid, agent_command(home))
    assert degraded(status).startswith("protection degraded"), status["agent"]
    assert db.read_bytes() == before, "the broken database was changed"


def test_an_emptied_database_is_not_a_new_empty_one(place: Path, kid: str) -> None:
    home = place / "home"
    import_rules(home, family(accounts=(kid,)))
    db = home / "guardian.db"
    for extra in (home / "guardian.db-wal", home / "guardian.db-shm"):
        extra.unlink(missing_ok=True)
    db.write_bytes(b"")
    status = run_and_check(home, place, kid, agent_command(home))
    assert degraded(status).startswith("protection degraded"), status["agent"]
    assert db.stat().st_size == 0, "the emptied database was turned into a new, empty one"


def test_a_read_only_database_keeps_enforcing(place: Path, kid: str) -> None:
    """Personal mode: the agent runs as the child's account, whose database has become read-only."""
    home = place / "home"
    shutil.chown(home, kid, kid)
    rules = place / "family.toml"
    rules.write_text(family(accounts=(kid,)), encoding="utf-8")
    rules.chmod(0o644)
    subprocess.run(
        python_as(kid, "-m", "guardian.cli", "--home", str(home), "rules", "import", str(rules)),
        check=True,
        capture_output=True,
    )
    db = home / "guardian.db"
    subprocess.run(python_as(kid, "-c", "import sys"), check=True)  # the account can run Python
    for extra in (home / "guardian.db-wal", home / "guardian.db-shm"):
        extra.unlink(missing_ok=True)
    db.chmod(0o400)
    assert os.stat(db).st_uid != 0
    status = run_and_check(home, place, kid, as_user(kid, *agent_command(home)), owner=kid)
    assert degraded(status).startswith("protection degraded"), status["agent"]


def test_an_emptied_database_beside_a_copy_is_refused_not_recreated(home: Path) -> None:
    from guardian.store import DatabaseCorrupt, Store

    import_rules(home, family())
    db = home / "guardian.db"
    for extra in (home / "guardian.db-wal", home / "guardian.db-shm"):
        extra.unlink(missing_ok=True)
    db.write_bytes(b"")
    with pytest.raises(DatabaseCorrupt, match="empty"):
        Store(db)
    assert db.stat().st_size == 0
    fresh = home / "other.db"
    fresh.write_bytes(b"")
    Store(fresh).close()  # an empty file with nothing kept beside it is still a new database


def test_a_missing_database_where_rules_were_kept_is_degraded_not_empty(home: Path) -> None:
    from guardian.agent.failsafe import open_store
    from guardian.clock import SystemClock

    import_rules(home, family())
    db = home / "guardian.db"
    for path in home.glob("guardian.db*"):
        path.unlink()
    store, degraded = open_store(db, SystemClock())
    try:
        assert degraded is not None and degraded.startswith("protection degraded")
        assert store.path != db and not db.exists()
        current = store.rules.current()
        assert current is not None and 'blocked = ["sleepy-game"]' in current[1]
    finally:
        store.close()
