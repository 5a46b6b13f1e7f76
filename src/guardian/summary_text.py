"""Words for weekly summaries in Vietnamese and English: highlights, events, tamper evidence, labels.

A plain message table rather than Qt translation: the command line writes text, CSV, HTML and JSON exports
without loading Qt, and the core summary stays free of any UI library. ``core.summary`` returns highlights
as structured data (a ``kind`` and its parameters); :func:`highlight` words one in the chosen language.
The console's Summaries page uses these same words, so a summary on screen and on paper read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from guardian.core.summary import ChildSummary, Highlight, TamperFact

LANGUAGES = ("vi", "en")

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
}
SHORT_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
}

CATEGORIES = {
    "games": ("games", "trò chơi"),
    "emulators": ("emulators", "giả lập"),
    "social": ("social networks and chat", "mạng xã hội và nhắn tin"),
    "video": ("video", "video"),
    "music": ("music", "âm nhạc"),
    "browsers": ("web browsers", "trình duyệt web"),
    "education": ("education", "học tập"),
    "creative": ("drawing and creating", "vẽ và sáng tạo"),
    "office": ("office and homework", "văn phòng và bài tập"),
    "utilities": ("utilities", "tiện ích"),
    "other": ("other", "khác"),
}

LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Vietnamese)
    "title": ("Weekly summary", "Tóm tắt tuần"),
    "period": ("{first} to {last}", "Từ {first} đến {last}"),
    "screen_time": ("Screen time", "Thời gian sử dụng"),
    "total": ("Total {total}, {average} a day on average", "Tổng {total}, trung bình {average} mỗi ngày"),
    "previous": ("Week before: {total}", "Tuần trước: {total}"),
    "day": ("Day", "Ngày"),
    "limit": ("Limit", "Giới hạn"),
    "extra": ("Extra time", "Thêm giờ"),
    "always_allowed": ("Always allowed (not counted)", "Luôn được phép (không tính)"),
    "no_limit": ("no limit", "không giới hạn"),
    "top_apps": ("Top apps", "Ứng dụng dùng nhiều nhất"),
    "categories": ("By kind of app", "Theo loại ứng dụng"),
    "hours": ("Use by hour of day", "Thời gian sử dụng theo giờ trong ngày"),
    "late": ("late at night (22:00–06:00)", "đêm khuya (22:00–06:00)"),
    "highlights": ("Highlights", "Điểm chính"),
    "events": ("Limits and requests", "Giới hạn và yêu cầu"),
    "requests": ("Requests for more time", "Xin thêm giờ"),
    "no_requests": ("No requests for more time.", "Không xin thêm giờ lần nào."),
    "tamper": ("Signs of tampering", "Dấu hiệu can thiệp"),
    "no_tamper": (
        "Nothing unusual: Guardian ran the whole week and the clock was not changed.",
        "Không có gì bất thường: Guardian chạy suốt tuần và đồng hồ không bị chỉnh.",
    ),
    "no_use": ("No use this week.", "Tuần này không dùng máy."),
    "generated": (
        "Made by Guardian on this computer; nothing was sent anywhere.",
        "Guardian tạo trên máy này; không gửi đi đâu cả.",
    ),
    "minutes_axis": ("minutes", "phút"),
}

EVENTS = {
    "limit_reached": ("limits reached", "lần hết giờ"),
    "blocked_launch": ("blocked apps tried", "lần mở ứng dụng bị chặn"),
    "warning": ("warnings shown", "lần cảnh báo"),
    "app_closed": ("apps closed", "lần đóng ứng dụng"),
    "grant": ("extra time given", "lần cho thêm giờ"),
}

STATUS = {
    "approved": ("approved, {extra} given", "đã đồng ý, cho thêm {extra}"),
    "denied": ("declined", "đã từ chối"),
    "pending": ("not answered yet", "chưa trả lời"),
}

HIGHLIGHTS: dict[str, tuple[str, str]] = {
    "no_use": ("{child} did not use the computer this week.", "Tuần này {child} không dùng máy tính."),
    "total": (
        "{child} used the computer {seconds} this week, mostly {category} on {weekday}.",
        "Tuần này {child} dùng máy tính {seconds}, nhiều nhất là {category} vào {weekday}.",
    ),
    "change.more": (
        "{child} used the computer {seconds} more than last week, mostly {category} on {weekday}.",
        "{child} dùng máy tính nhiều hơn tuần trước {seconds}, chủ yếu là {category} vào {weekday}.",
    ),
    "change.less": (
        "{child} used the computer {seconds} less than last week ({total} in all).",
        "{child} dùng máy tính ít hơn tuần trước {seconds} (tổng cộng {total}).",
    ),
    "change.same": (
        "{child} used the computer about as much as last week ({total}).",
        "{child} dùng máy tính gần bằng tuần trước ({total}).",
    ),
    "requests.none": (
        "{child} asked for more time {asked}; none was approved.",
        "{child} xin thêm giờ {asked} lần, không lần nào được đồng ý.",
    ),
    "tamper": (
        "Look at the signs of tampering below: {what}.",
        "Hãy xem phần dấu hiệu can thiệp bên dưới: {what}.",
    ),
    "late_night": (
        "{child} used the computer {seconds} late at night (22:00–06:00).",
        "{child} dùng máy tính {seconds} vào đêm khuya (22:00–06:00).",
    ),
    "limit_days": (
        "{child} ran into a time limit (the day's, an app's or the allowed hours) on {days} days this week.",
        "{child} chạm giới hạn thời gian (của ngày, của ứng dụng hoặc giờ cho phép) {days} ngày trong tuần.",
    ),
    "within_limits": (
        "{child} stayed within the daily limit every day.",
        "{child} dùng trong giới hạn mỗi ngày.",
    ),
    "requests": (
        "{child} asked for more time {asked} and got it {approved}.",
        "{child} xin thêm giờ {asked} lần, được đồng ý {approved} lần.",
    ),
    "blocked": (
        "{child} tried {count} to open a blocked app or use the computer outside allowed hours.",
        "{child} đã {count} lần thử mở ứng dụng bị chặn hoặc dùng máy ngoài giờ cho phép.",
    ),
    "top_app": (
        "The app used most was {app} ({seconds}).",
        "Ứng dụng dùng nhiều nhất là {app} ({seconds}).",
    ),
    "busiest_day": (
        "The busiest day was {weekday} ({seconds}).",
        "Ngày dùng nhiều nhất là {weekday} ({seconds}).",
    ),
}

TAMPER_PARTS = {
    "unclean_stops": ("Guardian stopped unexpectedly {n}", "Guardian bị dừng bất thường {n} lần"),
    "clock_changes": ("the clock was changed {n}", "đồng hồ bị chỉnh {n} lần"),
    "tray_missing": ("the child's tray was missing {n}", "biểu tượng của con bị thiếu {n} lần"),
    "admin": ("the child's account can administer this computer", "tài khoản của con có quyền quản trị máy"),
}

TAMPER = {
    "agent_gap.unclean": (
        "{when}: Guardian was stopped unexpectedly (killed or power lost) for {seconds}.",
        "{when}: Guardian bị dừng bất thường (bị tắt ngang hoặc mất điện) trong {seconds}.",
    ),
    "agent_gap.clean": (
        "{when}: Guardian did not run for {seconds} (the computer slept or was shut down).",
        "{when}: Guardian không chạy trong {seconds} (máy ngủ hoặc đã tắt).",
    ),
    "clock_changed": (
        "{when}: the computer's clock was moved {direction} by {seconds}; time was still counted correctly.",
        "{when}: đồng hồ máy bị chỉnh {direction} {seconds}; thời gian vẫn được tính đúng.",
    ),
    "tray_missing": (
        "{when}: the child was signed in but their Guardian tray was not running.",
        "{when}: con đã đăng nhập nhưng biểu tượng Guardian của con không chạy.",
    ),
    "child_is_admin": (
        "The account {account} has administrator rights and could stop Guardian.",
        "Tài khoản {account} có quyền quản trị và có thể tắt Guardian.",
    ),
}
DIRECTIONS = {"forward": ("forward", "tới"), "back": ("back", "lùi")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "vi" else pair[0]


def label(key: str, lang: str, **params: Any) -> str:
    return _pick(LABELS[key], lang).format(**params)


def duration(seconds: int, lang: str) -> str:
    """``5400`` → ``1 h 30 min`` / ``1 giờ 30 phút``; under a minute is ``0 min``."""
    minutes = max(0, int(seconds)) // 60
    hours, mins = divmod(minutes, 60)
    h, m = ("giờ", "phút") if lang == "vi" else ("h", "min")
    if hours and mins:
        return f"{hours} {h} {mins} {m}"
    if hours:
        return f"{hours} {h}"
    return f"{mins} {m}"


def weekday(day: int, lang: str, *, short: bool = False) -> str:
    return (SHORT_WEEKDAYS if short else WEEKDAYS)[lang if lang == "vi" else "en"][day]


def category(cat: str, lang: str) -> str:
    pair = CATEGORIES.get(cat)
    return cat if pair is None else _pick(pair, lang)


def event(kind: str, lang: str) -> str:
    pair = EVENTS.get(kind)
    return kind.replace("_", " ") if pair is None else _pick(pair, lang)


def times(n: int, lang: str) -> str:
    """How often, in English words (``once``, ``twice``, ``3 times``); the bare number in Vietnamese."""
    if lang == "vi":
        return str(n)
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n} times")


def highlight(h: Highlight, lang: str) -> str:
    """One highlight in plain words."""
    p: dict[str, Any] = dict(h.params)
    key = f"change.{p['direction']}" if h.kind == "change" else h.kind
    if h.kind == "requests" and not p["approved"]:
        key = "requests.none"
    for name in ("asked", "approved", "count"):
        if name in p:
            p[name] = times(int(p[name]), lang)
    for name in ("seconds", "total"):
        if name in p:
            p[name] = duration(int(p[name]), lang)
    if "category" in p:
        p["category"] = category(str(p["category"]), lang)
    if "weekday" in p:
        p["weekday"] = weekday(int(p["weekday"]), lang)
    if h.kind == "tamper":
        parts = [
            _pick(TAMPER_PARTS[k], lang).format(n=times(int(p[k]), lang))
            for k in ("unclean_stops", "clock_changes", "tray_missing")
            if p[k]
        ]
        if p["admin"]:
            parts.append(_pick(TAMPER_PARTS["admin"], lang))
        p["what"] = "; ".join(parts)
    return _pick(HIGHLIGHTS[key], lang).format(**p)


def highlights(s: ChildSummary, lang: str) -> list[str]:
    return [highlight(h, lang) for h in s.highlights]


def when(ts: int, tz: tzinfo, lang: str) -> str:
    local = datetime.fromtimestamp(ts, tz)
    return f"{weekday(local.weekday(), lang)} {local:%d/%m %H:%M}"


def tamper(fact: TamperFact, tz: tzinfo, lang: str) -> str:
    """One piece of tamper evidence in words."""
    if fact.kind == "agent_gap":
        key = "agent_gap.clean" if fact.clean else "agent_gap.unclean"
        return _pick(TAMPER[key], lang).format(
            when=when(fact.ts, tz, lang), seconds=duration(fact.seconds, lang)
        )
    if fact.kind == "clock_changed":
        direction = _pick(DIRECTIONS["forward" if fact.delta >= 0 else "back"], lang)
        return _pick(TAMPER["clock_changed"], lang).format(
            when=when(fact.ts, tz, lang), direction=direction, seconds=duration(abs(fact.delta), lang)
        )
    if fact.kind == "child_is_admin":
        return _pick(TAMPER["child_is_admin"], lang).format(account=fact.account or "?")
    pair = TAMPER.get(fact.kind)
    return fact.kind if pair is None else _pick(pair, lang).format(when=when(fact.ts, tz, lang))


def tamper_lines(s: ChildSummary, tz: tzinfo, lang: str) -> list[str]:
    """Every piece of tamper evidence in words; admin accounts once each."""
    lines = [tamper(f, tz, lang) for f in s.tamper if f.kind != "child_is_admin"]
    accounts = set(s.admin_accounts) | {f.account for f in s.tamper if f.kind == "child_is_admin"}
    lines += [tamper(TamperFact("child_is_admin", 0, account=a), tz, lang) for a in sorted(accounts)]
    return lines


def request_line(r: Any, tz: tzinfo, lang: str) -> str:
    status = _pick(STATUS.get(r.status, STATUS["pending"]), lang).format(
        extra=duration(r.answered_seconds or 0, lang)
    )
    asked = duration(r.seconds, lang)
    if lang == "vi":
        return f"{when(r.ts, tz, lang)}: xin thêm {asked} — {status}"
    return f"{when(r.ts, tz, lang)}: asked for {asked} — {status}"


WEB_CATEGORIES: dict[str, tuple[str, str]] = {
    "adult": ("adult", "người lớn"),
    "gambling": ("betting and gambling", "cá độ, cờ bạc"),
    "violence": ("violence and gore", "bạo lực, máu me"),
    "scams": ("scams and phishing", "lừa đảo"),
    "proxies": ("VPNs and proxies", "VPN và proxy vượt chặn"),
    "social": ("social networks", "mạng xã hội"),
    "games": ("games", "trò chơi"),
    "video": ("video", "video"),
    "custom": ("sites you blocked", "trang bạn đã chặn"),
    "bypass": ("filter bypass (encrypted DNS)", "cách vượt bộ lọc (DNS mã hóa)"),
}


def web_line(blocks: Mapping[str, int], lang: str) -> str:
    """``Blocked web lookups: 12 adult, 3 betting and gambling`` (counts only: Guardian keeps no site)."""
    parts = ", ".join(f"{n} {_pick(WEB_CATEGORIES.get(k, (k, k)), lang)}" for k, n in blocks.items() if n)
    if not parts:
        return ""
    return f"Lượt truy cập web bị chặn: {parts}" if lang == "vi" else f"Blocked web lookups: {parts}"


def counts_line(counts: Mapping[str, int], lang: str) -> str:
    return ", ".join(f"{n} {event(kind, lang)}" for kind, n in counts.items() if n)
