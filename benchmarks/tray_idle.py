"""The child's tray: what it costs while nothing happens, and how fast a warning reaches the screen.

    .venv/bin/python benchmarks/tray_idle.py [--seconds 60] [--warnings 20] [--baseline REF]

Runs under a fresh Xvfb + openbox (needs xvfb, openbox, xterm): the real agent (``--interval 1``) on a
temporary home whose family file maps this account to a child, an xterm in front (the child's app), and
``guardian tray`` as its own process, exactly as a session would run it.

* **Idle:** with screen time far from any limit, the tray's CPU (scheduler run time of all its threads,
  ``/proc/<pid>/task/*/schedstat``) and RSS over ``--seconds`` after a 10 s settle. It reports the session
  when the window in front or the lock changes and every 20 s, and refreshes the status every 30 s.
  Baselines in the same window: the tray of git revision ``--baseline`` (default 3daecc4, before the lean
  entry; its own runtime folder, the same agent) and a bare PySide6 process with one small window and
  nothing to do. Targets: <= 0.05 % of one core, <= 80 MB RSS.
* **Warning latency:** a family file with ``--warnings`` warning leads 2 s apart; for each warning, the time
  from a plain IPC subscriber receiving the agent's notice (the agent decided and sent it) to the tray's log
  line written right after the banner was shown. Baseline: that subscriber itself (0 by definition), so the
  figure is the tray's own share. Target: median <= 1 s.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from agent_overhead import scheduler_cpu  # noqa: E402
from bench_agent import start_agent, stop_agent  # noqa: E402
from tests import xsession  # noqa: E402

from guardian.api import GuardianAPI  # noqa: E402
from guardian.clock import SystemClock  # noqa: E402
from guardian.ipc.client import IpcClient, default_socket_path  # noqa: E402
from guardian.store import Store  # noqa: E402

ME = getpass.getuser()
BARE_QT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("1 h 20 min")
label.show()
app.exec()
"""


def rules(screen: str, leads: list[int]) -> str:
    warn = ", ".join(f'"{lead}s"' for lead in leads) or '"15m"'
    return f"""
[settings]
warn_before = [{warn}]
grace = "60s"
idle_after = "1h"  # nobody touches the keyboard of the benchmark's display

[[child]]
name = "Kid"
accounts = ["{ME}"]
screen_time = "{screen}"
at_limit = "notify"
"""


def import_rules(home: Path, text: str) -> None:
    with Store(home / "guardian.db") as store:
        GuardianAPI(store, SystemClock()).import_rules(text, "bench.toml")


def threads(pid: int) -> dict[str, float]:
    """Scheduler run time per thread name (Linux), to see where an idle tray spends its time."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            out[name] = out.get(name, 0.0) + int((task / "schedstat").read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            continue
    return out


def cpu(pid: int) -> float:
    value = scheduler_cpu(pid)
    if value is None:
        times = psutil.Process(pid).cpu_times()
        value = times.user + times.system
    return value


def start_tray(home: Path, display: str, tree: Path | None = None) -> subprocess.Popen[bytes]:
    """This tree's ``guardian tray`` (``python -m guardian``), or the one of ``tree`` (an older revision,
    ``python -m guardian.cli``) with its own runtime folder and log."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    module, log_name = "guardian", "tray.log"
    if tree is not None:
        runtime = tree / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env |= {"PYTHONPATH": str(tree / "src"), "XDG_RUNTIME_DIR": str(runtime)}
        module, log_name = "guardian.cli", "baseline-tray.log"
    cmd = [sys.executable, "-m", module, "--home", str(home), "tray", "--language", "en", "--pill"]
    with (home / log_name).open("ab") as log:
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def checkout(ref: str) -> Path:
    """The files of git revision ``ref`` in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="guardian-tray-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def agent_cmd(home: Path) -> list[str]:
    return [sys.executable, "-m", "guardian.cli", "--home", str(home), "agent", "--interval", "1"]


def idle(display: str, seconds: float, baseline: str) -> None:
    home = Path(tempfile.mkdtemp(prefix="guardian-tray-bench-"))
    import_rules(home, rules("8h", []))
    tree = checkout(baseline)
    agent = start_agent(home, agent_cmd(home), after_first_tick=True)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    bare = subprocess.Popen([sys.executable, "-c", BARE_QT], env=env, start_new_session=True)
    tray = start_tray(home, display)
    base = start_tray(home, display, tree)
    procs = (tray, base, bare)
    try:
        for log in ("tray.log", "baseline-tray.log"):
            xsession.wait_for(
                lambda log=log: "connected to the Guardian agent" in (home / log).read_text(), log
            )
        time.sleep(10)  # settle: start-up work is not idle cost
        start = {p.pid: cpu(p.pid) for p in procs}
        start_threads = threads(tray.pid)
        began = time.monotonic()
        time.sleep(seconds)  # the measurement window
        wall = time.monotonic() - began
        used = {pid: cpu(pid) - value for pid, value in start.items()}
        per_thread = {n: v - start_threads.get(n, 0.0) for n, v in threads(tray.pid).items()}
        rss = {p.pid: psutil.Process(p.pid).memory_info().rss / 2**20 for p in procs}
    finally:
        for proc in procs:
            xsession.stop(proc)
        stop_agent(agent)
    pct = {pid: 100 * value / wall for pid, value in used.items()}
    tray_pct, base_pct, bare_pct = pct[tray.pid], pct[base.pid], pct[bare.pid]
    print(f"idle over {wall:.0f} s")
    print(f"  tray      CPU {tray_pct:.4f} % of one core   RSS {rss[tray.pid]:.1f} MB")
    print(f"  {baseline:<9} CPU {base_pct:.4f} % of one core   RSS {rss[base.pid]:.1f} MB   (baseline tray)")
    print(f"  bare Qt   CPU {bare_pct:.4f} % of one core   RSS {rss[bare.pid]:.1f} MB   (baseline)")
    base_ratio = f"x{tray_pct / base_pct:.2f}" if base_pct else "n/a"
    print(f"  ratio tray/{baseline}  CPU {base_ratio}   RSS x{rss[tray.pid] / rss[base.pid]:.2f}")
    cpu_ratio = f"x{tray_pct / bare_pct:.1f}" if bare_pct else "n/a (the baseline used no measurable CPU)"
    print(f"  ratio tray/bare Qt  CPU {cpu_ratio}   RSS x{rss[tray.pid] / rss[bare.pid]:.2f}")
    busiest = sorted(per_thread.items(), key=lambda item: -item[1])[:5]
    print("  tray threads: " + ", ".join(f"{name} {100 * value / wall:.4f} %" for name, value in busiest))
    print(f"  target CPU <= 0.05 %: {'ok' if tray_pct <= 0.05 else 'OVER TARGET'}")
    print(f"  target RSS <= 80 MB: {'ok' if rss[tray.pid] <= 80 else 'OVER TARGET'}")


def latency(display: str, count: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="guardian-tray-bench-"))
    leads = [30 + 2 * i for i in range(count)]
    import_rules(home, rules(f"{max(leads) + 15}s", leads))
    received: list[float] = []
    tray = start_tray(home, display)
    agent = start_agent(home, agent_cmd(home))
    stop = threading.Event()

    def listen() -> None:
        with IpcClient(default_socket_path(home)) as client:
            client.subscribe()
            while not stop.is_set():
                event = client.next_event(timeout=0.2)
                if event is not None and event.get("event") == "warning":
                    received.append(time.time())

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    shown_re = re.compile(r"warning on screen at ([0-9.]+)")
    try:
        xsession.wait_for(
            lambda: (
                len(shown_re.findall((home / "tray.log").read_text())) >= count and len(received) >= count
            ),
            f"{count} warnings",
            deadline=max(leads) + 60,
        )
    finally:
        stop.set()
        xsession.stop(tray)
        stop_agent(agent)
    shown = [float(x) for x in shown_re.findall((home / "tray.log").read_text())]
    delays = [s - r for r, s in zip(received, shown, strict=False)]
    median = statistics.median(delays)
    print(f"warning latency over {len(delays)} warnings (subscriber receipt -> banner on screen)")
    print(
        f"  median {median * 1000:.1f} ms   max {max(delays) * 1000:.1f} ms   min {min(delays) * 1000:.1f} ms"
    )
    print("  baseline (the subscriber itself) 0 ms")
    print(f"  target median <= 1 s: {'ok' if median <= 1.0 else 'OVER TARGET'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warnings", type=int, default=20, help="0: idle only")
    parser.add_argument("--baseline", default="3daecc4", help="git revision of the baseline tray")
    args = parser.parse_args()
    if xsession.missing_tools():
        raise SystemExit(f"needs {', '.join(xsession.missing_tools())}")
    print(f"load average before: {os.getloadavg()}")
    with xsession.x_display() as display:
        os.environ["DISPLAY"] = display  # the agent sees the session on this display, as a session's agent does
        for phase in (
            lambda: idle(display, args.seconds, args.baseline),
            lambda: latency(display, args.warnings),
        ):
            app = xsession.start_window(display, "KidsApp")  # the child's app in front (it lives 120 s)
            xsession.activate(display, app.pid)
            try:
                phase()
            finally:
                xsession.stop(app)
            if not args.warnings:
                break
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
