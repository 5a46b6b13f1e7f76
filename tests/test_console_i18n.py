"""The console core in Vietnamese: module-level strings (events, durations) and the request buttons.

Completeness of every string is checked once for the whole source tree in tests/test_i18n.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication

from guardian.resources import builtin_apps
from guardian.ui import i18n
from guardian.ui.console.app_names import GENERIC_NAMES, display_name, name_label
from guardian.ui.console.app_picker import AppPickerDialog
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard_widgets import describe_event
from guardian.ui.widgets.durations import human_duration


@pytest.fixture
def vietnamese(qapp) -> Iterator[None]:
    assert i18n.install("vi")
    yield
    i18n.install("en")


def test_events_and_durations_read_in_vietnamese(vietnamese) -> None:
    assert human_duration(5400) == "1 giờ 30 phút"
    assert human_duration(600) == "10 phút"
    text = describe_event("blocked_launch", "An", "Roblox", {})
    assert "An" in text and "Roblox" in text and "%" not in text
    assert text != "An tried to open Roblox, which is blocked or out of time."
    assert "Guardian" in describe_event("agent_gap", None, None, {"seconds": 3600})
    assert "1 giờ" in describe_event("agent_gap", None, None, {"seconds": 3600})


def test_events_stay_english_in_english(qapp) -> None:
    i18n.install("en")
    assert describe_event("limit_reached", "An", None, {}) == "An reached a time limit."
    assert human_duration(5400) == "1 h 30 min"


def test_request_buttons_carry_their_accelerator_inside_the_word(vietnamese) -> None:
    for source in ("&Approve", "&Deny"):
        text = QCoreApplication.translate("RequestRow", source)
        assert text.count("&") == 1 and "(" not in text, text
        assert text in ("&Cho thêm", "&Từ chối")


def test_generic_built_in_app_names_are_translated_and_brands_are_not(vietnamese) -> None:
    apps = {app.id: app for app in builtin_apps()}
    names = {app.name for app in apps.values()}
    assert set(GENERIC_NAMES) <= names, "every translated name is a name in resources/apps.toml"
    assert display_name(apps["settings"]) == "Cài đặt hệ thống"
    assert display_name(apps["task-manager"]) == "Trình quản lý tác vụ"
    assert display_name(apps["roblox"]) == "Roblox"
    assert display_name(replace(apps["settings"], builtin=False)) == "Settings", "a parent's own name stays"
    assert name_label("Task Manager") == "Trình quản lý tác vụ" and name_label("Roblox") == "Roblox"


def test_the_app_picker_finds_apps_by_their_vietnamese_name(qtbot, family, vietnamese) -> None:
    picker = AppPickerDialog(ConsoleContext(family, pin="1234"), child="Minh An")
    qtbot.addWidget(picker)
    picker.set_query("quan ly tac vu")
    assert any(name.startswith("Trình quản lý tác vụ") for name in picker.visible_names())
    picker.set_query("typing")
    assert any(name.startswith("Luyện gõ phím") for name in picker.visible_names())


def test_alt_c_approves_a_request_in_vietnamese(qtbot, family, vietnamese) -> None:
    from PySide6.QtCore import Qt

    from guardian.ui.console.dashboard import DashboardPage

    child_id = family.store.children.id_for("Minh An")
    request_id = family.store.requests.add(child_id, 1800, ts=int(family.clock.now()) - 60, reason="bài tập")
    ctx = ConsoleContext(family, role="parent", pin="1234")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.view is not None and not page.busy, timeout=5000)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    row = page.cards["Minh An"].request_rows[0]
    assert row.approve_button.text() == "&Cho thêm"
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: family.store.requests.get(request_id).status == "approved", timeout=5000)
    ctx.close()
