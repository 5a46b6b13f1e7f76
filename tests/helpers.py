"""Small helpers shared by tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from guardian.core.messages import AgentHealth, ChildEntry, Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def ts(text: str, tz: ZoneInfo = VN) -> float:
    """Unix seconds of a local time such as ``"2026-11-27 18:30"``."""
    return datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()


def settle_page(qtbot: object, page: object, timeout: int = 10_000) -> None:
    """Wait until a console page that loads off the UI thread (``busy``, ``view``) has drawn its data."""
    if hasattr(page, "busy"):
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: not page.busy and (not hasattr(page, "view") or page.view is not None), timeout=timeout
        )


def child_entry(child: str, **fields: object) -> ChildEntry:
    """A ``status`` entry for ``child`` with no limits and nothing used; ``fields`` override any part."""
    base: dict[str, object] = {
        "child": child,
        "day": "2026-11-27",
        "day_start": ts("2026-11-27 00:00"),
        "day_end": ts("2026-11-28 00:00"),
        "weekday": 4,
        "screen": {"limit_s": None, "granted_s": 0, "used_s": 0, "left_s": None},
        "app_limits": [],
        "apps_used": {},
        "in_allowed_hours": True,
        "allowed_until": None,
        "next_allowed_at": None,
        "allowed_today": [],
        "state": "ok",
        "warnings_due": [],
        "next_warning_at": None,
        "next_change_at": None,
        "paused": False,
    }
    return ChildEntry.from_wire({**base, **fields})


def live_status(*children: ChildEntry, running: bool = True) -> Status:
    """A ``status`` answer as a fake agent gives it: health ``{"running": ...}`` and these children."""
    return Status(AgentHealth(running, absent=AgentHealth.stopped().absent), list(children))
