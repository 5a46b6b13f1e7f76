"""Process events and the exec guard against today's polling agent, measured in the same run (root, Linux).

Run: ``.venv/bin/python benchmarks/exec_events.py [--launches N] [--execs N] [--seconds N] [--baseline REF]``

A real child account is made for the run (``useradd gxexb…``, removed at the end); the family file maps it
to a child and blocks ``gx-bench-blocked`` (a copy of ``sleep`` in a root-owned folder under ``/opt``).
Three agents, each the real ``guardian.cli agent`` at the default interval (1 s):

* **events** — root on Linux as shipped: process events feed the sampler, the exec guard judges the
  child's execs;
* **events, no guard** (``GUARDIAN_EXEC_GUARD=0``) — only for the kill path: the blocked app must start so
  that the event-driven close can be timed;
* **polling** (``GUARDIAN_EXEC_EVENTS=0``) — today's agent: a scan every 0.5 s, a full listing every 10 s;
* **events @REF** (``--baseline``, default ``3daecc4``: the exec guard before ignore marks) — the same events
  agent from git revision ``REF`` (its ``src/`` and ``resources/`` unpacked, first on ``PYTHONPATH``), in the
  exec-latency and CPU parts.

Figures:

1. Block latency: the child launches the blocked app ``--launches`` times, 0-1 s apart at random; the time
   from ``Popen`` to the process being gone (median, p95). With the guard on, the same launch fails in
   ``Popen`` with ``PermissionError``: the app never ran (0 ms); the time to the refusal is printed.
   Targets: event-driven kill path median <= 20 ms; a denied exec runs 0 ms.
2. Exec overhead: ``--execs`` runs of ``/bin/true`` (fork + exec + wait) by root and by the child (an
   ordinary program: after its first exec the kernel no longer reports it), and of an app by root (the
   guard is asked every time and answers at once: not the child's), with no agent and each agent; blocks
   of each are interleaved to spread drift. The extra latency is the agent's median/p99 minus no agent's.
   Target: <= 0.2 ms median for everyone's execs.
3. Agent CPU at ~570 and ~2,000 processes (a third the child's) with 5 new short-lived processes a second
   (half the child's), started on a fixed schedule: the scheduler's run time of the agent's threads over a
   ``--seconds`` window, as % of one core. The execs the kernel reports on the whole machine in the window
   are counted too: what is beyond the benchmark's 5 a second is other work on the machine (background).
   Target: <= 0.05 % of one core.

The machine is shared: the load average (``/proc/loadavg``) is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import os
import pwd
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from agent_overhead import scheduler_cpu
from bench_agent import start_agent, stop_agent

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.platform.linux_procevents import ProcEvents
from guardian.store import Store

BLOCKED = "gx-bench-blocked"
FREE = "gx-bench-free"
KILL_TARGET_MS = 20.0
EXEC_TARGET_MS = 0.2
CPU_TARGET_PCT = 0.05
SIZES = (570, 2000)
CHURN_PER_S = 5.0
SETTLE_S = 5.0
REPO = Path(__file__).resolve().parents[1]
DEFAULT_BASELINE = "3daecc4"
REFUSED: list[str] = []
"""Execs of the benchmark's own that some agent refused (other work on a shared machine)."""


def family(child: str) -> str:
    return f"""
[[app]]
id = "bench-blocked"
name = "Bench Blocked"
category = "games"
match = {{ exe_names = ["{BLOCKED}"] }}

[[app]]
id = "bench-free"
name = "Bench Free"
category = "games"
match = {{ exe_names = ["{FREE}"] }}

[[child]]
name = "Kid"
accounts = ["{child}"]
blocked = ["bench-blocked"]
"""


MODES: dict[str, dict[str, str]] = {
    "events": {},
    "events, no guard": {"GUARDIAN_EXEC_GUARD": "0"},
    "polling": {"GUARDIAN_EXEC_EVENTS": "0"},
    "baseline": {},
}
HOMES: dict[str, Path] = {}
"""The agent home of each mode (the baseline has its own, made by its own code)."""
TREES: dict[str, Path] = {}
"""Modes run from another source tree (``--baseline``)."""


def source_tree(ref: str, folder: Path) -> Path:
    """``src/`` and ``resources/`` of git revision ``ref`` unpacked under ``folder``."""
    archive = folder / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), ref, "src", "resources"],
        check=True,
    )
    target = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def make_home(home: Path, rules: str, tree: Path | None) -> None:
    """An agent home with ``rules`` imported by the code of ``tree`` (this tree when None)."""
    home.mkdir(mode=0o700)
    (home / "family.toml").write_text(rules)
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    cmd = [
        sys.executable,
        "-m",
        "guardian.cli",
        "--home",
        str(home),
        "rules",
        "import",
        str(home / "family.toml"),
    ]
    subprocess.run(cmd, env=env, check=True, capture_output=True)


@contextmanager
def agent(home: Path, mode: str) -> Iterator[subprocess.Popen[bytes]]:
    home = HOMES.get(mode, home)
    saved = dict(os.environ)
    os.environ.update(MODES[mode])
    if mode in TREES:
        os.environ["PYTHONPATH"] = str(TREES[mode] / "src")
    try:
        cmd = [sys.executable, "-m", "guardian.cli", "--home", str(home), "agent", "--interval", "1"]
        proc = start_agent(home, cmd, after_first_tick=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    time.sleep(2.5)  # a couple of ticks: the child evaluated and handed to the guard
    try:
        yield proc
    finally:
        stop_agent(proc)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, values: list[float], unit: str = "ms") -> str:
    if not values:
        return f"  {label:<34} (none)"
    return (
        f"  {label:<34} median {statistics.median(values):8.3f} {unit}   p95 {pct(values, 0.95):8.3f} {unit}"
        f"   p99 {pct(values, 0.99):8.3f} {unit}   n={len(values)}"
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


# -- 1. block latency -----------------------------------------------------------------------------


def kill_latencies(app: Path, uid: int, launches: int, rng: random.Random) -> list[float]:
    out = []
    for _ in range(launches):
        time.sleep(rng.uniform(0.0, 1.0))  # launches at random points of the tick
        began = time.monotonic()
        proc = subprocess.Popen([str(app), "600"], user=uid, stdin=subprocess.DEVNULL)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.append((time.monotonic() - began) * 1000)
    return out


def denied_launches(app: Path, uid: int, launches: int, rng: random.Random) -> tuple[list[float], int]:
    """Time to ``PermissionError`` for each launch, and how many launches started anyway."""
    refusals, ran = [], 0
    for _ in range(launches):
        time.sleep(rng.uniform(0.0, 0.2))
        began = time.monotonic()
        try:
            proc = subprocess.Popen([str(app), "600"], user=uid, stdin=subprocess.DEVNULL)
        except PermissionError:
            refusals.append((time.monotonic() - began) * 1000)
            continue
        ran += 1
        proc.kill()
        proc.wait()
    return refusals, ran


# -- 2. exec overhead -------------------------------------------------------------------------------


def exec_times(uid: int | None, count: int, argv: list[str]) -> list[float]:
    out = []
    for _ in range(count):
        began = time.perf_counter()
        try:
            subprocess.run(argv, user=uid, check=False)
        except PermissionError:  # another agent on this shared machine refused it: not a sample
            REFUSED.append(argv[0])
            continue
        out.append((time.perf_counter() - began) * 1000)
    return out


# -- 3. agent CPU ------------------------------------------------------------------------------------


class Population:
    def __init__(self, idle: Path, child_uid: int, other_uid: int) -> None:
        self.idle, self.child_uid, self.other_uid = idle, child_uid, other_uid
        self.procs: list[subprocess.Popen[bytes]] = []

    def grow_to(self, total: int) -> None:
        for i in range(max(0, total - len(psutil.pids()))):
            uid = self.child_uid if i % 3 == 0 else self.other_uid
            try:
                self.procs.append(
                    subprocess.Popen([str(self.idle), "3600"], user=uid, stdin=subprocess.DEVNULL)
                )
            except PermissionError:  # another agent on this shared machine refused it
                REFUSED.append(str(self.idle))

    def close(self) -> None:
        for proc in self.procs:
            proc.kill()
        for proc in self.procs:
            proc.wait()


class Churn(threading.Thread):
    def __init__(self, programs: list[Path], child_uid: int, other_uid: int) -> None:
        super().__init__(daemon=True)
        self.programs, self.child_uid, self.other_uid = programs, child_uid, other_uid
        self.stopping = threading.Event()
        self.count = 0
        self.rng = random.Random(5)

    def run(self) -> None:
        live: list[subprocess.Popen[bytes]] = []
        began = time.monotonic()
        while not self.stopping.wait(max(0.0, began + (self.count + 1) / CHURN_PER_S - time.monotonic())):
            uid = self.child_uid if self.rng.random() < 0.5 else self.other_uid
            program = self.rng.choice(self.programs)
            self.count += 1
            try:
                live.append(subprocess.Popen([str(program), f"{self.rng.uniform(0.2, 1.5):.2f}"], user=uid))
            except PermissionError:  # another agent on this shared machine refused it
                REFUSED.append(str(program))
            live = [p for p in live if p.poll() is None]
        for proc in live:
            proc.wait()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def agent_cpu(pid: int, seconds: float, churn: Churn) -> tuple[float, int, float, float]:
    """% of one core over a window of ``seconds``, the process count, execs a second on the whole machine
    and the benchmark's own new processes a second in the window."""
    execs = 0
    with ProcEvents(frozenset({"exec"})) as feed:
        cpu0 = scheduler_cpu(pid) or 0.0
        began, started = time.monotonic(), churn.count
        while time.monotonic() - began < seconds:  # the window being measured
            feed.wait(0.5)
            execs += sum(1 for e in feed.read() if e.kind == "exec")
        cpu1 = scheduler_cpu(pid) or 0.0
        wall = time.monotonic() - began
        ours = (churn.count - started) / wall
    return (cpu1 - cpu0) / wall * 100, len(psutil.pids()), execs / wall, ours


# -- the run -----------------------------------------------------------------------------------------


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=30)
    parser.add_argument("--execs", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="process counts, comma-separated")
    parser.add_argument(
        "--baseline",
        default=DEFAULT_BASELINE,
        help="git revision whose events agent runs beside ('' for none)",
    )
    args = parser.parse_args()
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        raise SystemExit("needs root on Linux (process events, fanotify, a second account)")
    name = f"gxexb{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True)
    folder = Path("/opt") / name
    home = Path(tempfile.mkdtemp(prefix="guardian-exec-bench-"))
    try:
        folder.mkdir(mode=0o755)
        for program in (BLOCKED, FREE):
            shutil.copy(shutil.which("sleep") or "/bin/sleep", folder / program)
            (folder / program).chmod(0o755)
        child_uid = pwd.getpwnam(name).pw_uid
        other_uid = pwd.getpwnam("nobody").pw_uid
        with Store(home / "guardian.db") as store:
            GuardianAPI(store, SystemClock()).import_rules(family(name), "bench.toml")
        if args.baseline:
            TREES["baseline"] = source_tree(args.baseline, home)
            HOMES["baseline"] = home / "baseline-home"
            make_home(HOMES["baseline"], family(name), TREES["baseline"])
        print(f"load average at start: {loadavg()}  ({os.cpu_count()} CPUs, shared machine)")
        run(home, folder, child_uid, other_uid, args)
        print(f"load average at end:   {loadavg()}")
        if REFUSED:
            print(
                f"{len(REFUSED)} execs of the benchmark's own processes refused by another agent on the machine (this run's block only {BLOCKED})"
            )
    finally:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    return 0


def run(home: Path, folder: Path, child_uid: int, other_uid: int, args: argparse.Namespace) -> None:
    blocked = folder / BLOCKED
    rng = random.Random(1)

    print("\n1. block latency: the child launches a blocked app (launch → gone)")
    with agent(home, "events, no guard"):
        events_kill = kill_latencies(blocked, child_uid, args.launches, rng)
    with agent(home, "polling"):
        polling_kill = kill_latencies(blocked, child_uid, args.launches, rng)
    with agent(home, "events"):
        refusals, ran = denied_launches(blocked, child_uid, args.launches, rng)
    print(line("events, kill path", events_kill))
    print(line("polling (today), baseline", polling_kill))
    print(line("events + guard: time to EPERM", refusals))
    print(f"  events + guard: {ran} of {args.launches} denied launches ran at all (0 ms of running each)")
    ratio = statistics.median(polling_kill) / max(1e-9, statistics.median(events_kill))
    print(f"  ratio polling/events (median): {ratio:.1f}x")
    print(
        f"  target kill path median <= {KILL_TARGET_MS:.0f} ms: {verdict(statistics.median(events_kill) <= KILL_TARGET_MS)}"
    )
    print(f"  target denied exec runs 0 ms: {verdict(ran == 0 and len(refusals) == args.launches)}")

    print("\n2. extra latency of every exec (fork + exec + wait)")
    base_label = f"events @{args.baseline}"
    agents = ["events", "polling"] + (["baseline"] if "baseline" in TREES else [])
    labels = {"events": "events agent", "polling": "polling agent (today)", "baseline": base_label}
    kinds = {
        "root /bin/true": (None, ["/bin/true"]),
        "child /bin/true": (child_uid, ["/bin/true"]),
        "root, an app": (None, [str(folder / FREE), "0"]),
    }
    results: dict[tuple[str, str], list[float]] = {}
    rounds = 6
    block = max(1, args.execs // rounds)
    for _ in range(rounds):
        for mode in ["none", *agents]:

            def measure(mode: str = mode) -> None:
                for kind, (uid, argv) in kinds.items():
                    results.setdefault((mode, kind), []).extend(exec_times(uid, block, argv))

            if mode == "none":
                measure()
            else:
                with agent(home, mode):
                    measure()
    notes = {
        "root /bin/true": "everyone's ordinary execs",
        "child /bin/true": "the child's ordinary execs",
        "root, an app": "an app by an account that is no child: the guard is asked each time",
    }
    extra: dict[tuple[str, str], float] = {}
    for kind in kinds:
        base = results[("none", kind)]
        print(f"  {kind} ({notes[kind]}):")
        print(line("no agent", base))
        for mode in agents:
            values = results[(mode, kind)]
            extra[(mode, kind)] = statistics.median(values) - statistics.median(base)
            extra_p99 = pct(values, 0.99) - pct(base, 0.99)
            print(
                line(labels[mode], values)
                + f"   extra: median {extra[(mode, kind)]:+.3f} ms, p99 {extra_p99:+.3f} ms"
            )
    extra_root = extra[("events", "root /bin/true")]
    if "baseline" in TREES:
        was = extra[("baseline", "root /bin/true")]
        print(f"  extra median, everyone's execs: {extra_root:+.3f} ms now, {was:+.3f} ms at {args.baseline}")
    print(
        f"  target extra median <= {EXEC_TARGET_MS} ms (everyone's execs): {verdict(extra_root <= EXEC_TARGET_MS)}"
    )

    print(
        f"\n3. agent CPU with {CHURN_PER_S:.0f} new processes a second (a third of the population the child's)"
    )
    population = Population(folder / FREE, child_uid, other_uid)
    churn = Churn([Path("/bin/sleep"), folder / FREE], child_uid, other_uid)
    churn.start()
    try:
        for size in [int(n) for n in args.sizes.split(",")]:
            figures = {}
            for mode in agents:
                population.grow_to(size)  # others' processes come and go on a shared machine
                with agent(home, mode) as proc:
                    time.sleep(SETTLE_S)
                    figures[mode] = agent_cpu(proc.pid, args.seconds, churn)
            procs = figures["events"][1]
            print(f"  ~{size} processes (measured {procs}):")
            for mode in agents:
                cpu, _, rate, ours = figures[mode]
                print(
                    f"    {labels[mode]:<24} {cpu:6.3f} % of one core   (execs on the machine {rate:5.1f}/s:"
                    f" the benchmark's {ours:.1f}/s, background {max(0.0, rate - ours):5.1f}/s)"
                )
            now = figures["events"][0]
            print(f"    ratio polling/events: {figures['polling'][0] / max(1e-9, now):.2f}x", end="")
            if "baseline" in figures:
                print(f"   ratio {base_label}/events: {figures['baseline'][0] / max(1e-9, now):.2f}x", end="")
            print()
            print(f"    target <= {CPU_TARGET_PCT} % of one core: {verdict(now <= CPU_TARGET_PCT)}")
    finally:
        churn.stop()
        population.close()
    print(f"  churn: {churn.count} short-lived processes started")
    away(home, folder, other_uid, agents, labels, args)


def away(
    home: Path,
    folder: Path,
    other_uid: int,
    agents: list[str],
    labels: dict[str, str],
    args: argparse.Namespace,
) -> None:
    """Agent CPU while the child has no process at all (not on the computer); the rest as in part 3."""
    size = int(args.sizes.split(",")[0])
    print(
        f"\n4. agent CPU with the child away (no process of the child's), ~{size} processes, 5 new a second"
    )
    population = Population(folder / FREE, other_uid, other_uid)
    churn = Churn([Path("/bin/sleep"), folder / FREE], other_uid, other_uid)
    churn.start()
    figures = {}
    try:
        for mode in agents:
            population.grow_to(size)
            with agent(home, mode) as proc:
                time.sleep(SETTLE_S)
                figures[mode] = agent_cpu(proc.pid, args.seconds, churn)
    finally:
        churn.stop()
        population.close()
    for mode in agents:
        cpu, _, rate, ours = figures[mode]
        print(
            f"    {labels[mode]:<24} {cpu:6.3f} % of one core   (execs on the machine {rate:5.1f}/s:"
            f" the benchmark's {ours:.1f}/s, background {max(0.0, rate - ours):5.1f}/s)"
        )
    print(f"    target <= {CPU_TARGET_PCT} % of one core: {verdict(figures['events'][0] <= CPU_TARGET_PCT)}")


if __name__ == "__main__":
    raise SystemExit(main())
