"""A fake ``pkexec`` on ``PATH`` for tests of "Install the service": it records its arguments, says what it is
told on stderr, and exits as told (0 installed, 126 prompt dismissed, 127 not authorised, 1 failed) — or,
with ``run=True``, runs the command it was given (we are root already), as pkexec would after the password.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SCRIPT = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_PKEXEC_LOG"
if [ -n "$FAKE_PKEXEC_SAY" ]; then echo "$FAKE_PKEXEC_SAY" >&2; fi
if [ -n "$FAKE_PKEXEC_HOLD" ]; then while [ ! -e "$FAKE_PKEXEC_HOLD" ]; do sleep 0.05; done; fi
if [ -n "$FAKE_PKEXEC_RUN" ]; then exec "$@"; fi
exit "${FAKE_PKEXEC_EXIT:-0}"
"""


class FakePkexec:
    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        script = self.bin / "pkexec"
        script.write_text(SCRIPT, encoding="utf-8")
        script.chmod(0o755)
        self.log = folder / "pkexec-args"
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("PATH", f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}")
        monkeypatch.setenv("FAKE_PKEXEC_LOG", str(self.log))

    def answer(self, code: int = 0, say: str = "", *, run: bool = False, hold: Path | None = None) -> None:
        """How the next call ends; with ``hold``, the prompt stays "open" until that file exists."""
        self.monkeypatch.setenv("FAKE_PKEXEC_HOLD", "" if hold is None else str(hold))
        self.monkeypatch.setenv("FAKE_PKEXEC_EXIT", str(code))
        self.monkeypatch.setenv("FAKE_PKEXEC_SAY", say)
        self.monkeypatch.setenv("FAKE_PKEXEC_RUN", "1" if run else "")

    @property
    def args(self) -> list[str]:
        """What pkexec was asked to run, or [] when it was not called."""
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
