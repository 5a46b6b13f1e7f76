"""Each stage of the agent's tick alone, with fakes: sample, credit, evaluate, enforce, record."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from guardian.agent.accountant import Accountant
from guardian.agent.credit import LOCK_QUIET, Crediter, Use, decide
from guardian.agent.enforcer import Enforcer
from guardian.agent.evaluate import Evaluator
from guardian.agent.events import EventLog
from guardian.agent.observe import Foreground, Observation, Observer, Trays
from guardian.agent.record import LiveView, Recorder
from guardian.agent.sampler import Proc, Sampler
from guardian.api import GuardianAPI
from guardian.core.catalog import Catalog
from guardian.core.clock import FakeClock
from guardian.core.familyfile import loads
from guardian.core.messages import AgentHealth, BlockedNotice, SessionReport
from guardian.core.model import SCREEN, Grant, Interval
from guardian.core.policy import ChildStatus
from guardian.core.rows import keep_later_end, upsert_rows
from guardian.platform.base import Session
from guardian.platform.fake import FakePlatform
from guardian.store import Store
from tests.helpers import VN, child_entry, ts

RULES = loads(
    """
[settings]
warn_before = ["5m"]

[[app]]
id = "game"
category = "games"
match = { exe_names = ["game"] }

[[app]]
id = "homework"
category = "education"
match = { exe_names = ["homework"] }

[[child]]
name = "Kid"
accounts = ["kid"]
screen_time = "1h"
always_allowed = ["homework"]
blocked = ["sleepy"]
  [[child.app_limit]]
  apps = ["game"]
  daily = "10m"

[[app]]
id = "sleepy"
category = "games"
match = { exe_names = ["sleepy"] }
"""
)
KID = RULES.children[0]
CATALOG = Catalog((), RULES.apps)
NOW = ts("2026-11-27 16:00")


def proc(pid: int, app: str | None, user: str = "kid") -> Proc:
    return Proc(pid, 1.0, user, child="Kid", name=app or "sh", app=app)


def observation(**kwargs: Any) -> Observation:
    base: dict[str, Any] = {
        "now": NOW,
        "mono": 100.0,
        "credit": 1.0,
        "sessions": [Session("s1", "kid")],
        "foreground": Foreground(),
        "apps": {"Kid": [proc(10, "game")]},
    }
    return Observation(**{**base, **kwargs})


# -- credit ------------------------------------------------------------------------------------------


def test_credit_counts_running_apps_and_screen_time_without_a_foreground() -> None:
    use = decide(KID, observation(), CATALOG, 300)
    assert use == Use(["game", SCREEN], tray_missing=True)


def test_credit_nothing_while_every_session_is_idle_by_the_os() -> None:
    obs = observation(idle_os={"s1": 900.0})
    assert decide(KID, obs, CATALOG, 300) == Use()


def test_a_tray_cannot_claim_idle_beyond_the_os_nor_hide_running_apps() -> None:
    tray_only = Foreground(sources=1)  # a tray said what is in front, and it is none of the child's apps
    obs = observation(foreground=tray_only, idle_os={"s1": 3.0}, idle_tray={"s1": 9999.0})
    assert decide(KID, obs, CATALOG, 300).apps == ["game", SCREEN]
    unknown_os = observation(foreground=tray_only, idle_os={"s1": None}, idle_tray={"s1": 9999.0})
    assert decide(KID, unknown_os, CATALOG, 300).apps == ["game", SCREEN]
    nothing_runs = observation(apps={"Kid": []}, idle_os={"s1": None}, idle_tray={"s1": 9999.0})
    assert decide(KID, nothing_runs, CATALOG, 300) == Use()


def test_locked_time_is_not_screen_time_and_a_trays_lock_is_bounded_by_the_os() -> None:
    by_os = observation(sessions=[Session("s1", "kid", locked=True)])
    assert decide(KID, by_os, CATALOG, 300) == Use()
    quiet = observation(idle_os={"s1": LOCK_QUIET}, locked_tray={"s1": True})
    assert decide(KID, quiet, CATALOG, 300) == Use(), "the tray's lock, nobody at the keyboard"
    typing = observation(idle_os={"s1": 1.0}, locked_tray={"s1": True})
    assert decide(KID, typing, CATALOG, 300).apps == ["game", SCREEN], "the OS sees input: a lie"
    unknown_os = observation(idle_os={"s1": None}, locked_tray={"s1": True})
    assert decide(KID, unknown_os, CATALOG, 300).apps == ["game", SCREEN], "apps run, the OS cannot tell"
    nothing_runs = observation(apps={"Kid": []}, idle_os={"s1": None}, locked_tray={"s1": True})
    assert decide(KID, nothing_runs, CATALOG, 300) == Use()
    unlocked = observation(idle_os={"s1": 300.0}, locked_tray={"s1": False})
    assert decide(KID, unlocked, CATALOG, 600).apps == ["game", SCREEN]
    two = observation(
        sessions=[Session("s1", "kid"), Session("s2", "kid")], idle_os={"s1": 60.0}, locked_tray={"s1": True}
    )
    assert decide(KID, two, CATALOG, 300).apps == ["game", SCREEN], "the other session is in use"


def test_the_platforms_own_foreground_decides_what_counts() -> None:
    seen = Foreground(sources=1, seen=True, by_child={"Kid": "homework"}, present={"Kid"})
    assert decide(KID, observation(foreground=seen), CATALOG, 300) == Use(["homework"], foreground="homework")
    elsewhere = Foreground(sources=1, seen=True, present={"Kid"})
    assert decide(KID, observation(foreground=elsewhere), CATALOG, 300).apps == [SCREEN]
    other_user = Foreground(sources=1, seen=True)
    assert decide(KID, observation(foreground=other_user), CATALOG, 300) == Use()


@dataclass
class FakeBooks:
    credited: list[tuple[int, str, float]] = field(default_factory=list)
    only_calls: list[tuple[int, list[str]]] = field(default_factory=list)

    def credit(self, child_id: int, app: str, now: float, credit: float) -> None:
        self.credited.append((child_id, app, credit))

    def only(self, child_id: int, apps: list[str]) -> None:
        self.only_calls.append((child_id, apps))


def test_the_credit_stage_credits_the_books_and_reports_a_missing_tray_once() -> None:
    books, events = FakeBooks(), EventLog()
    crediter = Crediter(books, events)
    crediter.catalog = CATALOG
    child = SimpleNamespace(rules=KID, id=7, in_use=[], foreground=None, tray_missing_logged=False)
    crediter.run([child], observation())
    crediter.run([child], observation())
    assert books.credited == [(7, "game", 1.0), (7, SCREEN, 1.0)] * 2
    assert books.only_calls[-1] == (7, ["game", SCREEN]) and child.in_use == ["game", SCREEN]
    assert [e.kind for e in events.pending] == ["tray_missing"]


# -- evaluate ----------------------------------------------------------------------------------------


@dataclass
class FakeLedger:
    rows: list[Interval]

    def intervals(self, child_id: int, since: float) -> list[Interval]:
        return [iv for iv in self.rows if iv.end > since]


def evaluated_child(in_use: list[str]) -> SimpleNamespace:
    return SimpleNamespace(
        rules=KID,
        id=1,
        in_use=in_use,
        grants=list[Grant](),
        paused=False,
        status=None,
        evaluated_at=0.0,
        evaluated_in_use=[],
        view={"stale": True},
    )


def test_the_evaluate_stage_reads_the_books_and_reevaluates_only_when_due() -> None:
    ledger = FakeLedger([Interval(NOW - 600, NOW, "game")])
    evaluator = Evaluator(ledger)
    evaluator.rules, evaluator.catalog = RULES, CATALOG
    child = evaluated_child(["game", SCREEN])
    day_start = ts("2026-11-27 00:00")
    evaluator.run([child], NOW, "2026-11-27", day_start, VN)
    status = child.status
    assert isinstance(status, ChildStatus) and status.app_verdict("game") == "exhausted"
    assert child.view is None and child.evaluated_in_use == ["game", SCREEN]
    evaluator.run([child], NOW + 1, "2026-11-27", day_start, VN)
    assert child.status is status, "re-evaluated although nothing changed"
    child.in_use = [SCREEN]
    evaluator.run([child], NOW + 2, "2026-11-27", day_start, VN)
    assert child.status is not status


def test_the_evaluate_stage_does_not_bring_an_issued_warning_again() -> None:
    ledger = FakeLedger([Interval(NOW - 57 * 60, NOW, SCREEN)])  # 3 minutes of screen time left
    evaluator = Evaluator(ledger)
    evaluator.rules, evaluator.catalog = RULES, CATALOG
    child = evaluated_child([SCREEN])
    day_start = ts("2026-11-27 00:00")
    evaluator.run([child], NOW, "2026-11-27", day_start, VN)
    assert [w.subject for w in child.status.warnings_due] == ["screen"]
    child.in_use = []
    evaluator.run([child], NOW + 1, "2026-11-27", day_start, VN)
    assert child.status.warnings_due == []


# -- enforce -----------------------------------------------------------------------------------------


def test_the_enforce_stage_reports_to_the_event_sink_and_announces() -> None:
    platform, events, announced = FakePlatform(), EventLog(), []
    audience: list[object] = []
    enforcer = Enforcer(
        platform,
        events,
        lambda event, users: (announced.append(event), audience.append(users)),
        close_timeout=3.0,
    )
    ledger = FakeLedger([])
    evaluator = Evaluator(ledger)
    evaluator.rules, evaluator.catalog = RULES, CATALOG
    child = evaluated_child([])
    evaluator.run([child], NOW, "2026-11-27", ts("2026-11-27 00:00"), VN)
    blocked = proc(42, "sleepy")
    enforcer.on_launch(blocked, child.status, 1, NOW, {"kid"})
    assert platform.actions("request_close") == [42] and blocked.closing_since == NOW
    assert [e.kind for e in events.pending] == ["blocked_launch"]
    assert announced[0] == BlockedNotice(child.status.child, "sleepy", "blocked")
    assert audience == [{"kid"}], "only the child's own trays hear of it"

    gone = proc(43, "sleepy")
    enforcer.on_launch(gone, child.status, 1, NOW, {"kid"})
    free = proc(44, "free")
    table = {42: blocked, 44: free, 43: proc(43, "other")}  # pid 43 now names another process
    enforcer.follow_up(table, NOW + 2.9)
    assert platform.actions("force_close") == [], "not before the timeout"
    enforcer.follow_up(table, NOW + 3.0)
    assert platform.actions("force_close") == [42], "only what was asked to close and is still there"
    assert set(enforcer.closing) == {42}
    enforcer.follow_up({}, NOW + 10.0)
    assert enforcer.closing == {} and platform.actions("force_close") == [42]


# -- sample ------------------------------------------------------------------------------------------


def test_the_sample_stage_refuses_a_tray_for_a_session_the_account_does_not_have() -> None:
    clock, events = FakeClock(now=NOW, monotonic=100.0), EventLog()
    platform = FakePlatform(session_list=[Session("s1", "kid")])
    trays = Trays(clock, events, interval=1.0)
    observer = Observer(
        Sampler(CATALOG, {"kid": "Kid"}, pids=lambda: [], newest_pid=lambda: None), platform, clock, trays
    )
    observer.accounts = {"kid"}
    early = SessionReport("s1")
    assert trays.accept("kid", early, NOW, 1) is False and events.pending == [], "no session known yet"
    observer.observe(NOW, 100.0, 1.0, ["Kid"])
    fake = SessionReport("fake", foreground_pid=1)
    real = SessionReport("s1", foreground_pid=1, idle_s=5.0, locked=True)
    assert trays.accept("kid", fake, NOW, 1) is False
    assert trays.accept("kid", fake, NOW, 1) is False  # recorded once, not once per report
    assert trays.accept("other", real, NOW, None) is False
    assert trays.accept("kid", real, NOW, 1) is True
    assert [(e.kind, (e.data or {})["account"]) for e in events.pending] == [
        ("tray_report_rejected", "kid"),
        ("tray_report_rejected", "other"),
    ]
    obs = observer.observe(NOW + 1, 101.0, 1.0, ["Kid"])
    assert obs.idle_tray == {"s1": 5.0} and obs.locked_tray == {"s1": True}
    assert obs.foreground.by_child == {} and obs.foreground.present == set(), "pid 1 is not the kid's process"


# -- record ------------------------------------------------------------------------------------------


def test_the_record_stage_writes_rows_and_events_together_and_puts_them_back_on_failure(home: Path) -> None:
    store = Store(home / "guardian.db")
    api = GuardianAPI(store, FakeClock(now=NOW))
    api.import_rules('[[child]]\nname = "Kid"\naccounts = ["kid"]\n')
    child_id = store.children.id_for("Kid")
    assert child_id is not None
    events = EventLog()
    books = Accountant(store, events, interval=1.0)
    books.resume(NOW, 100.0)
    recorder = Recorder(store, books, events, flush_every=5.0)
    books.credit(child_id, "game", NOW, 1.0)
    books.credit(child_id, "game", NOW + 1, 1.0)
    events.event("warning", NOW, child_id=child_id)
    store.conn.execute("PRAGMA query_only = ON")  # the disk refuses writes
    assert recorder.flush(NOW + 1, 101.0, AgentHealth(True)) is False
    assert recorder.write_failures == 1 and [e.kind for e in events.pending] == ["warning"]
    store.conn.execute("PRAGMA query_only = OFF")
    assert recorder.flush(NOW + 1, 102.0, AgentHealth(True)) is True
    assert store.meta.get_json("agent_health") == AgentHealth(True).to_wire()
    assert [(iv.app, iv.seconds) for iv in store.usage.between(child_id, 0, 2**40)] == [("game", 2)]
    assert [e.kind for e in store.events.between(child_id, 0, 2**40)] == ["warning"]
    assert not recorder.due(103.0) and recorder.due(107.0)
    store.close()


def test_the_live_view_rebuilds_a_child_only_when_something_changed() -> None:
    status = SimpleNamespace(
        entry=lambda: child_entry("Kid", apps_used={"game": 60}), app_left=lambda app: 540
    )
    child = SimpleNamespace(status=status, in_use=["game", SCREEN], foreground=None, view=None)
    live = LiveView()
    health = AgentHealth.stopped()
    live.update([child], NOW, health)
    first = child.view
    assert live.get().children == [first] and first is not None and first.in_use == ["game"]
    assert first.apps_left == {"game": 540} and first.to_wire()["foreground"] is None
    live.update([child], NOW + 1, health)
    assert child.view is first
    child.in_use = [SCREEN]
    live.update([child], NOW + 2, health)
    assert child.view is not first


# -- the pieces they share ---------------------------------------------------------------------------


def test_one_merge_rule_the_later_end_wins() -> None:
    stored: dict[tuple[int, str, int], int] = {}
    upsert_rows(stored, [(1, "game", 10, 20), (1, "game", 10, 15), (1, "game", 10, 30)])
    assert stored == {(1, "game", 10): 30}
    keep_later_end(stored, (1, "game", 10), 25)
    assert stored[(1, "game", 10)] == 30


def test_data_version_changes_when_another_connection_commits(home: Path) -> None:
    with Store(home / "guardian.db") as mine, Store(home / "guardian.db") as other:
        before = mine.data_version()
        assert mine.data_version() == before
        other.meta.set("x", "1")
        assert mine.data_version() != before
