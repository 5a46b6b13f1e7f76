"""What the settings page changes, without Qt: a form ↔ ``Settings`` and where the TOTP secret lives.

Rule settings are edited as a :class:`SettingsForm` and turned into new ``Rules`` with
:func:`apply_settings`; the page saves them through ``GuardianAPI.save_rules`` after checking the PIN.

The authenticator (TOTP) secret is a secret: it goes to the OS keyring (service ``guardian``, user
``totp``). Where no keyring backend exists (a headless Linux service, a minimal desktop) it falls back
to the file ``totp.secret`` in Guardian's data folder, readable by its owner only (mode 0600). The
database's meta table records only ``{"enrolled": true}`` under ``totp``, never the secret.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import keyring
from keyring.errors import KeyringError

from guardian.core.model import Rules

KEYRING_SERVICE = "guardian"
KEYRING_USER = "totp"
SECRET_FILE = "totp.secret"
TOTP_META_KEY = "totp"
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 7, 3650
MAX_IDLE_MINUTES = 120
MAX_WARN_MINUTES = 120


class SettingsError(ValueError):
    """A value on the settings page that cannot be used; ``key`` says which field."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


@dataclass(frozen=True)
class SettingsForm:
    retention_days: int
    day_starts_at: int
    """Minutes after midnight."""
    idle_minutes: int
    warn_text: str
    """Warning lead times in minutes, as typed: ``15, 5, 1``."""


def form_from_rules(rules: Rules) -> SettingsForm:
    s = rules.settings
    warn = ", ".join(_minutes_text(seconds) for seconds in s.warn_before)
    return SettingsForm(s.retention_days, s.day_starts_at, max(1, s.idle_after // 60), warn)


def _minutes_text(seconds: int) -> str:
    minutes = seconds / 60
    return str(int(minutes)) if minutes.is_integer() else f"{minutes:g}"


def parse_warn_minutes(text: str) -> tuple[int, ...]:
    """``"15, 5, 1"`` → ``(900, 300, 60)`` seconds, largest first, without repeats."""
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    minutes: set[int] = set()
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= MAX_WARN_MINUTES:
            raise SettingsError(
                "warn", f"'{part}' is not a number of minutes between 1 and {MAX_WARN_MINUTES}"
            )
        minutes.add(int(part))
    return tuple(m * 60 for m in sorted(minutes, reverse=True))


def apply_settings(rules: Rules, form: SettingsForm) -> Rules:
    """New rules with ``form``'s values; raises :class:`SettingsError` and changes nothing on bad input."""
    if not MIN_RETENTION_DAYS <= form.retention_days <= MAX_RETENTION_DAYS:
        raise SettingsError("retention", "keep records for 7 to 3650 days")
    if not 0 <= form.day_starts_at < 24 * 60:
        raise SettingsError("day_start", "the day must start between 00:00 and 23:59")
    if not 1 <= form.idle_minutes <= MAX_IDLE_MINUTES:
        raise SettingsError("idle", f"idle time must be 1 to {MAX_IDLE_MINUTES} minutes")
    settings = replace(
        rules.settings,
        retention_days=form.retention_days,
        day_starts_at=form.day_starts_at,
        idle_after=form.idle_minutes * 60,
        warn_before=parse_warn_minutes(form.warn_text),
    )
    return replace(rules, settings=settings)


# -- the authenticator secret -------------------------------------------------------------------

_KEYRING_FAILURES = (KeyringError, RuntimeError, OSError)


class MetaStore(Protocol):
    def get_json(self, key: str) -> Any: ...
    def set_json(self, key: str, value: Any) -> None: ...
    def delete(self, key: str) -> None: ...


def save_totp_secret(secret: str, folder: Path) -> str:
    """Keep ``secret`` in the keyring, else in ``folder/totp.secret`` (0600). Returns ``keyring`` or ``file``."""
    path = folder / SECRET_FILE
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, secret)
    except _KEYRING_FAILURES:
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


def forget_totp_secret(folder: Path, meta: MetaStore) -> None:
    with contextlib.suppress(*_KEYRING_FAILURES):
        keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)
    (folder / SECRET_FILE).unlink(missing_ok=True)
    meta.delete(TOTP_META_KEY)


def enrol_totp(secret: str, folder: Path, meta: MetaStore) -> str:
    """Store a verified secret and record in ``meta`` that an authenticator is enrolled."""
    where = save_totp_secret(secret, folder)
    meta.set_json(TOTP_META_KEY, {"enrolled": True})
    return where


def is_enrolled(meta: MetaStore) -> bool:
    value = meta.get_json(TOTP_META_KEY)
    return isinstance(value, dict) and value.get("enrolled") is True


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
