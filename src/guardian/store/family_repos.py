"""Repositories for what the parents configure: meta settings, rules, children, apps, PINs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from guardian.core.model import ROLES, App
from guardian.store.base import Repo
from guardian.store.connection import path_of
from guardian.store.family_copy import write_family_copy
from guardian.store.rows import AppRow, ChildRow, PinRecord

ChildSpec = tuple[str, int | None, Sequence[str]]
"""``(name, age, accounts)`` of one child in a saved rules document, in file order."""


class MetaRepo(Repo):
    """Small key/value settings: trusted clock state, PIN back-off, app settings."""

    def get(self, key: str) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def delete(self, key: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def get_json(self, key: str) -> Any:
        """The JSON value under ``key``, or ``None`` when unset."""
        raw = self.get(key)
        return None if raw is None else json.loads(raw)

    def set_json(self, key: str, value: Any) -> None:
        self.set(key, json.dumps(value, separators=(",", ":"), sort_keys=True))


class RulesRepo(Repo):
    """Every saved family file as opaque text; the newest row is the current rules."""

    def save(self, document: str, source: str, children: Sequence[ChildSpec]) -> int:
        """Store ``document`` and sync children and accounts in the same transaction.

        Children missing from ``children`` are deactivated (their history stays); a name that
        comes back (case-insensitively) reactivates the same child. Returns the new version.
        """
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO rules (created_at, source, document) VALUES (?, ?, ?)",
                (self._timestamp(), source, document),
            )
            _sync_children(db, children)
        assert cursor.lastrowid is not None
        write_family_copy(path_of(self._conn), document)
        return cursor.lastrowid

    def current(self) -> tuple[int, str] | None:
        """``(version, document)`` of the latest rules, or ``None`` before the first save."""
        with self._read() as db:
            row = db.execute("SELECT version, document FROM rules ORDER BY version DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def history(self, limit: int = 20) -> list[tuple[int, int, str]]:
        """``(version, created_at, source)``, newest first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT version, created_at, source FROM rules ORDER BY version DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def document(self, version: int) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT document FROM rules WHERE version = ?", (version,)).fetchone()
        return None if row is None else str(row[0])


def _sync_children(db: sqlite3.Connection, children: Sequence[ChildSpec]) -> None:
    db.execute("UPDATE children SET active = 0, position = NULL")
    db.execute("DELETE FROM accounts")
    for position, (name, age, accounts) in enumerate(children):
        row = db.execute(
            "INSERT INTO children (name, age, position, active) VALUES (?, ?, ?, 1)"
            " ON CONFLICT(name) DO UPDATE SET name = excluded.name, age = excluded.age,"
            " position = excluded.position, active = 1"
            " RETURNING id",
            (name, age, position),
        ).fetchone()
        db.executemany(
            "INSERT INTO accounts (username, child_id) VALUES (?, ?)",
            [(account, row[0]) for account in accounts],
        )


class ChildrenRepo(Repo):
    """Children as last saved with the rules; inactive ones keep their id and history."""

    def all(self, active_only: bool = True) -> list[ChildRow]:
        where = "WHERE active = 1" if active_only else ""
        with self._read() as db:
            rows = db.execute(
                f"SELECT id, name, age, active FROM children {where} ORDER BY active DESC, position, name"
            ).fetchall()
            accounts = self._accounts(db)
        return [_child(row, accounts.get(row[0], ())) for row in rows]

    def by_name(self, name: str) -> ChildRow | None:
        return self._one("SELECT id, name, age, active FROM children WHERE name = ?", name)

    def by_id(self, child_id: int) -> ChildRow | None:
        return self._one("SELECT id, name, age, active FROM children WHERE id = ?", child_id)

    def by_account(self, username: str) -> ChildRow | None:
        """The active child mapped to OS account ``username``."""
        return self._one(
            "SELECT c.id, c.name, c.age, c.active FROM accounts a"
            " JOIN children c ON c.id = a.child_id WHERE a.username = ?",
            username,
        )

    def id_for(self, name: str) -> int | None:
        child = self.by_name(name)
        return None if child is None else child.id

    def rename(self, old: str, new: str) -> bool:
        """Give child ``old`` the name ``new``, keeping its id and history; False when ``old`` is unknown."""
        with self._write() as db:
            return db.execute("UPDATE children SET name = ? WHERE name = ?", (new, old)).rowcount > 0

    def _one(self, sql: str, arg: object) -> ChildRow | None:
        with self._read() as db:
            row = db.execute(sql, (arg,)).fetchone()
            if row is None:
                return None
            accounts = self._accounts(db, row[0])
        return _child(row, accounts.get(row[0], ()))

    @staticmethod
    def _accounts(db: sqlite3.Connection, child_id: int | None = None) -> dict[int, tuple[str, ...]]:
        sql = "SELECT child_id, username FROM accounts"
        rows = (
            db.execute(sql + " ORDER BY username")
            if child_id is None
            else db.execute(sql + " WHERE child_id = ? ORDER BY username", (child_id,))
        )
        grouped: dict[int, tuple[str, ...]] = {}
        for owner, username in rows:
            grouped[owner] = (*grouped.get(owner, ()), username)
        return grouped


def _child(row: sqlite3.Row, accounts: tuple[str, ...]) -> ChildRow:
    age = row[2]
    return ChildRow(
        id=int(row[0]),
        name=str(row[1]),
        age=None if age is None else int(age),
        accounts=accounts,
        active=bool(row[3]),
    )


class AppsRepo(Repo):
    """Registry of app ids seen or known, so reports can name them."""

    def upsert_many(self, apps: Iterable[App | AppRow]) -> None:
        rows = [_app_row(app) for app in apps]
        with self._write() as db:
            db.executemany(
                "INSERT INTO apps (id, name, category, custom) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                " category = excluded.category, custom = excluded.custom",
                [(r.id, r.name, r.category, int(r.custom)) for r in rows],
            )

    def all(self) -> list[AppRow]:
        with self._read() as db:
            rows = db.execute("SELECT id, name, category, custom FROM apps ORDER BY id").fetchall()
        return [AppRow(str(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]


def _app_row(app: App | AppRow) -> AppRow:
    if isinstance(app, AppRow):
        return app
    return AppRow(id=app.id, name=app.name, category=app.category, custom=not app.builtin)


class ParentsRepo(Repo):
    """PIN hashes per role (``parent``, ``caregiver``)."""

    def get(self, role: str) -> PinRecord | None:
        with self._read() as db:
            row = db.execute(
                "SELECT hash, salt, n, r, p, created_at FROM parents WHERE role = ?", (role,)
            ).fetchone()
        if row is None:
            return None
        return PinRecord(bytes(row[0]), bytes(row[1]), *(int(v) for v in row[2:]))

    def set(self, role: str, record: PinRecord) -> None:
        _check_role(role)
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO parents (role, hash, salt, n, r, p, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (role, record.hash, record.salt, record.n, record.r, record.p, record.created_at),
            )

    def remove(self, role: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM parents WHERE role = ?", (role,))

    def roles(self) -> list[str]:
        with self._read() as db:
            return [str(r[0]) for r in db.execute("SELECT role FROM parents ORDER BY role")]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
