"""A fake link for the tray's windows, and ``status`` replies shaped like the agent's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guardian.ui.tray.link import OnError, OnResult, TrayLink


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class FakeLink(TrayLink):
    """Answers calls from ``handlers`` (method → params → result, or raises :class:`Refused`)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self.at_limit_calls: list[str] = []
        self.refreshes = 0

    def call(
        self, method: str, params: dict[str, Any], on_result: OnResult, on_error: OnError | None = None
    ) -> None:
        self.calls.append((method, dict(params)))
        handler = self.handlers.get(method)
        try:
            if handler is None:
                raise Refused("unreachable", "no agent")
            result = handler(params)
        except Refused as refused:
            if on_error is not None:
                on_error(refused.code, refused.message)
            return
        on_result(result)

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def refresh(self) -> None:
        self.refreshes += 1

    def at_limit(self, action: str) -> None:
        self.at_limit_calls.append(action)


INFO = {
    "child": "An",
    "age": 9,
    "preset": "primary",
    "at_limit": "lock",
    "grace": 60,
    "warn_lead": 900,
    "language": "en",
    "hotlines": ["111", "02623.951.567"],
    "retention_days": 180,
    "health_reminder": True,
    "remote_approvals_left": 2,
    "authenticator": True,
    "games": ["minecraft", "roblox"],
    "app_names": {},
}


def status(
    *,
    state: str = "ok",
    left: int | None = 3600,
    limit: int | None = 7200,
    allowed_until: float | None = None,
    next_allowed_at: float | None = None,
    apps_left: dict[str, int | None] | None = None,
    apps_used: dict[str, int] | None = None,
    foreground: str | None = None,
    paused: bool = False,
) -> dict[str, Any]:
    used = apps_used if apps_used is not None else {app: 600 for app in (apps_left or {})}
    child = {
        "child": "An",
        "screen": {"limit_s": limit, "granted_s": 0, "used_s": (limit or 0) - (left or 0), "left_s": left},
        "app_limits": [],
        "apps_used": used,
        "apps_left": apps_left or {},
        "allowed_until": allowed_until,
        "next_allowed_at": next_allowed_at,
        "state": state,
        "paused": paused,
        "foreground": foreground,
    }
    return {
        "now": 0,
        "agent": {"running": True},
        "children": [child],
        "viewer": {"user": "an", "child": "An"},
    }
