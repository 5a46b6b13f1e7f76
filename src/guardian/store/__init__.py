"""Durable SQLite storage: connection factory, migrations and typed repositories.

Open it with ``Store(path)``; see ``docs/storage.md``.
"""

from guardian.store.connection import atomic, connect
from guardian.store.database import Store
from guardian.store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    MigrationFailed,
    StoreError,
)
from guardian.store.rows import AppRow, ChildRow, EventRow, NewEvent, PinRecord, RequestRow

__all__ = [
    "AppRow",
    "ChildRow",
    "DatabaseBusy",
    "DatabaseCorrupt",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DiskFull",
    "EventRow",
    "MigrationFailed",
    "NewEvent",
    "PinRecord",
    "RequestRow",
    "Store",
    "StoreError",
    "atomic",
    "connect",
]
