"""Interval maths, once for everyone: clip, merge, union lengths, and unions split by day. Pure.

A span is a half-open ``[start, end)`` pair of Unix seconds. Spans that overlap or touch merge into
one; empty spans (``end <= start``) count for nothing. Accounting (usage seconds), the calendar
(allowed-hours windows) and reports all use these functions.

``merged_runs`` is the one merge: it walks spans sorted by start, keeps one open run per label, and
yields each run once it is closed. ``merge`` is ``merged_runs`` over one label; ``union_by_day`` is
``merged_runs`` over many labels whose runs are spread over day bounds, so a report of N spans over
D days costs O(N log D), not O(N x D).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import cast

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
    (days,) = _spread(((0, label, lo, hi) for label, lo, hi in merged_runs(rows, label_of)), bounds, 1)
    return days


def union_by_day_and_group(
    rows: Iterable[tuple[float, float, str]], bounds: Sequence[float], group_of: Mapping[str, str]
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """``union_by_day(rows, bounds)`` and ``union_by_day(rows of names in group_of, bounds, group_of)``
    in one pass over ``rows`` (same figures, summed in the same order)."""
    return cast(
        tuple[list[dict[str, float]], list[dict[str, float]]],
        tuple(_spread(_merged_runs_and_groups(rows, group_of), bounds, 2)),
    )


def _merged_runs_and_groups(
    rows: Iterable[tuple[float, float, str]], group_of: Mapping[str, str]
) -> Iterator[tuple[int, str, float, float]]:
    """``merged_runs(rows)`` tagged 0 and ``merged_runs`` of the grouped rows by group tagged 1."""
    names: dict[str, list[float]] = {}
    groups: dict[str, list[float]] = {}
    for start, end, name in rows:
        if end <= start:
            continue
        run = names.get(name)
        if run is None:
            names[name] = [start, end]
        elif start > run[1]:
            yield 0, name, run[0], run[1]
            run[0], run[1] = start, end
        elif end > run[1]:
            run[1] = end
        group = group_of.get(name)
        if group is None:
            continue
        run = groups.get(group)
        if run is None:
            groups[group] = [start, end]
        elif start > run[1]:
            yield 1, group, run[0], run[1]
            run[0], run[1] = start, end
        elif end > run[1]:
            run[1] = end
    for name, (lo, hi) in names.items():
        yield 0, name, lo, hi
    for group, (lo, hi) in groups.items():
        yield 1, group, lo, hi


def _spread(
    runs: Iterable[tuple[int, str, float, float]], bounds: Sequence[float], outputs: int
) -> list[list[dict[str, float]]]:
    """Per output, per day, the length of the ``(output, label, start, end)`` runs per label; runs are
    clipped to the days and shared between the days they cross."""
    out: list[list[dict[str, float]]] = [[{} for _ in range(max(0, len(bounds) - 1))] for _ in range(outputs)]
    if len(bounds) < 2:
        return out
    first, last = bounds[0], bounds[-1]
    day, day_start, day_end = 0, first, bounds[1]
    for target, label, lo, hi in runs:
        if lo < first:
            lo = first
        if hi > last:
            hi = last
        if hi <= lo:
            continue
        if not day_start <= lo < day_end:  # runs come out nearly in time order: rarely a search
            day = bisect_right(bounds, lo) - 1
            day_start, day_end = bounds[day], bounds[day + 1]
        days = out[target]
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
    return out


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
