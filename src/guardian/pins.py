"""PIN hashing with scrypt, input normalisation, and the growing back-off after wrong PINs. No storage here.

A PIN is normalised (:func:`normalize_pin`: surrounding whitespace and line ends removed) both when it is set
and when it is checked, so ``"1234\\n"`` from a pipe or a paste is ``1234``. PINs stored before that with a
trailing newline still open with the digits alone (:func:`pin_matches`). Six digits or more are encouraged
(:func:`short_pin_hint`); four are still accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Protocol

from guardian.errors import InvalidInput

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FREE_FAILURES = 3
MAX_DELAY = 3600
"""Longest wait between wrong PINs. Back-off is kept per calling account, so a long wait never locks
another account out, and the parent always has the authenticator app (``GuardianAPI.verify_totp``)."""
RECOMMENDED_DIGITS = 6
_PIN = re.compile(r"\d{4,12}")


@dataclass(frozen=True)
class PinHash:
    hash: bytes
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


class StoredPin(Protocol):
    @property
    def hash(self) -> bytes: ...
    @property
    def salt(self) -> bytes: ...
    @property
    def n(self) -> int: ...
    @property
    def r(self) -> int: ...
    @property
    def p(self) -> int: ...


def normalize_pin(pin: str) -> str:
    """The PIN as typed, without surrounding spaces, tabs or line ends."""
    return pin.strip()


def validate_pin(pin: str) -> None:
    """Refuse anything but 4 to 12 digits (after :func:`normalize_pin`)."""
    if not _PIN.fullmatch(normalize_pin(pin)):
        raise InvalidInput("a PIN is 4 to 12 digits")


def short_pin_hint(pin: str) -> str | None:
    """Advice for a PIN shorter than :data:`RECOMMENDED_DIGITS` digits, else ``None``."""
    digits = len(normalize_pin(pin))
    if digits >= RECOMMENDED_DIGITS:
        return None
    return (
        f"a {digits}-digit PIN can be guessed in time by a determined child; "
        f"{RECOMMENDED_DIGITS} digits or more are much safer"
    )


def hash_pin(pin: str, salt: bytes | None = None) -> PinHash:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=32
    )
    return PinHash(digest, salt)


def pin_matches(pin: str, stored: StoredPin) -> bool:
    """Whether the normalised ``pin`` opens ``stored``; also accepts a PIN stored, before input was
    normalised, with the newline it was typed with."""
    clean = normalize_pin(pin)
    return check_pin(clean, stored) or check_pin(clean + "\n", stored)


def check_pin(pin: str, stored: StoredPin) -> bool:
    digest = hashlib.scrypt(
        pin.encode(), salt=stored.salt, n=stored.n, r=stored.r, p=stored.p, maxmem=128 * 1024 * 1024, dklen=32
    )
    return hmac.compare_digest(digest, stored.hash)


def backoff_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong PINs in a row: 0, 0, 0, 5, 10, 20 … capped at an hour."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(MAX_DELAY, 5 * 2 ** min(failures - FREE_FAILURES, 20)))
