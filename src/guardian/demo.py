"""``guardian demo``: a realistic family with four weeks of usage, made by the real engine.

A seeded day model plans what each child would like to do (school days, weekends, evening peaks). Each
planned activity is checked against the real policy engine at the moment it starts, exactly as the agent
would: blocked or exhausted apps are closed on sight, limits cut activities short with warnings first,
requests for more time are sometimes approved. The minutes that survive are turned into agent ticks and
fed through the real accounting code, whose rows are stored.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from guardian import paths
from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.core import accounting, policy
from guardian.core.catalog import Catalog
from guardian.core.clock import FakeClock
from guardian.core.durations import format_hm
from guardian.core.model import SCREEN, Child, Grant, Interval, Rules, Settings
from guardian.core.presets import apply_preset, preset_for_age
from guardian.resources import builtin_apps, builtin_presets
from guardian.store import Store
from guardian.store.rows import NewEvent, RequestStatus

ZONE = "Asia/Ho_Chi_Minh"
DEMO_KEY = "demo_built_for"
DEMO_PINS = {"parent": "1234", "caregiver": "5678"}
TICK = 15.0


@dataclass(frozen=True)
class Kid:
    name: str
    age: int
    account: str
    likes: dict[str, int]
    """App id → how much the child likes it (a weight)."""
    school_sessions: tuple[tuple[str, int], ...]
    """Usual session starts on school days (HH:MM) and lengths in minutes."""
    weekend_sessions: tuple[tuple[str, int], ...]
    tries: tuple[str, ...] = ()
    """Apps the child sometimes tries although they are blocked for them."""


KIDS = (
    Kid(
        "Minh An",
        8,
        "an",
        {
            "minecraft": 4,
            "roblox": 4,
            "youtube": 4,
            "scratch": 1,
            "duolingo": 1,
            "khan-academy": 1,
            "paint": 1,
        },
        (("16:45", 50), ("19:30", 45)),
        (("08:30", 90), ("14:30", 80), ("19:00", 60)),
        tries=("tiktok",),
    ),
    Kid(
        "Bảo Ngọc",
        13,
        "ngoc",
        {
            "youtube": 4,
            "zalo": 3,
            "genshin-impact": 3,
            "tiktok": 3,
            "olm": 2,
            "word": 1,
            "canva": 1,
            "messenger": 2,
            "spotify": 1,
        },
        (("15:30", 80), ("19:45", 100)),
        (("09:00", 120), ("14:00", 120), ("19:30", 120)),
    ),
    Kid(
        "Gia Huy",
        16,
        "huy",
        {
            "league-of-legends": 4,
            "valorant": 3,
            "discord": 3,
            "chrome": 2,
            "youtube": 3,
            "word": 1,
            "excel": 1,
            "zalo": 1,
            "facebook": 2,
        },
        (("17:00", 90), ("20:00", 150)),
        (("09:30", 150), ("14:00", 150), ("20:00", 180)),
    ),
)
GAMES_LONGER = {"games", "emulators"}


@dataclass
class _Day:
    """What has happened so far on one child's logical day (for the policy engine)."""

    intervals: list[Interval] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)
    warned: set[str] = field(default_factory=set)


def demo_rules() -> Rules:
    presets = builtin_presets()
    children = []
    for kid in KIDS:
        child = Child(name=kid.name, age=kid.age, accounts=(kid.account,))
        preset = preset_for_age(presets, kid.age)
        children.append(apply_preset(child, preset) if preset else child)
    settings = Settings(timezone=ZONE, hotlines=("111", "02623.951.567"), retention_days=365)
    return Rules(settings=settings, children=tuple(children))


def build(home: Path, *, seed: int = 2026, weeks: int = 4, fresh: bool = False) -> str:
    """Build (or reuse) the demo family in ``home`` and return a summary for the terminal."""
    db = paths.db_path(home)
    clock = SystemClock()
    if db.exists():
        with Store(db) as store:
            built_for = store.meta.get(DEMO_KEY)
        if built_for is None:
            raise SystemExit(
                f"guardian: {home} holds real data, not the demo; use --home with an empty folder"
            )
        zone = ZoneInfo(ZONE)
        if not fresh and built_for == datetime.fromtimestamp(clock.now(), zone).date().isoformat():
            return summary(home)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        for backup in home.glob("guardian.db.bak-*"):
            backup.unlink()
    home.mkdir(parents=True, exist_ok=True)
    with Store(db) as store:
        generate(store, now=clock.now(), seed=seed, weeks=weeks)
    return summary(home)


def generate(store: Store, *, now: float, seed: int, weeks: int) -> None:
    """Fill ``store`` with the demo family's rules and ``weeks`` of usage ending at ``now``."""
    rng = random.Random(seed)
    fake = FakeClock(now=now)
    api = GuardianAPI(store, fake)
    rules = demo_rules()
    api.save_rules(rules, "demo")
    zone = ZoneInfo(ZONE)
    catalog = Catalog(builtin_apps(), rules.apps)
    today = datetime.fromtimestamp(now, zone).date()
    first = today - timedelta(days=7 * weeks - 1)
    mono = 10_000.0
    for kid in KIDS:
        child = rules.child(kid.name)
        child_id = store.children.id_for(kid.name)
        assert child is not None and child_id is not None
        for n in range((today - first).days + 1):
            day = first + timedelta(days=n)
            sim = _Simulation(rng, rules, child, catalog, zone, now)
            sim.run_day(kid, day)
            _store_day(store, child_id, sim, mono)
            mono += 86_400
    _special_events(store, rng, first, today, zone, now)
    for role, pin in DEMO_PINS.items():
        api.set_pin(role, pin, current_pin=DEMO_PINS["parent"] if role != "parent" else None)
    store.meta.set(DEMO_KEY, today.isoformat())


def _store_day(store: Store, child_id: int, sim: _Simulation, mono: float) -> None:
    """Turn the day's activities into agent ticks and run them through the real accounting code.

    Like the agent, screen time is credited only while the app in front is not always allowed.
    """
    rows: list[accounting.Row] = []
    for session in sim.sessions:
        apps = _ticks(session, mono, lambda app: app)
        screen = _ticks(session, mono, lambda app: None if sim.always_allowed(app) else SCREEN)
        for ticks in (apps, screen):
            got, _gaps, _changes = accounting.simulate(
                ticks,
                start_wall=ticks[0][0],
                start_mono=ticks[0][1],
                interval=TICK,
                pulse=TICK * 1.5,
                child_id=child_id,
            )
            rows.extend(got)
    with store.atomic():
        store.usage.write(rows)
        store.events.add_many(NewEvent(e.kind, e.ts, child_id, e.app, e.data) for e in sim.day.events)
        for grant, ts in sim.granted:
            store.grants.add(child_id, grant, ts)
        for req in sim.requests:
            rid = store.requests.add(child_id, req.seconds, ts=req.ts, reason=req.reason)
            if req.answer != "pending":
                store.requests.answer(rid, req.answer, req.granted, "parent", req.ts + 240)


def _ticks(
    session: list[Interval], mono_base: float, label: Callable[[str], str | None]
) -> list[accounting.Tick]:
    """Agent ticks across a session, every ``TICK`` seconds while an app is in front.

    Each activity starts with an empty tick, so a tick's credit covers only the time just before it,
    which is time the child spent in that app.
    """
    ticks: list[accounting.Tick] = []
    origin = session[0].start
    for iv in session:
        t = iv.start
        ticks.append((t, mono_base + (t - origin), None))
        while t < iv.end:
            t = min(t + TICK, iv.end)
            ticks.append((t, mono_base + (t - origin), label(iv.app)))
    return ticks


@dataclass(frozen=True)
class _Request:
    ts: int
    seconds: int
    reason: str
    answer: RequestStatus
    granted: int


class _Simulation:
    """One child's logical day, activity by activity, asking the policy engine before each one."""

    def __init__(
        self, rng: random.Random, rules: Rules, child: Child, catalog: Catalog, zone: ZoneInfo, now: float
    ) -> None:
        self.rng, self.rules, self.child, self.catalog, self.zone, self.now = (
            rng,
            rules,
            child,
            catalog,
            zone,
            now,
        )
        self.day = _Day()
        self.sessions: list[list[Interval]] = []
        self.granted: list[tuple[Grant, int]] = []
        self.requests: list[_Request] = []
        self.given_up: set[str] = set()

    def always_allowed(self, app: str) -> bool:
        """Whether ``app`` is always allowed for this child (never counted)."""
        return self.catalog.contains(self.child.always_allowed, app)

    def status(self, t: float) -> policy.ChildStatus:
        return policy.evaluate_child(
            self.rules, self.child, self.day.intervals, self.day.grants, t, catalog=self.catalog, tz=self.zone
        )

    def run_day(self, kid: Kid, day: date) -> None:
        weekend = day.weekday() >= 5
        plan = kid.weekend_sessions if weekend else kid.school_sessions
        for start_text, minutes in plan:
            if self.rng.random() < 0.12:
                continue  # not at the computer this time
            hh, mm = (int(x) for x in start_text.split(":"))
            start = datetime.combine(day, time(hh, mm), tzinfo=self.zone).timestamp()
            start += self.rng.uniform(-25, 25) * 60
            length = minutes * 60 * self.rng.uniform(0.6, 1.35)
            self.run_session(kid, start, start + length)
        if self.rng.random() < (0.25 if kid.age >= 13 else 0.1):
            self.late_attempt(day)

    def run_session(self, kid: Kid, start: float, end: float) -> None:
        t, session = start, []
        end = min(end, self.now)
        while t < end - 60:
            status = self.status(t)
            if not status.in_allowed_hours or (
                status.screen.left_s is not None and status.screen.left_s <= 0
            ):
                self._event(
                    "blocked_launch" if not status.in_allowed_hours else "limit_reached",
                    t,
                    data={"what": "hours" if not status.in_allowed_hours else "screen"},
                )
                if status.in_allowed_hours and self._ask_for_time(t):
                    continue
                break
            app = self._pick(kid)
            verdict = status.app_verdict(app)
            if verdict in ("blocked", "exhausted"):
                self._event("blocked_launch", t, app=app)
                if self.rng.random() < 0.8:
                    self.given_up.add(app)  # most children stop trying after being told once
                t += self.rng.uniform(20, 90)
                continue
            planned = (
                self.rng.uniform(10, 40)
                if self.catalog.category_of(app) in GAMES_LONGER
                else self.rng.uniform(3, 20)
            )
            stop = min(t + planned * 60, end)
            stop, reason = self._limit_stop(status, app, t, stop)
            self._warnings(app, t, stop)
            session.append(Interval(t, stop, app))
            self.day.intervals.append(Interval(t, stop, app))
            if not self.always_allowed(app):
                self.day.intervals.append(Interval(t, stop, SCREEN))
            if reason == "app":
                self._event("limit_reached", stop, app=app, data={"what": "app"})
                self._event("app_closed", stop + 2, app=app)
            elif reason in ("screen", "hours"):
                self._event("limit_reached", stop, data={"what": reason})
                if reason == "screen" and self._ask_for_time(stop):
                    t = stop + 300
                    continue
                break
            t = stop + self.rng.uniform(0, 120)
        if session:
            self.sessions.append(session)

    def _limit_stop(self, status: policy.ChildStatus, app: str, t: float, stop: float) -> tuple[float, str]:
        candidates = [(stop, "")]
        app_left = status.app_left(app)
        if app_left is not None:
            candidates.append((t + app_left, "app"))
        if status.screen.left_s is not None and not status.is_always_allowed(app):
            candidates.append((t + status.screen.left_s, "screen"))
        if status.allowed_until is not None:
            candidates.append((status.allowed_until, "hours"))
        return min(candidates)

    def _warnings(self, app: str, t: float, stop: float) -> None:
        """Log each warning the child would have seen while using ``app`` from ``t`` to ``stop``."""
        moment = stop - 1
        probe = [*self.day.intervals, Interval(t, moment, app)]
        if not self.always_allowed(app):
            probe.append(Interval(t, moment, SCREEN))
        status = policy.evaluate_child(
            self.rules, self.child, probe, self.day.grants, moment, catalog=self.catalog, tz=self.zone
        )
        for warning in status.warnings_due:
            if warning.key not in self.day.warned:
                self.day.warned.add(warning.key)
                crossed = max(t, moment - (warning.lead - warning.left))
                self._event("warning", crossed, app=warning.ref, data={"key": warning.key})

    def _ask_for_time(self, t: float) -> bool:
        if self.rng.random() > 0.35:
            return False
        seconds = self.rng.choice((900, 1800))
        reason = self.rng.choice(("Finishing homework", "Con đang làm bài dở", "Just one more level"))
        approved = self.rng.random() < 0.55
        if t > self.now - 600:
            self.requests.append(_Request(int(t), seconds, reason, "pending", 0))
            return False
        self.requests.append(
            _Request(
                int(t), seconds, reason, "approved" if approved else "denied", seconds if approved else 0
            )
        )
        if approved:
            day = policy.evaluate_child(
                self.rules, self.child, [], [], t, catalog=self.catalog, tz=self.zone
            ).day.isoformat()
            grant = Grant(day=day, seconds=seconds, reason=reason, by="parent")
            self.day.grants.append(grant)
            self.granted.append((grant, int(t) + 240))
            self._event("grant", t + 240, data={"seconds": seconds})
        return approved

    def late_attempt(self, day: date) -> None:
        t = datetime.combine(day, time(23, self.rng.randint(0, 40)), tzinfo=self.zone).timestamp()
        if t < self.now and not self.status(t).in_allowed_hours:
            self._event("blocked_launch", t, data={"what": "hours"})

    def _pick(self, kid: Kid) -> str:
        if kid.tries and self.rng.random() < 0.05:
            return self.rng.choice(kid.tries)
        likes = {app: w for app, w in kid.likes.items() if app not in self.given_up} or kid.likes
        apps, weights = zip(*likes.items(), strict=True)
        choice: str = self.rng.choices(apps, weights)[0]
        return choice

    def _event(
        self, kind: str, t: float, *, app: str | None = None, data: dict[str, object] | None = None
    ) -> None:
        self.day.events.append(NewEvent(kind, int(t), None, app, data))


def _special_events(
    store: Store, rng: random.Random, first: date, today: date, zone: ZoneInfo, now: float
) -> None:
    """A little tamper evidence: one clock change and one unclean agent stop."""
    huy = store.children.id_for("Gia Huy")
    when = datetime.combine(today - timedelta(days=9), time(21, 40), tzinfo=zone).timestamp()
    if when < now:
        store.events.add("clock_changed", ts=int(when), child_id=huy, data={"delta": 86_400})
    gap_at = datetime.combine(today - timedelta(days=16), time(18, 5), tzinfo=zone).timestamp()
    if gap_at < now:
        store.events.add("agent_gap", ts=int(gap_at), data={"seconds": 1260, "clean": False})
    del rng, first


def summary(home: Path) -> str:
    """What the demo holds, for the terminal."""
    with Store(paths.db_path(home)) as store:
        api = GuardianAPI(store, SystemClock())
        today = api.today()
        report = api.report(today - timedelta(days=6), today)
        lines = [f"Guardian demo family in {home}", ""]
        for child in report["children"]:
            rules_child = api.rules().child(child["name"])
            week = sum(d["screen_time_s"] for d in child["days"])
            hits = sum(d["events"].get("limit_reached", 0) for d in child["days"])
            blocked = sum(d["events"].get("blocked_launch", 0) for d in child["days"])
            age = rules_child.age if rules_child else "?"
            preset = rules_child.preset if rules_child else "-"
            lines.append(
                f"  {child['name']} ({age}, preset {preset}): {format_hm(week // 7)} a day this week, "
                f"{hits} limits reached, {blocked} blocked launches"
            )
        lines += [
            "",
            f"Parent PIN {DEMO_PINS['parent']}, caregiver PIN {DEMO_PINS['caregiver']} (demo only).",
            f"Try: guardian status --home {home}",
            f"     guardian report --home {home}",
        ]
    return "\n".join(lines)


__all__ = ["build", "demo_rules", "generate", "summary"]
