"""A private D-Bus daemon for a test, and the fake desktop services of ``tests/fake_dbus_desktop.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

FAKE = Path(__file__).with_name("fake_dbus_desktop.py")


def need_dbus() -> None:
    if not shutil.which("dbus-daemon") or not shutil.which("gdbus"):
        pytest.skip("dbus-daemon and gdbus are not installed (apt: dbus, libglib2.0-bin)")


@contextmanager
def private_bus(prefix: Sequence[str] = ()) -> Iterator[str]:
    """A ``dbus-daemon --session`` of its own (run through ``prefix``, e.g. runuser); yields its address."""
    daemon = subprocess.Popen(
        [*prefix, "dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # "Failed to set fd limit" as a non-root or in a container
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), f"dbus-daemon gave no address: {address!r}"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stdout is not None:
            daemon.stdout.close()


@contextmanager
def fake_service(
    address: str, kind: str, session_id: str = "c7", prefix: Sequence[str] = ()
) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [*prefix, "env", f"DBUS_SESSION_BUS_ADDRESS={address}", "QT_QPA_PLATFORM=offscreen"]
    cmd += [sys.executable, str(FAKE), kind, session_id]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == "ready", f"the fake {kind} did not start: {line!r}"
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def set_screensaver(address: str, active: bool, prefix: Sequence[str] = ()) -> None:
    call(
        address,
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "SetActiveForTest",
        active,
        prefix,
    )


def set_locked_hint(address: str, locked: bool, session_id: str = "c7") -> None:
    path = f"/org/freedesktop/login1/session/_{session_id}"
    call(
        address,
        "org.freedesktop.login1",
        path,
        "SetLockedHintForTest",
        locked,
        interface="org.freedesktop.login1.Session",
    )


def call(
    address: str,
    name: str,
    path: str,
    method: str,
    value: bool,
    prefix: Sequence[str] = (),
    *,
    interface: str | None = None,
) -> None:
    subprocess.run(
        [
            *prefix,
            "gdbus",
            "call",
            "--address",
            address,
            "--dest",
            name,
            "--object-path",
            path,
            "--method",
            f"{interface or name}.{method}",
            "true" if value else "false",
        ],
        check=True,
        capture_output=True,
        timeout=10,
    )
