"""Weekly summary figures equal a generated ground-truth timeline.

The timeline is a plan of activities in real time. It is turned into agent ticks (every 15 s, as the demo
does) and run through the real accounting code, including a wall-clock jump and an agent killed mid-session;
the rows go into a real SQLite store. The expected figures are computed from the plan alone, minute by
minute with ``zoneinfo``: the summary must match them exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from guardian.api import GuardianAPI
from guardian.core import accounting
from guardian.core.clock import FakeClock
from guardian.core.model import SCREEN, Child, Rules, Settings, Weekly
from guardian.core.summary import LATE_HOURS
from guardian.store import Store
from guardian.store.rows import NewEvent

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = "2026-W13"  # Monday 23 March – Sunday 29 March 2026; summer time starts Sunday 02:00 → 03:00
MONDAY = date(2026, 3, 23)
TICK = 15.0
ALWAYS = "calculator"
JUMP = 3600


@dataclass(frozen=True)
class Activity:
    start: str
    minutes: int
    app: str


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


# Sessions: each list is one uninterrupted run of the agent. The gap between the two Thursday sessions
# is an agent killed with kill -9 (unclean); Wednesday's session has the wall clock moved an hour forward.
PREVIOUS = [[Activity("2026-03-18 16:00", 50, "minecraft"), Activity("2026-03-18 16:50", 20, "youtube")]]
SESSIONS = [
    [Activity("2026-03-23 16:00", 40, "minecraft"), Activity("2026-03-23 16:40", 25, "youtube")],
    [Activity("2026-03-24 15:00", 45, ALWAYS), Activity("2026-03-24 15:45", 30, "roblox")],
    [Activity("2026-03-25 17:00", 90, "minecraft")],  # clock jump at 17:30
    [Activity("2026-03-26 18:00", 30, "youtube")],
    [Activity("2026-03-26 18:50", 40, "youtube")],  # after the agent was killed 18:30–18:50
    [Activity("2026-03-27 23:00", 40, "roblox")],
    [Activity("2026-03-28 23:40", 50, "minecraft")],  # crosses midnight into Sunday
    [Activity("2026-03-29 01:30", 60, "youtube")],  # crosses the missing hour 02:00–03:00
]
JUMP_AT = at("2026-03-25 17:30")
JUMP_END = at("2026-03-25 18:30")
GAP = (at("2026-03-26 18:30"), at("2026-03-26 18:50"))
CATEGORY = {"minecraft": "games", "roblox": "games", "youtube": "video", ALWAYS: "utilities"}


def wall(t: float) -> float:
    """The computer's clock: an hour fast from the jump until the end of that session."""
    return t + JUMP if JUMP_AT < t <= JUMP_END else t


def ticks(session: list[Activity], mono: float, label: str | None) -> list[accounting.Tick]:
    out: list[accounting.Tick] = []
    origin = at(session[0].start)
    for act in session:
        t, end = at(act.start), at(act.start) + act.minutes * 60
        out.append((wall(t), mono + t - origin, None))
        while t < end:
            t = min(t + TICK, end)
            name = act.app if label is None else (None if act.app == ALWAYS else label)
            out.append((wall(t), mono + t - origin, name))
    return out


def store_sessions(store: Store, child_id: int, sessions: list[list[Activity]]) -> int:
    """Run every session through the accounting code; return how many clock changes it saw."""
    rows: list[accounting.Row] = []
    changes = 0
    mono = 50_000.0
    for session in sessions:
        for label in (None, SCREEN):
            timeline = ticks(session, mono, label)
            got, gaps, moved = accounting.simulate(
                timeline,
                start_wall=timeline[0][0],
                start_mono=timeline[0][1],
                interval=TICK,
                pulse=TICK * 1.5,
                child_id=child_id,
            )
            assert not gaps
            rows += got
            if label is None:
                changes += len(moved)
        mono += 86_400
    store.usage.write(rows)
    return changes


def rules() -> Rules:
    child = Child(
        name="An",
        accounts=("an",),
        screen_time=Weekly(default=3600, days={"sat": 7200, "sun": 7200}),
        always_allowed=(ALWAYS,),
    )
    return Rules(settings=Settings(timezone="Europe/Berlin"), children=(child,))


@pytest.fixture
def family(tmp_path: Path) -> GuardianAPI:
    store = Store(tmp_path / "guardian.db")
    api = GuardianAPI(store, FakeClock(now=at("2026-04-01 12:00")))
    api.save_rules(rules(), "test")
    child_id = store.children.id_for("An")
    assert child_id is not None
    store_sessions(store, child_id, PREVIOUS)
    changes = store_sessions(store, child_id, SESSIONS)
    assert changes == 1
    store.events.add_many(
        [
            NewEvent("clock_changed", int(JUMP_AT), None, None, {"delta": JUMP}),
            NewEvent(
                "agent_gap", int(GAP[1]), None, None, {"seconds": 1200, "from": int(GAP[0]), "clean": False}
            ),
            NewEvent("agent_gap", int(at("2026-03-24 02:00")), None, None, {"seconds": 7200, "clean": True}),
            NewEvent("limit_reached", int(at("2026-03-23 17:05")), child_id, None, {"what": "screen"}),
            NewEvent("warning", int(at("2026-03-23 16:55")), child_id, None, {"key": "screen:600"}),
            NewEvent("blocked_launch", int(at("2026-03-27 23:45")), child_id, "tiktok", None),
            NewEvent("blocked_launch", int(at("2026-03-20 23:45")), child_id, "tiktok", None),  # week before
            NewEvent("tray_missing", int(at("2026-03-28 23:40")), child_id, None, None),
        ]
    )
    first = store.requests.add(child_id, 900, ts=int(at("2026-03-23 17:06")), reason="homework")
    store.requests.answer(first, "approved", 900, "parent", int(at("2026-03-23 17:10")))
    second = store.requests.add(child_id, 1800, ts=int(at("2026-03-28 20:00")))
    store.requests.answer(second, "denied", 0, "caregiver", int(at("2026-03-28 20:05")))
    from guardian.core.model import Grant

    store.grants.add(
        child_id, Grant("2026-03-23", 900, None, "homework", "parent"), int(at("2026-03-23 17:10"))
    )
    return api


# -- the ground truth, from the plan alone ---------------------------------------------------------


def minutes_of(sessions: list[list[Activity]]) -> list[tuple[float, str]]:
    return [(at(a.start) + 60 * m, a.app) for s in sessions for a in s for m in range(a.minutes)]


def day_of(t: float) -> date:
    return datetime.fromtimestamp(t, BERLIN).date()


@dataclass(frozen=True)
class Truth:
    screen: dict[date, int]
    always: dict[date, int]
    cats: dict[date, Counter[str]]
    hours: list[int]
    apps: dict[str, int]
    previous: int


def truth() -> Truth:
    used = minutes_of(SESSIONS)
    screen = Counter(day_of(t) for t, app in used if app != ALWAYS)
    always = Counter(day_of(t) for t, app in used if app == ALWAYS)
    cats: dict[date, Counter[str]] = {}
    for t, app in used:
        if app != ALWAYS:
            cats.setdefault(day_of(t), Counter())[CATEGORY[app]] += 60
    hours = [0] * 24
    for t, app in used:
        if app != ALWAYS:
            hours[datetime.fromtimestamp(t, BERLIN).hour] += 60
    apps = Counter(app for _, app in used)
    previous = sum(60 for t, app in minutes_of(PREVIOUS) if app != ALWAYS)
    return Truth(
        screen={d: n * 60 for d, n in screen.items()},
        always={d: n * 60 for d, n in always.items()},
        cats=cats,
        hours=hours,
        apps={a: n * 60 for a, n in apps.items()},
        previous=previous,
    )


# -- the tests -------------------------------------------------------------------------------------


def test_screen_time_per_day_equals_the_timeline_across_dst_jump_and_gap(family: GuardianAPI) -> None:
    [s] = family.summary("An", WEEK)
    expected = truth()
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    assert [d.date for d in s.days] == [d.isoformat() for d in days]
    assert [d.screen_s for d in s.days] == [expected.screen.get(d, 0) for d in days]
    assert [d.always_allowed_s for d in s.days] == [expected.always.get(d, 0) for d in days]
    assert s.days[2].screen_s == 90 * 60  # the clock jump neither added nor removed time
    assert s.days[3].screen_s == 30 * 60 + 40 * 60  # the 20 minutes the agent was killed are not use
    assert s.days[1].screen_s == 30 * 60  # 45 minutes of the always-allowed calculator are not screen time
    assert s.days[6].screen_s == 30 * 60 + 60 * 60  # 23-hour Sunday: 00:00–00:30 plus 01:30–03:30


def test_categories_apps_and_hours_equal_the_timeline(family: GuardianAPI) -> None:
    [s] = family.summary("An", WEEK)
    expected = truth()
    cats = expected.cats
    for d in s.days:
        assert d.categories == dict(cats.get(date.fromisoformat(d.date), {}))
    assert {a.app: a.seconds for a in s.apps} == expected.apps
    assert list(s.hours) == expected.hours
    assert s.hours[2] == 0  # 02:00 does not exist on the Sunday
    assert s.hours[1] == 30 * 60 and s.hours[3] == 30 * 60
    assert s.late_night_s == sum(v for h, v in enumerate(expected.hours) if h in LATE_HOURS)
    assert [a.name for a in s.top_apps(3)] == ["Minecraft", "YouTube", "Roblox"]
    assert next(a for a in s.apps if a.app == ALWAYS).always_allowed


def test_limits_requests_and_change_from_last_week(family: GuardianAPI) -> None:
    [s] = family.summary("An", WEEK)
    assert s.days[0].limit_s == 3600 and s.days[0].granted_s == 900 and s.days[5].limit_s == 7200
    assert s.counts["limit_reached"] == 1 and s.counts["blocked_launch"] == 1 and s.counts["warning"] == 1
    assert [(r.status, r.seconds) for r in s.requests] == [("approved", 900), ("denied", 1800)]
    assert s.previous_screen_s == truth().previous == 70 * 60
    assert s.change_s == s.screen_s - 70 * 60


def test_tamper_evidence_lists_gaps_clock_changes_tray_and_admin(family: GuardianAPI) -> None:
    [s] = family.summary("An", WEEK, admin_accounts={"An": ["an"]})
    kinds = [(t.kind, t.clean) for t in s.tamper]
    assert kinds == [
        ("agent_gap", True),
        ("clock_changed", None),
        ("agent_gap", False),
        ("tray_missing", None),
    ]
    assert s.tamper[1].delta == JUMP and s.tamper[2].seconds == 1200
    assert s.admin_accounts == ("an",)
    tamper = next(h for h in s.highlights if h.kind == "tamper")
    assert tamper.params == {
        "child": "An",
        "unclean_stops": 1,
        "clock_changes": 1,
        "tray_missing": 1,
        "admin": True,
    }


def test_highlights_are_three_to_five_and_read_in_both_languages(family: GuardianAPI) -> None:
    from guardian import summary_text

    [s] = family.summary("An", WEEK)
    assert 3 <= len(s.highlights) <= 5
    first = s.highlights[0]
    assert first.kind == "change" and first.params["direction"] == "more"
    assert first.params["seconds"] == s.screen_s - 70 * 60
    en = summary_text.highlights(s, "en")
    vi = summary_text.highlights(s, "vi")
    assert en[0].startswith("An used the computer") and "more than last week" in en[0]
    assert "nhiều hơn tuần trước" in vi[0]
    assert all("{" not in line for line in en + vi)


def test_a_week_without_use_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "g.db")
    api = GuardianAPI(store, FakeClock(now=at("2026-04-01 12:00")))
    api.save_rules(rules(), "test")
    [s] = api.summary("An", WEEK)
    assert s.screen_s == 0 and s.previous_screen_s is None
    assert [h.kind for h in s.highlights] == ["no_use"]


def test_default_week_is_the_last_full_week(family: GuardianAPI) -> None:
    assert family.last_full_week() == "2026-W13"  # "now" is Wednesday 1 April (W14)
    assert family.summary()[0].first == "2026-03-23"


def test_highlight_wording_counts_in_words() -> None:
    from guardian import summary_text
    from guardian.core.summary import Highlight

    def say(kind: str, lang: str, **params: object) -> str:
        return summary_text.highlight(Highlight(kind, {"child": "An", **params}), lang)

    assert say("requests", "en", asked=1, approved=0) == "An asked for more time once; none was approved."
    assert say("requests", "en", asked=3, approved=2) == "An asked for more time 3 times and got it twice."
    assert say("requests", "vi", asked=3, approved=2) == "An xin thêm giờ 3 lần, được đồng ý 2 lần."
    assert (
        say("late_night", "vi", seconds=5400) == "An dùng máy tính 1 giờ 30 phút vào đêm khuya (22:00–06:00)."
    )
    change = {"seconds": 2400, "direction": "more", "total": 36000, "category": "games", "weekday": 5}
    assert say("change", "en", **change) == (
        "An used the computer 40 min more than last week, mostly games on Saturday."
    )
    assert say("change", "vi", **change) == (
        "An dùng máy tính nhiều hơn tuần trước 40 phút, chủ yếu là trò chơi vào Thứ Bảy."
    )
