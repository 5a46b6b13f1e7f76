"""Every exception the store raises on purpose, in one place.

The store separates two kinds of failure:

* **Environment errors** — the disk is full, the file is read-only, damaged, locked by another
  process, or written by a newer Guardian. These are not bugs; the user can act on them. They are
  raised as subclasses of :class:`StoreError`, whose ``str()`` is a sentence fit to show a user and
  always names the database file.
* **Programming errors** — a typo in SQL, a missing table, a constraint the caller broke. These are
  *not* wrapped: the original ``sqlite3`` exception propagates so the bug crashes loudly.

Tree::

    StoreError
    ├── DatabaseCorrupt     not an SQLite file, or damaged (SQLITE_CORRUPT, SQLITE_NOTADB)
    ├── DatabaseReadOnly    file, folder or connection cannot be written (SQLITE_READONLY)
    ├── DiskFull            no space left (SQLITE_FULL)
    ├── DatabaseBusy        another process holds the lock too long (SQLITE_BUSY, SQLITE_LOCKED)
    ├── DatabaseMissing     opened read-only but there is no database yet
    ├── DatabaseTooNew      written by a newer Guardian (schema version above the code's)
    └── MigrationFailed     an upgrade step failed; the database was left at its old version

:func:`translating` turns ``sqlite3`` and ``OSError`` environment failures into these.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

# Primary result codes from sqlite3.h (extended codes keep these in their low byte).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StoreError(Exception):
    """Base of the store's environment errors; ``str(error)`` is a user-facing message."""

    template: ClassVar[str] = "The Guardian database {path} cannot be used{detail}."

    def __init__(self, path: Path | str, detail: str = "") -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(self.template.format(path=self.path, detail=_suffix(detail)))

    @property
    def message(self) -> str:
        return str(self)


class DatabaseCorrupt(StoreError):
    template = (
        "The Guardian database {path} is damaged or is not a Guardian database{detail}. "
        "It was left unchanged: restore a backup, or move the file aside to start fresh."
    )


class DatabaseReadOnly(StoreError):
    template = (
        "The Guardian database {path} cannot be written{detail}. "
        "Check that the file and its folder are writable by this user."
    )


class DiskFull(StoreError):
    template = (
        "There is no space left to write the Guardian database {path}{detail}. "
        "Free some disk space; the data saved before this point is intact."
    )


class DatabaseBusy(StoreError):
    template = (
        "The Guardian database {path} is locked by another program{detail}. "
        "Close other Guardian windows or wait a moment and try again."
    )


class DatabaseMissing(StoreError):
    template = "There is no Guardian database at {path}{detail}."


class DatabaseTooNew(StoreError):
    template = (
        "The Guardian database {path} was written by a newer version of Guardian{detail}. "
        "Update Guardian to open it; the file was not changed."
    )

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(path, f"schema version {found}; this version knows up to {supported}")


class MigrationFailed(StoreError):
    template = (
        "Upgrading the Guardian database {path} failed{detail}. "
        "The database was left at its previous version."
    )

    def __init__(self, path: Path | str, step: str, backup: Path | None) -> None:
        self.step = step
        self.backup = backup
        where = f"; a backup copy is at {backup}" if backup else ""
        super().__init__(path, f" at step {step}{where}".lstrip())


def _suffix(detail: str) -> str:
    return f" ({detail})" if detail else ""


def classify(exc: sqlite3.Error, path: Path | str) -> StoreError | None:
    """The environment error matching ``exc``, or ``None`` when ``exc`` is a programming error."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
        return None
    code = _primary_code(exc)
    detail = str(exc)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseCorrupt(path, detail)
    if code == SQLITE_READONLY:
        return DatabaseReadOnly(path, detail)
    if code == SQLITE_FULL:
        return DiskFull(path, detail)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(path, detail)
    if code == SQLITE_CANTOPEN:
        return StoreError(path, detail)
    return None


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    return _code_from_message(str(exc))


_MESSAGE_CODES: tuple[tuple[str, int], ...] = (
    ("malformed", SQLITE_CORRUPT),
    ("not a database", SQLITE_NOTADB),
    ("readonly database", SQLITE_READONLY),
    ("database or disk is full", SQLITE_FULL),
    ("database is locked", SQLITE_BUSY),
    ("database table is locked", SQLITE_LOCKED),
    ("unable to open database", SQLITE_CANTOPEN),
)


def _code_from_message(message: str) -> int | None:
    lowered = message.lower()
    for needle, code in _MESSAGE_CODES:
        if needle in lowered:
            return code
    return None


def classify_os_error(exc: OSError, path: Path | str) -> StoreError | None:
    """The environment error matching a file-system failure, or ``None``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path, exc.strerror or "")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseReadOnly(path, exc.strerror or "")
    return None


@contextmanager
def translating(path: Path | str) -> Iterator[None]:
    """Re-raise environment failures inside the block as :class:`StoreError` naming ``path``."""
    try:
        yield
    except sqlite3.Error as exc:
        error = classify(exc, path)
        if error is None:
            raise
        raise error from exc
    except OSError as exc:
        os_error = classify_os_error(exc, path)
        if os_error is None:
            raise
        raise os_error from exc
