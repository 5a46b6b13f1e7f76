"""The dashboard's model without Qt: built from the demo family's record and from an agent's live status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from guardian.ui.console.dashboard_model import (
    QUICK_MINUTES,
    build_view,
    child_view,
    format_span,
    pending_requests,
)
from tests.helpers import VN, ts

ROOT = Path(__file__).resolve().parents[1]
CHILD = "Minh An"


def test_the_model_loads_and_builds_a_view_with_qt_unavailable(demo_db: Path) -> None:
    """In a fresh interpreter where importing PySide6 fails, the model still builds the view."""
    script = f"""
import json, sys
sys.modules["PySide6"] = None  # any import of Qt now raises ImportError
from zoneinfo import ZoneInfo
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.ui.console.dashboard_model import build_view
api = GuardianAPI.open({str(demo_db)!r}, FakeClock(now={ts("2026-11-27 18:00")}), tz=ZoneInfo("Asia/Ho_Chi_Minh"))
view = build_view(api, None)
print(json.dumps([[c.name, c.used_s > 0] for c in view.children]))
print(json.dumps([e.kind for e in view.events]))
print("PySide6" in sys.modules and sys.modules["PySide6"] is not None)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()
    children = json.loads(out[0])
    assert CHILD in [name for name, _ in children]
    assert all(used for _, used in children)
    assert json.loads(out[1])
    assert out[2] == "False"


def test_live_status_comes_first_and_falls_back_to_the_record(family) -> None:
    record = build_view(family, None)
    assert not record.live
    status = family.status()
    status["children"] = [c for c in status["children"] if c["child"] == CHILD]
    status["children"][0] = {**status["children"][0], "foreground": "minecraft", "state": "warning"}
    live = build_view(family, status)
    assert live.live
    assert [c.name for c in live.children] == [CHILD]
    card = live.children[0]
    assert card.state == "warning" and card.foreground == "Minecraft"


def test_a_card_lists_top_apps_by_time_and_its_requests(family) -> None:
    child_id = family.store.children.id_for(CHILD)
    family.store.requests.add(child_id, 900, ts=int(family.clock.now()), reason="homework video")
    requests = pending_requests(family)
    data = {
        "child": CHILD,
        "screen": {"used_s": 600, "limit_s": 3600, "left_s": 3000, "granted_s": 0},
        "apps_used": {"@screen": 600, "b-app": 100, "a-app": 100, "c-app": 400},
        "allowed_today": [[ts("2026-11-27 07:00"), ts("2026-11-27 21:00")]],
    }
    card = child_view(family, data, requests)
    assert [name for name, _ in card.top_apps] == ["c-app", "a-app", "b-app"]
    assert [r.reason for r in card.requests] == ["homework video"]
    assert card.schedule == ("07:00–21:00",)
    assert card.left_s == 3000 and not card.paused


def test_a_window_to_midnight_reads_24_00() -> None:
    assert format_span(ts("2026-11-27 20:00"), ts("2026-11-28 00:00"), VN) == "20:00–24:00"
    assert QUICK_MINUTES == (15, 30, 60)
