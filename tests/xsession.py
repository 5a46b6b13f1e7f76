"""Real X11 sessions for tests: Xvfb + openbox, xterm windows, activation through xdotool.

Usage::

    with x_display() as display:            # skips the test when Xvfb/openbox/xterm/xdotool are missing
        app = start_window(display, "GuardianA")
        activate(display, app.pid)

Every process is stopped by pid when the ``with`` block (or the caller) is done. CI installs the tools with
``apt-get install -y xvfb openbox xdotool x11-utils xterm``.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

TOOLS = ("Xvfb", "openbox", "xterm", "xdotool")
DEADLINE_SECONDS = 10.0
POLL_SECONDS = 0.05

T = TypeVar("T")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_for(condition: Callable[[], T | None], what: str, deadline: float = DEADLINE_SECONDS) -> T:
    """Poll ``condition`` every 50 ms until it returns something truthy; fail after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline:.0f}s waiting for {what}")
        time.sleep(POLL_SECONDS)  # the poll interval of a deadline loop, not a wait for an outcome


def stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate ``proc`` by pid, then kill it if it does not end within two seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=2)


def _read_display_number(fd: int, xvfb: subprocess.Popen[Any]) -> str:
    buffer = b""

    def line_ready() -> bool:
        nonlocal buffer
        if xvfb.poll() is not None:
            raise AssertionError(f"Xvfb exited with code {xvfb.returncode}")
        readable, _, _ = select.select([fd], [], [], 0)
        if readable:
            buffer += os.read(fd, 64)
        return buffer.endswith(b"\n")

    wait_for(line_ready, "Xvfb to report its display number")
    return ":" + buffer.decode().strip()


def _env(display: str) -> dict[str, str]:
    return {**os.environ, "DISPLAY": display}


def _client_windows(display: str) -> list[tuple[int, int | None]]:
    """``(window id, pid)`` of every managed window (``_NET_CLIENT_LIST``)."""
    from Xlib import X
    from Xlib import display as xdisplay

    disp = xdisplay.Display(display)
    try:
        root = disp.screen().root
        clients = root.get_full_property(disp.intern_atom("_NET_CLIENT_LIST"), X.AnyPropertyType)
        found = []
        for window_id in clients.value if clients is not None else []:
            window = disp.create_resource_object("window", window_id)
            pid = window.get_full_property(disp.intern_atom("_NET_WM_PID"), X.AnyPropertyType)
            found.append((int(window_id), int(pid.value[0]) if pid is not None else None))
        return found
    finally:
        disp.close()


def _wm_running(display: str) -> bool:
    from Xlib import X
    from Xlib import display as xdisplay

    disp = xdisplay.Display(display)
    try:
        check = disp.intern_atom("_NET_SUPPORTING_WM_CHECK")
        return disp.screen().root.get_full_property(check, X.AnyPropertyType) is not None
    finally:
        disp.close()


@contextmanager
def x_display() -> Iterator[str]:
    """A fresh Xvfb server on a free display number with openbox managing it; yields ``":N"``."""
    missing = missing_tools()
    if missing:
        pytest.skip(
            f"X11 test tools not installed: {', '.join(missing)} (apt-get install xvfb openbox xterm xdotool)"
        )
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    wm: subprocess.Popen[Any] | None = None
    try:
        display = _read_display_number(read_fd, xvfb)
        wm = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=_env(display),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _wm_running(display), "openbox to manage the display", deadline=30.0)
        yield display
    finally:
        os.close(read_fd)
        if wm is not None:
            stop(wm)
        stop(xvfb)


def window_of(display: str, pid: int) -> int | None:
    """The managed window owned by ``pid``, if it has one."""
    return next((window for window, owner in _client_windows(display) if owner == pid), None)


def start_window(display: str, cls: str, program: str = "xterm") -> subprocess.Popen[bytes]:
    """Start an xterm (or a copy of it, ``program``) of WM class ``cls`` and wait until its window is
    managed. The caller stops it."""
    proc = subprocess.Popen(
        [program, "-class", cls, "-e", "sleep", "120"],
        env=_env(display),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: window_of(display, proc.pid), f"a window of {cls} (pid {proc.pid})")
    except BaseException:
        stop(proc)
        raise
    return proc


def activate(display: str, pid: int) -> None:
    """Give focus to ``pid``'s window and wait until the window manager reports it active."""
    window = wait_for(lambda: window_of(display, pid), f"a window of pid {pid}")
    subprocess.run(
        ["xdotool", "windowactivate", "--sync", str(window)],
        env=_env(display),
        check=True,
        timeout=DEADLINE_SECONDS,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
