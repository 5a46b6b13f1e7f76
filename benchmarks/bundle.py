"""The PyInstaller bundle: its size, build time and the frozen start of ``guardian status``.
Targets: bundle ≤ 150 MB; median frozen start ≤ 0.5 s.

    .venv/bin/python benchmarks/bundle.py [--runs 11] [--bundle dist/guardian]

Builds the bundle in a temporary folder (``scripts/build.py bundle``) unless ``--bundle`` names one. The
start is wall time from just before ``subprocess`` starts to the program's exit, ``guardian status`` on a
demo family (no agent running, so it reads the database). Baselines measured in the same run: the same
command from the virtual environment (``.venv/bin/guardian status``), and ``python -c pass`` from the
bundle's own interpreter size class (the venv's Python) for the floor any Python program pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE_TARGET_MB = 150.0
START_TARGET_S = 0.5


def folder_mb(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def timed(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm the page cache once
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return times


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--bundle", type=Path, help="an existing bundle folder (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guardian-bench-bundle-") as tmp:
        bundle = args.bundle
        if bundle is None:
            began = time.monotonic()
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "scripts" / "build.py"),
                    "bundle",
                    "--out",
                    tmp,
                    "--work",
                    f"{tmp}/w",
                ],
                check=True,
                capture_output=True,
            )
            print(
                f"build: {time.monotonic() - began:.1f} s (scripts/build.py bundle, PyInstaller, warm pip cache)"
            )
            bundle = Path(tmp) / "guardian"
        home = Path(tmp) / "home"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["GUARDIAN_HOME"] = str(home)
        exe = str(bundle / ("guardian.exe" if os.name == "nt" else "guardian"))
        subprocess.run([exe, "demo", "--no-console"], env=env, check=True, capture_output=True)

        size = folder_mb(bundle)
        print(
            f"bundle size: {size:.1f} MB ({size * 1e6 / 2**20:.1f} MiB)  target <= {SIZE_TARGET_MB:.0f} MB: "
            f"{verdict(size <= SIZE_TARGET_MB)}"
        )
        frozen = timed([exe, "status"], env, args.runs)
        venv = timed([str(Path(sys.executable).parent / "guardian"), "status"], env, args.runs)
        floor = timed([sys.executable, "-c", "pass"], env, args.runs)
        median = statistics.median(frozen)
        print(
            f"frozen 'guardian status': median {median * 1000:.0f} ms, max {max(frozen) * 1000:.0f} ms "
            f"({args.runs} runs)  target median <= {START_TARGET_S * 1000:.0f} ms: {verdict(median <= START_TARGET_S)}"
        )
        print(
            f"baseline venv 'guardian status': median {statistics.median(venv) * 1000:.0f} ms; "
            f"ratio frozen/venv {median / statistics.median(venv):.2f}"
        )
        print(
            f"floor 'python -c pass': median {statistics.median(floor) * 1000:.0f} ms; "
            f"ratio frozen/floor {median / statistics.median(floor):.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
