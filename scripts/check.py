"""Run every check the project holds itself to: ruff, mypy and the test suite.

Usage: ``.venv/bin/python scripts/check.py [extra pytest args]``. Exits non-zero on the first failure.
The tests run on two pytest-xdist workers unless the arguments choose (``-n 0`` runs them in this process).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> None:
    print("$", " ".join(args), flush=True)
    code = subprocess.run([sys.executable, "-m", *args], cwd=ROOT).returncode
    if code != 0:
        raise SystemExit(code)


def main() -> None:
    run("ruff", "check", "src", "tests", "benchmarks", "scripts")
    run("mypy")
    extra = sys.argv[1:]
    if not any(arg.startswith(("-n", "--numprocesses", "-p")) for arg in extra):
        # Two workers; tests that use the whole machine (real agents, X, accounts) run on one of them in
        # turn (tests/conftest.py), everything else is shared out.
        extra = ["-n", "2", *extra]
    run("pytest", *extra)


if __name__ == "__main__":
    main()
