"""The rules model: plain frozen dataclasses, the same in memory, in the family file and in the store.

Durations are whole seconds; clock times are minutes after midnight. Weekdays are indexed like
``datetime.weekday()``: 0 is Monday.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from guardian.core.webfilter import WebRules

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AT_LIMIT_ACTIONS: tuple[str, ...] = ("lock", "logout", "close_apps", "notify")
ROLES: tuple[str, ...] = ("parent", "caregiver")
CATEGORY_PREFIX = "category:"
SCREEN = "@screen"
"""Pseudo app id under which usage intervals record screen time (an active session)."""

FILE_VERSION = 1

AtLimit = Literal["lock", "logout", "close_apps", "notify"]
T = TypeVar("T")


@dataclass(frozen=True)
class Weekly(Generic[T]):
    """A value that may differ per weekday: ``default`` plus overrides keyed ``mon``…``sun``."""

    default: T | None = None
    days: Mapping[str, T] = field(default_factory=dict)

    def on(self, weekday: int) -> T | None:
        """The value for ``weekday`` (0 = Monday), or ``None`` when neither day nor default is set."""
        return self.days.get(WEEKDAYS[weekday], self.default)

    def is_empty(self) -> bool:
        return self.default is None and not self.days

    def __hash__(self) -> int:
        return hash((self.default, tuple(sorted(self.days.items()))))


@dataclass(frozen=True, order=True)
class TimeRange:
    """Minutes after midnight; ``end <= start`` means the range ends the next day."""

    start: int
    end: int

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def minutes(self) -> int:
        return (self.end - self.start) % (24 * 60) or 24 * 60


@dataclass(frozen=True)
class AppMatch:
    exe_names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    sha256: tuple[str, ...] = ()
    window_titles: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.exe_names or self.paths or self.sha256 or self.window_titles)


@dataclass(frozen=True)
class App:
    id: str
    name: str
    category: str
    match: AppMatch
    builtin: bool = False


@dataclass(frozen=True)
class AppLimit:
    apps: tuple[str, ...]
    """Catalog ids, custom app ids or ``category:NAME``."""
    daily: Weekly[int]


@dataclass(frozen=True)
class Child:
    name: str
    age: int | None = None
    accounts: tuple[str, ...] = ()
    screen_time: Weekly[int] = field(default_factory=Weekly)
    """Empty means no daily screen-time limit."""
    allowed_hours: Weekly[tuple[TimeRange, ...]] = field(default_factory=Weekly)
    """Empty means allowed at any hour; an empty tuple for a day means not at all that day."""
    at_limit: AtLimit = "lock"
    always_allowed: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    app_limits: tuple[AppLimit, ...] = ()
    preset: str | None = None
    unknown_programs: str | None = None
    """``allow``, ``games`` or ``block`` programs the child brings in; None: by age (core/exec_rules.py)."""
    web: WebRules | None = None
    """Web protection (``core/webfilter.py``); ``None`` leaves this child's web alone."""


@dataclass(frozen=True)
class Settings:
    warn_before: tuple[int, ...] = (15 * 60, 5 * 60, 60)
    grace: int = 60
    day_starts_at: int = 0
    idle_after: int = 180
    timezone: str = ""
    """IANA zone name such as ``Asia/Ho_Chi_Minh``; empty means the computer's local zone."""
    retention_days: int = 365
    hotlines: tuple[str, ...] = ("111",)
    health_reminder: bool = True
    """A gentle reminder after every 30 minutes of games in a row (Decree 147/2024/NĐ-CP, art. 39)."""
    remote_approvals: int = 2
    """How many requests a day may be approved with a code from the parents' authenticator app."""


@dataclass(frozen=True)
class Rules:
    settings: Settings = field(default_factory=Settings)
    apps: tuple[App, ...] = ()
    """Custom apps; the built-in catalog lives in ``resources/apps.toml``."""
    children: tuple[Child, ...] = ()
    version: int = FILE_VERSION

    def child(self, name: str) -> Child | None:
        for child in self.children:
            if child.name.casefold() == name.casefold():
                return child
        return None

    def child_for_account(self, account: str) -> Child | None:
        for child in self.children:
            if account in child.accounts:
                return child
        return None


@dataclass(frozen=True, order=True)
class Interval:
    """Usage of one app (or ``SCREEN``) by one child, in Unix seconds, half-open ``[start, end)``."""

    start: float
    end: float
    app: str = SCREEN

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Grant:
    """Extra time for one child on one logical day; ``app`` None extends screen time."""

    day: str
    """ISO date of the logical day the grant applies to."""
    seconds: int
    app: str | None = None
    reason: str = ""
    by: str = "parent"
