"""The one interval maths (core.spans): checked against counting covered seconds one by one."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.core import accounting, calendar, spans
from guardian.core.model import Interval

APPS = ("a", "b", "c")
span_lists = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12)
rows = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from(APPS)), max_size=15).map(
    sorted
)
bounds = st.lists(st.integers(0, 70), min_size=1, max_size=6, unique=True).map(sorted)


def covered(pairs: list[tuple[int, int]], lo: float, hi: float) -> set[int]:
    return {t for s, e in pairs for t in range(s, e) if lo <= t < hi}


@given(span_lists, st.integers(0, 60), st.integers(0, 60))
def test_union_and_total_length_count_covered_seconds(pairs: list[tuple[int, int]], lo: int, hi: int) -> None:
    assert spans.union_length(pairs, lo, hi) == len(covered(pairs, lo, hi))
    assert spans.total_length(pairs, lo, hi) == sum(len(covered([p], lo, hi)) for p in pairs)


@given(span_lists)
def test_merge_gives_sorted_disjoint_spans_covering_the_same_seconds(pairs: list[tuple[int, int]]) -> None:
    merged = spans.merge(pairs)
    assert covered(merged, 0, 100) == covered(pairs, 0, 100)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))  # touching spans joined
    assert all(s < e for s, e in merged)


def test_accounting_and_calendar_use_the_same_functions() -> None:
    assert calendar.merge_spans is spans.merge and calendar.clip_spans is spans.clip
    ivs = [Interval(0, 10, "a"), Interval(5, 15, "b"), Interval(20, 20, "c")]
    assert accounting.union_seconds(ivs, 0, 100) == 15
    assert accounting.intervals_seconds(ivs, 0, 100) == 20


@settings(max_examples=300)
@given(rows, bounds)
def test_union_by_day_matches_counting_each_day_and_label(
    data: list[tuple[int, int, str]], cuts: list[int]
) -> None:
    group = {"a": "x", "b": "x", "c": None}
    by_app = spans.union_by_day(data, cuts)
    by_group = spans.union_by_day(data, cuts, group)
    assert len(by_app) == len(by_group) == len(cuts) - 1
    for day, (lo, hi) in enumerate(itertools.pairwise(cuts)):
        for app in APPS:
            expected = len(covered([(s, e) for s, e, a in data if a == app], lo, hi))
            assert by_app[day].get(app, 0) == expected
        expected_x = len(covered([(s, e) for s, e, a in data if group[a] == "x"], lo, hi))
        assert by_group[day].get("x", 0) == expected_x
        assert None not in by_group[day] and "c" not in by_group[day]


@settings(max_examples=200)
@given(rows, bounds)
def test_union_by_day_is_the_same_with_fractions_and_in_one_pass_with_groups(
    data: list[tuple[int, int, str]], cuts: list[int]
) -> None:
    # whole seconds take the sliced sums, fractions the run-by-run path: both give the same figures
    group = {"a": "x", "b": "x"}
    by_app = spans.union_by_day(data, cuts)
    halves = spans.union_by_day([(s + 0.5, e + 0.5, a) for s, e, a in data], [c + 0.5 for c in cuts])
    assert halves == by_app
    both = spans.union_by_day_and_group(data, cuts, group)
    assert both == (by_app, spans.union_by_day([r for r in data if r[2] in group], cuts, group))


@given(rows, bounds)
def test_split_by_bounds_cuts_at_each_bound(data: list[tuple[int, int, str]], cuts: list[int]) -> None:
    days = spans.split_by_bounds(data, cuts)
    for day, (lo, hi) in enumerate(itertools.pairwise(cuts)):
        assert all(lo <= s < e <= hi for s, e, _ in days[day])
        for app in APPS:
            pieces = [(s, e) for s, e, a in days[day] if a == app]
            assert covered(pieces, lo, hi) == covered([(s, e) for s, e, a in data if a == app], lo, hi)


def test_count_by_day_drops_stamps_outside_every_day() -> None:
    stamps = [(0, "x"), (5, "x"), (10, "y"), (15, "x"), (30, "x")]
    assert spans.count_by_day(stamps, [5, 10, 20]) == [{"x": 1}, {"y": 1, "x": 1}]
