"""Run the real agent as a subprocess on a temporary home, and wait on conditions, never on the clock."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.store import Store

T = TypeVar("T")
ME = getpass.getuser()


def family(extra_child_lines: str = "", *, accounts: tuple[str, ...] = (ME,)) -> str:
    account_list = ", ".join(f'"{a}"' for a in accounts)
    return f"""
[[app]]
id = "sleepy-game"
name = "Sleepy Game"
category = "games"
match = {{ exe_names = ["guardian-blocked-app"] }}

[[app]]
id = "timed-game"
name = "Timed Game"
category = "games"
match = {{ exe_names = ["guardian-timed-app"] }}

[[app]]
id = "free-game"
name = "Free Game"
category = "games"
match = {{ exe_names = ["guardian-free-app"] }}

[[child]]
name = "Kid"
accounts = [{account_list}]
blocked = ["sleepy-game"]
{extra_child_lines}
  [[child.app_limit]]
  apps = ["timed-game"]
  daily = "4s"
"""


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 15.0, every: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)  # polling a condition with a deadline, not waiting for time to pass


def app_binary(folder: Path, name: str) -> Path:
    """A copy of a real program (sleep) under a new name: what a child's game looks like to the agent."""
    path = folder / name
    if not path.exists():
        shutil.copy(shutil.which("sleep") or "/bin/sleep", path)
        path.chmod(0o755)
    return path


class AgentProcess:
    def __init__(
        self,
        home: Path,
        *,
        interval: float = 0.5,
        flush_every: float = 1.0,
        env: dict[str, str] | None = None,
        prefix: list[str] | None = None,
    ) -> None:
        self.home = home
        self.log = home / "agent.log"
        cmd = [
            sys.executable,
            "-m",
            "guardian.cli",
            "--home",
            str(home),
            "agent",
            "--interval",
            str(interval),
            "--flush-every",
            str(flush_every),
            "--verbose",
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*(prefix or []), *cmd],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )
        wait_for(
            "the agent to start",
            lambda: (self.health().get("running") and self.health().get("pid") == self.pid) or self._died(),
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _died(self) -> None:
        if self.proc.poll() is not None:
            raise AssertionError(f"the agent exited with {self.proc.returncode}:\n{self.log.read_text()}")

    def health(self) -> dict[str, Any]:
        with Store(self.home / "guardian.db") as store:
            value = store.meta.get_json("agent_health")
        return value if isinstance(value, dict) else {}

    def ticks(self) -> int:
        return int(self.health().get("ticks", 0))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=15)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)


@contextmanager
def running_agent(home: Path, **kwargs: Any) -> Iterator[AgentProcess]:
    agent = AgentProcess(home, **kwargs)
    try:
        yield agent
    finally:
        if agent.proc.poll() is None:
            agent.stop()


def cli_json(home: Path, *args: str) -> Any:
    out = subprocess.run(
        [sys.executable, "-m", "guardian.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return json.loads(out)


def import_rules(home: Path, text: str) -> None:
    with Store(home / "guardian.db") as store:
        api = GuardianAPI(store, SystemClock())
        api.import_rules(text, "test-family.toml")
