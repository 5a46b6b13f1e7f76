"""The command line on a broken or too-new database: one clear line, and the file left as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from guardian.cli import main
from guardian.store import Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["status"], ["report"], ["rules", "export"]])
def test_corrupt_database_is_reported_and_untouched(
    command: list[str], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = home / "guardian.db"
    db.write_bytes(b"this is not a database\n" * 200)
    before = digest(db)
    assert main(["--home", str(home), *command]) == 1
    err = capsys.readouterr().err
    assert err.startswith("guardian: ") and str(db) in err and len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert digest(db) == before
    assert sorted(p.name for p in home.iterdir()) == ["guardian.db"]


def test_newer_database_is_refused_and_untouched(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = home / "guardian.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = digest(db)
    assert main(["--home", str(home), "status"]) == 1
    err = capsys.readouterr().err
    assert "newer" in err and len(err.splitlines()) == 1
    assert digest(db) == before


def test_guardian_home_environment_variable_is_used(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUARDIAN_HOME", str(home))
    family = tmp_path / "family.toml"
    family.write_text('[[child]]\nname = "An"\n', encoding="utf-8")
    assert main(["rules", "import", str(family)]) == 0
    assert (home / "guardian.db").exists()
    assert main(["status"]) == 0
    assert "An: 0m used today" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["pages", "truncated"])
def test_status_reports_a_damaged_database_without_the_full_check(
    damage: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``status`` skips the page-by-page check at open; damage still gives the one clear line."""
    family = tmp_path / "family.toml"
    family.write_text('[[child]]\nname = "An"\naccounts = ["an"]\n', encoding="utf-8")
    assert main(["--home", str(home), "rules", "import", str(family)]) == 0
    db = home / "guardian.db"
    with Store(db) as store:
        child = store.children.id_for("An")
        assert child is not None
        store.usage.write((child, f"app{i % 7}", 1000 + i * 60, 1050 + i * 60) for i in range(2000))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file, none in the WAL
    data = bytearray(db.read_bytes())
    if damage == "pages":
        page_size = int.from_bytes(data[16:18], "big")
        for page in range(2, len(data) // page_size):  # every b-tree page header but the schema's
            data[page * page_size : page * page_size + 8] = b"\xff" * 8
    else:
        del data[len(data) // 2 :]
    db.write_bytes(bytes(data))
    before = digest(db)
    capsys.readouterr()
    assert main(["--home", str(home), "status"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("guardian: ") and str(db) in err and len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert digest(db) == before
