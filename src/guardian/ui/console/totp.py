"""The console's name for :mod:`guardian.core.totp` (the agent and ``GuardianAPI`` use it too)."""

from guardian.core.totp import (
    DIGITS,
    SECRET_BYTES,
    STEP,
    code_at,
    grouped,
    hotp,
    new_secret,
    provisioning_uri,
    secret_bytes,
    verify,
)

__all__ = [
    "DIGITS",
    "SECRET_BYTES",
    "STEP",
    "code_at",
    "grouped",
    "hotp",
    "new_secret",
    "provisioning_uri",
    "secret_bytes",
    "verify",
]
