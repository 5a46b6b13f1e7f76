"""Pure wizard decisions: PINs, drafts, accounts, rules and the plain-words description."""

from __future__ import annotations

from dataclasses import replace

from guardian.core.model import AppLimit, Child, Rules, TimeRange, Weekly
from guardian.core.presets import apply_preset, load_presets_text, preset_for_age
from guardian.resources import resource_path
from guardian.ui.console.wizard_logic import (
    ChildDraft,
    admin_accounts,
    build_rules,
    describe_child,
    draft_problem,
    human_accounts,
    pin_problem,
    split_accounts,
)

PRESETS = load_presets_text(resource_path("presets.toml").read_text(encoding="utf-8"))
NAMES = {"roblox": "Roblox", "minecraft": "Minecraft", "tiktok": "TikTok"}


def preset_child(age: int) -> Child:
    preset = preset_for_age(PRESETS, age)
    assert preset is not None
    return apply_preset(Child("Minh An", age, ("an",)), preset)


def test_primary_child_in_english_plain_words() -> None:
    lines = describe_child(preset_child(8), "en", app_name=NAMES.get)
    assert lines[0] == "Screen time: 1 h 30 min a day on school days, 2 h 30 min at weekends"
    assert lines[1] == "Allowed 07:00–20:30; Fri, Sat: 07:00–21:00"
    assert "Games and emulators: 45 min a day on school days, 1 h at weekends" in lines
    assert "When time is up, the screen locks" in lines
    assert "Computer accounts: an" in lines


def test_primary_child_in_vietnamese_plain_words() -> None:
    lines = describe_child(preset_child(8), "vi")
    assert lines[0] == "Thời gian sử dụng: 1 giờ 30 phút mỗi ngày đi học, 2 giờ 30 phút vào cuối tuần"
    assert lines[1] == "Giờ được phép: 07:00–20:30; T6, T7: 07:00–21:00"
    assert "Game và trình giả lập: 45 phút mỗi ngày đi học, 1 giờ vào cuối tuần" in lines


def test_single_game_limits_share_one_line() -> None:
    lines = describe_child(preset_child(13), "en", app_name=NAMES.get)
    each = [line for line in lines if line.endswith("each")]
    assert len(each) == 1 and each[0].startswith("Roblox, Minecraft")


def test_child_without_rules_is_described_as_unlimited() -> None:
    lines = describe_child(Child("Lan"), "en")
    assert lines[:2] == ["Screen time: no daily limit", "Allowed at any hour"]
    assert lines[-1].startswith("No computer account")


def test_day_without_allowed_hours_and_irregular_week() -> None:
    child = Child(
        "Lan",
        screen_time=Weekly(3600, {"wed": 1800}),
        allowed_hours=Weekly((TimeRange(480, 1200),), {"sun": ()}),
        app_limits=(AppLimit(("category:social",), Weekly(1200)),),
    )
    lines = describe_child(child, "en")
    assert lines[0] == "Screen time: 1 h a day; Wed: 30 min"
    assert lines[1] == "Allowed 08:00–20:00; Sun: not at all"
    assert "Social apps: 20 min a day" in lines


def test_pin_problems() -> None:
    assert pin_problem("", "") == "empty"
    assert pin_problem("12a4", "12a4") == "format"
    assert pin_problem("123", "123") == "format"
    assert pin_problem("1234", "1235") == "mismatch"
    assert pin_problem("1234", "1234", other="1234") == "same"
    assert pin_problem("1234", "1234") is None


def test_drafts_need_a_name_a_unique_name_and_own_accounts() -> None:
    an = ChildDraft("Minh An", 8, ("an",))
    assert draft_problem([], replace(an, name=" ")) == "name"
    assert draft_problem([], replace(an, age=18)) == "age"
    assert draft_problem([an], ChildDraft("minh an", 9)) == "duplicate"
    assert draft_problem([an], ChildDraft("Ngọc", 13, ("an",))) == "account:an"
    assert draft_problem([an], ChildDraft("Ngọc", 13, ("ngoc",))) is None


def test_split_accounts() -> None:
    assert split_accounts(" an, ngoc  an,,") == ("an", "ngoc")


def test_human_accounts_leave_out_system_accounts() -> None:
    entries = [
        ("root", 0, "/bin/bash"),
        ("daemon", 1, "/usr/sbin/nologin"),
        ("an", 1000, "/bin/bash"),
        ("svc", 1001, "/usr/sbin/nologin"),
        ("nobody", 65534, "/usr/sbin/nologin"),
        ("Ngoc", 1002, "/bin/zsh"),
    ]
    assert human_accounts(entries, ["guest", ""]) == ["an", "guest", "Ngoc"]


def test_a_logged_in_system_account_is_never_offered() -> None:
    entries = [("root", 0, "/bin/bash"), ("svc", 1001, "/usr/sbin/nologin"), ("an", 1000, "/bin/bash")]
    assert human_accounts(entries, ["root", "svc", "an"]) == ["an"]


def test_admin_accounts_are_found() -> None:
    drafts = [ChildDraft("An", 8, ("an",)), ChildDraft("Ngọc", 13, ("ngoc", "ngoc2"))]
    assert admin_accounts(drafts, lambda user: {"ngoc": True, "an": False}.get(user)) == ["ngoc"]


def test_build_rules_applies_presets_and_keeps_other_children() -> None:
    base = Rules(children=(Child("Old"), Child("Minh An", 5)))
    drafts = [ChildDraft("Minh An", 8, ("an",), "primary"), ChildDraft("Ngọc", 13, ("ngoc",), None)]
    rules = build_rules(base, drafts, PRESETS)
    assert [c.name for c in rules.children] == ["Old", "Minh An", "Ngọc"]
    an = rules.child("Minh An")
    assert an is not None and an.preset == "primary" and an.age == 8
    ngoc = rules.child("Ngọc")
    assert ngoc is not None and ngoc.screen_time.is_empty() and ngoc.accounts == ("ngoc",)
