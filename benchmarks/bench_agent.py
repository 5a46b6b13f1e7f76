"""Starting and stopping the real agent as a subprocess, shared by the agent benchmarks."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 30.0


def health(home: Path) -> dict[str, Any]:
    """The agent's last health record in ``home``'s database (empty before its first flush)."""
    # read-only and without the Store: opening a Store migrates, which would turn the database of an agent
    # from an older revision (exec_events.py's baseline) into one it refuses
    try:
        with contextlib.closing(sqlite3.connect(f"file:{home / 'guardian.db'}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'agent_health'").fetchone()
    except sqlite3.Error:
        return {}
    value = json.loads(row[0]) if row else None
    return value if isinstance(value, dict) else {}


def start_agent(home: Path, cmd: list[str], *, after_first_tick: bool = False) -> subprocess.Popen[bytes]:
    """Run ``cmd`` (an agent on ``home``) with its output in ``home/agent.log``; return once it runs."""
    with (home / "agent.log").open("ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _started(health(home), proc.pid, after_first_tick):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_agent(proc)  # never leave it running: a later account given the same uid would meet it
            raise SystemExit(f"the agent did not start:\n{(home / 'agent.log').read_text()}")
        time.sleep(0.1)  # polling for the agent's first health record
    return proc


def _started(record: dict[str, Any], pid: int, after_first_tick: bool) -> bool:
    running = bool(record.get("running")) and record.get("pid") == pid
    return running and (not after_first_tick or bool(record.get("ticks")))


def stop_agent(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 15 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
