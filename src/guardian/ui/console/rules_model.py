"""The rules editor's model: pure operations on a draft of the family rules (no Qt).

Every operation takes frozen model objects and returns new ones (``dataclasses.replace``), so the editor
keeps a history of whole drafts and undo is just going back one draft. Weekday values are edited as a
list of seven (Monday first) and stored compactly as a ``Weekly``: the most common value becomes
``default``, the others become per-day overrides.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, TypeVar

from guardian.core import familyfile
from guardian.core.messages import Report
from guardian.core.model import (
    AT_LIMIT_ACTIONS,
    WEEKDAYS,
    App,
    AppLimit,
    AppMatch,
    AtLimit,
    Child,
    Rules,
    TimeRange,
    Weekly,
)
from guardian.core.presets import Preset, apply_preset

if TYPE_CHECKING:
    from guardian.api import GuardianAPI, ImportResult

T = TypeVar("T")
RefList = Literal["blocked", "always_allowed"]

SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
DAY_MINUTES = 24 * 60
Row = tuple[bool, ...]
Grid = tuple[Row, ...]
"""Allowed hours as 7 rows (Monday first) of 48 half-hour cells; True means allowed."""

# -- weekday values ------------------------------------------------------------------------------


def weekly_to_days(weekly: Weekly[T]) -> list[T | None]:
    """The value on each weekday, Monday first."""
    return [weekly.on(day) for day in range(7)]


def days_to_weekly(values: Sequence[T | None]) -> Weekly[T]:
    """The compact ``Weekly`` for seven values: the most common becomes the default.

    ``None`` means "no value that day"; when any day has none, there is no default and only the days
    with a value are listed. Ties go to the earliest weekday.
    """
    if len(values) != 7:
        raise ValueError("expected one value per weekday")
    if all(v is None for v in values):
        return Weekly()
    if any(v is None for v in values):
        return Weekly(days={WEEKDAYS[i]: v for i, v in enumerate(values) if v is not None})
    counts = Counter(values)
    default = max(values, key=lambda v: (counts[v], -values.index(v)))
    days = {WEEKDAYS[i]: v for i, v in enumerate(values) if v != default and v is not None}
    return Weekly(default=default, days=days)


def set_day(weekly: Weekly[T], weekday: int | None, value: T | None) -> Weekly[T]:
    """``weekly`` with ``value`` on ``weekday`` (0 = Monday), or on every day when ``weekday`` is None."""
    values: list[T | None] = [weekly.on(day) for day in range(7)]
    if weekday is None:
        values = [value] * 7
    else:
        values[weekday] = value
    return days_to_weekly(values)


def is_same_every_day(weekly: Weekly[T]) -> bool:
    return len({weekly.on(day) for day in range(7)}) == 1


# -- screen time --------------------------------------------------------------------------------


def set_screen_time(child: Child, weekday: int | None, seconds: int | None) -> Child:
    """Screen time on one weekday, or on every day (``weekday`` None); ``seconds`` None removes it."""
    return replace(child, screen_time=set_day(child.screen_time, weekday, seconds))


def replace_screen_time(child: Child, values: Sequence[int | None]) -> Child:
    """Screen time from seven values, Monday first."""
    return replace(child, screen_time=days_to_weekly(values))


def remove_screen_time(child: Child) -> Child:
    """No daily screen-time limit at all."""
    return replace(child, screen_time=Weekly())


def hm(seconds: int) -> tuple[int, int]:
    """Hours and minutes in ``seconds`` (seconds below a minute are dropped)."""
    return seconds // 3600, seconds % 3600 // 60


# -- allowed hours ------------------------------------------------------------------------------


def ranges_to_rows(weekly: Weekly[tuple[TimeRange, ...]]) -> Grid:
    """The 7×48 grid for ``weekly``; empty ``weekly`` (any hour) is a full grid.

    A half-hour cell is allowed when its first minute is inside a range. A range crossing midnight
    fills the evening of its day and the early morning of the next day.
    """
    if weekly.is_empty():
        return tuple((True,) * SLOTS_PER_DAY for _ in range(7))
    cells = [[False] * SLOTS_PER_DAY for _ in range(7)]
    for day in range(7):
        for rng in weekly.on(day) or ():
            _paint_range(cells, day, rng)
    return tuple(tuple(row) for row in cells)


def _paint_range(cells: list[list[bool]], day: int, rng: TimeRange) -> None:
    end = rng.end + DAY_MINUTES if rng.crosses_midnight else rng.end
    for slot in range(SLOTS_PER_DAY * 2):
        if rng.start <= slot * SLOT_MINUTES < end:
            next_days, target = divmod(slot, SLOTS_PER_DAY)
            cells[(day + next_days) % 7][target] = True


def row_to_ranges(row: Row) -> tuple[TimeRange, ...]:
    """Merge adjacent allowed cells into ranges; a run to the end of the row ends at 24:00."""
    ranges: list[TimeRange] = []
    start: int | None = None
    for slot, allowed in enumerate((*row, False)):
        if allowed and start is None:
            start = slot
        elif not allowed and start is not None:
            ranges.append(TimeRange(start * SLOT_MINUTES, slot * SLOT_MINUTES))
            start = None
    return tuple(ranges)


def rows_to_ranges(grid: Grid) -> Weekly[tuple[TimeRange, ...]]:
    """The ``Weekly`` allowed hours for a grid; a full grid means any hour (empty ``Weekly``)."""
    if len(grid) != 7 or any(len(row) != SLOTS_PER_DAY for row in grid):
        raise ValueError("expected 7 rows of 48 half-hour cells")
    if all(all(row) for row in grid):
        return Weekly()
    return days_to_weekly([row_to_ranges(row) for row in grid])


def describe_hours(
    grid: Grid, day_names: Sequence[str], *, not_allowed: str, any_time: str, every_day: str
) -> str:
    """The allowed hours in words: ``Mon–Fri 07:00–20:30; Sat 07:00–21:00; Sun not allowed``.

    Days with the same hours are named together (a run of consecutive days as ``Mon–Fri``); ``day_names``
    are the seven short day names, Monday first, and the other words are the phrases to use.
    """
    if all(all(row) for row in grid):
        return f"{every_day} {any_time}"
    groups: dict[Row, list[int]] = {}
    for day, row in enumerate(grid):
        groups.setdefault(row, []).append(day)
    parts = []
    for row, days in groups.items():
        runs = _runs(days)
        when = every_day if len(groups) == 1 else ", ".join(_day_run(run, day_names) for run in runs)
        if all(row):
            hours = any_time
        elif not any(row):
            hours = not_allowed
        else:
            hours = ", ".join(f"{_clock(r.start)}–{_clock(r.end)}" for r in row_to_ranges(row))
        parts.append(f"{when} {hours}")
    return "; ".join(parts)


def _runs(days: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _day_run(run: list[int], names: Sequence[str]) -> str:
    return names[run[0]] if len(run) == 1 else f"{names[run[0]]}–{names[run[-1]]}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def awake_hours(grid: Grid, days: Iterable[int], wake: int, bedtime: int) -> Grid:
    """``grid`` with ``days`` allowed from ``wake`` until ``bedtime`` (minutes after midnight) and not
    otherwise; a bedtime after midnight (earlier than ``wake``) allows the early morning too. A half hour
    is allowed when it starts inside the span."""
    rows = [list(row) for row in grid]
    for day in days:
        for slot in range(SLOTS_PER_DAY):
            start = slot * SLOT_MINUTES
            rows[day][slot] = wake <= start < bedtime if wake < bedtime else (start >= wake or start < bedtime)
    return tuple(tuple(row) for row in rows)


def set_allowed_hours(child: Child, grid: Grid) -> Child:
    return replace(child, allowed_hours=rows_to_ranges(grid))


def paint(grid: Grid, cells: Iterable[tuple[int, int]], allowed: bool) -> Grid:
    """``grid`` with every ``(day, slot)`` in ``cells`` set to ``allowed``."""
    rows = [list(row) for row in grid]
    for day, slot in cells:
        rows[day][slot] = allowed
    return tuple(tuple(row) for row in rows)


def rectangle(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    """Every cell in the rectangle with corners ``a`` and ``b`` (a mouse drag)."""
    days = range(min(a[0], b[0]), max(a[0], b[0]) + 1)
    slots = range(min(a[1], b[1]), max(a[1], b[1]) + 1)
    return [(d, s) for d in days for s in slots]


# -- app lists and limits -----------------------------------------------------------------------


def add_refs(child: Child, which: RefList, refs: Iterable[str]) -> Child:
    """Add refs to ``blocked`` or ``always_allowed``; a ref leaves the other list (it cannot be both)."""
    new = tuple(refs)
    if which == "blocked":
        blocked = tuple(dict.fromkeys((*child.blocked, *new)))
        return replace(child, blocked=blocked, always_allowed=_without(child.always_allowed, new))
    allowed = tuple(dict.fromkeys((*child.always_allowed, *new)))
    return replace(child, always_allowed=allowed, blocked=_without(child.blocked, new))


def _without(refs: tuple[str, ...], removed: Iterable[str]) -> tuple[str, ...]:
    gone = set(removed)
    return tuple(r for r in refs if r not in gone)


def remove_ref(child: Child, which: RefList, ref: str) -> Child:
    if which == "blocked":
        return replace(child, blocked=_without(child.blocked, [ref]))
    return replace(child, always_allowed=_without(child.always_allowed, [ref]))


def make_limit(apps: Iterable[str], daily: Sequence[int | None]) -> AppLimit:
    """An app limit from its refs and seven daily values (Monday first)."""
    return AppLimit(apps=tuple(dict.fromkeys(apps)), daily=days_to_weekly(daily))


def add_app_limit(child: Child, limit: AppLimit) -> Child:
    return replace(child, app_limits=(*child.app_limits, limit))


def replace_app_limit(child: Child, index: int, limit: AppLimit) -> Child:
    limits = list(child.app_limits)
    limits[index] = limit
    return replace(child, app_limits=tuple(limits))


def remove_app_limit(child: Child, index: int) -> Child:
    return replace(child, app_limits=tuple(lim for i, lim in enumerate(child.app_limits) if i != index))


def set_at_limit(child: Child, action: str) -> Child:
    if action not in AT_LIMIT_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    at_limit: AtLimit = action  # type: ignore[assignment]
    return replace(child, at_limit=at_limit)


def apply_age_preset(child: Child, preset: Preset) -> Child:
    """Every rule of ``child`` replaced by the preset's (name, age and accounts are kept)."""
    return apply_preset(child, preset)


# -- rules-level operations ---------------------------------------------------------------------


def with_child(rules: Rules, name: str, child: Child) -> Rules:
    """``rules`` with the child called ``name`` replaced by ``child``."""
    if all(c.name != name for c in rules.children):
        raise KeyError(name)
    children = tuple(child if c.name == name else c for c in rules.children)
    return replace(rules, children=children)


def set_warnings(rules: Rules, lead_seconds: Iterable[int]) -> Rules:
    """Warning lead times, longest first, without duplicates or zeros."""
    leads = tuple(sorted({s for s in lead_seconds if s > 0}, reverse=True))
    return replace(rules, settings=replace(rules.settings, warn_before=leads))


def slug(text: str) -> str:
    """A family-file id from a display name: ``"Cốc Cốc"`` → ``"coc-coc"``."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return base or "app"


def unique_id(name: str, taken: Iterable[str]) -> str:
    used = set(taken)
    base = slug(name)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def exe_app(
    path: str, sha256: str | None, taken: Iterable[str], *, name: str = "", category: str = "games"
) -> App:
    """A custom app for an executable file: matched by its name, its path and (when known) its hash."""
    base = re.split(r"[\\/]", path)[-1]
    exe = base
    display = name or re.sub(r"\.exe$", "", base, flags=re.IGNORECASE)
    match = AppMatch(exe_names=(exe,), paths=(path,), sha256=(sha256,) if sha256 else ())
    return App(id=unique_id(display, taken), name=display, category=category, match=match)


def website_app(name: str, patterns: Iterable[str], taken: Iterable[str], *, category: str = "video") -> App:
    """A custom app for a website, matched by browser window titles such as ``*YouTube*``."""
    titles = tuple(p.strip() for p in patterns if p.strip())
    return App(
        id=unique_id(name, taken), name=name.strip(), category=category, match=AppMatch(window_titles=titles)
    )


def upsert_app(rules: Rules, app: App) -> Rules:
    """Add a custom app, or replace the one with the same id."""
    apps = [a for a in rules.apps if a.id != app.id]
    index = next((i for i, a in enumerate(rules.apps) if a.id == app.id), len(apps))
    apps.insert(index, app)
    return replace(rules, apps=tuple(apps))


def remove_app(rules: Rules, app_id: str) -> Rules:
    """Remove a custom app and every reference to it in the children's rules."""

    def clean(child: Child) -> Child:
        limits = []
        for lim in child.app_limits:
            apps = tuple(a for a in lim.apps if a != app_id)
            if apps:
                limits.append(replace(lim, apps=apps))
        return replace(
            child,
            blocked=tuple(r for r in child.blocked if r != app_id),
            always_allowed=tuple(r for r in child.always_allowed if r != app_id),
            app_limits=tuple(limits),
        )

    apps = tuple(a for a in rules.apps if a.id != app_id)
    return replace(rules, apps=apps, children=tuple(clean(c) for c in rules.children))


# -- searching ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase without accents, so "coc coc" finds "Cốc Cốc" and "lien quan" finds "Liên Quân"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_apps(apps: Iterable[App], query: str, category: str | None = None) -> list[App]:
    """Apps whose name or id contains every word of ``query`` (accent-insensitive), by name."""
    words = fold(query).split()
    found = [
        app
        for app in apps
        if (category is None or app.category == category)
        and all(w in fold(app.name) or w in app.id for w in words)
    ]
    return sorted(found, key=lambda a: fold(a.name))


def recent_app_ids(report: Report, child: str | None = None) -> list[str]:
    """App ids from a ``GuardianAPI.report`` result, most used first (screen time itself left out)."""
    totals: Counter[str] = Counter()
    for entry in report.children:
        if child is not None and entry.name != child:
            continue
        for day in entry.days:
            for app_id, seconds in day.apps.items():
                if not app_id.startswith("@"):
                    totals[app_id] += seconds
    return [app_id for app_id, _ in totals.most_common()]


# -- validating and saving ----------------------------------------------------------------------


def validate(rules: Rules, known_ref: Callable[[str], bool] | None = None) -> str | None:
    """Why ``rules`` cannot be saved, or None: the same checks as importing the family file."""
    try:
        familyfile.loads(familyfile.dumps(rules), source="draft", known_ref=known_ref)
    except familyfile.FamilyFileError as exc:
        return f"{exc.field}: {exc.message}" if exc.field else exc.message
    for child in rules.children:
        for lim in child.app_limits:
            if lim.daily.is_empty():
                return f"{child.name}: an app limit needs a daily time"
    return None


def save(api: GuardianAPI, rules: Rules, pin: str | None) -> ImportResult:
    """Store the draft as one new rules version, after checking the parent PIN."""
    api.require_role("parent", pin)
    return api.save_rules(rules, "console")


@dataclass
class History:
    """Drafts of the rules since the last save: undo and redo move between them."""

    saved: Rules
    _past: list[Rules] = field(default_factory=list)
    _future: list[Rules] = field(default_factory=list)
    current: Rules = field(init=False)

    def __post_init__(self) -> None:
        self.current = self.saved

    def push(self, rules: Rules) -> bool:
        """Make ``rules`` the current draft; False when nothing changed."""
        if rules == self.current:
            return False
        self._past.append(self.current)
        self._future.clear()
        self.current = rules
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        return bool(self._future)

    @property
    def dirty(self) -> bool:
        return self.current != self.saved

    def undo(self) -> Rules:
        if self._past:
            self._future.append(self.current)
            self.current = self._past.pop()
        return self.current

    def redo(self) -> Rules:
        if self._future:
            self._past.append(self.current)
            self.current = self._future.pop()
        return self.current

    def mark_saved(self, rules: Rules | None = None) -> None:
        """The draft was saved: it becomes the new starting point and the history starts over."""
        self.saved = rules if rules is not None else self.current
        self.current = self.saved
        self._past.clear()
        self._future.clear()


def parse_minutes(text: str) -> tuple[int, ...] | None:
    """Warning lead times typed as minutes (``"15, 5, 1"``) in seconds; None when not readable."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 0 < int(p) <= 240 for p in parts):
        return None
    return tuple(sorted({int(p) * 60 for p in parts}, reverse=True))


def minutes_text(seconds: Iterable[int]) -> str:
    return ", ".join(str(s // 60) for s in seconds)
