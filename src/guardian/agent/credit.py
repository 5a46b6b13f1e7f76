"""The credit stage: from an ``Observation``, what each child uses this tick, credited to the books.

``decide`` is the rule, pure: away (every session of the child idle or locked) → nothing; the child's
app in front → that app; the platform itself sees something else in front → screen time only if the
child's own process is in front; otherwise (no foreground, or only a tray's word) → every running app of
the child. Screen time is added unless every app used is always allowed. A tray can narrow nothing the
agent sees for itself: its idle time counts up to the OS reading, and where the OS cannot tell, only
while none of the child's apps runs. A tray's "locked" counts when the OS's own idle reading shows nobody
has touched the session for ``LOCK_QUIET`` seconds (a child playing behind a lie keeps touching it), and
where the OS cannot tell idle, only while none of the child's apps runs; the OS's own "locked" always counts.
Web apps the child's DNS lookups show in use ("YouTube (web)", ``core/webtime.py``) are counted beside a
browser that is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from guardian.agent.events import EventSink
from guardian.agent.observe import Observation
from guardian.core.catalog import Catalog
from guardian.core.model import SCREEN, Child
from guardian.core.webtime import with_web_time
from guardian.platform.base import Session


@dataclass
class Use:
    apps: list[str] = field(default_factory=list)
    """What is credited (``@screen`` included when it counts); empty when nothing is."""
    foreground: str | None = None
    tray_missing: bool = False
    """The child has a session but no tray tells what is in front."""


class Books(Protocol):
    def credit(self, child_id: int, app: str, now: float, credit: float) -> None: ...

    def only(self, child_id: int, apps: list[str]) -> None: ...


class Credited(Protocol):
    """The part of the agent's per-child state the credit stage reads and writes."""

    rules: Child
    id: int
    in_use: list[str]
    foreground: str | None
    tray_missing_logged: bool


LOCK_QUIET = 10.0
"""Seconds without input, as the OS reads it, before a tray's word that the screen is locked counts."""


def locked(obs: Observation, session: Session, *, trust_tray: bool) -> bool:
    """The OS says the session is locked, or its tray does and the agent's own readings do not contradict it."""
    if session.locked:
        return True
    if not obs.locked_tray.get(session.id):
        return False
    os_idle = obs.idle_os.get(session.id)
    if os_idle is not None:
        return os_idle >= LOCK_QUIET
    return trust_tray


def idle(obs: Observation, session_id: str, *, trust_tray: bool) -> float:
    """Seconds without input: a tray may say less than the OS, never more."""
    os_idle = obs.idle_os.get(session_id)
    tray = obs.idle_tray.get(session_id)
    if tray is not None:
        if os_idle is not None:
            return min(tray, os_idle)
        return tray if trust_tray else 0.0
    return os_idle or 0.0


def decide(child: Child, obs: Observation, catalog: Catalog, idle_after: float) -> Use:
    procs = obs.apps.get(child.name, [])
    mine = [s for s in obs.sessions if s.user in child.accounts]
    trust = not procs
    if mine and all(
        locked(obs, s, trust_tray=trust) or idle(obs, s.id, trust_tray=trust) >= idle_after for s in mine
    ):
        return Use()  # away from the keyboard or locked: not screen time
    fg = obs.foreground
    app = fg.by_child.get(child.name) if fg.sources else None
    if app is not None:
        return Use(_with_screen(child, [app], catalog), foreground=app)
    if fg.seen:  # the agent saw itself what is in front, and it is none of the child's apps
        return Use([SCREEN]) if child.name in fg.present else Use()
    running = sorted({p.app for p in procs if p.app is not None})
    if not running and not mine:
        return Use()
    return Use(_with_screen(child, running, catalog), tray_missing=bool(mine) and not fg.sources)


def _with_screen(child: Child, apps: list[str], catalog: Catalog) -> list[str]:
    """``apps`` and screen time, unless every one of them is always allowed."""
    always = [a for a in apps if catalog.contains(child.always_allowed, a)]
    return [*apps, SCREEN] if not apps or len(always) < len(apps) else list(apps)


class Crediter:
    def __init__(self, books: Books, events: EventSink) -> None:
        self.books = books
        self.events = events
        self.catalog = Catalog(())
        self.idle_after: float = 300
        self.web_time: Callable[[str], list[str]] = lambda child: []
        """The web apps a child looked up lately (``WebGuard.web_apps_in_use``): counted beside a browser."""

    def run(self, children: Iterable[Credited], obs: Observation) -> None:
        for child in children:
            use = decide(child.rules, obs, self.catalog, self.idle_after)
            web = self.web_time(child.rules.name) if use.apps else []
            if web:
                use.apps = with_web_time(
                    use.apps,
                    web,
                    self.catalog.category_of,
                    partial(self.catalog.contains, child.rules.always_allowed),
                )
            for app in use.apps:
                self.books.credit(child.id, app, obs.now, obs.credit)
            self.books.only(child.id, use.apps)
            child.in_use = use.apps
            child.foreground = use.foreground
            if use.tray_missing and not child.tray_missing_logged:
                child.tray_missing_logged = True
                self.events.event("tray_missing", obs.now, child_id=child.id)
