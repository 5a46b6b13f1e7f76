"""Pause until tomorrow through GuardianAPI: parent only, per logical day, recorded, seen by the policy."""

from __future__ import annotations

import pytest

from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.errors import InvalidInput, NotAllowed, PinRequired
from tests.helpers import ts

FAMILY = """
[settings]
timezone = "Asia/Ho_Chi_Minh"
day_starts_at = "04:00"

[[child]]
name = "An"
accounts = ["an"]
screen_time = "2h"

[[child]]
name = "Binh"
accounts = ["binh"]
"""


@pytest.fixture
def family(api: GuardianAPI) -> GuardianAPI:
    api.import_rules(FAMILY, "family.toml")
    api.set_pin("parent", "1234")
    api.set_pin("caregiver", "5678", current_pin="1234")
    return api


def events(api: GuardianAPI, kind: str) -> list[object]:
    return [e for e in api.store.events.between(None, 0, 2**40) if e.kind == kind]


def test_a_parent_pauses_a_child_until_the_logical_day_ends(family: GuardianAPI) -> None:
    assert family.pause_today("an", pin="1234") is True
    assert family.is_paused("An") and not family.is_paused("Binh")
    status = family.evaluate()
    assert status["An"].state == "paused" and status["An"].to_dict()["paused"] is True
    assert status["Binh"].state == "ok"
    assert len(events(family, "paused")) == 1
    assert family.pause_today("An", pin="1234") is False  # twice is harmless, recorded once
    assert len(events(family, "paused")) == 1
    clock = family.clock
    assert isinstance(clock, FakeClock)
    clock.advance(ts("2026-11-28 03:59") - clock.now())  # still the same logical day (it starts at 04:00)
    assert family.is_paused("An")
    clock.advance(120)
    assert not family.is_paused("An") and family.evaluate()["An"].state == "ok"


def test_pause_needs_the_parent_pin(family: GuardianAPI) -> None:
    with pytest.raises(PinRequired):
        family.pause_today("An")
    with pytest.raises(NotAllowed):
        family.pause_today("An", pin="5678", role="caregiver")
    with pytest.raises(InvalidInput):
        family.pause_today("Nobody", pin="1234")
    assert not family.is_paused("An") and events(family, "paused") == []


def test_resume_lifts_todays_pause(family: GuardianAPI) -> None:
    family.pause_today("An", pin="1234")
    assert family.resume_today("An", pin="1234") is True
    assert not family.is_paused("An") and family.evaluate()["An"].state == "ok"
    assert family.resume_today("An", pin="1234") is False
    assert len(events(family, "resumed")) == 1
