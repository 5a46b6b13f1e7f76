"""The help and privacy texts for each age group, from ``resources/help/<language>.toml``. No Qt here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from guardian.core.presets import load_presets_text, preset_for_age
from guardian.resources import resource_path

GROUPS = ("preschool", "primary", "lower_secondary", "upper_secondary")
"""The four age-group presets, youngest first."""
DEFAULT_GROUP = "primary"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    signs: str
    todo: str


@dataclass(frozen=True)
class GroupText:
    name: str
    tips: tuple[str, ...]
    privacy: tuple[str, ...]
    """Points of "what Guardian records about you"; ``{days}`` is the retention in days."""


@dataclass(frozen=True)
class HelpContent:
    language: str
    labels: dict[str, str]
    """``title``, ``call_111``, ``parents_lines``, ``emergency``, ``tips_title``, ``topics_title``."""
    topics: tuple[Topic, ...]
    groups: dict[str, GroupText]

    def privacy(self, group: str, days: int) -> list[str]:
        return [point.format(days=days) for point in self.groups[group].privacy]


@cache
def load_help(language: str) -> HelpContent:
    """The texts in ``language`` (``vi`` or ``en``; anything else gets English)."""
    code = language if language in ("vi", "en") else "en"
    data = tomllib.loads(resource_path("help").joinpath(f"{code}.toml").read_text(encoding="utf-8"))
    topics = tuple(Topic(t["id"], t["title"], t["signs"], t["todo"]) for t in data["topic"])
    groups = {
        key: GroupText(value["name"], tuple(value["tips"]), tuple(value["privacy"]))
        for key, value in data["group"].items()
    }
    return HelpContent(code, dict(data["help"]), topics, groups)


def group_for(age: int | None, preset: str | None) -> str:
    """The age group whose texts a child sees: the rules' preset, else the one for the age."""
    if preset in GROUPS:
        return preset
    if age is None:
        return DEFAULT_GROUP
    presets = load_presets_text(resource_path("presets.toml").read_text(encoding="utf-8"))
    found = preset_for_age(presets, age)
    return found.id if found is not None and found.id in GROUPS else GROUPS[-1]
