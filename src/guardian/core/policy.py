"""The policy engine: rules + usage + grants + now → what each child may do, as plain data.

Pure: no clock, no IO. The agent calls :func:`evaluate` every tick and acts on the result; UIs show it.

Counting rules, in short:

- Everything is clipped to the current logical day (see :mod:`guardian.core.calendar`) and to ``now``.
- Screen time is the union of ``SCREEN`` intervals. The agent does not record ``SCREEN`` while an
  always-allowed app is in front, so those intervals are counted as they are.
- An app limit counts the union of the intervals of every app it covers, so apps used at the same
  time cannot use it up faster than wall time. Always-allowed apps are never counted. An app inside
  two limits is charged to both; the strictest (least time left) wins.
- Warnings and ``next_*`` times assume continuous use from now on.
- All durations in results are whole seconds (used time rounded down); instants are Unix seconds.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, tzinfo
from typing import Any, Literal, Protocol

from guardian.core.calendar import (
    HoursStatus,
    LogicalDay,
    Span,
    allowed_hours_status,
    clip_spans,
    logical_day,
    merge_spans,
    resolve_zone,
)
from guardian.core.messages import AppLimitEntry, ChildEntry, ScreenTime, WarningEntry
from guardian.core.model import CATEGORY_PREFIX, SCREEN, AppLimit, Child, Grant, Interval, Rules

State = Literal["ok", "warn", "screen_time_over", "outside_hours", "paused"]
OVER_STATES: tuple[State, ...] = ("screen_time_over", "outside_hours", "paused")
"""States in which the child may not use the computer (only always-allowed apps)."""
Verdict = Literal["always_allowed", "blocked", "exhausted", "warn", "ok"]
Subject = Literal["screen", "hours", "app_limit"]

IN_USE_SLACK = 2.0
"""An app whose interval ended at most this many seconds before now counts as in use now."""


class CatalogLike(Protocol):
    """What the policy needs from the app catalog (``guardian.core.catalog.Catalog`` fits)."""

    def contains(self, refs: Iterable[str], app_id: str) -> bool:
        """Whether ``app_id`` is one of ``refs`` (app ids or ``category:NAME``)."""
        ...

    def category_of(self, app_id: str) -> str | None: ...


@dataclass(frozen=True)
class LimitStatus:
    """Screen time today; ``limit_s`` and ``left_s`` are None when there is no limit."""

    limit_s: int | None
    granted_s: int
    used_s: int
    left_s: int | None


@dataclass(frozen=True)
class AppLimitStatus:
    """One ``AppLimit`` today; ``limit_s`` and ``left_s`` are None when it has no limit this day."""

    refs: tuple[str, ...]
    limit_s: int | None
    granted_s: int
    used_s: int
    left_s: int | None


@dataclass(frozen=True)
class PolicyWarning:
    """A warning that is due: ``left`` seconds remain and ``left <= lead``.

    ``key`` is stable within a day (``"screen:300"``, ``"hours:60"``, ``"app:category:games:300"``)
    so the agent can show and log each warning once per day.
    """

    key: str
    lead: int
    subject: Subject
    ref: str | None
    """For app limits, the limit's refs joined with ``","``; otherwise None."""
    left: int


Warning = PolicyWarning
"""The name used in the design; prefer ``PolicyWarning``, which does not shadow the builtin."""


@dataclass(frozen=True, kw_only=True)
class ChildStatus:
    """What one child may do right now, with the numbers behind it."""

    child: str
    day: date
    day_start: float
    day_end: float
    weekday: int
    screen: LimitStatus
    app_limits: list[AppLimitStatus]
    apps_used: dict[str, int]
    """Seconds of use today for every app seen today (always-allowed apps included)."""
    in_allowed_hours: bool
    allowed_until: float | None
    next_allowed_at: float | None
    allowed_today: list[Span]
    state: State
    warnings_due: list[PolicyWarning]
    next_warning_at: float | None
    next_change_at: float | None
    rules: Child = field(repr=False, compare=False)
    catalog: CatalogLike = field(repr=False, compare=False)
    warn_lead: int = field(default=0, repr=False, compare=False)
    """The largest ``warn_before`` lead."""
    paused: bool = False
    """A parent paused the child until the end of the logical day."""
    _verdicts: dict[str, Verdict] = field(default_factory=dict, repr=False, compare=False)

    def is_always_allowed(self, app_id: str) -> bool:
        return self.catalog.contains(self.rules.always_allowed, app_id)

    def app_left(self, app_id: str) -> int | None:
        """Seconds left for ``app_id`` today: the least over every limit covering it (None: no limit)."""
        if self.is_always_allowed(app_id):
            return None
        lefts = [
            status.left_s
            for status in self.app_limits
            if status.left_s is not None and self.catalog.contains(status.refs, app_id)
        ]
        return min(lefts, default=None)

    def app_verdict(self, app_id: str) -> Verdict:
        """The app's own verdict; screen time and allowed hours are judged by ``state``."""
        verdict = self._verdicts.get(app_id)
        if verdict is None:
            verdict = self._verdicts[app_id] = self._judge(app_id)
        return verdict

    def _judge(self, app_id: str) -> Verdict:
        if self.is_always_allowed(app_id):
            return "always_allowed"
        if self.catalog.contains(self.rules.blocked, app_id):
            return "blocked"
        left = self.app_left(app_id)
        if left is None:
            return "ok"
        if left <= 0:
            return "exhausted"
        return "warn" if left <= self.warn_lead else "ok"

    def entry(self) -> ChildEntry:
        """This status as it crosses boundaries (``status``'s per-child entry)."""
        return ChildEntry(
            child=self.child,
            day=self.day.isoformat(),
            day_start=self.day_start,
            day_end=self.day_end,
            weekday=self.weekday,
            screen=ScreenTime(**asdict(self.screen)),
            app_limits=[AppLimitEntry(**{**asdict(s), "refs": list(s.refs)}) for s in self.app_limits],
            apps_used=dict(self.apps_used),
            in_allowed_hours=self.in_allowed_hours,
            allowed_until=self.allowed_until,
            next_allowed_at=self.next_allowed_at,
            allowed_today=[[start, end] for start, end in self.allowed_today],
            state=self.state,
            warnings_due=[WarningEntry(**asdict(w)) for w in self.warnings_due],
            next_warning_at=self.next_warning_at,
            next_change_at=self.next_change_at,
            paused=self.paused,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.entry().to_wire()


def evaluate(
    rules: Rules,
    usage: Mapping[str, Sequence[Interval]],
    grants: Mapping[str, Sequence[Grant]],
    now: float,
    *,
    catalog: CatalogLike,
    issued_warnings: Mapping[str, Collection[str]] | None = None,
    tz: tzinfo | None = None,
) -> dict[str, ChildStatus]:
    """Evaluate every child in ``rules``; ``usage``, ``grants`` and the result are keyed by child name.

    ``issued_warnings`` maps a child name to the warning keys already shown today; those are left
    out of ``warnings_due`` and ``next_warning_at``. ``tz`` is used only when the settings name no
    zone (default: the computer's local zone).
    """
    issued = issued_warnings or {}
    return {
        child.name: evaluate_child(
            rules,
            child,
            usage.get(child.name, ()),
            grants.get(child.name, ()),
            now,
            catalog=catalog,
            issued=issued.get(child.name, ()),
            tz=tz,
        )
        for child in rules.children
    }


def evaluate_child(
    rules: Rules,
    child: Child,
    intervals: Sequence[Interval],
    grants: Sequence[Grant],
    now: float,
    *,
    catalog: CatalogLike,
    issued: Collection[str] = (),
    tz: tzinfo | None = None,
    paused: bool = False,
) -> ChildStatus:
    """Evaluate one child at ``now`` (Unix seconds); see :func:`evaluate`.

    ``paused``: a parent paused the child for today; the state is ``paused`` until the day ends.
    """
    settings = rules.settings
    zone = resolve_zone(settings.timezone, tz)
    today = logical_day(now, zone, settings.day_starts_at)
    leads = sorted({lead for lead in settings.warn_before if lead > 0}, reverse=True)
    usage = _Usage(intervals, today, now)
    todays_grants = [grant for grant in grants if grant.day == today.iso]
    always_allowed = _AlwaysAllowed(catalog, child.always_allowed)

    screen = _screen_status(child, today, usage, todays_grants)
    limits = [
        _app_limit_status(limit, today, usage, todays_grants, catalog, always_allowed)
        for limit in child.app_limits
    ]
    hours = allowed_hours_status(child.allowed_hours, now, today, zone)
    in_use = {app for app in usage.in_use(now) if not always_allowed(app)}
    running = [any(catalog.contains(status.refs, app) for app in in_use) for status in limits]
    hours_left = (
        math.floor(hours.allowed_until - now)
        if hours.in_allowed and hours.allowed_until is not None
        else None
    )
    plan = _plan_warnings(_WarningPlan(leads, now, issued), screen, hours, hours_left, limits, running)
    max_lead = leads[0] if leads else 0
    changes = [today.end, plan.next_at]
    changes.append(hours.allowed_until if hours.in_allowed else hours.next_allowed_at)
    budgets = [
        screen.left_s,
        *(s.left_s for s, is_running in zip(limits, running, strict=True) if is_running),
    ]
    changes.extend(now + left for left in budgets if left)

    return ChildStatus(
        child=child.name,
        day=today.day,
        day_start=today.start,
        day_end=today.end,
        weekday=today.weekday,
        screen=screen,
        app_limits=limits,
        apps_used=usage.per_app(),
        in_allowed_hours=hours.in_allowed,
        allowed_until=hours.allowed_until,
        next_allowed_at=hours.next_allowed_at,
        allowed_today=hours.today,
        state="paused" if paused else _state(screen, hours.in_allowed, hours_left, max_lead),
        warnings_due=[] if paused else plan.due,
        next_warning_at=None if paused else plan.next_at,
        next_change_at=min((t for t in changes if t is not None and t > now), default=None),
        rules=child,
        catalog=catalog,
        warn_lead=max_lead,
        paused=paused,
    )


class _Usage:
    """Today's usage intervals, clipped to ``[day start, now)`` and grouped by app."""

    def __init__(self, intervals: Iterable[Interval], today: LogicalDay, now: float) -> None:
        self._raw = list(intervals)
        self._by_app: dict[str, list[Span]] = {}
        for interval in self._raw:
            for span in clip_spans([(interval.start, interval.end)], today.start, min(now, today.end)):
                self._by_app.setdefault(interval.app, []).append(span)

    def apps(self) -> list[str]:
        return [app for app in self._by_app if app != SCREEN]

    def seconds(self, apps: Iterable[str]) -> int:
        """Whole seconds of the union of the given apps' intervals."""
        spans = [span for app in apps for span in self._by_app.get(app, ())]
        return math.floor(sum(end - start for start, end in merge_spans(spans)))

    def per_app(self) -> dict[str, int]:
        return {app: self.seconds([app]) for app in sorted(self.apps())}

    def in_use(self, now: float) -> set[str]:
        """Apps (not ``SCREEN``) with an interval reaching ``now - IN_USE_SLACK`` or later."""
        return {
            interval.app
            for interval in self._raw
            if interval.app != SCREEN and interval.start <= now and interval.end >= now - IN_USE_SLACK
        }


class _AlwaysAllowed:
    """Memoised ``catalog.contains(child.always_allowed, app)``."""

    def __init__(self, catalog: CatalogLike, refs: tuple[str, ...]) -> None:
        self._catalog = catalog
        self._refs = refs
        self._known: dict[str, bool] = {}

    def __call__(self, app_id: str) -> bool:
        if app_id not in self._known:
            self._known[app_id] = self._catalog.contains(self._refs, app_id)
        return self._known[app_id]


def _screen_status(child: Child, today: LogicalDay, usage: _Usage, grants: Sequence[Grant]) -> LimitStatus:
    limit = child.screen_time.on(today.weekday)
    granted = sum(grant.seconds for grant in grants if grant.app is None)
    used = usage.seconds([SCREEN])
    left = None if limit is None else max(0, limit + granted - used)
    return LimitStatus(limit_s=limit, granted_s=granted, used_s=used, left_s=left)


def _app_limit_status(
    limit: AppLimit,
    today: LogicalDay,
    usage: _Usage,
    grants: Sequence[Grant],
    catalog: CatalogLike,
    always_allowed: _AlwaysAllowed,
) -> AppLimitStatus:
    daily = limit.daily.on(today.weekday)
    granted = sum(
        grant.seconds
        for grant in grants
        if grant.app is not None and _grant_applies(grant.app, limit.apps, catalog)
    )
    covered = [app for app in usage.apps() if not always_allowed(app) and catalog.contains(limit.apps, app)]
    used = usage.seconds(covered)
    left = None if daily is None else max(0, daily + granted - used)
    return AppLimitStatus(refs=limit.apps, limit_s=daily, granted_s=granted, used_s=used, left_s=left)


def _grant_applies(grant_app: str, refs: tuple[str, ...], catalog: CatalogLike) -> bool:
    """A grant extends a limit when it names one of its refs or an app the limit covers."""
    if grant_app in refs:
        return True
    return not grant_app.startswith(CATEGORY_PREFIX) and catalog.contains(refs, grant_app)


class _WarningPlan:
    """Collects due warnings and the earliest moment a further one becomes due."""

    def __init__(self, leads: Sequence[int], now: float, issued: Collection[str]) -> None:
        self._leads = leads
        self.now = now
        self._issued = issued
        self.due: list[PolicyWarning] = []
        self.next_at: float | None = None

    def add(
        self, prefix: str, subject: Subject, ref: str | None, left: int, ends_at: float, projected: bool
    ) -> None:
        """Warnings for a budget with ``left`` seconds that, used continuously, runs out at ``ends_at``.

        ``projected`` says whether the budget is being used up now, so not-yet-due warnings get a time.
        """
        for lead in self._leads:
            key = f"{prefix}:{lead}"
            if key in self._issued:
                continue
            if 0 < left <= lead:
                self.due.append(PolicyWarning(key, lead, subject, ref, left))
            elif left > lead and projected:
                at = ends_at - lead
                if at > self.now and (self.next_at is None or at < self.next_at):
                    self.next_at = at


def _plan_warnings(
    plan: _WarningPlan,
    screen: LimitStatus,
    hours: HoursStatus,
    hours_left: int | None,
    limits: Sequence[AppLimitStatus],
    running: Sequence[bool],
) -> _WarningPlan:
    """Screen time and the allowed window run down regardless; an app limit only while its apps run."""
    now = plan.now
    if screen.left_s is not None:
        plan.add("screen", "screen", None, screen.left_s, now + screen.left_s, projected=True)
    if hours_left is not None and hours.allowed_until is not None:
        plan.add("hours", "hours", None, hours_left, hours.allowed_until, projected=True)
    for status, is_running in zip(limits, running, strict=True):
        if status.left_s is not None:
            ref = ",".join(status.refs)
            plan.add(f"app:{ref}", "app_limit", ref, status.left_s, now + status.left_s, is_running)
    return plan


def _state(screen: LimitStatus, in_allowed: bool, hours_left: int | None, max_lead: int) -> State:
    """Outside hours beats screen time over; warn when either budget is within the largest lead."""
    if not in_allowed:
        return "outside_hours"
    if screen.left_s == 0:
        return "screen_time_over"
    if screen.left_s is not None and screen.left_s <= max_lead:
        return "warn"
    if hours_left is not None and hours_left <= max_lead:
        return "warn"
    return "ok"
