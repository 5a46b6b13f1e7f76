"""The family file's settings for the child's tray: ``health_reminder`` and ``remote_approvals``."""

from __future__ import annotations

import pytest

from guardian.core import familyfile
from guardian.core.familyfile import FamilyFileError


def test_defaults_are_a_reminder_on_and_two_approvals_by_code() -> None:
    settings = familyfile.loads("version = 1\n").settings
    assert (settings.health_reminder, settings.remote_approvals) == (True, 2)


def test_both_round_trip() -> None:
    rules = familyfile.loads("[settings]\nhealth_reminder = false\nremote_approvals = 5\n")
    assert (rules.settings.health_reminder, rules.settings.remote_approvals) == (False, 5)
    text = familyfile.dumps(rules)
    assert "health_reminder = false" in text and "remote_approvals = 5" in text
    assert familyfile.loads(text) == rules


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('health_reminder = "yes"', "health_reminder"),
        ("remote_approvals = 21", "remote_approvals"),
        ("remote_approvals = -1", "remote_approvals"),
        ("remote_approvals = true", "remote_approvals"),
    ],
)
def test_bad_values_are_refused_naming_the_field(line: str, field: str) -> None:
    with pytest.raises(FamilyFileError, match=field):
        familyfile.loads(f"[settings]\n{line}\n", source="family.toml")
