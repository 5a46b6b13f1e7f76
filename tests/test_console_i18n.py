"""The console core in Vietnamese: module-level strings (events, durations) and the request buttons.

Completeness of every string is checked once for the whole source tree in tests/test_i18n.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from guardian.ui import i18n
from guardian.ui.console.dashboard_widgets import describe_event
from guardian.ui.widgets.durations import human_duration


@pytest.fixture
def vietnamese(qapp) -> Iterator[None]:
    assert i18n.install("vi")
    yield
    i18n.install("en")


def test_events_and_durations_read_in_vietnamese(vietnamese) -> None:
    assert human_duration(5400) == "1 giờ 30 phút"
    assert human_duration(600) == "10 phút"
    text = describe_event("blocked_launch", "An", "Roblox", {})
    assert "An" in text and "Roblox" in text and "%" not in text
    assert text != "An tried to open Roblox, which is blocked or out of time."
    assert "Guardian" in describe_event("agent_gap", None, None, {"seconds": 3600})
    assert "1 giờ" in describe_event("agent_gap", None, None, {"seconds": 3600})


def test_events_stay_english_in_english(qapp) -> None:
    i18n.install("en")
    assert describe_event("limit_reached", "An", None, {}) == "An reached a time limit."
    assert human_duration(5400) == "1 h 30 min"


def test_request_buttons_carry_their_accelerator_inside_the_word(vietnamese) -> None:
    for source in ("&Approve", "&Deny"):
        text = QCoreApplication.translate("RequestRow", source)
        assert text.count("&") == 1 and "(" not in text, text
        assert text.replace("&", "") in ("Đồng ý", "Từ chối")
