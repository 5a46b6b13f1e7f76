"""Small helpers shared by tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

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
