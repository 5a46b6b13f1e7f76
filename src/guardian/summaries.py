"""Assemble weekly summaries from the store for ``GuardianAPI.summary`` (the maths is ``core.summary``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from guardian.core import summary as core
from guardian.core.calendar import days_between, logical_day_of
from guardian.core.catalog import Catalog
from guardian.core.model import Child, Grant
from guardian.errors import InvalidInput
from guardian.report_format import SUMMARY_MAX_DAYS
from guardian.store.rows import EventRow

if TYPE_CHECKING:
    from guardian.api import GuardianAPI

MACHINE_EVENTS = frozenset({"agent_gap", "clock_changed"})
"""Events about the whole computer that every child's summary shows (tamper evidence)."""
MAX_DAYS = SUMMARY_MAX_DAYS


def build(
    api: GuardianAPI, first: date, last: date, child: str | None, admin: Mapping[str, Collection[str]]
) -> list[core.ChildSummary]:
    if last < first:
        raise InvalidInput("the summary's end date is before its start date")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(
            f"a summary covers at most {MAX_DAYS} days; use 'guardian report --format json' for up to a year"
        )
    rules = api.rules()
    tz = api.zone(rules)
    catalog = api.catalog(rules)
    rows = api.store.children.all(active_only=False)
    if child is not None:
        rows = [r for r in rows if r.name.casefold() == child.casefold()]
        if not rows:
            raise InvalidInput(f"there is no child named '{child}'")
    length = (last - first).days + 1
    before = [first - timedelta(days=length - i) for i in range(length)]
    days = [_day_input(d, tz, rules.settings.day_starts_at) for d in days_between(first, last)]
    prev_days = [_day_input(d, tz, rules.settings.day_starts_at) for d in before]
    start, end = int(days[0].start), int(days[-1].end)
    machine = [
        e
        for e in api.store.events.between(None, start, end)
        if e.child_id is None and e.kind in MACHINE_EVENTS
    ]
    out = []
    for row in rows:
        child_rules = rules.child(row.name)
        grants = api.store.grants.between_days(row.id, days[0].date, days[-1].date)
        intervals = api.store.usage.between(row.id, start, end)
        earlier = api.store.summary_reads.screen_spans(row.id, prev_days[0].start, start)
        week = core.WeekInput(
            child=row.name,
            days=[_with_limits(d, child_rules, grants) for d in days],
            intervals=intervals,
            events=[_fact(e) for e in [*machine, *api.store.events.between(row.id, start, end)]],
            requests=[
                core.RequestFact(r.ts, r.seconds, r.status, r.app, r.answered_seconds, r.reason)
                for r in api.store.requests.between(row.id, start, end)
            ],
            tz=tz,
            admin_accounts=tuple(admin.get(row.name, ())),
            web_blocks=api.store.web_blocks.counts(row.id, days[0].date, days[-1].date),
        )
        previous = core.length(core.clip(core.merge(earlier), prev_days[0].start, start))
        had_data = bool(earlier) or api.store.summary_reads.used_before(row.id, start)
        out.append(
            core.summarize(
                week, _app_info(catalog, child_rules), previous_screen_s=previous if had_data else None
            )
        )
    return out


def _day_input(d: date, tz: tzinfo, day_starts_at: int) -> core.DayInput:
    span = logical_day_of(d, tz, day_starts_at)
    return core.DayInput(d.isoformat(), d.weekday(), span.start, span.end, None)


def _with_limits(day: core.DayInput, child: Child | None, grants: list[Grant]) -> core.DayInput:
    limit = child.screen_time.on(day.weekday) if child is not None else None
    granted = sum(g.seconds for g in grants if g.day == day.date and g.app is None)
    return core.DayInput(day.date, day.weekday, day.start, day.end, limit, granted)


def _fact(e: EventRow) -> core.EventFact:
    return core.EventFact(e.ts, e.kind, e.app, e.data)


def _app_info(catalog: Catalog, child: Child | None) -> core.AppInfo:
    def name_of(app: str) -> str:
        known = catalog.get(app)
        return known.name if known is not None else app

    refs = child.always_allowed if child is not None else ()
    return core.AppInfo(name_of, catalog.category_of, lambda app: bool(refs) and catalog.contains(refs, app))
