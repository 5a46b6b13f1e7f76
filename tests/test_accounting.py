"""Time accounting on synthetic timelines: trusted time, heartbeat merging, interval maths."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.core.accounting import (
    Accumulator,
    ClockChange,
    Gap,
    Row,
    Sample,
    Tick,
    TrustedTime,
    heartbeat_merge,
    intervals_seconds,
    resume,
    simulate,
    split_by_days,
    start,
    steady_ticks,
    step,
    union_seconds,
)
from guardian.core.model import SCREEN, Interval

W = 1_780_000_000.0
M = 1000.0
DAY = 86_400.0


def run(timeline: Iterable[Tick]) -> tuple[list[Row], list[Gap], list[ClockChange]]:
    return simulate(timeline, start_wall=W, start_mono=M)


def upsert(stored: dict[tuple[int, str, int], int], rows: list[Row]) -> None:
    for child, app, begin, end in rows:
        stored[(child, app, begin)] = end


# --- trusted time -------------------------------------------------------------------------------


def test_step_credits_monotonic_elapsed_and_advances_trusted_time() -> None:
    result = step(start(W, M), W + 1, M + 1)
    assert result.credit == 1.0
    assert result.trusted_now == W + 1
    assert result.gap is None and result.clock_change is None
    assert result.offset == 0.0


def test_step_longer_than_max_step_is_a_gap_not_credit() -> None:
    result = step(start(W, M), W + 3600, M + 3600, max_step=5.0)
    assert result.credit == 0.0
    assert result.gap is not None
    assert (result.gap.start, result.gap.end, result.gap.seconds) == (W, W + 3600, 3600)
    assert result.trusted_now == W + 3600
    assert result.clock_change is None


def test_step_at_exactly_max_step_is_credited() -> None:
    result = step(start(W, M), W + 5, M + 5, max_step=5.0)
    assert (result.credit, result.gap) == (5.0, None)


def test_wall_jump_forward_is_a_clock_change_and_does_not_move_trusted_time() -> None:
    result = step(start(W, M), W + DAY + 1, M + 1)
    assert result.trusted_now == W + 1
    assert result.credit == 1.0
    assert result.clock_change is not None
    assert result.clock_change.delta == pytest.approx(DAY)
    assert result.clock_change.wall_before == W
    assert result.clock_change.wall_after == W + DAY + 1
    assert result.offset == pytest.approx(-DAY)


def test_wall_jump_forward_then_back_gives_two_changes_and_continuous_trusted_time() -> None:
    ahead = step(start(W, M), W + DAY + 1, M + 1)
    same_offset = step(ahead.state, W + DAY + 2, M + 2)
    back = step(same_offset.state, W + 3, M + 3)
    assert same_offset.clock_change is None
    assert back.clock_change is not None
    assert back.clock_change.delta == pytest.approx(-DAY)
    assert [ahead.trusted_now, same_offset.trusted_now, back.trusted_now] == [W + 1, W + 2, W + 3]
    assert back.offset == pytest.approx(0.0)


def test_small_jitter_within_tolerance_is_not_a_clock_change() -> None:
    result = step(start(W, M), W + 2.5, M + 1, tolerance=2.0)
    assert result.clock_change is None
    assert step(start(W, M), W + 3.5, M + 1, tolerance=2.0).clock_change is not None


def test_monotonic_going_backwards_credits_nothing_and_keeps_trusted_time() -> None:
    result = step(start(W, M), W + 1, M - 50)
    assert result.credit == 0.0
    assert result.trusted_now == W
    assert result.gap is None
    after = step(result.state, W + 2, M - 49)
    assert after.trusted_now == W + 1
    assert after.credit == 1.0


def test_trusted_time_at_reads_ahead_without_stepping() -> None:
    state = TrustedTime(wall=W, mono=M, offset=3.0)
    assert state.at(M + 10) == W + 10
    assert state.at(M - 10) == W
    assert state.system_wall == W - 3.0


def test_resume_without_persisted_state_trusts_the_wall_clock() -> None:
    result = resume(None, W, M)
    assert result.state == TrustedTime(W, M, 0.0)
    assert (result.credit, result.gap, result.clock_change) == (0.0, None, None)


def test_resume_after_reboot_reports_downtime_as_gap() -> None:
    persisted = TrustedTime(wall=W, mono=M, offset=0.0)
    result = resume(persisted, W + 600, 5.0)
    assert result.trusted_now == W + 600
    assert result.gap is not None and result.gap.seconds == 600
    assert result.clock_change is None
    assert result.credit == 0.0
    assert step(result.state, W + 601, 6.0).trusted_now == W + 601


def test_resume_with_clock_set_back_a_day_does_not_reopen_the_day() -> None:
    persisted = TrustedTime(wall=W, mono=M, offset=0.0)
    result = resume(persisted, W - DAY, 5.0)
    assert result.trusted_now >= W
    assert result.trusted_now == W
    assert result.gap is None
    assert result.clock_change is not None
    assert result.clock_change.delta == pytest.approx(-DAY)
    assert result.offset == pytest.approx(DAY)
    later = step(result.state, W - DAY + 10, 15.0)
    assert later.trusted_now == W + 10
    assert later.clock_change is None


def test_trusted_time_json_round_trip() -> None:
    state = TrustedTime(wall=W + 0.25, mono=12.5, offset=-DAY)
    data = state.to_json()
    assert all(isinstance(v, float) for v in data.values())
    assert TrustedTime.from_json(data) == state
    assert TrustedTime.from_json({"wall": 1, "mono": 2, "offset": 0}) == TrustedTime(1.0, 2.0, 0.0)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"wall": W, "mono": M},
        {"wall": "x", "mono": M, "offset": 0},
        {"wall": True, "mono": M, "offset": 0},
    ],
)
def test_trusted_time_from_json_rejects_bad_data(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="trusted time"):
        TrustedTime.from_json(data)


# --- heartbeat merging --------------------------------------------------------------------------


def test_heartbeat_merge_first_sample_opens_interval_credit_seconds_back() -> None:
    closed, current = heartbeat_merge(None, W + 10, "game", 1.0, 5.0)
    assert closed is None
    assert current == Interval(W + 9, W + 10, "game")


def test_heartbeat_merge_extends_within_pulse() -> None:
    last = Interval(W, W + 10, "game")
    closed, current = heartbeat_merge(last, W + 14, "game", 1.0, 5.0)
    assert closed is None
    assert current == Interval(W, W + 14, "game")


def test_heartbeat_merge_beyond_pulse_closes_and_opens_new() -> None:
    last = Interval(W, W + 10, "game")
    closed, current = heartbeat_merge(last, W + 20, "game", 2.0, 5.0)
    assert closed == last
    assert current == Interval(W + 18, W + 20, "game")


def test_heartbeat_merge_new_interval_never_starts_before_last_end() -> None:
    last = Interval(W, W + 10, "game")
    closed, current = heartbeat_merge(last, W + 12, "game", 0.0, 1.0)
    assert closed == last
    assert current.start == W + 12
    _, current = heartbeat_merge(last, W + 20, "game", 30.0, 5.0)
    assert current.start == W + 10


def test_heartbeat_merge_zero_credit_starts_new_interval_at_ts() -> None:
    last = Interval(W, W + 10, "game")
    closed, current = heartbeat_merge(last, W + 11, "game", 0.0, 5.0)
    assert closed == last
    assert current == Interval(W + 11, W + 11, "game")


def test_heartbeat_merge_ignores_a_sample_not_after_the_end() -> None:
    last = Interval(W, W + 10, "game")
    assert heartbeat_merge(last, W + 10, "game", 1.0, 5.0) == (None, last)
    assert heartbeat_merge(last, W + 3, "game", 1.0, 5.0) == (None, last)


# --- accumulator ----------------------------------------------------------------------------------


def feed(acc: Accumulator, app: str, first: float, count: int, child: int = 1) -> None:
    for n in range(count):
        acc.add(child, Sample(first + n, app, 1.0))


def test_accumulator_keeps_children_and_apps_apart() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1, 10, child=1)
    feed(acc, "game", W + 1, 10, child=2)
    feed(acc, SCREEN, W + 1, 10, child=1)
    assert sorted(acc.flush(W + 10)) == [
        (1, SCREEN, int(W), int(W) + 10),
        (1, "game", int(W), int(W) + 10),
        (2, "game", int(W), int(W) + 10),
    ]
    assert acc.open_intervals(2) == [Interval(W, W + 10, "game")]


def test_flush_twice_upserts_to_the_same_state() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1, 10)
    feed(acc, "game", W + 30, 5)  # closes the first interval
    first, second = acc.flush(W + 34), acc.flush(W + 34)
    assert len(first) == 2 and second == [(1, "game", int(W) + 29, int(W) + 34)]
    once: dict[tuple[int, str, int], int] = {}
    twice: dict[tuple[int, str, int], int] = {}
    upsert(once, first)
    upsert(twice, first)
    upsert(twice, second)
    assert once == twice


def test_open_interval_keeps_its_row_start_across_flushes() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1.3, 3)
    assert acc.flush(W + 3.3) == [(1, "game", int(W), int(W) + 3)]
    feed(acc, "game", W + 4.3, 3)
    assert acc.flush(W + 6.3) == [(1, "game", int(W), int(W) + 6)]


def test_flush_closes_stale_intervals_once() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1, 10)
    assert acc.flush(W + 20) == [(1, "game", int(W), int(W) + 10)]
    assert acc.flush(W + 21) == []
    assert acc.open_intervals(1) == []


def test_new_interval_after_stale_close_does_not_overlap_the_closed_one() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1, 10)
    acc.flush(W + 16)
    acc.add(1, Sample(W + 16, "game", 10.0), pulse=5.0)  # would reach back to W + 6
    assert acc.flush(W + 16) == [(1, "game", int(W) + 10, int(W) + 16)]


def test_flush_close_all_closes_everything() -> None:
    acc = Accumulator()
    feed(acc, "game", W + 1, 10)
    assert acc.flush(W + 10, close_all=True) == [(1, "game", int(W), int(W) + 10)]
    assert acc.flush(W + 10) == []


def test_zero_second_intervals_are_not_written() -> None:
    acc = Accumulator()
    acc.add(1, Sample(W + 5, "game", 0.0))
    assert acc.flush(W + 5) == []


# --- simulated timelines --------------------------------------------------------------------------


def test_steady_use_gives_one_interval_of_the_right_length() -> None:
    rows, gaps, changes = run(list(steady_ticks(W, M, ["game"] * 60)))
    assert rows == [(1, "game", int(W), int(W) + 60)]
    assert gaps == [] and changes == []


def test_screen_option_also_records_screen_time() -> None:
    rows, _, _ = simulate(steady_ticks(W, M, ["game"] * 10), start_wall=W, start_mono=M, screen=True)
    assert rows == [(1, SCREEN, int(W), int(W) + 10), (1, "game", int(W), int(W) + 10)]


def test_app_switch_closes_one_interval_and_opens_another() -> None:
    rows, _, _ = run(list(steady_ticks(W, M, ["game"] * 30 + ["browser"] * 20)))
    assert rows == [(1, "browser", int(W) + 30, int(W) + 50), (1, "game", int(W), int(W) + 30)]


def test_pause_longer_than_pulse_makes_two_intervals() -> None:
    rows, _, _ = run(list(steady_ticks(W, M, ["game"] * 30 + [None] * 10 + ["game"] * 30)))
    assert rows == [(1, "game", int(W), int(W) + 30), (1, "game", int(W) + 40, int(W) + 70)]


def test_pause_within_pulse_is_merged_into_one_interval() -> None:
    rows, _, _ = run(list(steady_ticks(W, M, ["game"] * 30 + [None] * 3 + ["game"] * 30)))
    assert rows == [(1, "game", int(W), int(W) + 63)]


def test_suspend_for_an_hour_is_a_gap_not_usage() -> None:
    before = list(steady_ticks(W, M, ["game"] * 30))
    after = list(steady_ticks(W + 3630, M + 3630, ["game"] * 30))
    rows, gaps, changes = run([*before, (W + 3630, M + 3630, "game"), *after])
    assert rows == [(1, "game", int(W), int(W) + 30), (1, "game", int(W) + 3630, int(W) + 3660)]
    assert [(g.start, g.end) for g in gaps] == [(W + 30, W + 3630)]
    assert changes == []


def test_wall_jump_a_day_and_back_credits_only_monotonic_time() -> None:
    timeline = [(W + n + (DAY if 30 <= n < 60 else 0.0), M + n, "game") for n in range(1, 101)]
    rows, gaps, changes = run(timeline)
    assert rows == [(1, "game", int(W), int(W) + 100)]
    assert gaps == []
    assert [round(c.delta) for c in changes] == [DAY, -DAY]


def test_monotonic_going_backwards_in_a_timeline_credits_nothing() -> None:
    timeline: list[Tick] = [(W + 1, M + 1, "game"), (W + 2, M - 500, "game")]
    rows, gaps, _ = run(timeline)
    assert rows == [(1, "game", int(W), int(W) + 1)]
    assert gaps == []


def test_simulate_defaults_scale_with_tick_interval() -> None:
    ticks = list(steady_ticks(W, M, ["game"] * 10, interval=60.0))
    rows, gaps, _ = simulate(ticks, start_wall=W, start_mono=M, interval=60.0)
    assert rows == [(1, "game", int(W), int(W) + 600)]
    assert gaps == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-3.0, 20.0),
            st.sampled_from([0.0, 0.0, 0.0, 1.5, -DAY, DAY, 30.0]),
            st.sampled_from(["a", "b", None]),
        ),
        max_size=80,
    )
)
def test_rows_never_overlap_and_never_exceed_trusted_elapsed(
    steps: list[tuple[float, float, str | None]],
) -> None:
    wall, mono, skew = W, M, 0.0
    timeline: list[Tick] = []
    trusted = W
    for dmono, dskew, app in steps:
        skew += dskew
        wall, mono = wall + max(dmono, 0.0) + 0.01, mono + dmono
        trusted += max(0.0, dmono)
        timeline.append((wall + skew, mono, app))
    rows, _, _ = run(timeline)
    for app in ("a", "b"):
        spans = sorted((begin, end) for _, name, begin, end in rows if name == app)
        assert all(begin < end for begin, end in spans)
        assert all(prev[1] <= nxt[0] for prev, nxt in itertools.pairwise(spans))
        assert sum(end - begin for begin, end in spans) <= (trusted - W) + 1


# --- interval maths -------------------------------------------------------------------------------


def test_intervals_seconds_clips_to_window_and_counts_overlaps_twice() -> None:
    intervals = [Interval(0, 10), Interval(5, 15), Interval(20, 30)]
    assert intervals_seconds(intervals, 0, 100) == 30
    assert intervals_seconds(intervals, 8, 25) == 2 + 7 + 5
    assert intervals_seconds([], 0, 10) == 0


def test_union_seconds_merges_overlaps() -> None:
    intervals = [Interval(5, 15, "b"), Interval(0, 10, "a"), Interval(20, 30), Interval(30, 32)]
    assert union_seconds(intervals, 0, 100) == 15 + 12
    assert union_seconds(intervals, 8, 25) == 7 + 5
    assert union_seconds([], 0, 10) == 0
    assert union_seconds([Interval(40, 50)], 0, 10) == 0


def test_split_by_days_cuts_intervals_at_boundaries() -> None:
    boundaries = [0.0, DAY, 2 * DAY]
    intervals = [Interval(DAY - 60, DAY + 30, "game"), Interval(10, 20, "book"), Interval(-50, 5)]
    days = split_by_days(intervals, boundaries)
    assert days == [
        [Interval(0, 5), Interval(10, 20, "book"), Interval(DAY - 60, DAY, "game")],
        [Interval(DAY, DAY + 30, "game")],
    ]
    assert sum(i.seconds for day in days for i in day) == 5 + 10 + 90


def test_split_by_days_with_too_few_boundaries_is_empty() -> None:
    assert split_by_days([Interval(0, 10)], [0.0]) == []
    assert split_by_days([Interval(0, 10)], []) == []


def test_end_others_closes_apps_that_left_the_front() -> None:
    from guardian.core.accounting import Accumulator, Sample

    acc = Accumulator()
    for t in (1.0, 2.0, 3.0):
        acc.add(1, Sample(t, "a", 1.0))
        acc.end_others(1, ["a"])
    for t in (4.0, 5.0):
        acc.add(1, Sample(t, "b", 1.0))
        acc.end_others(1, ["b"])
    acc.add(1, Sample(6.0, "a", 1.0))
    acc.end_others(1, ["a"])
    rows = sorted(acc.flush(6.0, close_all=True))
    assert [(app, start, end) for _, app, start, end in rows] == [("a", 0, 3), ("a", 5, 6), ("b", 3, 5)]
