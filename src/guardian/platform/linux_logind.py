"""systemd-logind through the ``loginctl`` command: sessions, idle hints, lock and terminate.

Every call is a short subprocess with a timeout. When logind or D-Bus is absent (containers, non-systemd
distributions) each function answers "nothing" (empty list, None, False) instead of raising.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from guardian.platform.base import Session

TIMEOUT_SECONDS = 3.0
PROPERTIES = ("Id", "Name", "Active", "LockedHint", "Type", "Display", "State", "IdleHint", "IdleSinceHint")
KINDS = {"x11": "x11", "wayland": "wayland", "mir": "wayland", "tty": "tty"}
"""logind session ``Type`` → ``Session.kind`` (Mir is a Wayland compositor today)."""

SESSIONS_DIR = Path("/run/systemd/sessions")
"""logind keeps one state file per session here; the folder exists exactly when logind runs."""

Runner = Callable[[Sequence[str]], str | None]
"""Runs a ``loginctl`` argument list and returns its stdout, or None when it failed."""


def run_loginctl(args: Sequence[str]) -> str | None:
    """Run ``loginctl ARGS``; stdout on success, None on any failure (missing, no bus, timeout, error)."""
    try:
        done = subprocess.run(
            ["loginctl", "--no-pager", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def parse_session_ids(listing: str) -> list[str]:
    """Session ids from ``loginctl list-sessions --no-legend``: the first column of each row."""
    return [line.split()[0] for line in listing.splitlines() if line.strip()]


def parse_properties(text: str) -> dict[str, str]:
    """``Key=value`` lines (``loginctl show-session -p ...``) as a dict."""
    pairs = (line.partition("=") for line in text.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, _, value in pairs}


def _yes(value: str | None) -> bool | None:
    if value in ("yes", "true"):
        return True
    if value in ("no", "false"):
        return False
    return None


def session_from_properties(props: dict[str, str]) -> Session | None:
    """A ``Session`` from show-session properties; None for a session that is closing or nameless."""
    if not props.get("Id") or not props.get("Name") or props.get("State") == "closing":
        return None
    kind = KINDS.get(props.get("Type") or "", "unknown")
    return Session(
        id=props["Id"],
        user=props["Name"],
        active=_yes(props.get("Active")) is True,
        locked=_yes(props.get("LockedHint")),
        kind=kind,
        display=props.get("Display") or None,
    )


def show_session(session_id: str, run: Runner = run_loginctl) -> dict[str, str] | None:
    args = ["show-session", session_id]
    for prop in PROPERTIES:
        args += ["-p", prop]
    out = run(args)
    return parse_properties(out) if out is not None else None


def list_sessions(run: Runner = run_loginctl) -> list[Session] | None:
    """All open logind sessions, or None when logind cannot be reached."""
    listing = run(["list-sessions", "--no-legend"])
    if listing is None:
        return None
    sessions = []
    for session_id in parse_session_ids(listing):
        props = show_session(session_id, run)
        session = session_from_properties(props) if props is not None else None
        if session is not None:
            sessions.append(session)
    return sessions


def idle_seconds(
    session_id: str, run: Runner = run_loginctl, now: Callable[[], float] = time.time
) -> float | None:
    """Idle time from logind's ``IdleHint``/``IdleSinceHint`` (set by the desktop); None when unknown.

    A session whose desktop never sets the hint reads as not idle (0.0): time is counted, never lost.
    """
    props = show_session(session_id, run)
    if props is None:
        return None
    hint = _yes(props.get("IdleHint"))
    if hint is None:
        return None
    if not hint:
        return 0.0
    since_usec = int(props.get("IdleSinceHint") or 0)
    return max(now() - since_usec / 1_000_000, 0.0) if since_usec else None


def lock(session_id: str, run: Runner = run_loginctl) -> bool:
    return run(["lock-session", session_id]) is not None


def terminate(session_id: str, run: Runner = run_loginctl) -> bool:
    return run(["terminate-session", session_id]) is not None
