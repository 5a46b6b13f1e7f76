"""The policy engine: limits, allowed hours, grants, warnings and change times, against fixed instants."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from guardian.core.model import (
    CATEGORY_PREFIX,
    AppLimit,
    Child,
    Grant,
    Interval,
    Rules,
    Settings,
    TimeRange,
    Weekly,
)
from guardian.core.policy import ChildStatus, evaluate, evaluate_child

VN = "Asia/Ho_Chi_Minh"
NY = "America/New_York"
M = 60
H = 3600
MON = "2026-03-09"


class FakeCatalog:
    """App id → category; a ref is an app id or ``category:NAME``."""

    def __init__(self, categories: dict[str, str]) -> None:
        self._categories = categories

    def category_of(self, app_id: str) -> str | None:
        return self._categories.get(app_id)

    def contains(self, refs: Iterable[str], app_id: str) -> bool:
        refs = set(refs)
        category = self.category_of(app_id)
        return app_id in refs or (category is not None and CATEGORY_PREFIX + category in refs)


CATALOG = FakeCatalog(
    {
        "minecraft": "games",
        "roblox": "games",
        "youtube": "video",
        "calculator": "utilities",
        "khan": "education",
    }
)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, zone: str = VN) -> float:
    return datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(zone)).timestamp()


def mon(h: int, mi: int = 0, s: int = 0) -> float:
    """Monday 2026-03-09 in Vietnam."""
    return at(2026, 3, 9, h, mi, s)


def hm(h: int, mi: int = 0) -> int:
    return h * 60 + mi


def check(
    child: Child,
    now: float,
    usage: Sequence[Interval] = (),
    grants: Sequence[Grant] = (),
    settings: Settings | None = None,
) -> ChildStatus:
    rules = Rules(settings=settings or Settings(timezone=VN), children=(child,))
    return evaluate_child(rules, child, usage, grants, now, catalog=CATALOG)


def games_limit(seconds: int) -> AppLimit:
    return AppLimit(apps=("category:games",), daily=Weekly(default=seconds))


TWO_HOURS = Child("An", screen_time=Weekly(default=2 * H, days={"sat": 3 * H}))


# --- screen time -------------------------------------------------------------------------------


def test_screen_time_used_and_left_follow_todays_screen_intervals() -> None:
    status = check(TWO_HOURS, mon(10), [Interval(mon(9), mon(9, 30))])
    assert (status.screen.limit_s, status.screen.used_s, status.screen.left_s) == (2 * H, 30 * M, 90 * M)
    assert status.state == "ok"


def test_screen_limit_is_taken_from_the_weekday() -> None:
    saturday = check(TWO_HOURS, at(2026, 3, 7, 10))
    monday = check(TWO_HOURS, mon(10))
    assert saturday.screen.limit_s == 3 * H
    assert monday.screen.limit_s == 2 * H
    assert (saturday.weekday, monday.weekday) == (5, 0)


def test_no_screen_limit_means_unlimited_but_still_counted() -> None:
    status = check(Child("An"), mon(10), [Interval(mon(9), mon(9, 30))])
    assert status.screen.limit_s is None
    assert status.screen.left_s is None
    assert status.screen.used_s == 30 * M
    assert status.state == "ok"


def test_usage_is_clipped_to_the_logical_day_and_to_now() -> None:
    usage = [
        Interval(at(2026, 3, 8, 23), mon(0, 30)),  # from yesterday: only 30 min count
        Interval(mon(9, 50), mon(10, 30)),  # still being written: only up to now
        Interval(mon(11), mon(12)),  # after now: ignored
        Interval(mon(8), mon(7)),  # backwards: ignored
    ]
    status = check(TWO_HOURS, mon(10), usage)
    assert status.screen.used_s == 40 * M


def test_overlapping_screen_intervals_count_once() -> None:
    usage = [Interval(mon(9), mon(10)), Interval(mon(9, 30), mon(10, 30)), Interval(mon(9), mon(10))]
    assert check(TWO_HOURS, mon(11), usage).screen.used_s == 90 * M


def test_screen_time_over_leaves_zero_and_says_so() -> None:
    status = check(TWO_HOURS, mon(12), [Interval(mon(9), mon(11, 10))])
    assert status.screen.used_s == 130 * M
    assert status.screen.left_s == 0
    assert status.state == "screen_time_over"


def test_used_seconds_are_rounded_down() -> None:
    status = check(TWO_HOURS, mon(10), [Interval(mon(9), mon(9) + 59.9)])
    assert status.screen.used_s == 59
    assert status.screen.left_s == 2 * H - 59


# --- grants ------------------------------------------------------------------------------------


def test_screen_grants_count_only_on_their_day() -> None:
    grants = [
        Grant(day=MON, seconds=30 * M),
        Grant(day=MON, seconds=10 * M),
        Grant(day="2026-03-08", seconds=H),
        Grant(day=MON, seconds=H, app="minecraft"),
    ]
    status = check(TWO_HOURS, mon(10), [Interval(mon(9), mon(9, 30))], grants)
    assert status.screen.granted_s == 40 * M
    assert status.screen.left_s == 2 * H + 40 * M - 30 * M


def test_a_grant_revives_screen_time_that_ran_out() -> None:
    usage = [Interval(mon(8), mon(10, 30))]
    assert check(TWO_HOURS, mon(11), usage).state == "screen_time_over"
    status = check(TWO_HOURS, mon(11), usage, [Grant(day=MON, seconds=H)])
    assert status.screen.left_s == 30 * M
    assert status.state == "ok"


def test_app_grants_extend_limits_by_ref_or_by_covered_app() -> None:
    child = Child("An", app_limits=(games_limit(H),))
    grants = [
        Grant(day=MON, seconds=10 * M, app="minecraft"),
        Grant(day=MON, seconds=5 * M, app="category:games"),
        Grant(day=MON, seconds=H, app="youtube"),
        Grant(day="2026-03-10", seconds=H, app="minecraft"),
        Grant(day=MON, seconds=H),
    ]
    (games,) = check(child, mon(10), grants=grants).app_limits
    assert games.granted_s == 15 * M
    assert games.left_s == 75 * M


# --- app limits --------------------------------------------------------------------------------


def test_an_app_limit_counts_the_union_of_overlapping_apps() -> None:
    child = Child("An", app_limits=(games_limit(2 * H),))
    usage = [Interval(mon(9), mon(10), "minecraft"), Interval(mon(9, 30), mon(10, 30), "roblox")]
    status = check(child, mon(11), usage)
    (games,) = status.app_limits
    assert (games.used_s, games.left_s) == (90 * M, 30 * M)
    assert status.apps_used == {"minecraft": H, "roblox": H}


def test_an_app_limit_ignores_apps_it_does_not_cover_and_screen_time() -> None:
    child = Child("An", app_limits=(games_limit(H),))
    usage = [Interval(mon(9), mon(10), "youtube"), Interval(mon(9), mon(10))]
    (games,) = check(child, mon(11), usage).app_limits
    assert games.used_s == 0


def test_an_app_in_two_limits_is_charged_to_both_and_the_strictest_wins() -> None:
    child = Child(
        "An",
        app_limits=(
            games_limit(H),
            AppLimit(apps=("minecraft", "youtube"), daily=Weekly(default=30 * M)),
        ),
    )
    usage = [
        Interval(mon(9), mon(9, 20), "minecraft"),
        Interval(mon(9, 20), mon(9, 35), "youtube"),
        Interval(mon(9, 35), mon(9, 45), "roblox"),
    ]
    status = check(child, mon(12), usage)
    games, mixed = status.app_limits
    assert (games.used_s, games.left_s) == (30 * M, 30 * M)
    assert (mixed.used_s, mixed.left_s) == (35 * M, 0)
    assert status.app_left("minecraft") == 0
    assert status.app_verdict("minecraft") == "exhausted"
    assert status.app_verdict("youtube") == "exhausted"
    assert status.app_left("roblox") == 30 * M
    assert status.app_verdict("roblox") == "ok"
    assert status.app_left("calculator") is None
    assert status.app_verdict("calculator") == "ok"


def test_an_app_limit_without_a_value_for_the_weekday_does_not_limit() -> None:
    child = Child("An", app_limits=(AppLimit(apps=("youtube",), daily=Weekly(days={"sat": H})),))
    status = check(child, mon(12), [Interval(mon(9), mon(11), "youtube")])
    (video,) = status.app_limits
    assert (video.limit_s, video.used_s, video.left_s) == (None, 2 * H, None)
    assert status.app_left("youtube") is None
    assert status.app_verdict("youtube") == "ok"


def test_every_app_seen_today_is_reported_but_not_screen() -> None:
    usage = [
        Interval(mon(9), mon(9, 10), "youtube"),
        Interval(mon(9, 5), mon(9, 15), "youtube"),
        Interval(mon(9), mon(10), "khan"),
        Interval(at(2026, 3, 8, 9), at(2026, 3, 8, 10), "roblox"),
        Interval(mon(9), mon(10)),
    ]
    assert check(TWO_HOURS, mon(12), usage).apps_used == {"youtube": 15 * M, "khan": H}


# --- always allowed and blocked ----------------------------------------------------------------


def test_always_allowed_apps_are_never_counted_nor_blocked() -> None:
    child = Child(
        "An",
        always_allowed=("calculator", "category:education"),
        blocked=("calculator", "category:education"),
        app_limits=(AppLimit(apps=("category:education", "minecraft"), daily=Weekly(default=H)),),
    )
    usage = [Interval(mon(8), mon(11), "khan"), Interval(mon(9), mon(9, 10), "minecraft")]
    status = check(child, mon(12), usage)
    (limit,) = status.app_limits
    assert limit.used_s == 10 * M
    assert status.apps_used["khan"] == 3 * H
    for app in ("calculator", "khan"):
        assert status.app_verdict(app) == "always_allowed"
        assert status.app_left(app) is None


def test_always_allowed_wins_over_an_exhausted_limit() -> None:
    child = Child("An", always_allowed=("minecraft",), app_limits=(games_limit(0),))
    status = check(child, mon(12))
    assert status.app_verdict("minecraft") == "always_allowed"
    assert status.app_verdict("roblox") == "exhausted"


def test_blocked_apps_by_id_and_by_category() -> None:
    child = Child("An", blocked=("youtube", "category:games"))
    status = check(child, mon(12))
    assert status.app_verdict("youtube") == "blocked"
    assert status.app_verdict("roblox") == "blocked"
    assert status.app_verdict("khan") == "ok"


# --- allowed hours -----------------------------------------------------------------------------


SCHOOL_DAY = Child(
    "An",
    allowed_hours=Weekly(default=(TimeRange(hm(7), hm(12)), TimeRange(hm(14), hm(21)))),
)


def test_several_ranges_a_day_inside_a_range() -> None:
    status = check(SCHOOL_DAY, mon(10))
    assert status.in_allowed_hours
    assert status.allowed_until == mon(12)
    assert status.next_allowed_at == mon(14)
    assert status.allowed_today == [(mon(7), mon(12)), (mon(14), mon(21))]
    assert status.state == "ok"


def test_several_ranges_a_day_between_ranges() -> None:
    status = check(SCHOOL_DAY, mon(13))
    assert not status.in_allowed_hours
    assert status.allowed_until is None
    assert status.next_allowed_at == mon(14)
    assert status.state == "outside_hours"


def test_after_the_last_range_the_next_start_is_tomorrow() -> None:
    status = check(SCHOOL_DAY, mon(21))
    assert not status.in_allowed_hours
    assert status.next_allowed_at == at(2026, 3, 10, 7)


FRIDAY_LATE = Weekly(
    default=(TimeRange(hm(7), hm(21)),),
    days={"fri": (TimeRange(hm(7), hm(20)), TimeRange(hm(21), hm(1))), "sat": (TimeRange(hm(8), hm(22)),)},
)


@pytest.mark.parametrize(
    ("now", "allowed", "until", "next_start"),
    [
        (at(2026, 3, 6, 20, 30), False, None, at(2026, 3, 6, 21)),
        (at(2026, 3, 6, 22), True, at(2026, 3, 7, 1), at(2026, 3, 7, 8)),
        (at(2026, 3, 7, 0, 30), True, at(2026, 3, 7, 1), at(2026, 3, 7, 8)),
        (at(2026, 3, 7, 1), False, None, at(2026, 3, 7, 8)),
        (at(2026, 3, 7, 9), True, at(2026, 3, 7, 22), at(2026, 3, 8, 7)),
    ],
)
def test_a_range_crossing_midnight_is_taken_from_the_day_it_starts(
    now: float, allowed: bool, until: float | None, next_start: float
) -> None:
    status = check(Child("An", allowed_hours=FRIDAY_LATE), now)
    assert (status.in_allowed_hours, status.allowed_until, status.next_allowed_at) == (
        allowed,
        until,
        next_start,
    )


def test_saturday_shows_fridays_late_range_among_its_windows() -> None:
    status = check(Child("An", allowed_hours=FRIDAY_LATE), at(2026, 3, 7, 12))
    assert status.allowed_today == [
        (at(2026, 3, 7), at(2026, 3, 7, 1)),
        (at(2026, 3, 7, 8), at(2026, 3, 7, 22)),
    ]


def test_a_day_with_no_ranges_still_gets_the_late_range_of_the_day_before() -> None:
    hours = replace(FRIDAY_LATE, days={**FRIDAY_LATE.days, "sat": ()})
    child = Child("An", allowed_hours=hours)
    assert check(child, at(2026, 3, 7, 0, 30)).in_allowed_hours
    status = check(child, at(2026, 3, 7, 2))
    assert not status.in_allowed_hours
    assert status.next_allowed_at == at(2026, 3, 8, 7)


def test_a_day_without_a_value_is_allowed_all_day() -> None:
    child = Child("An", allowed_hours=Weekly(days={"mon": (TimeRange(hm(8), hm(9)),)}))
    status = check(child, at(2026, 3, 10, 3))
    assert status.in_allowed_hours
    assert status.allowed_until == at(2026, 3, 16)
    assert status.allowed_today == [(at(2026, 3, 10), at(2026, 3, 11))]


def test_allowed_without_end_in_sight_has_no_until() -> None:
    child = Child("An", allowed_hours=Weekly(days={"mon": (TimeRange(0, hm(24)),)}))
    status = check(child, mon(10))
    assert status.in_allowed_hours
    assert status.allowed_until is None


def test_no_allowed_hours_rule_allows_every_hour() -> None:
    status = check(Child("An"), mon(3))
    assert status.in_allowed_hours
    assert (status.allowed_until, status.next_allowed_at) == (None, None)
    assert status.allowed_today == [(status.day_start, status.day_end)]


def test_never_allowed_has_no_next_start() -> None:
    status = check(Child("An", allowed_hours=Weekly(default=())), mon(10))
    assert not status.in_allowed_hours
    assert status.next_allowed_at is None
    assert status.allowed_today == []
    assert status.next_change_at == status.day_end


def test_outside_hours_takes_precedence_over_screen_time_over() -> None:
    child = replace(TWO_HOURS, allowed_hours=Weekly(default=(TimeRange(hm(7), hm(12)),)))
    status = check(child, mon(13), [Interval(mon(7), mon(10))])
    assert status.screen.left_s == 0
    assert status.state == "outside_hours"


# --- logical day and time zones ----------------------------------------------------------------


def test_a_late_day_start_counts_early_hours_toward_the_previous_day() -> None:
    settings = Settings(timezone=VN, day_starts_at=hm(4))
    usage = [
        Interval(mon(2), mon(3)),  # Sunday's logical day
        Interval(mon(5), mon(6)),
        Interval(at(2026, 3, 10, 1), at(2026, 3, 10, 1, 30)),  # still Monday's logical day
    ]
    child = Child("An", screen_time=Weekly(default=2 * H, days={"mon": 3 * H, "tue": H}))
    status = check(child, at(2026, 3, 10, 2), usage, [Grant(day=MON, seconds=60)], settings)
    assert status.day == date(2026, 3, 9)
    assert (status.day_start, status.day_end) == (mon(4), at(2026, 3, 10, 4))
    assert status.weekday == 0
    assert status.screen.limit_s == 3 * H
    assert status.screen.granted_s == 60
    assert status.screen.used_s == 90 * M


def test_a_late_day_start_before_it_is_reached_is_still_yesterday() -> None:
    status = check(Child("An"), mon(3, 59), settings=Settings(timezone=VN, day_starts_at=hm(4)))
    assert status.day == date(2026, 3, 8)


def test_a_day_in_vietnam_is_always_24_hours() -> None:
    status = check(Child("An"), mon(12))
    assert status.day_end - status.day_start == 24 * H


@pytest.mark.parametrize(
    ("day", "hours"),
    [((2026, 3, 8), 23), ((2026, 11, 1), 25), ((2026, 3, 9), 24)],
)
def test_daylight_saving_days_are_23_or_25_hours(day: tuple[int, int, int], hours: int) -> None:
    status = check(Child("An"), at(*day, 12, zone=NY), settings=Settings(timezone=NY))
    assert status.day_start == at(*day, zone=NY)
    assert status.day_end - status.day_start == hours * H


def test_a_day_starting_after_the_change_is_24_hours_and_the_one_before_23() -> None:
    settings = Settings(timezone=NY, day_starts_at=hm(4))
    sunday = check(Child("An"), at(2026, 3, 8, 12, zone=NY), settings=settings)
    saturday = check(Child("An"), at(2026, 3, 8, 3, zone=NY), settings=settings)
    assert sunday.day_end - sunday.day_start == 24 * H
    assert saturday.day == date(2026, 3, 7)
    assert saturday.day_end - saturday.day_start == 23 * H


def test_allowed_windows_follow_the_wall_clock_on_daylight_saving_days() -> None:
    child = Child("An", allowed_hours=Weekly(default=(TimeRange(0, hm(12)), TimeRange(hm(21), hm(3)))))
    settings = Settings(timezone=NY)
    spring = check(child, at(2026, 3, 8, 10, zone=NY), settings=settings)
    (morning, _late) = spring.allowed_today
    assert morning == (at(2026, 3, 8, zone=NY), at(2026, 3, 8, 12, zone=NY))
    assert morning[1] - morning[0] == 11 * H
    assert morning[1] == datetime(2026, 3, 8, 16, tzinfo=ZoneInfo("UTC")).timestamp()
    autumn = check(child, at(2026, 11, 1, 10, zone=NY), settings=settings)
    assert autumn.allowed_today[0][1] - autumn.allowed_today[0][0] == 13 * H
    late = Child("An", allowed_hours=Weekly(default=(TimeRange(hm(21), hm(3)),)))
    saturday_night = check(late, at(2026, 3, 7, 22, zone=NY), settings=settings)
    assert saturday_night.allowed_until == at(2026, 3, 8, 3, zone=NY)
    assert saturday_night.allowed_until - at(2026, 3, 7, 21, zone=NY) == 5 * H


def test_the_settings_zone_wins_over_the_tz_argument() -> None:
    rules = Rules(settings=Settings(timezone=VN), children=(Child("An"),))
    status = evaluate(rules, {}, {}, mon(12), catalog=CATALOG, tz=ZoneInfo(NY))["An"]
    assert status.day_start == mon(0)


def test_the_tz_argument_is_used_when_settings_name_no_zone() -> None:
    rules = Rules(settings=Settings(timezone=""), children=(Child("An"),))
    status = evaluate(rules, {}, {}, mon(12), catalog=CATALOG, tz=ZoneInfo(NY))["An"]
    assert status.day_start == at(2026, 3, 9, zone=NY)


# --- warnings ----------------------------------------------------------------------------------


def keys(status: ChildStatus) -> set[str]:
    return {warning.key for warning in status.warnings_due}


def test_screen_warnings_are_due_once_left_is_within_their_lead() -> None:
    now = mon(12)
    status = check(TWO_HOURS, now, [Interval(now - 2 * H + 250, now)])
    assert status.screen.left_s == 250
    assert keys(status) == {"screen:900", "screen:300"}
    warning = next(w for w in status.warnings_due if w.lead == 300)
    assert (warning.subject, warning.ref, warning.left) == ("screen", None, 250)
    assert status.next_warning_at == now + 190
    assert status.state == "warn"


def test_no_screen_warning_while_plenty_is_left_but_the_next_one_is_timed() -> None:
    status = check(TWO_HOURS, mon(12), [Interval(mon(9), mon(10))])
    assert status.warnings_due == []
    assert status.next_warning_at == mon(12) + H - 900
    assert status.state == "ok"


def test_no_screen_warning_once_time_is_over() -> None:
    status = check(TWO_HOURS, mon(12), [Interval(mon(9), mon(11, 30))])
    assert status.warnings_due == []
    assert status.next_warning_at is None


def test_hours_warnings_count_down_to_the_window_end() -> None:
    status = check(SCHOOL_DAY, mon(20, 56))
    assert keys(status) == {"hours:900", "hours:300"}
    assert status.next_warning_at == mon(20, 59)
    assert status.next_change_at == mon(20, 59)
    assert status.state == "warn"


def test_app_limit_warnings_have_stable_keys() -> None:
    child = Child("An", app_limits=(games_limit(H),))
    now = mon(12)
    status = check(child, now, [Interval(now - 50 * M, now, "minecraft")])
    (warning,) = status.warnings_due
    assert warning.key == "app:category:games:900"
    assert (warning.subject, warning.ref, warning.left, warning.lead) == (
        "app_limit",
        "category:games",
        600,
        900,
    )
    assert status.next_warning_at == now + 300
    assert status.app_verdict("minecraft") == "warn"
    assert status.state == "ok"


def test_app_limit_warnings_are_not_timed_while_its_apps_are_not_in_use() -> None:
    child = Child("An", app_limits=(games_limit(H),))
    now = mon(12)
    status = check(child, now, [Interval(now - 60 * M, now - 10 * M, "minecraft")])
    assert keys(status) == {"app:category:games:900"}
    assert status.next_warning_at is None
    assert status.next_change_at == status.day_end


def test_issued_warnings_are_left_out() -> None:
    now = mon(12)
    rules = Rules(settings=Settings(timezone=VN), children=(TWO_HOURS,))
    usage = {"An": [Interval(now - 2 * H + 250, now)]}
    status = evaluate(rules, usage, {}, now, catalog=CATALOG, issued_warnings={"An": {"screen:900"}})
    assert keys(status["An"]) == {"screen:300"}


def test_custom_leads_are_used() -> None:
    settings = Settings(timezone=VN, warn_before=(120,))
    now = mon(12)
    status = check(TWO_HOURS, now, [Interval(now - 2 * H + 250, now)], settings=settings)
    assert status.warnings_due == []
    assert status.next_warning_at == now + 130
    assert status.state == "ok"


# --- next change -------------------------------------------------------------------------------


def test_next_change_is_screen_time_running_out() -> None:
    now = mon(12)
    status = check(TWO_HOURS, now, [Interval(now - 2 * H + 30, now)])
    assert status.next_warning_at is None
    assert status.next_change_at == now + 30


def test_next_change_is_the_allowed_window_ending() -> None:
    child = replace(SCHOOL_DAY, screen_time=Weekly(default=8 * H))
    assert check(child, mon(11, 59)).next_change_at == mon(12)


def test_next_change_is_the_next_allowed_start_when_outside() -> None:
    assert check(SCHOOL_DAY, mon(13)).next_change_at == mon(14)


def test_next_change_without_any_rule_is_the_day_end() -> None:
    status = check(Child("An"), mon(12))
    assert status.next_change_at == status.day_end == at(2026, 3, 10)


def test_next_change_is_an_app_limit_running_out_for_an_app_in_use() -> None:
    child = Child("An", app_limits=(games_limit(H),))
    now = mon(12)
    in_use = check(child, now, [Interval(now - H + 30, now - 2, "minecraft")])
    assert in_use.next_change_at == now + 32
    idle = check(child, now, [Interval(now - H + 30, now - 2.5, "minecraft")])
    assert idle.next_change_at == idle.day_end


# --- evaluate and JSON -------------------------------------------------------------------------


def test_evaluate_keys_results_by_child_and_tolerates_missing_usage() -> None:
    bao = Child("Bao", screen_time=Weekly(default=H))
    rules = Rules(settings=Settings(timezone=VN), children=(TWO_HOURS, bao))
    result = evaluate(
        rules,
        {"An": [Interval(mon(9), mon(10))]},
        {"Bao": [Grant(day=MON, seconds=600)]},
        mon(12),
        catalog=CATALOG,
    )
    assert set(result) == {"An", "Bao"}
    assert result["An"].screen.used_s == H
    assert result["Bao"].screen.left_s == H + 600


def test_to_dict_is_plain_json() -> None:
    child = Child(
        "An", screen_time=Weekly(default=H), app_limits=(games_limit(H),), allowed_hours=FRIDAY_LATE
    )
    now = mon(12)
    status = check(child, now, [Interval(now - 55 * M, now, "minecraft"), Interval(now - 55 * M, now)])
    data = json.loads(json.dumps(status.to_dict()))
    assert data["child"] == "An"
    assert data["day"] == MON
    assert data["app_limits"][0]["refs"] == ["category:games"]
    assert data["screen"] == {"limit_s": H, "granted_s": 0, "used_s": 55 * M, "left_s": 5 * M}
    assert data["warnings_due"][0]["key"] in {"screen:900", "screen:300", "app:category:games:900"}
    assert data["allowed_today"] == [[mon(7), mon(21)]]
    assert data["apps_used"] == {"minecraft": 55 * M}
    assert data["state"] == "warn"
