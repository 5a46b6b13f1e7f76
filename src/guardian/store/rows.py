"""Small frozen row types the repositories return where ``guardian.core.model`` has none.

Times are Unix seconds (int). ``Interval`` and ``Grant`` come from ``guardian.core.model``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

RequestStatus = Literal["pending", "approved", "denied"]
REQUEST_STATUSES: tuple[str, ...] = ("pending", "approved", "denied")


@dataclass(frozen=True)
class ChildRow:
    id: int
    name: str
    age: int | None
    accounts: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class AppRow:
    id: str
    name: str
    category: str
    custom: bool


@dataclass(frozen=True)
class NewEvent:
    """An event to record; ``data`` is stored as JSON."""

    kind: str
    ts: int
    child_id: int | None = None
    app: str | None = None
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class EventRow:
    id: int
    child_id: int | None
    ts: int
    kind: str
    app: str | None
    data: Mapping[str, Any] | None


@dataclass(frozen=True)
class RequestRow:
    id: int
    child_id: int
    ts: int
    seconds: int
    app: str | None
    reason: str
    status: RequestStatus
    answered_at: int | None = None
    answered_seconds: int | None = None
    answered_by: str | None = None


@dataclass(frozen=True)
class PinRecord:
    """A PIN stored as an scrypt hash with its parameters; never the PIN itself."""

    hash: bytes
    salt: bytes
    n: int
    r: int
    p: int
    created_at: int
