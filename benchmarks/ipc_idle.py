"""What the IPC server costs while nothing happens: its CPU per second, idle, beside a bare baseline.

Run: ``.venv/bin/python benchmarks/ipc_idle.py [--seconds 20]``

The limits (``guardian.ipc.limits``) need a sweep for idle and slow clients. The server sweeps only while a
connection could be dropped (one not subscribed, with a half-sent request or unread replies); otherwise its
thread sleeps in ``select`` without a time-out. Measured in this process with ``time.process_time()`` over the
window, in three states: no client; 32 subscribed clients (trays, the usual case); 32 clients that are not
subscribed (swept every ``sweep_every`` until they are dropped as idle). Baseline, measured the same way: a
thread blocked in ``select`` on a socket pair with no time-out (the floor: what any sleeping thread costs).
Target: no more than the baseline + 20 us per second when idle or with subscribed clients.
"""

from __future__ import annotations

import argparse
import selectors
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guardian.ipc.peer import Peer
from guardian.ipc.protocol import Request
from guardian.ipc.server import Connection, IpcServer

TARGET_US = 20.0


def cpu_per_second(seconds: float) -> float:
    """Microseconds of this process's CPU per second of wall time, over ``seconds``."""
    began, cpu = time.monotonic(), time.process_time()
    time.sleep(seconds)  # the measured window: nothing else runs
    return 1e6 * (time.process_time() - cpu) / (time.monotonic() - began)


def baseline(seconds: float) -> float:
    a, b = socket.socketpair()
    selector = selectors.DefaultSelector()
    selector.register(a, selectors.EVENT_READ)
    thread = threading.Thread(target=selector.select, daemon=True)
    thread.start()
    try:
        return cpu_per_second(seconds)
    finally:
        b.send(b"x")
        thread.join()
        a.close()
        b.close()
        selector.close()


def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
    if request.method == "subscribe":
        connection.subscribed = True
    return {"ok": True}


def measure(folder: Path, seconds: float, clients: int, method: str) -> float:
    server = IpcServer(folder / "agent.sock", dispatch)
    server.start()
    held = []
    try:
        for _ in range(clients):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(folder / "agent.sock"))
            sock.sendall(f'{{"id": 1, "method": "{method}"}}\n'.encode())
            sock.recv(1024)
            held.append(sock)
        return cpu_per_second(seconds)
    finally:
        for sock in held:
            sock.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="guardian-bench-idle-"))
    try:
        floor = baseline(args.seconds)
        rows: list[tuple[str, Callable[[], float]]] = [
            ("server, no client", lambda: measure(folder, args.seconds, 0, "status")),
            ("server, 32 subscribed clients", lambda: measure(folder, args.seconds, 32, "subscribe")),
            ("server, 32 idle unsubscribed", lambda: measure(folder, args.seconds, 32, "status")),
        ]
        print(f"idle CPU over {args.seconds:.0f} s windows (this process, us per second of wall time)")
        print(f"  {'baseline: a thread in select':<32} {floor:7.1f} us/s")
        results = {}
        for label, run in rows:
            results[label] = run()
            print(f"  {label:<32} {results[label]:7.1f} us/s   (+{results[label] - floor:.1f} over baseline)")
        worst = max(results["server, no client"], results["server, 32 subscribed clients"]) - floor
        print(
            f"  target <= baseline + {TARGET_US:.0f} us/s idle or subscribed: {'ok' if worst <= TARGET_US else 'OVER TARGET'}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
