"""Run an ``ExecGuard`` in a process of its own for tests: ``python -m tests.exec_guard_child UID DENY...``.

Denies the watched uid's execs whose file name is one of DENY (``--hang`` makes the judge never answer);
prints ``READY`` once the marks are in place and a line per denied exec. Stops on SIGTERM or stdin EOF.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from guardian.platform.linux_fanotify import ExecGuard, ExecRequest


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("uid", type=int)
    parser.add_argument("deny", nargs="*")
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--deadline", type=float, default=0.25)
    args = parser.parse_args()
    forever = threading.Event()

    def judge(request: ExecRequest) -> bool:
        if args.hang:
            forever.wait()
        return os.path.basename(request.path) not in args.deny

    def denied(request: ExecRequest) -> None:
        print(f"DENIED {request.pid} {request.path}", flush=True)

    guard = ExecGuard(judge, {args.uid}, deadline=args.deadline, on_denied=denied).start()
    print("READY", " ".join(guard.stats.marks), flush=True)
    try:
        sys.stdin.read()
    finally:
        guard.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
