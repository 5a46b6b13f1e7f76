"""What the first-run wizard decides, without Qt: PIN checks, children drafts, rules and plain words.

``describe_child`` turns a child's rules into short sentences a parent can check at a glance, in
English or Vietnamese. Its phrases live here (not in Qt's catalogs) so it stays pure and testable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from guardian import computer
from guardian.core.durations import format_clock
from guardian.core.model import CATEGORY_PREFIX, WEEKDAYS, Child, Rules, Weekly
from guardian.core.presets import Preset, apply_preset

MAX_CHILD_AGE = 17
_PIN = re.compile(r"^\d{4,12}$")

# -- PINs ------------------------------------------------------------------------------------


def pin_problem(pin: str, again: str, *, other: str | None = None) -> str | None:
    """Why ``pin`` cannot be used, as a key (``empty``, ``format``, ``mismatch``, ``same``), or ``None``.

    ``other`` is a PIN it must differ from (the parent PIN, for the caregiver's).
    """
    if not pin:
        return "empty"
    if not _PIN.match(pin):
        return "format"
    if pin != again:
        return "mismatch"
    if other is not None and pin == other:
        return "same"
    return None


# -- children --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDraft:
    """A child as typed in the wizard: the chosen preset id, or ``None`` for no limits yet."""

    name: str
    age: int
    accounts: tuple[str, ...] = ()
    preset: str | None = None


def split_accounts(text: str) -> tuple[str, ...]:
    """Account names typed by hand, separated by commas or spaces, without duplicates."""
    names = [part.strip() for part in re.split(r"[,\s]+", text)]
    return tuple(dict.fromkeys(name for name in names if name))


def draft_problem(drafts: Sequence[ChildDraft], new: ChildDraft) -> str | None:
    """Why ``new`` cannot join ``drafts``: ``name``, ``age``, ``duplicate`` or ``account:NAME``."""
    if not new.name.strip():
        return "name"
    if not 0 <= new.age <= MAX_CHILD_AGE:
        return "age"
    if any(d.name.casefold() == new.name.strip().casefold() for d in drafts):
        return "duplicate"
    taken = {account for d in drafts for account in d.accounts}
    for account in new.accounts:
        if account in taken:
            return f"account:{account}"
    return None


def build_rules(base: Rules, drafts: Iterable[ChildDraft], presets: Iterable[Preset]) -> Rules:
    """``base`` with the drafted children (their presets applied); other children are kept."""
    by_id = {p.id: p for p in presets}
    made: list[Child] = []
    for draft in drafts:
        child = Child(name=draft.name.strip(), age=draft.age, accounts=draft.accounts)
        preset = by_id.get(draft.preset) if draft.preset else None
        made.append(apply_preset(child, preset) if preset is not None else child)
    names = {c.name.casefold() for c in made}
    kept = tuple(c for c in base.children if c.name.casefold() not in names)
    return replace(base, children=(*kept, *made))


def human_accounts(entries: Iterable[tuple[str, int, str]], logged_in: Iterable[str] = ()) -> list[str]:
    """People's accounts: no root, no service accounts, no ``nobody``, even while logged in."""
    return computer.pick_humans(entries, logged_in)


def admin_accounts(drafts: Iterable[ChildDraft], is_admin: Callable[[str], bool | None]) -> list[str]:
    """Children's accounts that can administer this computer (and so could stop Guardian)."""
    return [account for draft in drafts for account in draft.accounts if is_admin(account)]


# -- plain words -----------------------------------------------------------------------------

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "hm": "{h} h {m} min",
        "h": "{h} h",
        "m": "{m} min",
        "per_day": "{value} a day",
        "school_weekend": "{school} a day on school days, {weekend} at weekends",
        "except": "{common}; {days}: {value}",
        "screen": "Screen time: {text}",
        "screen_none": "Screen time: no daily limit",
        "no_limit": "no limit",
        "hours": "Allowed {text}",
        "hours_any": "Allowed at any hour",
        "not_allowed": "not at all",
        "limit": "{apps}: {text}",
        "limit_each": "{apps}: {text} each",
        "blocked": "Blocked: {apps}",
        "always": "Always allowed: {apps}",
        "at_limit_lock": "When time is up, the screen locks",
        "at_limit_logout": "When time is up, the account signs out",
        "at_limit_close_apps": "When time is up, apps close (homework apps stay open)",
        "at_limit_notify": "When time is up, Guardian only shows a notice",
        "accounts": "Computer accounts: {names}",
        "accounts_none": "No computer account chosen yet: Guardian cannot watch this child",
        "and": ", ",
        "and_last": " and ",
        "mon": "Mon",
        "tue": "Tue",
        "wed": "Wed",
        "thu": "Thu",
        "fri": "Fri",
        "sat": "Sat",
        "sun": "Sun",
    },
    "vi": {
        "hm": "{h} giờ {m} phút",
        "h": "{h} giờ",
        "m": "{m} phút",
        "per_day": "{value} mỗi ngày",
        "school_weekend": "{school} mỗi ngày đi học, {weekend} vào cuối tuần",
        "except": "{common}; {days}: {value}",
        "screen": "Thời gian sử dụng: {text}",
        "screen_none": "Thời gian sử dụng: không giới hạn hằng ngày",
        "no_limit": "không giới hạn",
        "hours": "Giờ được phép: {text}",
        "hours_any": "Được dùng vào mọi giờ",
        "not_allowed": "không được dùng",
        "limit": "{apps}: {text}",
        "limit_each": "{apps}: mỗi ứng dụng {text}",
        "blocked": "Bị chặn: {apps}",
        "always": "Luôn được dùng: {apps}",
        "at_limit_lock": "Khi hết giờ, màn hình sẽ khóa",
        "at_limit_logout": "Khi hết giờ, tài khoản sẽ đăng xuất",
        "at_limit_close_apps": "Khi hết giờ, các ứng dụng sẽ đóng (ứng dụng học tập vẫn mở)",
        "at_limit_notify": "Khi hết giờ, Guardian chỉ hiện thông báo",
        "accounts": "Tài khoản máy tính: {names}",
        "accounts_none": "Chưa chọn tài khoản máy tính nào: Guardian chưa thể theo dõi con",
        "and": ", ",
        "and_last": " và ",
        "mon": "T2",
        "tue": "T3",
        "wed": "T4",
        "thu": "T5",
        "fri": "T6",
        "sat": "T7",
        "sun": "CN",
    },
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "games": "games",
        "emulators": "emulators",
        "social": "social apps",
        "education": "learning apps",
        "utilities": "utilities",
        "office": "office apps",
        "video": "video",
        "music": "music",
        "browsers": "browsers",
        "creative": "creative apps",
    },
    "vi": {
        "games": "game",
        "emulators": "trình giả lập",
        "social": "mạng xã hội",
        "education": "ứng dụng học tập",
        "utilities": "tiện ích",
        "office": "ứng dụng văn phòng",
        "video": "video",
        "music": "âm nhạc",
        "browsers": "trình duyệt",
        "creative": "ứng dụng sáng tạo",
    },
}


def _phrases(language: str) -> Mapping[str, str]:
    return PHRASES.get(language, PHRASES["en"])


def join_words(items: Sequence[str], language: str) -> str:
    """``a, b and c`` / ``a, b và c``."""
    p = _phrases(language)
    if len(items) < 2:
        return "".join(items)
    return p["and"].join(items[:-1]) + p["and_last"] + items[-1]


def describe_duration(seconds: int, language: str) -> str:
    """``5400`` → ``1 h 30 min`` / ``1 giờ 30 phút``."""
    p = _phrases(language)
    hours, minutes = divmod(max(0, seconds) // 60, 60)
    if hours and minutes:
        return p["hm"].format(h=hours, m=minutes)
    if hours:
        return p["h"].format(h=hours)
    return p["m"].format(m=minutes)


def describe_ref(ref: str, language: str, app_name: Callable[[str], str | None] | None = None) -> str:
    """A catalog reference in words: ``category:games`` → ``games``; an app id → its name."""
    if ref.startswith(CATEGORY_PREFIX):
        category = ref.removeprefix(CATEGORY_PREFIX)
        return CATEGORY_NAMES.get(language, CATEGORY_NAMES["en"]).get(category, category)
    return (app_name(ref) if app_name else None) or ref


def _week_values(weekly: Weekly[Any]) -> list[Any]:
    return [weekly.on(day) for day in range(7)]


def _describe_week(values: list[Any], fmt: Callable[[Any], str], language: str, *, per_day: bool) -> str:
    """The most common value, then the days that differ; school days vs weekend when that fits."""
    p = _phrases(language)
    common = Counter(values).most_common(1)[0][0]
    school, weekend = values[:5], values[5:]
    if per_day and len(set(map(repr, school))) == 1 and len(set(map(repr, weekend))) == 1:
        if school[0] == weekend[0]:
            return p["per_day"].format(value=fmt(common))
        return p["school_weekend"].format(school=fmt(school[0]), weekend=fmt(weekend[0]))
    text = p["per_day"].format(value=fmt(common)) if per_day else fmt(common)
    groups: dict[str, list[str]] = {}
    for day, value in zip(WEEKDAYS, values, strict=True):
        if value != common:
            groups.setdefault(fmt(value), []).append(p[day])
    for value_text, days in groups.items():
        text = p["except"].format(common=text, days=p["and"].join(days), value=value_text)
    return text


def _screen_line(child: Child, language: str) -> str:
    p = _phrases(language)
    if child.screen_time.is_empty():
        return p["screen_none"]

    def fmt(value: Any) -> str:
        return p["no_limit"] if value is None else describe_duration(int(value), language)

    return p["screen"].format(
        text=_describe_week(_week_values(child.screen_time), fmt, language, per_day=True)
    )


def _hours_line(child: Child, language: str) -> str:
    p = _phrases(language)
    if child.allowed_hours.is_empty():
        return p["hours_any"]

    def fmt(ranges: Any) -> str:
        if ranges is None:
            return p["hours_any"]
        if not ranges:
            return p["not_allowed"]
        return p["and"].join(f"{format_clock(r.start)}–{format_clock(r.end % 1440)}" for r in ranges)

    return p["hours"].format(
        text=_describe_week(_week_values(child.allowed_hours), fmt, language, per_day=False)
    )


def _limit_lines(child: Child, language: str, app_name: Callable[[str], str | None] | None) -> list[str]:
    """One line per limit; single-app limits with the same time share a line ("… each")."""
    p = _phrases(language)

    def fmt(value: Any) -> str:
        return p["no_limit"] if value is None else describe_duration(int(value), language)

    lines: list[str] = []
    singles: dict[str, list[str]] = {}
    for limit in child.app_limits:
        text = _describe_week(_week_values(limit.daily), fmt, language, per_day=True)
        names = [describe_ref(ref, language, app_name) for ref in limit.apps]
        if len(limit.apps) == 1 and not limit.apps[0].startswith(CATEGORY_PREFIX):
            singles.setdefault(text, []).extend(names)
            continue
        joined = join_words(names, language)
        lines.append(p["limit"].format(apps=joined[:1].upper() + joined[1:], text=text))
    for text, names in singles.items():
        key = "limit_each" if len(names) > 1 else "limit"
        lines.append(p[key].format(apps=p["and"].join(names), text=text))
    return lines


def describe_child(
    child: Child, language: str, *, app_name: Callable[[str], str | None] | None = None
) -> list[str]:
    """A child's rules as short plain sentences, in ``en`` or ``vi`` (other codes fall back to English)."""
    p = _phrases(language)
    lines = [_screen_line(child, language), _hours_line(child, language)]
    lines += _limit_lines(child, language, app_name)
    if child.blocked:
        lines.append(
            p["blocked"].format(
                apps=p["and"].join(describe_ref(r, language, app_name) for r in child.blocked)
            )
        )
    if child.always_allowed:
        refs = (describe_ref(r, language, app_name) for r in child.always_allowed)
        lines.append(p["always"].format(apps=p["and"].join(refs)))
    lines.append(p[f"at_limit_{child.at_limit}"])
    if child.accounts:
        lines.append(p["accounts"].format(names=p["and"].join(child.accounts)))
    else:
        lines.append(p["accounts_none"])
    return lines


def child_heading(child: Child) -> str:
    """``Minh An (8)``."""
    return f"{child.name} ({child.age})" if child.age is not None else child.name


# -- finishing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupPlan:
    """Everything the wizard collected."""

    language: str
    parent_pin: str
    caregiver_pin: str | None
    drafts: tuple[ChildDraft, ...]


class SetupApi(Protocol):
    """The part of ``GuardianAPI`` the wizard uses (a protocol keeps this module light to test)."""

    def rules(self) -> Rules: ...
    def set_pin(self, role: str, new_pin: str, *, current_pin: str | None = None) -> None: ...
    def save_rules(self, rules: Rules, source: str) -> Any: ...
    def set_ui_language(self, code: str) -> None: ...


def apply_setup(
    api: SetupApi, plan: SetupPlan, presets: Iterable[Preset], *, current_pin: str | None = None
) -> Rules:
    """Set the PINs, save the rules as from ``wizard`` and remember the language; returns the rules.

    Rules are built (and so validated) before any PIN changes, so a bad preset changes nothing.
    """
    rules = build_rules(api.rules(), plan.drafts, presets)
    api.set_pin("parent", plan.parent_pin, current_pin=current_pin)
    if plan.caregiver_pin:
        api.set_pin("caregiver", plan.caregiver_pin, current_pin=plan.parent_pin)
    api.save_rules(rules, "wizard")
    api.set_ui_language(plan.language)
    return rules
