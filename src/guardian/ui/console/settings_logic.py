"""What the settings page changes, without Qt: a form ↔ ``Settings``.

Rule settings are edited as a :class:`SettingsForm` and turned into new ``Rules`` with
:func:`apply_settings`; the page saves them through ``GuardianAPI.save_rules`` after checking the PIN.
Where the authenticator (TOTP) secret lives is ``guardian.secrets``' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from guardian.core.model import Rules

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
