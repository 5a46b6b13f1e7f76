"""Create `.venv` when missing and install Guardian with its pinned dependencies.

Running it again is harmless: it reinstalls only when `pyproject.toml` changed, and recompiles the
translations (``resources/translations/*.qm``) only when a ``.ts`` is newer than its ``.qm``.
Usage: ``python3 scripts/bootstrap.py``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".guardian-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must run on older Pythons too
        print("Guardian needs Python 3.11 or newer.", file=sys.stderr)
        return 1
    if not venv_python().exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        print("Installing Guardian and its pinned dependencies ...", flush=True)
        cmd = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*cmd, "-e", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(digest + "\n")
    # The translations' .qm files are build products: compiled here whenever a .ts is newer (cheap otherwise).
    return subprocess.run([str(venv_python()), str(ROOT / "scripts" / "translations.py"), "compile"]).returncode


if __name__ == "__main__":
    raise SystemExit(main())
