"""The authenticator (TOTP) maths now lives in :mod:`guardian.core.totp`, shared with the agent."""

from guardian.core.totp import (
    DIGITS,
    SECRET_BYTES,
    STEP,
    code_at,
    grouped,
    hotp,
    matching_step,
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
    "matching_step",
    "new_secret",
    "provisioning_uri",
    "secret_bytes",
    "verify",
]
