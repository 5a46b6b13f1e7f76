"""The console's name for :mod:`guardian.totp` (the codes are checked by ``GuardianAPI`` too)."""

from guardian.totp import (
    DIGITS,
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
    "STEP",
    "code_at",
    "grouped",
    "hotp",
    "new_secret",
    "provisioning_uri",
    "secret_bytes",
    "verify",
]
