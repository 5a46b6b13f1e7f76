"""The rules editor's pure model: drafts, grid conversion, validation, undo, saving."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from guardian.core import familyfile
from guardian.core.catalog import Catalog
from guardian.core.model import AppLimit, Child, Rules, TimeRange, Weekly
from guardian.core.presets import load_presets_text
from guardian.errors import NotAllowed
from guardian.resources import builtin_apps, resource_path
from guardian.ui.console import rules_model as rm

KNOWN = Catalog(builtin_apps()).is_known_ref


def family(child: Child | None = None) -> Rules:
    return Rules(children=(child or Child(name="An", accounts=("an",)),))


def child_lines(rules: Rules) -> list[str]:
    return familyfile.dumps(rules).splitlines()


# -- weekday values --


def test_most_common_value_becomes_the_default() -> None:
    weekly = rm.days_to_weekly([5400, 5400, 5400, 5400, 5400, 10800, 5400])
    assert weekly == Weekly(default=5400, days={"sat": 10800})


def test_days_without_a_value_leave_no_default() -> None:
    weekly = rm.days_to_weekly([None, None, None, None, None, 3600, 3600])
    assert weekly.default is None
    assert weekly.on(0) is None and weekly.on(6) == 3600


def test_screen_time_for_one_weekday_exports_as_override() -> None:
    child = rm.set_screen_time(family().children[0], None, 5400)
    child = rm.set_screen_time(child, 5, 3 * 3600)
    lines = child_lines(family(child))
    assert 'screen_time = { default = "1h30m", sat = "3h" }' in lines


def test_same_every_day_writes_a_single_value() -> None:
    child = rm.set_screen_time(Child(name="An"), 2, 600)
    child = rm.set_screen_time(child, None, 7200)
    assert rm.is_same_every_day(child.screen_time)
    assert 'screen_time = "2h"' in child_lines(family(child))


# -- allowed hours grid --


def test_full_grid_means_any_hour() -> None:
    full = tuple((True,) * 48 for _ in range(7))
    assert rm.rows_to_ranges(full).is_empty()
    assert rm.ranges_to_rows(Weekly()) == full


def test_painted_cells_merge_into_ranges_and_may_end_at_midnight() -> None:
    empty = tuple((False,) * 48 for _ in range(7))
    grid = rm.paint(empty, rm.rectangle((0, 14), (6, 41)), True)  # 07:00-21:00 every day
    grid = rm.paint(grid, [(5, s) for s in range(42, 48)], True)  # Saturday until 24:00
    weekly = rm.rows_to_ranges(grid)
    assert weekly.default == (TimeRange(420, 1260),)
    assert weekly.days == {"sat": (TimeRange(420, 1440),)}
    lines = child_lines(family(replace(Child(name="An"), allowed_hours=weekly)))
    assert 'allowed_hours = { default = ["07:00-21:00"], sat = ["07:00-24:00"] }' in lines


def test_day_with_no_cells_is_not_allowed_at_all() -> None:
    grid = rm.paint(rm.ranges_to_rows(Weekly()), [(6, s) for s in range(48)], False)
    assert rm.rows_to_ranges(grid).on(6) == ()


def test_grid_round_trips_preset_hours() -> None:
    weekly: Weekly[tuple[TimeRange, ...]] = Weekly(
        default=(TimeRange(390, 1290),), days={"fri": (TimeRange(390, 1320),)}
    )
    assert rm.rows_to_ranges(rm.ranges_to_rows(weekly)) == weekly


def test_range_crossing_midnight_fills_next_morning() -> None:
    grid = rm.ranges_to_rows(Weekly(days={"sun": (TimeRange(1380, 60),)}))
    assert grid[6][46] and grid[6][47]
    assert grid[0][0] and grid[0][1] and not grid[0][2]


def test_two_separate_runs_give_two_ranges() -> None:
    row = tuple(s in (2, 3, 10) for s in range(48))
    assert rm.row_to_ranges(row) == (TimeRange(60, 120), TimeRange(300, 330))


# -- apps --


def test_blocking_an_app_removes_it_from_always_allowed() -> None:
    child = rm.add_refs(Child(name="An"), "always_allowed", ["roblox", "calculator"])
    child = rm.add_refs(child, "blocked", ["roblox"])
    assert child.blocked == ("roblox",) and child.always_allowed == ("calculator",)
    assert rm.remove_ref(child, "blocked", "roblox").blocked == ()


def test_app_limits_add_edit_remove() -> None:
    child = rm.add_app_limit(Child(name="An"), rm.make_limit(["category:games"], [3600] * 5 + [7200] * 2))
    assert 'daily = { default = "1h", sat = "2h", sun = "2h" }' in [
        line.strip() for line in child_lines(family(child))
    ]
    child = rm.replace_app_limit(child, 0, rm.make_limit(["roblox"], [1800] * 7))
    assert child.app_limits == (AppLimit(apps=("roblox",), daily=Weekly(default=1800)),)
    assert rm.remove_app_limit(child, 0).app_limits == ()


def test_at_limit_and_warnings() -> None:
    child = rm.set_at_limit(Child(name="An"), "notify")
    rules = rm.set_warnings(family(child), [60, 600, 0, 600])
    assert rules.settings.warn_before == (600, 60)
    assert 'at_limit = "notify"' in child_lines(rules)
    with pytest.raises(ValueError):
        rm.set_at_limit(child, "explode")


def test_custom_exe_app_keeps_name_path_and_hash() -> None:
    digest = "ab" * 32
    app = rm.exe_app("C:\\Games\\Sleepy Game.exe", digest, taken=["sleepy-game"])
    assert app.id == "sleepy-game-2" and app.name == "Sleepy Game"
    assert app.match.sha256 == (digest,) and app.match.exe_names == ("Sleepy Game.exe",)
    rules = rm.upsert_app(Rules(), app)
    assert familyfile.loads(familyfile.dumps(rules)).apps[0].match.sha256 == (digest,)


def test_removing_a_custom_app_removes_its_references() -> None:
    app = rm.website_app("Phim Hay", ["*phimhay*"], taken=[])
    child = rm.add_refs(Child(name="An"), "blocked", [app.id])
    child = rm.add_app_limit(child, rm.make_limit([app.id], [600] * 7))
    rules = rm.remove_app(rm.upsert_app(family(child), app), app.id)
    assert rules.apps == () and rules.children[0].blocked == () and rules.children[0].app_limits == ()


def test_search_is_accent_insensitive() -> None:
    apps = builtin_apps()
    names = [a.name for a in rm.search_apps(apps, "coc coc")]
    assert any(n.startswith("Cốc Cốc") for n in names)
    assert all(a.category == "games" for a in rm.search_apps(apps, "", "games"))
    assert rm.fold("Đường dây nóng") == "duong day nong"


def test_recent_apps_sorted_by_use() -> None:
    report: dict[str, Any] = {
        "children": [
            {"name": "An", "days": [{"apps": {"roblox": 60, "@screen": 999}}, {"apps": {"youtube": 90}}]},
            {"name": "Ngoc", "days": [{"apps": {"zalo": 500}}]},
        ]
    }
    assert rm.recent_app_ids(report) == ["zalo", "youtube", "roblox"]
    assert rm.recent_app_ids(report, "An") == ["youtube", "roblox"]


# -- preset, validation, history, saving --


def test_apply_preset_keeps_identity() -> None:
    presets = load_presets_text(resource_path("presets.toml").read_text(encoding="utf-8"))
    child = Child(name="An", age=8, accounts=("an",), blocked=("roblox",))
    result = rm.apply_age_preset(child, presets[1])
    assert result.accounts == ("an",) and result.preset == "primary" and "roblox" not in result.blocked


def test_validate_reports_unknown_ref_and_accepts_good_rules() -> None:
    assert rm.validate(family(), KNOWN) is None
    bad = family(Child(name="An", blocked=("no-such-app",)))
    message = rm.validate(bad, KNOWN)
    assert message is not None and "no-such-app" in message and "blocked" in message


def test_validate_rejects_empty_limit_and_duplicate_names() -> None:
    empty_limit = family(Child(name="An", app_limits=(AppLimit(apps=(), daily=Weekly(default=60)),)))
    assert rm.validate(empty_limit, KNOWN) is not None
    twins = Rules(children=(Child(name="An"), Child(name="an")))
    assert rm.validate(twins, KNOWN) is not None


def test_history_undo_redo_and_saved_state() -> None:
    first = family()
    history = rm.History(first)
    second = rm.with_child(first, "An", rm.set_at_limit(first.children[0], "logout"))
    assert history.push(second) and history.dirty and not history.push(second)
    assert history.undo() == first and not history.dirty and history.can_redo
    assert history.redo() == second
    history.mark_saved()
    assert not history.dirty and not history.can_undo and not history.can_redo


def test_save_needs_parent_pin_and_makes_one_version(api) -> None:  # type: ignore[no-untyped-def]
    api.set_pin("parent", "1234")
    api.set_pin("caregiver", "5678", current_pin="1234")
    rules = family()
    with pytest.raises(NotAllowed):
        rm.save(api, rules, "5678")
    before = api.rules_version()
    rm.save(api, rules, "1234")
    assert api.rules_version() == before + 1
    assert api.rules() == rules


def test_warning_minutes_parse_and_format() -> None:
    assert rm.parse_minutes("15, 5,1, 5") == (900, 300, 60)
    assert rm.parse_minutes("5, soon") is None and rm.parse_minutes("") is None
    assert rm.minutes_text((900, 60)) == "15, 1"


# -- allowed hours in words and a quick bedtime ---------------------------------------------------------

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WORDS = {"not_allowed": "not allowed", "any_time": "any time", "every_day": "Every day"}


def _grid(*per_day: tuple[TimeRange, ...]) -> rm.Grid:
    return rm.ranges_to_rows(
        Weekly(days=dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), per_day, strict=True)))
    )


def test_allowed_hours_in_words_group_days_with_the_same_hours() -> None:
    school, sat = (TimeRange(420, 1230),), (TimeRange(420, 1260),)
    grid = _grid(school, school, school, school, school, sat, ())
    assert rm.describe_hours(grid, DAYS, **WORDS) == "Mon–Fri 07:00–20:30; Sat 07:00–21:00; Sun not allowed"


def test_allowed_hours_in_words_name_days_apart_and_several_ranges() -> None:
    a, b = (TimeRange(390, 720), TimeRange(840, 1200)), (TimeRange(480, 1320),)
    grid = _grid(a, a, a, a, b, b, a)
    assert (
        rm.describe_hours(grid, DAYS, **WORDS) == "Mon–Thu, Sun 06:30–12:00, 14:00–20:00; Fri–Sat 08:00–22:00"
    )


def test_allowed_hours_in_words_every_day_and_any_time() -> None:
    assert rm.describe_hours(rm.ranges_to_rows(Weekly()), DAYS, **WORDS) == "Every day any time"
    same = (TimeRange(420, 1260),)
    assert rm.describe_hours(_grid(*[same] * 7), DAYS, **WORDS) == "Every day 07:00–21:00"
    assert (
        rm.describe_hours(_grid(*[(TimeRange(0, 0),)] * 6, ()), DAYS, **WORDS)
        == "Mon–Sat any time; Sun not allowed"
    )


def test_bedtime_paints_the_chosen_days_only() -> None:
    grid = rm.awake_hours(rm.ranges_to_rows(Weekly()), (6, 0, 1, 2, 3), 7 * 60, 21 * 60 + 30)
    weekly = rm.rows_to_ranges(grid)
    assert weekly.on(0) == (TimeRange(420, 1290),) and weekly.on(6) == (TimeRange(420, 1290),)
    assert weekly.on(4) == (TimeRange(0, 1440),)
    late = rm.awake_hours(grid, (5,), 8 * 60, 30)  # bed at 00:30: the first half hour stays allowed
    assert rm.rows_to_ranges(late).on(5) == (TimeRange(0, 30), TimeRange(480, 1440))


def test_the_rules_model_loads_without_qt() -> None:
    import subprocess
    import sys

    code = "import sys, guardian.ui.console.rules_model; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
