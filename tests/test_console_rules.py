"""The rules editor page, the hours grid and the app picker, driven through their widgets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime

from guardian.core.model import CATEGORY_PREFIX, TimeRange
from guardian.ui.console import rules_model as rm
from guardian.ui.console.app_picker import AppPickerDialog, AppPickerPage, is_gui_like
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.hours_grid import HoursGrid
from guardian.ui.console.rules_editor import RulesEditorPage
from tests.helpers import settle_page, ts

NOW = ts("2026-11-27 18:00")
CHILD = "Minh An"


@pytest.fixture
def page(qtbot: Any, family: Any) -> RulesEditorPage:
    ctx = ConsoleContext(family, role="parent", pin="1234")
    widget = RulesEditorPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    widget.resize(1000, 900)
    widget.select_child(CHILD)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def exported_child(api: Any, name: str = CHILD) -> list[str]:
    """The lines of one child's table in the exported family file."""
    text = api.export_rules()
    start = text.index(f'name = "{name}"')
    end = text.find("[[child]]", start)
    lines = text[start : end if end > 0 else None].splitlines()
    return [line.strip() for line in lines if line.strip()]


def save(qtbot: Any, page: RulesEditorPage) -> None:
    assert page.save_button.isEnabled(), page.message.text()
    with qtbot.waitSignal(page.ctx.data_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.history.dirty


def test_screen_time_per_weekday_is_saved(qtbot: Any, page: RulesEditorPage) -> None:
    times = page.screen_times
    times.same.setChecked(False)
    times.edits[5].hours.setValue(3)
    times.edits[5].minutes.setValue(0)
    times.edits[6].hours.setValue(1)
    assert page.dirty_label.text() == "Unsaved changes"
    save(qtbot, page)
    assert 'screen_time = { default = "1h30m", sat = "3h" }' in exported_child(page.ctx.api)


def test_same_every_day_writes_one_value(qtbot: Any, page: RulesEditorPage) -> None:
    page.screen_times.same.setChecked(True)
    page.screen_times.edits[0].hours.setValue(2)
    page.screen_times.edits[0].minutes.setValue(0)
    save(qtbot, page)
    assert 'screen_time = "2h"' in exported_child(page.ctx.api)


def test_painting_the_hours_grid_with_the_mouse(qtbot: Any, page: RulesEditorPage) -> None:
    grid = page.hours_grid
    # Saturday 21:00-22:00 is not allowed in the demo preset; drag across it to allow it.
    start, end = grid.cell_rect(5, 42).center(), grid.cell_rect(5, 43).center()
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(grid, end)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)
    save(qtbot, page)
    lines = exported_child(page.ctx.api)
    assert (
        'allowed_hours = { default = ["07:00-20:30"], fri = ["07:00-21:00"], sat = ["07:00-22:00"] }' in lines
    )


def test_keyboard_toggles_grid_cells(qtbot: Any) -> None:
    grid = HoursGrid()
    qtbot.addWidget(grid)
    grid.resize(800, 250)
    with qtbot.waitSignal(grid.changed) as signal:
        qtbot.keyClick(grid, Qt.Key.Key_Down)
        qtbot.keyClick(grid, Qt.Key.Key_Right)
        qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert grid.cursor_cell() == (1, 15)
    assert signal.args[0][1][15] is False and signal.args[0][1][14] is True
    assert rm.rows_to_ranges(grid.grid()).days["tue"] == (
        TimeRange(0, 450),
        TimeRange(480, 1440),
    )


def test_drag_paints_a_rectangle(qtbot: Any) -> None:
    grid = HoursGrid()
    qtbot.addWidget(grid)
    grid.resize(800, 250)
    grid.set_grid(tuple((False,) * 48 for _ in range(7)))
    with qtbot.waitSignal(grid.changed):
        qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(0, 14).center())
        qtbot.mouseMove(grid, grid.cell_rect(4, 41).center())
        qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(4, 41).center())
    weekly = rm.rows_to_ranges(grid.grid())
    assert weekly.on(0) == weekly.on(4) == (TimeRange(420, 1260),)
    assert weekly.on(5) == ()


def test_app_limit_added_through_the_dialog(qtbot: Any, page: RulesEditorPage) -> None:
    dialog = page.limit_dialog()
    qtbot.addWidget(dialog)
    dialog.add_refs(["roblox", "minecraft"])
    dialog.times.same.setChecked(True)
    dialog.times.edits[0].hours.setValue(0)
    dialog.times.edits[0].minutes.setValue(40)
    page.finish_limit_dialog(dialog)
    assert "Roblox, Minecraft — 40 min" in page.limits.item(page.limits.count() - 1).text()
    save(qtbot, page)
    lines = exported_child(page.ctx.api)
    assert lines[-2:] == ['apps = ["roblox", "minecraft"]', 'daily = "40m"']


def test_blocking_a_custom_program_keeps_its_sha256(
    qtbot: Any, page: RulesEditorPage, tmp_path: Path
) -> None:
    program = tmp_path / "Sleepy Game.exe"
    program.write_bytes(b"not really a game")
    picker = AppPickerDialog(page.ctx, page, rules=page.draft(), child=CHILD)
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.adopted) as adopted:
        assert picker.add_exe_app(str(program))  # hashed on a pool thread
        assert picker.making and not picker.custom_buttons[0].isEnabled()
        assert not picker.add_exe_app(str(program))  # one at a time
    app = adopted.args[0]
    assert picker.selected_refs() == [app.id] and picker.custom_buttons[0].isEnabled()
    page.add_refs("blocked", picker.selected_refs(), picker.new_apps())
    save(qtbot, page)
    text = page.ctx.api.export_rules()
    blocked = next(line for line in exported_child(page.ctx.api) if line.startswith("blocked ="))
    assert blocked.endswith('"discord", "sleepy-game"]')

    digest = hashlib.sha256(b"not really a game").hexdigest()
    assert f'sha256 = ["{digest}"]' in text
    assert 'exe_names = ["Sleepy Game.exe"]' in text


def test_at_limit_and_warnings_are_saved(qtbot: Any, page: RulesEditorPage) -> None:
    qtbot.mouseClick(page.at_limit_buttons["notify"], Qt.MouseButton.LeftButton)
    page.warnings.clear()
    qtbot.keyClicks(page.warnings, "10, 2")
    save(qtbot, page)
    assert 'at_limit = "notify"' in exported_child(page.ctx.api)
    assert 'warn_before = ["10m", "2m"]' in page.ctx.api.export_rules()


def test_always_allowed_and_remove(qtbot: Any, page: RulesEditorPage) -> None:
    page.add_refs("always_allowed", ["calculator"])
    page.blocked.list.setCurrentRow(0)
    qtbot.mouseClick(page.blocked.remove_button, Qt.MouseButton.LeftButton)
    save(qtbot, page)
    lines = exported_child(page.ctx.api)
    assert 'always_allowed = ["category:education", "category:utilities", "calculator"]' in lines
    assert 'blocked = ["instagram", "threads", "tiktok", "discord"]' in lines


def test_undo_and_redo_restore_drafts(qtbot: Any, page: RulesEditorPage) -> None:
    before = page.draft()
    qtbot.mouseClick(page.at_limit_buttons["logout"], Qt.MouseButton.LeftButton)
    changed = page.draft()
    assert changed != before and page.undo_button.isEnabled()
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert page.draft() == before and page.at_limit_buttons["lock"].isChecked()
    assert not page.save_button.isEnabled()
    qtbot.keyClick(
        page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert page.draft() == changed and page.at_limit_buttons["logout"].isChecked()


def test_invalid_edit_shows_message_and_disables_save(qtbot: Any, page: RulesEditorPage) -> None:
    page.at_limit_buttons["notify"].click()
    page.warnings.clear()
    qtbot.keyClicks(page.warnings, "5, soon")
    assert not page.save_button.isEnabled()
    assert "whole numbers" in page.message.text() and page.message.isVisibleTo(page)
    assert page.save() is False
    page.warnings.clear()
    qtbot.keyClicks(page.warnings, "5")
    assert page.save_button.isEnabled() and page.message.text() == ""


def test_age_preset_replaces_rules_and_can_be_undone(page: RulesEditorPage) -> None:
    before = page.child()
    page.apply_preset("preschool")
    child = page.child()
    assert child is not None and child.preset == "preschool" and child.accounts == ("an",)
    assert page.at_limit_buttons["lock"].isChecked()
    page.undo()
    assert page.child() == before


def test_caregiver_sees_rules_but_cannot_save(qtbot: Any, family: Any) -> None:
    ctx = ConsoleContext(family, role="caregiver", pin="5678")
    page = RulesEditorPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    page.select_child(CHILD)
    assert not page.content.isEnabled() and not page.save_button.isEnabled()
    assert page.read_only_note.isVisibleTo(page)
    version = family.rules_version()
    page.at_limit_buttons["notify"].setChecked(True)
    assert page.save() is False and family.rules_version() == version


def test_wrong_pin_keeps_the_draft(qtbot: Any, family: Any) -> None:
    ctx = ConsoleContext(family, role="parent", pin="0000")
    page = RulesEditorPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    page.at_limit_buttons["notify"].click()
    with qtbot.waitSignal(page.saved) as signal:
        assert page.save() is True  # sent to the writer thread
        assert page.dirty_label.text() == "Saving…" and not page.save_button.isEnabled()
    assert signal.args == [False]
    assert "Could not save" in page.message.text() and page.history.dirty


def test_picker_search_is_accent_insensitive_and_filters_by_category(qtbot: Any, family: Any) -> None:
    picker = AppPickerDialog(ConsoleContext(family, pin="1234"), child=CHILD)
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "coc coc")
    assert any(name.startswith("Cốc Cốc") for name in picker.visible_names())
    picker.set_query("")
    picker.set_category("games")
    refs = picker.visible_refs()
    assert refs[0] == CATEGORY_PREFIX + "games" and "roblox" in refs and "youtube" not in refs


def test_picker_lists_recent_apps_most_used_first(qtbot: Any, family: Any) -> None:
    ctx = ConsoleContext(family, pin="1234")
    picker = AppPickerDialog(ctx, child=CHILD)
    qtbot.addWidget(picker)
    assert not picker.recent_loaded  # read on the console's reader thread, listed when it is in
    qtbot.waitUntil(lambda: picker.recent_loaded, timeout=10_000)
    recent = [picker.recent.item(i).data(Qt.ItemDataRole.UserRole) for i in range(picker.recent.count())]
    last = family.today()
    report = family.report(last.replace(day=last.day - 13), last, CHILD)
    assert recent and recent == rm.recent_app_ids(report, CHILD)[: len(recent)]


def test_website_app_in_picker(qtbot: Any, family: Any) -> None:
    picker = AppPickerDialog(ConsoleContext(family, pin="1234"))
    qtbot.addWidget(picker)
    app = picker.add_website_app("Phim Hay", ["*phimhay*"])
    assert app.match.window_titles == ("*phimhay*",) and picker.new_apps() == [app]


def test_apps_page_adds_and_removes_custom_programs(qtbot: Any, family: Any, tmp_path: Path) -> None:
    ctx = ConsoleContext(family, pin="1234")
    page = AppPickerPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    program = tmp_path / "mygame"
    program.write_bytes(b"x")

    def stored(act: Callable[[], bool]) -> bool:
        with qtbot.waitSignal(page.saved) as signal:
            assert act()
        settle_page(qtbot, page)  # and the list read again
        return bool(signal.args[0])

    assert stored(lambda: page.add_exe(str(program)))
    assert page.tree.topLevelItemCount() == 1 and "mygame" in family.export_rules()
    assert stored(lambda: page.rename("mygame", "My Game", "games"))
    item = page.tree.topLevelItem(0)
    assert item is not None and item.text(0) == "My Game"
    assert stored(lambda: page.remove("mygame")) and page.tree.topLevelItemCount() == 0


def test_gui_like_processes_exclude_shells_and_system_helpers() -> None:
    assert is_gui_like("firefox", "/usr/bin/firefox")
    assert not is_gui_like("bash", "/usr/bin/bash")
    assert not is_gui_like("helper", "/usr/libexec/helper")
    assert not is_gui_like("svchost.exe", "C:\\Windows\\System32\\svchost.exe")


def test_enter_in_the_picker_search_adds_the_first_match(qtbot: Any, family: Any) -> None:
    picker = AppPickerDialog(ConsoleContext(family, pin="1234"), child=CHILD)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "tik")
    assert picker.visible_refs()[0] == "tiktok"
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.selected_refs() == ["tiktok"]


def test_enter_with_no_match_keeps_the_picker_open_and_says_why(qtbot: Any, family: Any) -> None:
    picker = AppPickerDialog(ConsoleContext(family, pin="1234"), child=CHILD)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    qtbot.keyClicks(picker.search, "zzqx")
    assert picker.visible_refs() == []
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.result() != 1
    assert "zzqx" in picker.hint.text()


def test_the_allowed_hours_are_read_out_in_words_under_the_grid(page: RulesEditorPage) -> None:
    assert page.hours_words.text() == "Mon–Thu, Sun 07:00–20:30; Fri–Sat 07:00–21:00"
    assert page.hours_words.text() == rm.describe_hours(
        page.hours_grid.grid(),
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        not_allowed="not allowed",
        any_time="at any hour",
        every_day="Every day",
    )


def test_a_bedtime_typed_in_paints_the_grid_and_is_saved(qtbot: Any, page: RulesEditorPage) -> None:
    page.wake.setTime(QTime(6, 30))
    page.bedtime.setTime(QTime(20, 0))
    page.bed_days.setCurrentIndex(0)  # every day
    qtbot.mouseClick(page.paint_bedtime, Qt.MouseButton.LeftButton)
    assert page.hours_words.text() == "Every day 06:30–20:00"
    save(qtbot, page)
    assert 'allowed_hours = ["06:30-20:00"]' in exported_child(page.ctx.api)
