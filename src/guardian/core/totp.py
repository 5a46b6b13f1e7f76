"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), pure Python.

Parents enrol an authenticator app once (a QR code of :func:`provisioning_uri`); later a 6-digit code
from the phone approves a request for more time without a network, and lets the parent in when wrong PINs
have locked the PIN out (``GuardianAPI.verify_totp``). Nothing here reads a clock: callers pass Unix seconds,
so tests use a ``FakeClock`` and the agent its trusted time. No Qt: the console, the CLI and the agent share it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6
SECRET_BYTES = 20
_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def new_secret(nbytes: int = SECRET_BYTES) -> str:
    """A fresh random secret in unpadded base32, the form authenticator apps accept."""
    return base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """Decode a base32 secret, tolerating spaces, lower case and missing padding."""
    clean = secret.replace(" ", "").upper()
    clean += "=" * (-len(clean) % 8)
    return base64.b32decode(clean)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226: the ``digits``-long code for ``counter``."""
    digest = hmac.new(key, struct.pack(">Q", counter), _ALGORITHMS[algorithm]).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(
    secret: str, now: float, *, digits: int = DIGITS, step: int = STEP, algorithm: str = "sha1"
) -> str:
    """The code an authenticator app shows at Unix time ``now``."""
    return hotp(secret_bytes(secret), int(now // step), digits=digits, algorithm=algorithm)


def verify(secret: str, code: str, now: float, *, window: int = 1, step: int = STEP) -> bool:
    """True when ``code`` matches the step at ``now`` or one of ``window`` steps either side."""
    return matching_step(secret, code, now, window=window, step=step) is not None


def matching_step(secret: str, code: str, now: float, *, window: int = 1, step: int = STEP) -> int | None:
    """The time step (counter) ``code`` belongs to, within ``window`` steps of ``now``, or ``None``.
    Remembering the last step used lets a caller refuse a code seen before (a replay)."""
    typed = code.replace(" ", "").strip()
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    key = secret_bytes(secret)
    counter = int(now // step)
    found = None
    for delta in range(-window, window + 1):  # compare every candidate: no early exit to time
        if hmac.compare_digest(hotp(key, counter + delta), typed) and found is None:
            found = counter + delta
    return found


def provisioning_uri(secret: str, *, account: str = "Parent", issuer: str = "Guardian") -> str:
    """``otpauth://totp/Guardian:Parent?secret=...&issuer=Guardian`` for the QR code."""
    label = quote(f"{issuer}:{account}", safe=":")
    query = urlencode({"secret": secret, "issuer": issuer})
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four for typing by hand: ``ABCD EFGH …``."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
