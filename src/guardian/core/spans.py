"""Interval maths, once for everyone: clip, merge, union lengths, and unions split by day. Pure.

A span is a half-open ``[start, end)`` pair of Unix seconds. Spans that overlap or touch merge into
one; empty spans (``end <= start``) count for nothing. Accounting (usage seconds), the calendar
(allowed-hours windows) and reports all use these functions.

``merged_runs`` is the one merge: it walks spans sorted by start, keeps one open run per label, and
yields each run once it is closed. ``merge`` is ``merged_runs`` over one label; ``union_by_day`` merges
the same way per label into lists of run starts and ends, then adds them up per day (whole seconds: one
slice sum per label and day), so a report of N spans over D days costs O(N + D log N), not O(N x D).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence

Span = tuple[float, float]
"""A half-open ``[start, end)`` span in Unix seconds."""
Labelled = tuple[float, float, str]
"""``(start, end, name)``: a span of one app (or of screen time)."""


def clip(spans: Iterable[Span], start: float, end: float) -> list[Span]:
    """The parts of ``spans`` inside ``[start, end)``, empty parts dropped, order kept."""
    clipped = []
    for lo, hi in spans:
        lo, hi = max(lo, start), min(hi, end)
        if hi > lo:
            clipped.append((lo, hi))
    return clipped


def merged_runs(
    rows: Iterable[tuple[float, float, str]], label_of: Mapping[str, str | None] | None = None
) -> Iterator[tuple[str, float, float]]:
    """Per label, the union of ``rows`` as maximal runs ``(label, start, end)``.

    ``rows`` are ``(start, end, name)`` sorted by start; a row's label is ``label_of[name]``
    (``name`` itself without ``label_of``), and rows labelled ``None`` are skipped. Runs of one label
    come out in ascending order; runs of different labels interleave.
    """
    open_runs: dict[str, list[float]] = {}
    labelled = rows if label_of is None else ((s, e, label_of[name]) for s, e, name in rows)
    for start, end, label in labelled:
        if end <= start or label is None:
            continue
        run = open_runs.get(label)
        if run is None:
            open_runs[label] = [start, end]
        elif start > run[1]:
            yield label, run[0], run[1]
            run[0], run[1] = start, end
        elif end > run[1]:
            run[1] = end
    for label, (lo, hi) in open_runs.items():
        yield label, lo, hi


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same time; touching spans are joined."""
    return [(lo, hi) for _, lo, hi in merged_runs((lo, hi, "") for lo, hi in sorted(spans))]


def union_length(spans: Iterable[Span], start: float, end: float) -> float:
    """Length of the union of ``spans`` inside ``[start, end)``; overlaps count once."""
    return sum(hi - lo for lo, hi in merge(clip(spans, start, end)))


def total_length(spans: Iterable[Span], start: float, end: float) -> float:
    """Total length of ``spans`` inside ``[start, end)``; overlaps count twice."""
    return sum(hi - lo for lo, hi in clip(spans, start, end))


def union_by_day(
    rows: Iterable[tuple[float, float, str]],
    bounds: Sequence[float],
    label_of: Mapping[str, str | None] | None = None,
) -> list[dict[str, float]]:
    """Per day ``[bounds[i], bounds[i + 1])``, the union length of ``rows`` per label.

    ``rows`` and ``label_of`` are as in ``merged_runs``; ``bounds`` ascend (day starts plus the end of
    the last day). A run crossing a bound is shared between the days; time outside every day is dropped.
    """
    labelled = rows if label_of is None else ((s, e, label_of[name]) for s, e, name in rows)
    runs: dict[str, Runs] = {}
    for start, end, label in labelled:
        if end > start and label is not None:
            _extend(runs, label, start, end)
    return _per_day(runs, bounds)


def union_by_day_and_group(
    rows: Iterable[tuple[float, float, str]], bounds: Sequence[float], group_of: Mapping[str, str]
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """``union_by_day(rows, bounds)`` and ``union_by_day(rows of names in group_of, bounds, group_of)``
    in one pass over ``rows``."""
    names: dict[str, Runs] = {}
    groups: dict[str, Runs] = {}
    for start, end, name in rows:
        if end <= start:
            continue
        _extend(names, name, start, end)
        group = group_of.get(name)
        if group is not None:
            _extend(groups, group, start, end)
    return _per_day(names, bounds), _per_day(groups, bounds)


Runs = tuple[list[float], list[float]]
"""One label's merged runs as two ascending lists: their starts and their ends."""


def _extend(runs: dict[str, Runs], label: str, start: float, end: float) -> None:
    """Add ``[start, end)`` (rows come sorted by start) to ``label``'s runs, merging as ``merged_runs``."""
    run = runs.get(label)
    if run is None:
        runs[label] = ([start], [end])
        return
    ends = run[1]
    if start > ends[-1]:
        run[0].append(start)
        ends.append(end)
    elif end > ends[-1]:
        ends[-1] = end


def _per_day(runs: Mapping[str, Runs], bounds: Sequence[float]) -> list[dict[str, float]]:
    """Per day ``[bounds[i], bounds[i + 1])``, the length of each label's runs inside it.

    With whole seconds everywhere (a report from the store) a day's total is two sums over the slice
    of runs that touch it (exact, in any order); otherwise the runs are added one by one in order.
    """
    days: list[dict[str, float]] = [{} for _ in range(max(0, len(bounds) - 1))]
    if not days:
        return days
    whole = all(type(b) is int for b in bounds)
    for label, (starts, ends) in runs.items():
        if whole and type(sum(starts)) is int and type(sum(ends)) is int:
            _add_whole(days, label, starts, ends, bounds)
        else:
            _add_each(days, label, starts, ends, bounds)
    return days


def _add_whole(
    days: list[dict[str, float]], label: str, starts: list[float], ends: list[float], bounds: Sequence[float]
) -> None:
    i = 0
    for day in range(len(days)):
        lo, hi = bounds[day], bounds[day + 1]
        i = bisect_right(ends, lo, i)  # the first run ending after the day starts
        if i == len(ends):
            return
        j = bisect_left(starts, hi, i)  # the first run starting at or after the day's end
        if j > i:
            total = sum(ends[i:j]) - sum(starts[i:j])
            if starts[i] < lo:
                total -= lo - starts[i]
            if ends[j - 1] > hi:
                total -= ends[j - 1] - hi
            days[day][label] = float(total)


def _add_each(
    days: list[dict[str, float]], label: str, starts: list[float], ends: list[float], bounds: Sequence[float]
) -> None:
    first, last = bounds[0], bounds[-1]
    day, day_start, day_end = 0, first, bounds[1]
    for lo, hi in zip(starts, ends, strict=True):
        if lo < first:
            lo = first
        if hi > last:
            hi = last
        if hi <= lo:
            continue
        if not day_start <= lo < day_end:
            day = bisect_right(bounds, lo) - 1
            day_start, day_end = bounds[day], bounds[day + 1]
        totals = days[day]
        if hi <= day_end:
            totals[label] = totals.get(label, 0.0) + (hi - lo)
            continue
        totals[label] = totals.get(label, 0.0) + (day_end - lo)
        later = day + 1
        while bounds[later] < hi:
            part = min(hi, bounds[later + 1])
            totals = days[later]
            totals[label] = totals.get(label, 0.0) + (part - bounds[later])
            later += 1


def split_by_bounds(
    spans: Iterable[tuple[float, float, str]], bounds: Sequence[float]
) -> list[list[Labelled]]:
    """``spans`` cut into days ``[bounds[i], bounds[i + 1])``, each day sorted; parts outside every day dropped."""
    days: list[list[Labelled]] = [[] for _ in range(max(0, len(bounds) - 1))]
    if not days:
        return days
    first, last = bounds[0], bounds[-1]
    for start, end, name in sorted(spans):
        lo, hi = max(start, first), min(end, last)
        if hi <= lo:
            continue
        day = bisect_right(bounds, lo) - 1
        while lo < hi:
            part = min(hi, bounds[day + 1])
            days[day].append((lo, part, name))
            lo = part
            day += 1
    return days


def count_by_day(stamps: Iterable[tuple[float, str]], bounds: Sequence[float]) -> list[dict[str, int]]:
    """Per day ``[bounds[i], bounds[i + 1])``, how many ``(ts, kind)`` stamps of each kind fall in it."""
    days: list[dict[str, int]] = [{} for _ in range(max(0, len(bounds) - 1))]
    for ts, kind in stamps:
        day = bisect_right(bounds, ts) - 1
        if 0 <= day < len(days):
            counts = days[day]
            counts[kind] = counts.get(kind, 0) + 1
    return days
