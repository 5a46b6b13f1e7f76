"""Typed repositories over a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.core.accounting import union_seconds
from guardian.core.clock import FakeClock
from guardian.core.model import SCREEN, App, AppMatch, Grant, Interval
from guardian.store import AppRow, NewEvent, PinRecord, Store
from guardian.store.activity_repos import MAX_ROW_SPAN

NOW = 1_780_000_000


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "guardian.db", clock=FakeClock(now=NOW)) as opened:
        yield opened


def family(store: Store) -> tuple[int, int]:
    store.rules.save("doc", "test", [("An", 9, ["an"]), ("Binh", 12, ["binh", "binh2"])])
    an, binh = store.children.id_for("An"), store.children.id_for("Binh")
    assert an is not None and binh is not None
    return an, binh


# --- meta, rules, children ------------------------------------------------------------------


def test_meta_round_trips_text_and_json(store: Store) -> None:
    assert store.meta.get("missing") is None
    store.meta.set("clock", "1")
    store.meta.set("clock", "2")
    store.meta.set_json("backoff", {"failures": 3, "until": 12.5})
    assert store.meta.get("clock") == "2"
    assert store.meta.get_json("backoff") == {"failures": 3, "until": 12.5}
    store.meta.delete("clock")
    assert store.meta.get("clock") is None


def test_rules_save_returns_increasing_versions_and_current_is_latest(store: Store) -> None:
    assert store.rules.current() is None
    first = store.rules.save("one", "import", [])
    second = store.rules.save("two", "console", [])
    assert second > first
    assert store.rules.current() == (second, "two")
    assert store.rules.document(first) == "one"
    assert store.rules.history() == [(second, NOW, "console"), (first, NOW, "import")]


def test_children_and_accounts_follow_saved_rules(store: Store) -> None:
    an, binh = family(store)
    children = store.children.all()
    assert [(c.name, c.age, c.accounts) for c in children] == [
        ("An", 9, ("an",)),
        ("Binh", 12, ("binh", "binh2")),
    ]
    child = store.children.by_account("binh2")
    assert child is not None and child.id == binh
    assert store.children.by_name("an") == store.children.by_id(an)
    assert store.children.by_account("nobody") is None


def test_removed_child_is_deactivated_with_history_and_reactivated_by_name(store: Store) -> None:
    _, binh = family(store)
    store.usage.write([(binh, SCREEN, 100, 200)])
    store.rules.save("doc2", "test", [("An", 10, ["an"])])
    assert [c.name for c in store.children.all()] == ["An"]
    gone = store.children.by_name("Binh")
    assert gone is not None and not gone.active and gone.accounts == ()
    assert store.children.by_account("binh") is None
    assert store.usage.between(binh, 0, 1000) == [Interval(100, 200, SCREEN)]

    store.rules.save("doc3", "test", [("BINH", 13, ["binh"]), ("An", 10, ["an"])])
    back = store.children.by_name("binh")
    assert back is not None and back.id == binh and back.active and back.name == "BINH"
    assert [c.name for c in store.children.all()] == ["BINH", "An"]


def test_failed_rules_save_changes_nothing(store: Store) -> None:
    family(store)
    before = store.rules.current()
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store.rules.save("bad", "test", [("Cuc", 7, ["an"]), ("Dao", 8, ["an"])])
    assert store.rules.current() == before
    assert [c.name for c in store.children.all()] == ["An", "Binh"]


# --- usage ----------------------------------------------------------------------------------


def test_usage_write_extends_an_interval_with_the_same_key(store: Store) -> None:
    an, _ = family(store)
    store.usage.write([(an, "game", 100, 160), (an, SCREEN, 100, 160)])
    store.usage.write([(an, "game", 100, 220)])
    store.usage.write([(an, "game", 100, 180)])  # a late, shorter sample never shrinks it
    assert store.usage.between(an, 0, 1000) == [
        Interval(100, 160, SCREEN),
        Interval(100, 220, "game"),
    ]
    assert store.usage.last_end(an) == 220


def test_usage_between_returns_overlapping_intervals_only(store: Store) -> None:
    an, binh = family(store)
    store.usage.write(
        [
            (an, "long", 0, 10_000),  # starts long before the window
            (an, "before", 100, 1000),  # ends exactly at the window start
            (an, "edge", 900, 1001),
            (an, "inside", 1500, 1600),
            (an, "after", 2000, 2100),  # starts exactly at the window end
            (binh, "other-child", 1500, 1600),
        ]
    )
    found = store.usage.between(an, 1000, 2000)
    assert [iv.app for iv in found] == ["long", "edge", "inside"]
    assert [iv.start for iv in found] == sorted(iv.start for iv in found)


def test_usage_last_end_is_none_without_usage(store: Store) -> None:
    an, _ = family(store)
    assert store.usage.last_end(an) is None
    store.usage.write([(an, "a", 0, 5000), (an, "b", 100, 200)])
    assert store.usage.last_end(an) == 5000


def test_usage_for_unknown_child_is_refused(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.usage.write([(999, "game", 0, 10)])


# --- events, requests, grants, parents, apps -----------------------------------------------


def test_events_round_trip_with_json_data_and_filters(store: Store) -> None:
    an, binh = family(store)
    store.events.add("warning", ts=100, child_id=an, data={"left": 300})
    store.events.add("clock_changed", ts=150, data={"delta": -3600})
    store.events.add_many(
        [NewEvent("app_closed", 200, binh, "game"), NewEvent("warning", 300, an, None, None)]
    )
    assert [e.kind for e in store.events.between(None, 0, 1000)] == [
        "warning",
        "clock_changed",
        "app_closed",
        "warning",
    ]
    mine = store.events.between(an, 100, 300)
    assert [(e.ts, e.data) for e in mine] == [(100, {"left": 300})]
    closed = store.events.between(None, 0, 1000, kinds=["app_closed"])
    assert [(e.child_id, e.app) for e in closed] == [(binh, "game")]


def test_requests_are_answered_once(store: Store) -> None:
    an, binh = family(store)
    first = store.requests.add(an, 900, ts=100, reason="homework")
    store.requests.add(binh, 600, ts=200, app="game")
    assert [r.id for r in store.requests.pending(an)] == [first]
    answered = store.requests.answer(first, "approved", 600, "parent", 150)
    assert answered is not None
    assert (answered.status, answered.answered_seconds, answered.answered_at) == (
        "approved",
        600,
        150,
    )
    assert store.requests.answer(first, "denied", 0, "parent", 160) is None
    assert [r.child_id for r in store.requests.pending()] == [binh]
    assert [r.id for r in store.requests.between(an, 0, 1000)] == [first]
    with pytest.raises(ValueError):
        store.requests.answer(first, "pending", 0, "parent", 170)


def test_grants_are_found_by_logical_day(store: Store) -> None:
    an, _ = family(store)
    store.grants.add(an, Grant("2026-05-01", 600, None, "chores", "parent"), ts=100)
    store.grants.add(an, Grant("2026-05-02", 300, "game", "", "caregiver"), ts=200)
    store.grants.add(an, Grant("2026-05-04", 60), ts=300)
    assert store.grants.for_day(an, "2026-05-02") == [Grant("2026-05-02", 300, "game", "", "caregiver")]
    assert [g.day for g in store.grants.between_days(an, "2026-05-01", "2026-05-03")] == [
        "2026-05-01",
        "2026-05-02",
    ]


def test_parents_store_pin_records_per_role(store: Store) -> None:
    record = PinRecord(b"hash", b"salt", 2**14, 8, 1, NOW)
    assert store.parents.get("parent") is None
    store.parents.set("parent", record)
    assert store.parents.get("parent") == record
    assert store.parents.roles() == ["parent"]
    with pytest.raises(ValueError):
        store.parents.set("child", record)
    store.parents.remove("parent")
    assert store.parents.roles() == []


def test_apps_registry_upserts_model_apps_and_rows(store: Store) -> None:
    store.apps.upsert_many(
        [App("chess", "Chess", "games", AppMatch(), builtin=True), AppRow("mine", "Mine", "", True)]
    )
    store.apps.upsert_many([AppRow("chess", "Chess 2", "education", False)])
    assert store.apps.all() == [
        AppRow("chess", "Chess 2", "education", False),
        AppRow("mine", "Mine", "", True),
    ]


# --- retention and erasure -------------------------------------------------------------------


def test_purge_before_removes_only_older_records(store: Store) -> None:
    an, _ = family(store)
    store.usage.write([(an, "old", 0, 100), (an, "new", 900, 1100)])
    store.events.add("warning", ts=50, child_id=an)
    store.events.add("warning", ts=1500, child_id=an)
    store.requests.add(an, 60, ts=10)
    store.grants.add(an, Grant("2026-01-01", 60), ts=10)
    store.pauses.set(an, "2026-01-01", "parent", ts=10)
    store.pauses.set(an, "2026-01-02", "parent", ts=1200)
    removed = store.purge_before(1000)
    assert removed == {"usage": 1, "events": 1, "requests": 1, "grants": 1, "pauses": 1, "web_blocks": 0}
    assert not store.pauses.on_day(an, "2026-01-01") and store.pauses.on_day(an, "2026-01-02")
    assert [iv.app for iv in store.usage.between(an, 0, 5000)] == ["new"]
    assert [e.ts for e in store.events.between(an, 0, 5000)] == [1500]


def test_erase_child_data_removes_records_and_inactive_child(store: Store) -> None:
    an, binh = family(store)
    for child in (an, binh):
        store.usage.write([(child, SCREEN, 0, 100)])
        store.events.add("warning", ts=10, child_id=child)
        store.requests.add(child, 60, ts=10)
        store.grants.add(child, Grant("2026-01-01", 60), ts=10)
    store.rules.save("doc2", "test", [("An", 9, ["an"])])
    store.erase_child_data(binh)
    store.erase_child_data(an)
    assert store.children.by_name("Binh") is None
    assert store.children.by_name("An") is not None
    for child in (an, binh):
        assert store.usage.between(child, 0, 1000) == []
        assert store.events.between(child, 0, 1000) == []
        assert store.requests.between(child, 0, 1000) == []


def test_store_atomic_groups_writes_from_several_repos(store: Store) -> None:
    an, _ = family(store)
    with pytest.raises(RuntimeError), store.atomic():
        store.usage.write([(an, SCREEN, 0, 100)])
        store.events.add("warning", ts=10, child_id=an)
        raise RuntimeError
    assert store.usage.between(an, 0, 1000) == []
    assert store.events.between(an, 0, 1000) == []


def test_a_long_interval_is_stored_in_pieces_and_never_widens_later_queries(store: Store) -> None:
    an, _ = family(store)
    month = 30 * 86_400
    store.usage.write([(an, "left-running", 0, month)])
    store.usage.write([(an, "left-running", 0, month + 100)])  # the same open interval, extended
    rows = store.conn.execute(
        "SELECT start, end FROM usage WHERE child_id = ? ORDER BY start", (an,)
    ).fetchall()
    assert all(end - start <= MAX_ROW_SPAN for start, end in rows)
    assert sum(end - start for start, end in rows) == month + 100
    assert store.meta.get("store.usage_max_span") is None
    later = store.usage.between(an, month - 10, month + 10)
    assert [(iv.start, iv.end) for iv in later] == [(month - MAX_ROW_SPAN, month), (month, month + 100)]
    assert union_seconds(store.usage.between(an, 0, month + 100), 0, month + 100) == month + 100
    assert store.usage.last_end(an) == month + 100
