"""The child's tray driven by a fake link: every state, the banner, the time's-up screen, the help pages."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from guardian.core.messages import AppClosedNotice, BlockedNotice, TimeUpNotice, WarningNotice
from guardian.ui.tray.app import TrayController
from guardian.ui.tray.content import GROUPS, group_for, load_help
from guardian.ui.tray.state import GameStreak, tray_state
from tests.tray_fakes import INFO, FakeLink, status

AT_2100 = time.mktime(time.strptime("2026-11-27 21:00", "%Y-%m-%d %H:%M"))
AT_0700 = time.mktime(time.strptime("2026-11-28 07:00", "%Y-%m-%d %H:%M"))


@pytest.fixture
def link() -> FakeLink:
    fake = FakeLink()
    fake.handlers["tray.info"] = lambda params: dict(INFO)
    return fake


@pytest.fixture
def tray(qtbot: QtBot, link: FakeLink) -> Iterator[TrayController]:
    controller = TrayController(link, language="en", system_tray=False)
    link.publish_online(True)
    yield controller
    controller.timesup.stop()
    for widget in (controller.window, controller.banner, controller.help, controller.ask, controller.pill):
        if widget is not None:
            widget.close()


def test_plenty_left_shows_time_hours_and_apps(tray: TrayController, link: FakeLink) -> None:
    link.publish_status(status(left=4800, allowed_until=AT_2100, apps_left={"minecraft": 1200}))
    assert tray.state.kind == "plenty"
    assert tray.window.headline.text() == "1 h 20 min of screen time left today"
    assert tray.window.hours.text() == "You can use the computer until 21:00."
    assert "Minecraft: 20 min left" in tray.window.apps.text()
    assert tray.pill is not None and tray.pill.text.text() == "1 h 20 min"
    assert tray.pill.toolTip() == tray.window.headline.text()


def test_a_warning_floats_a_banner_that_never_takes_the_keyboard(
    qtbot: QtBot, tray: TrayController, link: FakeLink
) -> None:
    link.publish_status(status(state="warn", left=300))
    assert tray.state.kind == "warning"
    link.publish_notice(WarningNotice("An", "screen", None, 300))
    qtbot.waitUntil(tray.banner.isVisible)
    assert tray.banner.text.text() == "Screen time: 5 min left for today."
    flags = tray.banner.windowFlags()
    for flag in (
        Qt.WindowType.WindowDoesNotAcceptFocus,
        Qt.WindowType.WindowStaysOnTopHint,
        Qt.WindowType.Tool,
    ):
        assert flags & flag
    assert tray.banner.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert tray.banner.help_button.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_the_banner_names_an_app_limit_and_allowed_hours(tray: TrayController, link: FakeLink) -> None:
    link.publish_notice(WarningNotice("An", "app_limit", "category:games", 60))
    assert tray.banner.text.text() == "games: 1 min left for today."
    link.publish_notice(WarningNotice("An", "hours", None, 900))
    assert tray.banner.text.text().startswith("The computer may be used until ")
    assert "15 min left" in tray.banner.text.text()


def test_an_app_limit_reached_says_why_the_app_closed(tray: TrayController, link: FakeLink) -> None:
    link.publish_status(status(apps_left={"minecraft": 0, "roblox": 900}))
    assert tray.state.kind == "app_limit"
    assert "Minecraft: used up for today" in tray.window.apps.text()
    link.publish_notice(AppClosedNotice("An", "minecraft", "exhausted"))
    assert tray.window.why.text() == "Minecraft was closed: its time for today is used up."
    link.publish_notice(AppClosedNotice("An", "roblox", "blocked"))
    assert "turned it off" in tray.window.why.text()
    assert tray.banner.isVisible()


def test_a_brothers_or_sisters_closed_app_is_not_shown(tray: TrayController, link: FakeLink) -> None:
    assert tray.info is not None and tray.info.child == "An"
    link.publish_notice(BlockedNotice("Binh", "roblox", "blocked"))  # sent to every subscriber
    assert tray.window.why.text() == "" and not tray.banner.isVisible()
    link.publish_notice(BlockedNotice("An", "roblox", "blocked"))
    assert "turned it off" in tray.window.why.text() and tray.banner.isVisible()


def test_outside_hours_says_when_the_computer_is_allowed_again(tray: TrayController, link: FakeLink) -> None:
    link.publish_status(status(state="outside_hours", next_allowed_at=AT_0700))
    assert tray.state.kind == "outside_hours"
    assert tray.window.headline.text() == "The computer is not for use right now."
    assert tray.window.hours.text() == "You can use the computer again at 07:00."
    assert tray.timesup.is_showing() and tray.timesup.reason == "outside_hours"


def test_paused(tray: TrayController, link: FakeLink) -> None:
    link.publish_status(status(state="paused", paused=True))
    assert tray.state.kind == "paused"
    assert "paused the computer until tomorrow" in tray.window.headline.text()
    assert tray.pill is not None and tray.pill.text.text() == "Time's up"


def test_unreachable_then_reconnected(tray: TrayController, link: FakeLink) -> None:
    link.publish_status(status(left=1800))
    link.publish_online(False)
    assert tray.state.kind == "unreachable"
    assert "not answering" in tray.window.headline.text()
    assert "rules still apply" in tray.window.headline.text()
    assert not tray.window.ask.isEnabled()
    assert tray.pill is not None and tray.pill.text.text() == "Guardian: not connected"
    link.publish_online(True)
    link.publish_status(status(left=1700))
    assert tray.state.kind == "plenty"
    assert tray.window.why.text() == "Connected to Guardian again."
    assert tray.window.headline.text() == "29 min of screen time left today"
    assert link.methods().count("tray.info") == 2


def test_times_up_covers_every_screen_and_counts_down_to_the_at_limit_call(
    qtbot: QtBot, tray: TrayController, link: FakeLink
) -> None:
    link.publish_notice(TimeUpNotice("An", "screen_time_over", 2, "lock"))
    covers = tray.timesup.covers
    assert len(covers) == len(QGuiApplication.screens())
    for cover, screen in zip(covers, QGuiApplication.screens(), strict=True):
        assert cover.isFullScreen() and cover.geometry() == screen.geometry()
        assert cover.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    cover = covers[0]
    assert cover.countdown.text() == "0:02 left to save your work"
    assert "the computer locks" in cover.next.text()
    assert not cover.dismiss.isVisible()
    with qtbot.waitSignal(tray.timesup.finished, timeout=5000) as finished:
        pass
    assert finished.args == ["lock"]
    assert link.at_limit_calls == ["lock"]
    assert cover.countdown.text() == "Locking the computer now."
    cover.help.click()
    assert tray.help.isVisible()
    cover.ask.click()
    assert tray.ask.isVisible()


def test_notify_can_be_dismissed_and_time_back_takes_the_screen_away(
    tray: TrayController, link: FakeLink
) -> None:
    link.publish_notice(TimeUpNotice("An", "screen_time_over", 60, "notify"))
    assert tray.timesup.covers[0].dismiss.isVisibleTo(tray.timesup.covers[0])
    tray.timesup.covers[0].dismiss.click()
    assert not tray.timesup.is_showing()
    link.publish_status(status(state="screen_time_over", left=0))  # the next status does not bring it back
    assert not tray.timesup.is_showing()
    link.publish_notice(TimeUpNotice("An", "screen_time_over", 60, "lock"))
    assert tray.timesup.is_showing()
    link.publish_status(status(left=1800))  # a parent granted time
    assert not tray.timesup.is_showing()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("group", GROUPS)
def test_every_age_group_has_at_least_eight_tips_and_a_privacy_page(language: str, group: str) -> None:
    content = load_help(language)
    assert len(content.groups[group].tips) >= 8
    assert len(set(content.groups[group].tips)) == len(content.groups[group].tips)
    assert any("180" in point for point in content.privacy(group, 180))
    assert {t.id for t in content.topics} == {"bullying", "abuse", "scams", "strangers"}


def test_vietnamese_and_english_say_as_much_as_each_other() -> None:
    en, vi = load_help("en"), load_help("vi")
    assert en.labels.keys() == vi.labels.keys()
    for group in GROUPS:
        assert len(en.groups[group].tips) == len(vi.groups[group].tips)
        assert len(en.groups[group].privacy) == len(vi.groups[group].privacy)
        assert en.groups[group].tips != vi.groups[group].tips


@pytest.mark.parametrize(
    ("age", "preset", "group"),
    [
        (4, None, "preschool"),
        (8, None, "primary"),
        (13, None, "lower_secondary"),
        (16, None, "upper_secondary"),
        (19, None, "upper_secondary"),
        (None, None, "primary"),
        (16, "primary", "primary"),
    ],
)
def test_the_age_group_comes_from_the_preset_or_the_age(
    age: int | None, preset: str | None, group: str
) -> None:
    assert group_for(age, preset) == group


@pytest.mark.parametrize(
    ("age", "group"), [(4, "preschool"), (9, "primary"), (12, "lower_secondary"), (16, "upper_secondary")]
)
def test_the_help_page_shows_the_childs_groups_tips_and_every_number(
    tray: TrayController, link: FakeLink, age: int, group: str
) -> None:
    link.handlers["tray.info"] = lambda params: {**INFO, "age": age, "preset": None}
    link.publish_online(True)
    tray.window.help.click()
    assert tray.help.isVisible()
    assert tray.help.tips() == load_help("en").groups[group].tips
    page = tray.help.tabs.widget(0)
    texts = " ".join(label.text() for label in page.findChildren(type(tray.window.why)))
    for needle in ("111", "02623.951.567", "113", "115", "Bullying", "Abuse", "Scams", "Strangers online"):
        assert needle in texts
    assert load_help("en").groups[group].tips[0].replace("'", "&#x27;") in texts
    tray.window.privacy.click()
    assert tray.help.tabs.currentIndex() == 1
    privacy = tray.help.tabs.widget(1).findChildren(type(tray.window.why))
    assert any("180 days" in label.text() for label in privacy)


def test_help_in_vietnamese(tray: TrayController) -> None:
    tray.language = "vi"
    tray.open_help()
    assert tray.help.windowTitle() == "Trợ giúp và an toàn"
    assert tray.help.tips()[0] == "Giữ bí mật mật khẩu của con. Chỉ bố mẹ được biết thôi."


def test_a_health_reminder_after_thirty_minutes_of_games(tray: TrayController, link: FakeLink) -> None:
    now = [1000.0]
    tray.clock = lambda: now[0]
    for _ in range(30):
        link.publish_status(status(foreground="minecraft"))
        assert not tray.banner.isVisible()
        now[0] += 60
    link.publish_status(status(foreground="minecraft"))
    assert tray.banner.isVisible()
    assert tray.banner.title.text() == "Time for a break"
    assert "30 minutes" in tray.banner.text.text()


def test_the_health_reminder_can_be_turned_off(tray: TrayController, link: FakeLink) -> None:
    link.handlers["tray.info"] = lambda params: {**INFO, "health_reminder": False}
    link.publish_online(True)
    now = [1000.0]
    tray.clock = lambda: now[0]
    for _ in range(40):
        link.publish_status(status(foreground="minecraft"))
        now[0] += 60
    assert not tray.banner.isVisible()


def test_the_game_streak_resets_after_a_real_break() -> None:
    streak = GameStreak()

    def play(first: int, last: int) -> list[int]:
        """Minutes at which a reminder was due while playing from minute ``first`` to ``last``."""
        return [m for m in range(first, last + 1) if streak.observe(m * 60, True)]

    assert play(0, 61) == [30, 60]  # each block once
    assert streak.observe(62 * 60, False) == 0
    assert play(70, 100) == [100]  # eight minutes away from games: a new streak from minute 70
    assert play(103, 131) == [130]  # a gap under five minutes keeps the streak


def test_the_system_tray_icon_tooltip_shows_time_left(qtbot: QtBot, link: FakeLink) -> None:
    controller = TrayController(link, language="en", system_tray=True)
    link.publish_status(status(left=1500))
    assert controller.icon is not None and controller.pill is None
    assert controller.icon.toolTip() == "25 min of screen time left today"
    assert not controller.icon.icon().isNull()
    controller.icon.hide()


def test_tray_state_without_a_limit() -> None:
    state = tray_state(status(left=None, limit=None), online=True)
    assert (state.kind, state.screen_left_s) == ("plenty", None)
