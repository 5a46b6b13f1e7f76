"""Block latency while a child's account floods the agent's socket, beside a no-flood baseline in the same run.

Run (as root, so the flood comes from a real second account): ``.venv/bin/python benchmarks/ipc_flood.py
[--launches 30] [--connections 20000] [--seed 11]``

* A temporary home whose family file blocks a custom app (a copy of ``sleep`` named ``guardian-bench-flood``)
  for a child's account: a temporary account (``useradd``; ``userdel`` at the end) when run as root, else the
  current account (then the flood and the launches come from the benchmark's own account; said so).
* One real agent (``guardian.cli agent``, default interval 1 s, default limits), its socket in a 0755 folder
  reachable by the child's account. The blocked app is launched ``--launches`` times as the child, 0-1 s apart
  (random, seeded); latency is launch → ``wait()`` returning (the agent closed it). Three phases, the same
  agent throughout:
  1. **baseline**: no flood;
  2. **held**: the child holds ``--connections`` connections (``tests/flood_client.py``, soft open-file limit
     raised to fit; the agent keeps at most its per-account share and closes the rest);
  3. **churn**: the same, but every connection the agent closes is reopened at once, so accept work never
     stops during the launches.
  Also per phase: the median time of the parent's (root's) ``status`` call over IPC, and the agent's open
  files (``/proc/<pid>/fd``) at the end of the phase.
* Target: no block later than 1 s while flooded (p95 and max), and the agent alive throughout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_agent import start_agent, stop_agent

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.ipc.client import IpcClient
from guardian.store import Store

APP = "guardian-bench-flood"
TARGET_S = 1.0
GIVE_UP_S = 10.0
FLOOD = Path(__file__).resolve().parent.parent / "tests" / "flood_client.py"


def family(account: str) -> str:
    return f"""
[[app]]
id = "bench-flood"
name = "Bench Flood"
category = "games"
match = {{ exe_names = ["{APP}"] }}

[[child]]
name = "Kid"
accounts = ["{account}"]
blocked = ["bench-flood"]
"""


@contextmanager
def child_account() -> Iterator[str | None]:
    """A temporary account when root (``None`` otherwise: act as the current account)."""
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        yield None
        return
    name = f"gxwib{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


def as_child(child: str | None, *cmd: str) -> list[str]:
    return ["runuser", "-u", child, "--", *cmd] if child else list(cmd)


def launch_once(child: str | None, app: Path) -> float | None:
    """Seconds from launch (as the child: fork, setuid, exec, no helper process) until the agent closed it."""
    began = time.monotonic()
    proc = subprocess.Popen([str(app), "600"], user=child, group=child, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=GIVE_UP_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    return time.monotonic() - began


def status_time(sock: Path, calls: int = 10) -> float:
    timings = []
    for _ in range(calls):
        began = time.monotonic()
        with IpcClient(sock) as parent:
            parent.call("status", timeout=10)
        timings.append(time.monotonic() - began)
    return statistics.median(timings)


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@contextmanager
def flood(child: str | None, sock: Path, count: int, *flags: str) -> Iterator[dict[str, Any]]:
    cmd = as_child(child, sys.executable, str(FLOOD), str(sock), str(count), *flags)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    began = time.monotonic()
    counts: dict[str, Any] = json.loads(proc.stdout.readline() or "{}")
    counts["connect_s"] = time.monotonic() - began
    try:
        yield counts
    finally:
        proc.stdin.close()
        rest = proc.stdout.readline()
        if rest:
            counts.update(json.loads(rest))
        proc.wait(timeout=60)
        proc.stdout.close()


def phase(
    label: str, child: str | None, app: Path, sock: Path, pid: int, launches: int, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    closed: list[float] = []
    missed = 0
    for _ in range(launches):
        time.sleep(rng.uniform(0.0, 1.0))  # a random offset within the 1 s tick
        latency = launch_once(child, app)
        if latency is None:
            missed += 1
        else:
            closed.append(latency)
    return {
        "label": label,
        "closed": closed,
        "missed": missed,
        "status_s": status_time(sock),
        "files": open_files(pid),
    }


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) >= 2 else values[0]


def show(result: dict[str, Any], extra: str = "") -> tuple[float, float]:
    closed = result["closed"]
    if not closed:
        print(f"  {result['label']:<28} none of the launches was closed")
        return float("inf"), float("inf")
    med, high = statistics.median(closed), p95(closed)
    print(
        f"  {result['label']:<28} block median {med:6.3f} s  p95 {high:6.3f} s  max {max(closed):6.3f} s"
        f"  ({len(closed)} closed, {result['missed']} left running)   status {result['status_s'] * 1000:6.1f} ms"
        f"   agent files {result['files']}{extra}"
    )
    return med, max(high, max(closed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--launches", type=int, default=30)
    parser.add_argument("--connections", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    count = min(args.connections, hard - 64)
    folder = Path(tempfile.mkdtemp(prefix="guardian-bench-flood-"))
    folder.chmod(0o755)
    with child_account() as child:
        try:
            run(folder, child, count, args.launches, args.seed)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, child: str | None, count: int, launches: int, seed: int) -> None:
    account = child or os.environ.get("USER") or "root"
    home = folder / "home"
    home.mkdir(mode=0o700)
    with Store(home / "guardian.db") as store:
        GuardianAPI(store, SystemClock()).import_rules(family(account), "bench-family.toml")
    app = folder / APP
    shutil.copy(shutil.which("sleep") or "/bin/sleep", app)
    app.chmod(0o755)
    (folder / "run").mkdir(mode=0o755)
    sock = folder / "run" / "agent.sock"
    os.environ["GUARDIAN_SOCKET"] = str(sock)
    cmd = [sys.executable, "-m", "guardian.cli", "--home", str(home), "agent"]
    agent = start_agent(home, cmd, after_first_tick=True)
    who = (
        f"a second account ({child})"
        if child
        else "the benchmark's own account (not root: no second account)"
    )
    print(
        f"{count} connections from {who}; {launches} launches per phase, 0-1 s apart; one agent, interval 1 s"
    )
    try:
        time.sleep(1.5)  # past the start-up tick: the agent is in its steady loop
        base = phase("baseline (no flood)", child, app, sock, agent.pid, launches, seed)
        with flood(child, sock, count) as held_counts:
            held = phase("flood, held", child, app, sock, agent.pid, launches, seed)
        with flood(child, sock, count, "--churn") as churn_counts:
            churn = phase("flood, churning", child, app, sock, agent.pid, launches, seed)
        alive = agent.poll() is None
    finally:
        stop_agent(agent)
    base_med, _ = show(base)
    held_med, held_worst = show(
        held, f"   ({held_counts.get('opened')} connected in {held_counts['connect_s']:.1f} s)"
    )
    churn_med, churn_worst = show(churn, f"   ({churn_counts.get('reconnects', 0)} reconnects)")
    print(
        f"  ratio flooded/baseline median: held {held_med / base_med:.2f}x, churning {churn_med / base_med:.2f}x"
    )
    print(f"  target: no block past {TARGET_S} s while flooded (p95 and max): ", end="")
    ok = held_worst <= TARGET_S and churn_worst <= TARGET_S and not held["missed"] and not churn["missed"]
    print("ok" if ok else "OVER TARGET")
    print(f"  agent alive through the floods: {'ok' if alive else 'NO: IT DIED'}")
    log = (home / "agent.log").read_text()
    print(f"  agent log: {len(log.splitlines())} lines, {log.count('IPC client')} about IPC clients")
    if held["missed"] or churn["missed"] or base["missed"]:
        kept = Path(tempfile.gettempdir()) / "guardian-bench-flood-agent.log"
        kept.write_text(log)
        print(f"  launches left running: the agent's log is kept in {kept}")


if __name__ == "__main__":
    main()
