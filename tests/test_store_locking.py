"""Two stores on one database in one process (the agent and its IPC thread) keep WAL locking intact."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from guardian.store import Store


def read_from_another_process(db: Path) -> str:
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "print(c.execute(\"SELECT value FROM meta WHERE key = 'k'\").fetchone()[0])"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_writes_stay_visible_after_a_second_store_opens_in_another_thread(tmp_path: Path) -> None:
    db = tmp_path / "guardian.db"
    with Store(db) as main:
        main.meta.set("k", "before")
        assert read_from_another_process(db) == "before"
        ready, done = threading.Event(), threading.Event()

        def second_store() -> None:
            with Store(db):
                ready.set()
                done.wait(30)

        thread = threading.Thread(target=second_store)
        thread.start()
        try:
            assert ready.wait(30)
            for value in ("one", "two"):
                main.meta.set("k", value)
                assert read_from_another_process(db) == value
        finally:
            done.set()
            thread.join()
