"""PIN hashing with scrypt and the growing back-off after wrong PINs. No storage here."""

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
MAX_DELAY = 300
_PIN = re.compile(r"^\d{4,12}$")


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


def validate_pin(pin: str) -> None:
    if not _PIN.match(pin):
        raise InvalidInput("a PIN is 4 to 12 digits")


def hash_pin(pin: str, salt: bytes | None = None) -> PinHash:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=32
    )
    return PinHash(digest, salt)


def check_pin(pin: str, stored: StoredPin) -> bool:
    digest = hashlib.scrypt(
        pin.encode(), salt=stored.salt, n=stored.n, r=stored.r, p=stored.p, maxmem=128 * 1024 * 1024, dklen=32
    )
    return hmac.compare_digest(digest, stored.hash)


def backoff_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong PINs in a row: 0, 0, 0, 5, 10, 20 … capped at 5 minutes."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(MAX_DELAY, 5 * 2 ** (failures - FREE_FAILURES)))
