"""Age-group presets: ready-made rules a parent picks in the setup wizard.

They ship as ``resources/presets.toml``; this module is pure and gets the TOML text. A preset's
``rules`` is the raw table of a family-file ``[[child]]`` (without name, age and accounts); the family
file module turns it into field values.
"""

from __future__ import annotations

import copy
import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from guardian.core.model import Child

LANGUAGES: tuple[str, ...] = ("en", "vi")
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_PERSONAL_KEYS = frozenset({"name", "age", "accounts", "preset"})


class PresetError(ValueError):
    """The presets text has a malformed entry."""


@dataclass(frozen=True)
class Preset:
    id: str
    min_age: int
    max_age: int
    name: dict[str, str] = field(hash=False)
    """Display name by language code: ``{"en": ..., "vi": ...}``."""
    summary: dict[str, str] = field(hash=False)
    """One or two sentences for parents, by language code."""
    rules: Mapping[str, Any] = field(hash=False)
    """The raw ``[preset.rules]`` table, keyed like a family-file ``[[child]]``; treat as read-only."""

    def covers(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


def load_presets_text(text: str) -> tuple[Preset, ...]:
    """Parse ``[[preset]]`` tables, checking ids are unique and age ranges do not overlap."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"the presets file is not valid TOML: {exc}") from exc
    entries = data.get("preset", [])
    if not isinstance(entries, list):
        raise PresetError("the presets file must hold [[preset]] tables")
    presets = tuple(_preset_from_entry(entry, n) for n, entry in enumerate(entries, start=1))
    _check_unique_ids(presets)
    _check_no_overlap(presets)
    return presets


def _preset_from_entry(entry: object, number: int) -> Preset:
    if not isinstance(entry, dict):
        raise PresetError(f"preset #{number}: must be a table")
    preset_id = entry.get("id")
    if not isinstance(preset_id, str) or not _ID.match(preset_id):
        raise PresetError(f"preset #{number}: 'id' must be a lowercase slug")
    where = f"preset '{preset_id}'"
    min_age, max_age = _age(entry, "min_age", where), _age(entry, "max_age", where)
    if min_age > max_age:
        raise PresetError(f"{where}: min_age {min_age} is above max_age {max_age}")
    rules = entry.get("rules")
    if not isinstance(rules, dict):
        raise PresetError(f"{where}: needs a [preset.rules] table")
    return Preset(
        id=preset_id,
        min_age=min_age,
        max_age=max_age,
        name=_texts(entry, "name", where),
        summary=_texts(entry, "summary", where),
        rules=rules,
    )


def _age(entry: Mapping[str, Any], key: str, where: str) -> int:
    value = entry.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PresetError(f"{where}: '{key}' must be a whole number of years")
    return value


def _texts(entry: Mapping[str, Any], prefix: str, where: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        key = f"{prefix}_{lang}"
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PresetError(f"{where}: '{key}' must be a non-empty string")
        texts[lang] = value.strip()
    return texts


def _check_unique_ids(presets: Iterable[Preset]) -> None:
    seen: set[str] = set()
    for preset in presets:
        if preset.id in seen:
            raise PresetError(f"preset '{preset.id}' appears twice")
        seen.add(preset.id)


def _check_no_overlap(presets: Iterable[Preset]) -> None:
    ordered = sorted(presets, key=lambda p: p.min_age)
    for before, after in itertools.pairwise(ordered):
        if after.min_age <= before.max_age:
            raise PresetError(f"presets '{before.id}' and '{after.id}' overlap in age")


def preset_for_age(presets: Iterable[Preset], age: int) -> Preset | None:
    """The preset whose age range holds ``age``, or ``None`` (for example at 18 and over)."""
    return next((p for p in presets if p.covers(age)), None)


def apply_preset(child: Child, preset: Preset) -> Child:
    """A copy of ``child`` with every rule field taken from ``preset``.

    Name, age and accounts are kept; rule fields the preset leaves out fall back to the defaults, so
    nothing from the child's earlier rules survives. Raises ``FamilyFileError`` on a bad rules table.
    """
    from guardian.core.familyfile import child_rules_from_table

    table = copy.deepcopy(dict(preset.rules))
    values: dict[str, Any] = child_rules_from_table(table, f"preset '{preset.id}'")
    rule_values = {key: value for key, value in values.items() if key not in _PERSONAL_KEYS}
    fresh = Child(name=child.name, age=child.age, accounts=child.accounts)
    return replace(fresh, **rule_values, preset=preset.id)
