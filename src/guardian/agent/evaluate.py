"""The evaluate stage: each child's ``ChildStatus`` from the books, re-computed only when it may change.

A status is re-evaluated when what the child uses changed, at its ``next_change_at`` (a warning, a budget
running out, allowed hours ending), and otherwise every ``EVALUATE_IN_USE`` seconds while something is in
use (``EVALUATE_EVERY`` when nothing is). Warnings a status has already carried are remembered per child
and day, so the next evaluation does not bring them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from typing import Protocol

from guardian.core.catalog import Catalog
from guardian.core.model import Child, Grant, Interval, Rules
from guardian.core.policy import ChildStatus, evaluate_child

EVALUATE_EVERY = 10.0
"""Seconds between policy evaluations of a child who uses nothing."""
EVALUATE_IN_USE = 5.0
"""Seconds between evaluations while a child uses the same apps."""


class Ledger(Protocol):
    def intervals(self, child_id: int, since: float) -> list[Interval]: ...


class Evaluated(Protocol):
    """The part of the agent's per-child state the evaluate stage reads and writes."""

    rules: Child
    id: int
    in_use: list[str]
    grants: list[Grant]
    paused: bool
    status: ChildStatus | None
    evaluated_at: float
    evaluated_in_use: list[str]
    view: dict[str, object] | None


def due(child: Evaluated, now: float) -> bool:
    status = child.status
    if status is None or child.in_use != child.evaluated_in_use:
        return True
    if status.next_change_at is not None and now >= status.next_change_at:
        return True
    return now - child.evaluated_at >= (EVALUATE_IN_USE if child.in_use else EVALUATE_EVERY)


class Evaluator:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rules = Rules()
        self.catalog = Catalog(())
        self.issued: dict[str, tuple[str, set[str]]] = {}
        """Child name → (day, warning keys its statuses carried that day)."""

    def run(self, children: Iterable[Evaluated], now: float, day: str, day_start: float, tz: tzinfo) -> None:
        for child in children:
            if not due(child, now):
                continue
            issued = self._issued(child.rules.name, day)
            status = evaluate_child(
                self.rules,
                child.rules,
                self.ledger.intervals(child.id, day_start - 1),
                child.grants,
                now,
                catalog=self.catalog,
                tz=tz,
                issued=set(issued),
                paused=child.paused,
            )
            issued.update(w.key for w in status.warnings_due)
            child.status = status
            child.evaluated_at = now
            child.evaluated_in_use = list(child.in_use)
            child.view = None

    def _issued(self, name: str, day: str) -> set[str]:
        known, keys = self.issued.get(name, ("", set()))
        if known != day:
            keys = set()
            self.issued[name] = (day, keys)
        return keys
