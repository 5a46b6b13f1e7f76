"""Where the authenticator (TOTP) secret lives, without Qt, for the console, tray and agent alike.

The secret goes to the OS keyring (service ``guardian``, user ``totp``). Where no keyring backend exists
(a headless Linux service, a minimal desktop) it falls back to the file ``totp.secret`` in Guardian's data
folder, readable by its owner only (mode 0600). A missing or broken keyring never raises: it only means
the file is used.

Whether an authenticator is enrolled is recorded through ``GuardianAPI`` (``totp_enrolled`` /
``set_totp_enrolled``), never the secret itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Literal, Protocol

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("guardian.secrets")

KEYRING_SERVICE = "guardian"
KEYRING_USER = "totp"
SECRET_FILE = "totp.secret"

_KEYRING_FAILURES = (KeyringError, RuntimeError, OSError)
"""What a missing, locked or broken keyring backend raises."""

SecretPlace = Literal["keyring", "file"]


class EnrolmentRecord(Protocol):
    """The part of ``GuardianAPI`` that records whether an authenticator is enrolled."""

    def totp_enrolled(self) -> bool: ...
    def set_totp_enrolled(self, enrolled: bool) -> None: ...


def save_totp_secret(secret: str, folder: Path) -> SecretPlace:
    """Keep ``secret`` in the keyring, else in ``folder/totp.secret`` (0600). Returns where it went."""
    path = folder / SECRET_FILE
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, secret)
    except _KEYRING_FAILURES as exc:
        log.info("no usable keyring (%s); keeping the secret in %s", exc, path)
        _write_private(path, secret)
        return "file"
    path.unlink(missing_ok=True)
    return "keyring"


def load_totp_secret(folder: Path) -> str | None:
    """The enrolled secret from the keyring or the fallback file, or ``None``."""
    with contextlib.suppress(*_KEYRING_FAILURES):
        secret = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
        if secret:
            return secret
    path = folder / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="ascii").strip() or None
    return None


def forget_totp_secret(folder: Path, record: EnrolmentRecord) -> None:
    """Remove the secret from the keyring and the fallback file, and record that none is enrolled."""
    with contextlib.suppress(*_KEYRING_FAILURES):
        keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)
    (folder / SECRET_FILE).unlink(missing_ok=True)
    record.set_totp_enrolled(False)


def enrol_totp(secret: str, folder: Path, record: EnrolmentRecord) -> SecretPlace:
    """Store a verified secret and record that an authenticator is enrolled; returns where it went."""
    where = save_totp_secret(secret, folder)
    record.set_totp_enrolled(True)
    return where


def is_enrolled(record: EnrolmentRecord) -> bool:
    return record.totp_enrolled()


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable and writable by its owner only, even if it existed before."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
