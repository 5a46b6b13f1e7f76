"""Retention deletes exactly what is older than ``retention_days``, in batches that survive kill -9; a
child's records can be exported and erased with the parent PIN, and erasing leaves no row of that child."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guardian.api import GuardianAPI
from guardian.cli import main
from guardian.core.clock import FakeClock
from guardian.core.model import Child, Grant, Rules, Settings
from guardian.errors import PinRequired, WrongPin
from guardian.store import Store

NOW = 1_790_000_000
DAY = 86_400
KEEP_DAYS = 30
CUTOFF = NOW - KEEP_DAYS * DAY
PIN = "2468"


def rules() -> Rules:
    children = (Child(name="An", accounts=("an",)), Child(name="Binh", accounts=("binh",)))
    return Rules(settings=Settings(timezone="UTC", retention_days=KEEP_DAYS), children=children)


def fill(store: Store, child_id: int, *, days: int = 60, per_day: int = 12) -> None:
    """``per_day`` usage rows, events, a request and a grant a day for ``days`` days before NOW."""
    usage, events = [], []
    for d in range(days):
        base = NOW - (d + 1) * DAY
        for n in range(per_day):
            start = base + n * 600
            usage.append((child_id, "minecraft" if n % 2 else "@screen", start, start + 300))
            events.append(("warning", start + 10))
        store.requests.add(child_id, 900, ts=base + 100)
        store.grants.add(child_id, Grant(str(d), 600), base + 200)
        store.pauses.set(child_id, f"day-{d}", "parent", base + 300)
    store.usage.write(usage)
    from guardian.store.rows import NewEvent

    store.events.add_many(NewEvent(kind, ts, child_id) for kind, ts in events)


def edge_rows(store: Store, child_id: int) -> None:
    """Rows right at the cut-off: one second older goes, the cut-off itself and straddling rows stay."""
    store.usage.write(
        [
            (child_id, "edge-old", CUTOFF - 101, CUTOFF - 1),
            (child_id, "edge-at", CUTOFF - 100, CUTOFF),
            (child_id, "edge-straddle", CUTOFF - 50, CUTOFF + 50),
        ]
    )
    store.events.add("edge-old", ts=CUTOFF - 1, child_id=child_id)
    store.events.add("edge-at", ts=CUTOFF, child_id=child_id)
    store.events.add("machine-old", ts=CUTOFF - 1)
    store.events.add("machine-new", ts=CUTOFF + 1)


@pytest.fixture
def family(tmp_path: Path) -> GuardianAPI:
    store = Store(tmp_path / "guardian.db")
    api = GuardianAPI(store, FakeClock(now=NOW))
    api.save_rules(rules(), "test")
    for name in ("An", "Binh"):
        child_id = store.children.id_for(name)
        assert child_id is not None
        fill(store, child_id)
        edge_rows(store, child_id)
    return api


def snapshot(path: Path) -> dict[str, set[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        return {
            "usage": set(db.execute("SELECT child_id, app, start, end FROM usage")),
            "events": set(db.execute("SELECT id, child_id, ts, kind FROM events WHERE kind != 'retention'")),
            "requests": set(db.execute("SELECT id, child_id, ts FROM requests")),
            "grants": set(db.execute("SELECT id, child_id, ts FROM grants")),
            "pauses": set(db.execute("SELECT child_id, day, ts FROM pauses")),
        }
    finally:
        db.close()


def expected_after(before: dict[str, set[tuple[object, ...]]]) -> dict[str, set[tuple[object, ...]]]:
    """What must remain: usage that ends at or after the cut-off, everything else made at or after it."""
    return {
        "usage": {r for r in before["usage"] if int(r[3]) >= CUTOFF},  # type: ignore[call-overload]
        "events": {r for r in before["events"] if int(r[2]) >= CUTOFF},  # type: ignore[call-overload]
        "requests": {r for r in before["requests"] if int(r[2]) >= CUTOFF},  # type: ignore[call-overload]
        "grants": {r for r in before["grants"] if int(r[2]) >= CUTOFF},  # type: ignore[call-overload]
        "pauses": {r for r in before["pauses"] if int(r[2]) >= CUTOFF},  # type: ignore[call-overload]
    }


def test_retention_deletes_exactly_what_is_older_than_n_days(family: GuardianAPI) -> None:
    path = family.store.path
    before = snapshot(path)
    removed = family.apply_retention(batch=37)
    after = snapshot(path)
    assert after == expected_after(before)
    assert removed is not None and removed["usage"] == len(before["usage"]) - len(after["usage"])
    assert {"edge-at", "edge-straddle"} <= {r[1] for r in after["usage"]}
    assert "edge-old" not in {r[1] for r in after["usage"]}
    assert {r[3] for r in after["events"]} >= {"edge-at", "machine-new"}
    assert not {"edge-old", "machine-old"} & {r[3] for r in after["events"]}
    [log] = family.store.events.between(None, NOW, NOW + 1, kinds=["retention"])
    assert log.data == removed


def test_retention_runs_once_a_day_unless_forced(family: GuardianAPI) -> None:
    assert family.apply_retention() is not None
    assert family.apply_retention() is None
    assert family.apply_retention(force=True) == {
        t: 0 for t in ("usage", "events", "requests", "grants", "pauses", "web_blocks")
    }


KILLABLE = textwrap.dedent(
    """
    import sys
    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store

    def progress(table, n):
        print(table, n, flush=True)
        sys.stdin.readline()  # wait between batches until the test says go on (or kills us)

    store = Store(sys.argv[1])
    GuardianAPI(store, FakeClock(now=float(sys.argv[2]))).apply_retention(batch=25, progress=progress)
    print("done", flush=True)
    """
)


def test_retention_killed_between_batches_leaves_a_consistent_database_and_finishes_later(
    family: GuardianAPI,
) -> None:
    path = family.store.path
    before = snapshot(path)
    family.store.close()
    with subprocess.Popen(
        [sys.executable, "-c", KILLABLE, str(path), str(NOW)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        seen = []
        for _ in range(3):
            seen.append(proc.stdout.readline().split())
            proc.stdin.write("\n")
            proc.stdin.flush()
        seen.append(proc.stdout.readline().split())  # the fourth batch is committed; the process waits
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert [row[0] for row in seen] == ["usage"] * 4 and all(row[1] == "25" for row in seen)
    middle = snapshot(path)
    want = expected_after(before)
    assert len(before["usage"]) - len(middle["usage"]) == 100  # exactly the committed batches
    for table, rows in middle.items():
        assert want[table] <= rows  # nothing newer than the cut-off was touched
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    with Store(path) as store:
        api = GuardianAPI(store, FakeClock(now=NOW))
        assert api.apply_retention() is not None  # the killed pass never marked the day done
    assert snapshot(path) == want


def all_tables_with_child(path: Path) -> dict[str, int]:
    """Rows per table whose ``child_id`` (or ``id`` for children) names child 1."""
    db = sqlite3.connect(path)
    try:
        counts = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if "child_id" in columns:
                counts[table] = db.execute(f"SELECT count(*) FROM {table} WHERE child_id = 1").fetchone()[0]
        return counts
    finally:
        db.close()


def test_erase_leaves_no_record_of_that_child_in_any_table(family: GuardianAPI) -> None:
    family.set_pin("parent", PIN)
    assert family.store.children.id_for("An") == 1
    other = {t: n for t, n in snapshot(family.store.path).items()}
    with pytest.raises(PinRequired):
        family.erase_child_records("An")
    with pytest.raises(WrongPin):
        family.erase_child_records("An", pin="0000")
    changed = snapshot(family.store.path)
    changed["events"] = {e for e in changed["events"] if e[3] != "pin_failed"}  # the wrong PIN is logged
    assert changed == other  # nothing else changed without the PIN
    removed = family.erase_child_records("an", pin=PIN)
    assert sum(removed.values()) > 0
    counts = all_tables_with_child(family.store.path)
    assert set(counts) >= {"usage", "events", "requests", "grants", "pauses", "accounts"}
    assert {t: n for t, n in counts.items() if t != "accounts"} == dict.fromkeys(
        set(counts) - {"accounts"}, 0
    )
    assert counts["accounts"] == 1  # the rules still name An's account, so the agent keeps enforcing
    binh = family.store.children.id_for("Binh")
    after = snapshot(family.store.path)
    assert {r for r in other["usage"] if r[0] == binh} == {r for r in after["usage"] if r[0] == binh}
    db = sqlite3.connect(family.store.path)
    logged = db.execute("SELECT child_id, data FROM events WHERE kind = 'child_erased'").fetchall()
    db.close()
    assert len(logged) == 1 and logged[0][0] is None and "An" not in logged[0][1]


def test_erasing_a_child_no_longer_in_the_rules_removes_the_child_too(family: GuardianAPI) -> None:
    family.save_rules(Rules(settings=rules().settings, children=(rules().children[1],)), "test")
    family.erase_child_records("An")
    assert all(n == 0 for n in all_tables_with_child(family.store.path).values())
    assert [r.name for r in family.store.children.all(active_only=False)] == ["Binh"]


def test_export_holds_every_record_of_the_child_and_is_logged(family: GuardianAPI) -> None:
    family.set_pin("parent", PIN)
    with pytest.raises(PinRequired):
        family.export_child_records("An")
    data = family.export_child_records("An", pin=PIN)
    assert data["child"] == "An" and data["app_names"]["minecraft"] == "Minecraft"
    counts = {t: len(rows) for t, rows in data["records"].items()}
    db = sqlite3.connect(family.store.path)
    for table in counts:
        assert counts[table] == db.execute(f"SELECT count(*) FROM {table} WHERE child_id = 1").fetchone()[
            0
        ] - (
            1 if table == "events" else 0  # the export's own log line came after
        )
    db.close()
    json.dumps(data)
    assert family.store.events.between(1, NOW, NOW + 1, kinds=["child_exported"])


def test_cli_child_export_and_erase_need_the_parent_pin(
    family: GuardianAPI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    family.set_pin("parent", PIN)
    home = str(family.store.path.parent)
    family.store.close()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--home", home, "child", "erase", "An"]) == 1
    assert "parent PIN" in capsys.readouterr().err
    monkeypatch.setenv("GUARDIAN_PIN", PIN)
    out = tmp_path / "an.json"
    assert main(["--home", home, "child", "export", "An", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["records"]["usage"]
    assert main(["--home", home, "child", "erase", "An"]) == 0
    assert "Erased" in capsys.readouterr().out
    assert all_tables_with_child(Path(home) / "guardian.db")["usage"] == 0


def test_the_console_applies_retention_at_start(family: GuardianAPI) -> None:
    from guardian.ui.console.app import apply_retention

    before = snapshot(family.store.path)
    apply_retention(family)
    assert snapshot(family.store.path) == expected_after(before)
    assert family.store.meta.get("retention_done_for") is not None
