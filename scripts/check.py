"""Run every check the project holds itself to: ruff, mypy and the test suite.

Usage: ``.venv/bin/python scripts/check.py [extra pytest args]``. Exits non-zero on the first failure.
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
    run("pytest", *sys.argv[1:])


if __name__ == "__main__":
    main()
