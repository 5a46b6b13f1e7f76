"""User-facing errors raised by ``GuardianAPI``. Each carries a message fit to show as it is.

Storage errors live in ``guardian.store.errors`` and family-file errors in ``guardian.core.familyfile``;
all three are caught by the CLI and shown as one line, never as a traceback.
"""

from __future__ import annotations


class GuardianError(Exception):
    """Base of every error a user can cause."""


class InvalidInput(GuardianError):
    """An argument that cannot be used (unknown child, bad duration, bad PIN format)."""


class PinRequired(GuardianError):
    """A PIN is set and this action needs it."""


class WrongPin(GuardianError):
    """The PIN did not match."""


class PinLocked(GuardianError):
    """Too many wrong PINs: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many wrong PINs; try again in {retry_after} seconds")


class NotAllowed(GuardianError):
    """The caller's role may not do this (a caregiver changing rules)."""
