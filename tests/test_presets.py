"""Age-group presets: loading, age mapping, the gaming decree, and applying a preset to a child."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from guardian.core.catalog import Catalog, load_catalog_text
from guardian.core.durations import parse_duration
from guardian.core.model import WEEKDAYS, AppLimit, Child, TimeRange, Weekly
from guardian.core.presets import Preset, PresetError, apply_preset, load_presets_text, preset_for_age

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
GAMES = "category:games"
DECREE_DAILY_GAMES = 3 * 3600
DECREE_PER_GAME = 3600


@cache
def shipped() -> tuple[Preset, ...]:
    return load_presets_text((RESOURCES / "presets.toml").read_text(encoding="utf-8"))


@cache
def shipped_catalog() -> Catalog:
    return Catalog(load_catalog_text((RESOURCES / "apps.toml").read_text(encoding="utf-8")))


def daily_seconds(daily: str | Mapping[str, str], weekday: str) -> int:
    """Seconds a raw ``daily`` value allows on ``weekday``."""
    if isinstance(daily, str):
        return parse_duration(daily)
    return parse_duration(daily.get(weekday, daily["default"]))


def limits(preset: Preset) -> list[Mapping[str, Any]]:
    return list(preset.rules.get("app_limit", []))


def entry(preset_id: str = "kids", min_age: int = 0, max_age: int = 5) -> str:
    return f"""
[[preset]]
id = "{preset_id}"
min_age = {min_age}
max_age = {max_age}
name_en = "Kids"
name_vi = "Trẻ em"
summary_en = "Short."
summary_vi = "Ngắn."
  [preset.rules]
  screen_time = {{ default = "1h" }}
"""


# ── the shipped presets ──


def test_shipped_presets_are_the_four_age_groups_in_order() -> None:
    assert [p.id for p in shipped()] == ["preschool", "primary", "lower_secondary", "upper_secondary"]


def test_shipped_presets_have_vietnamese_names_with_diacritics() -> None:
    names = {p.id: p.name["vi"] for p in shipped()}
    assert names == {
        "preschool": "Mầm non",
        "primary": "Tiểu học",
        "lower_secondary": "Trung học cơ sở",
        "upper_secondary": "Trung học phổ thông",
    }
    assert all(p.summary["en"] and p.summary["vi"] for p in shipped())


@pytest.mark.parametrize("age", range(18))
def test_every_child_age_maps_to_exactly_one_preset(age: int) -> None:
    assert sum(p.covers(age) for p in shipped()) == 1
    assert preset_for_age(shipped(), age) is not None


@pytest.mark.parametrize(("age", "expected"), [(0, "preschool"), (5, "preschool"), (6, "primary"),
                                               (10, "primary"), (11, "lower_secondary"),
                                               (14, "lower_secondary"), (15, "upper_secondary"),
                                               (17, "upper_secondary")])  # fmt: skip
def test_age_boundaries_pick_the_school_stage(age: int, expected: str) -> None:
    preset = preset_for_age(shipped(), age)
    assert preset is not None and preset.id == expected


@pytest.mark.parametrize("age", [18, 19, 40])
def test_adults_have_no_preset(age: int) -> None:
    assert preset_for_age(shipped(), age) is None


@pytest.mark.parametrize("preset", shipped(), ids=lambda p: p.id)
@pytest.mark.parametrize("weekday", WEEKDAYS)
def test_every_preset_keeps_games_within_the_decree_daily_total(preset: Preset, weekday: str) -> None:
    game_limits = [lim for lim in limits(preset) if GAMES in lim["apps"]]
    assert game_limits, f"{preset.id} has no games limit"
    assert all(daily_seconds(lim["daily"], weekday) <= DECREE_DAILY_GAMES for lim in game_limits)


@pytest.mark.parametrize("preset", shipped(), ids=lambda p: p.id)
def test_games_over_an_hour_come_with_per_game_limits(preset: Preset) -> None:
    catalog = shipped_catalog()
    most = max(
        daily_seconds(lim["daily"], day) for lim in limits(preset) if GAMES in lim["apps"] for day in WEEKDAYS
    )
    per_game = {
        lim["apps"][0]: lim["daily"]
        for lim in limits(preset)
        if len(lim["apps"]) == 1
        and (catalog.category_of(lim["apps"][0]) == "games" or lim["apps"][0] == "category:emulators")
    }
    if most > DECREE_PER_GAME:
        assert {"roblox", "minecraft", "league-of-legends", "category:emulators"} <= set(per_game)
    assert all(daily_seconds(v, d) <= DECREE_PER_GAME for v in per_game.values() for d in WEEKDAYS)


@pytest.mark.parametrize("preset", shipped(), ids=lambda p: p.id)
def test_preset_refs_are_known_to_the_shipped_catalog(preset: Preset) -> None:
    catalog = shipped_catalog()
    refs = [*preset.rules.get("always_allowed", []), *preset.rules.get("blocked", [])]
    refs += [ref for lim in limits(preset) for ref in lim["apps"]]
    assert [ref for ref in refs if not catalog.is_known_ref(ref)] == []


@pytest.mark.parametrize("preset", shipped(), ids=lambda p: p.id)
def test_utilities_are_always_allowed_so_vietnamese_typing_works(preset: Preset) -> None:
    assert "category:utilities" in preset.rules["always_allowed"]


def test_preschool_follows_who_hour_and_blocks_social() -> None:
    preschool = shipped()[0]
    assert all(daily_seconds(preschool.rules["screen_time"], d) <= 3600 for d in WEEKDAYS)
    assert "category:social" in preschool.rules["blocked"]


def test_older_groups_get_more_time_and_later_evenings() -> None:
    weekday_time = [parse_duration(p.rules["screen_time"]["default"]) for p in shipped()]
    evening_end = [p.rules["allowed_hours"]["default"][0].split("-")[1] for p in shipped()]
    assert weekday_time == sorted(weekday_time)
    assert evening_end == sorted(evening_end)
    assert len(set(weekday_time)) == len(weekday_time)


def test_shipped_presets_use_only_child_rule_keys() -> None:
    keys = {"screen_time", "allowed_hours", "at_limit", "always_allowed", "blocked", "app_limit", "web"}
    assert all(set(p.rules) <= keys for p in shipped())


# ── loading ──


def test_loading_reads_names_summaries_and_raw_rules() -> None:
    (preset,) = load_presets_text(entry())
    assert preset.name == {"en": "Kids", "vi": "Trẻ em"}
    assert preset.summary == {"en": "Short.", "vi": "Ngắn."}
    assert preset.rules == {"screen_time": {"default": "1h"}}
    assert (preset.min_age, preset.max_age) == (0, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry("a") + entry("a", 6, 9), "twice"),
        (entry("a", 0, 6) + entry("b", 6, 9), "overlap"),
        (entry("a", 7, 6), "above"),
        (entry("a", -1, 6), "whole number"),
        (entry().replace('name_vi = "Trẻ em"\n', ""), "name_vi"),
        (entry().replace("  [preset.rules]\n", "").replace("  screen_time", "rules_x"), "rules"),
        (entry("Bad Id"), "slug"),
        ("[[preset]\n", "TOML"),
    ],
)
def test_loading_rejects_malformed_presets(text: str, message: str) -> None:
    with pytest.raises(PresetError, match=message):
        load_presets_text(text)


# ── applying (needs the family-file reader) ──


def test_apply_preset_replaces_rules_and_keeps_identity() -> None:
    pytest.importorskip("guardian.core.familyfile")
    child = Child(
        name="An",
        age=9,
        accounts=("an",),
        screen_time=Weekly(default=5 * 3600),
        blocked=("zalo",),
        at_limit="notify",
        app_limits=(AppLimit(apps=("roblox",), daily=Weekly(default=60)),),
    )
    primary = preset_for_age(shipped(), 9)
    assert primary is not None

    result = apply_preset(child, primary)

    assert (result.name, result.age, result.accounts) == ("An", 9, ("an",))
    assert result.preset == "primary"
    assert result.screen_time == Weekly(default=90 * 60, days={"sat": 150 * 60, "sun": 150 * 60})
    assert result.allowed_hours.on(0) == (TimeRange(7 * 60, 20 * 60 + 30),)
    assert result.at_limit == "lock"
    assert "zalo" not in result.blocked
    assert "category:education" in result.always_allowed
    (games,) = result.app_limits
    assert GAMES in games.apps
    assert games.daily.on(5) == 3600
    assert child.preset is None  # the original is untouched


def test_apply_preset_resets_fields_the_preset_leaves_out() -> None:
    pytest.importorskip("guardian.core.familyfile")
    (minimal,) = load_presets_text(entry())
    child = Child(name="Bình", age=4, blocked=("zalo",), always_allowed=("calculator",))
    result = apply_preset(child, minimal)
    assert result.blocked == ()
    assert result.always_allowed == ()
    assert result.screen_time == Weekly(default=3600)
    assert result.preset == "kids"


@pytest.mark.parametrize("preset", shipped(), ids=lambda p: p.id)
def test_every_shipped_preset_applies_cleanly(preset: Preset) -> None:
    pytest.importorskip("guardian.core.familyfile")
    result = apply_preset(Child(name="Chi", age=preset.min_age), preset)
    assert result.preset == preset.id
    assert not result.screen_time.is_empty()


def test_apply_preset_reports_a_bad_rules_table() -> None:
    familyfile = pytest.importorskip("guardian.core.familyfile")
    (bad,) = load_presets_text(entry().replace('default = "1h"', 'default = "soon"'))
    with pytest.raises(familyfile.FamilyFileError):
        apply_preset(Child(name="Dũng"), bad)


def test_every_shipped_preset_protects_the_web_more_for_younger_children() -> None:
    webs = [apply_preset(Child(name="An"), p).web for p in sorted(shipped(), key=lambda p: p.min_age)]
    assert all(w is not None and w.safesearch and {"adult", "gambling"} <= set(w.categories) for w in webs)
    sizes = [len(w.categories) for w in webs if w is not None]
    assert sizes == sorted(sizes, reverse=True)
