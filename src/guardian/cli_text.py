"""The command line's words in Vietnamese, without Qt (the CLI must start fast): a small catalog.

The language is the console's (the ``ui_language`` the parents chose, read straight from the database
without creating it), else the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``vi``),
else English. :func:`localized` translates a finished English message: an exact entry, or a template whose
``{name}`` parts match anything (so messages raised deeper down, by ``GuardianAPI``, are translated too);
a message the catalog does not know stays English.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

LANGUAGES = ("vi", "en")
_current = "en"

VI: dict[str, str] = {
    # status
    "Agent: running": "Dịch vụ Guardian: đang chạy",
    "Agent: not running": "Dịch vụ Guardian: không chạy",
    "No children yet: import a family file with 'guardian rules import FILE'.": (
        "Chưa có con nào: hãy nhập tệp quy tắc gia đình bằng 'guardian rules import TỆP'."
    ),
    "{child}: {used} used today, {left} ({state})": "{child}: hôm nay đã dùng {used}, {left} ({state})",
    "no limit": "không giới hạn",
    "{time} left": "còn {time}",
    "ok": "bình thường",
    "warn": "sắp hết giờ",
    "screen_time_over": "hết thời gian sử dụng",
    "outside_hours": "ngoài giờ được phép",
    "paused": "tạm dừng đến mai",
    "protection degraded: the browser policies could not be written ({error})": (
        "bảo vệ bị suy giảm: không ghi được chính sách quản lý cho trình duyệt ({error})"
    ),
    # results of commands
    "{file}: OK ({count} children: {names}; {apps} custom apps)": (
        "{file}: hợp lệ ({count} con: {names}; {apps} ứng dụng tự thêm)"
    ),
    "Imported {file} as rules version {version}.": "Đã nhập {file} làm quy tắc phiên bản {version}.",
    "{file}: the rules are already the same (version {version}).": (
        "{file}: quy tắc đã giống hệt như vậy (phiên bản {version})."
    ),
    "Exported the rules to {file}.": "Đã xuất quy tắc ra {file}.",
    "Wrote the report to {file}.": "Đã ghi báo cáo vào {file}.",
    "Erased {count} records of {name}.": "Đã xóa {count} bản ghi của {name}.",
    "Exported the records of {name} to {file}.": "Đã xuất dữ liệu của {name} ra {file}.",
    "The {role} PIN is set.": "Đã đặt mã PIN {role}.",
    "The {role} PIN is set again.": "Đã đặt lại mã PIN {role}.",
    "parent": "của cha mẹ",
    "caregiver": "của người chăm sóc",
    "No display here, so the console cannot open; use 'guardian status' and 'guardian report'.": (
        "Máy này không có màn hình nên không mở được bảng điều khiển; hãy dùng 'guardian status' và "
        "'guardian report'."
    ),
    # errors
    "this needs the parent PIN: set GUARDIAN_PIN or run it in a terminal": (
        "việc này cần mã PIN của cha mẹ: đặt biến GUARDIAN_PIN hoặc chạy lệnh trong cửa sổ dòng lệnh"
    ),
    "this needs the parent PIN": "việc này cần mã PIN của cha mẹ",
    "this needs a PIN": "việc này cần mã PIN",
    "that PIN is not right": "mã PIN không đúng",
    "that PIN is not right; wait {seconds} seconds before trying again": (
        "mã PIN không đúng; hãy chờ {seconds} giây rồi thử lại"
    ),
    "too many wrong PINs; try again in {seconds} seconds": "nhập sai mã PIN quá nhiều lần; thử lại sau {seconds} giây",
    "a caregiver PIN cannot change rules; use the parent PIN": (
        "mã PIN người chăm sóc không đổi được quy tắc; hãy dùng mã PIN của cha mẹ"
    ),
    "a PIN is 4 to 12 digits": "mã PIN gồm 4 đến 12 chữ số",
    "set the parent PIN first": "hãy đặt mã PIN của cha mẹ trước",
    "the two PINs differ; nothing changed": "hai lần nhập mã PIN khác nhau; chưa thay đổi gì",
    "set GUARDIAN_NEW_PIN or run this in a terminal to type the new PIN": (
        "đặt biến GUARDIAN_NEW_PIN hoặc chạy lệnh trong cửa sổ dòng lệnh để gõ mã PIN mới"
    ),
    "only an administrator can reset a PIN: run this with sudo (or as Administrator)": (
        "chỉ người quản trị máy mới đặt lại được mã PIN: hãy chạy lệnh với sudo (hoặc bằng quyền Administrator)"
    ),
    "there is no child named '{name}'": "không có con nào tên '{name}'",
    "there is already a child named '{name}'": "đã có một con tên '{name}'",
    "'{app}' is not a known app or category": "'{app}' không phải ứng dụng hay nhóm ứng dụng đã biết",
    "'{week}' is not an ISO week such as 2026-W48": "'{week}' không phải một tuần theo dạng 2026-W48",
    "a report covers at most one year": "một báo cáo dài tối đa một năm",
    "the report's end date is before its start date": "ngày kết thúc của báo cáo ở trước ngày bắt đầu",
    "a PDF report needs --out FILE": "báo cáo PDF cần --out TỆP",
    "{name}: no such file": "{name}: không có tệp này",
    "{name}: is a folder, not a file": "{name}: là thư mục, không phải tệp",
    "{name}: is not a regular file": "{name}: không phải một tệp thông thường",
    "{name}: cannot read it ({why})": "{name}: không đọc được ({why})",
    "{name}: cannot write it ({why})": "{name}: không ghi được ({why})",
    "{name}: cannot use this folder ({why})": "{name}: không dùng được thư mục này ({why})",
    "unexpected error ({what}); this is a bug, please report it (GUARDIAN_DEBUG=1 shows where)": (
        "lỗi ngoài dự kiến ({what}); đây là lỗi của chương trình, xin hãy báo lại (GUARDIAN_DEBUG=1 cho biết chỗ lỗi)"
    ),
    "warning: {what}": "cảnh báo: {what}",
}
CATALOGS = {"vi": VI}


def use(language: str) -> None:
    """Speak ``language`` from now on (``vi`` or ``en``)."""
    global _current
    _current = language if language in LANGUAGES else "en"


def current() -> str:
    return _current


def choose(db: Path | None, environ: dict[str, str] | None = None) -> str:
    """The console's language saved in ``db``, else the system locale's, else English."""
    saved = console_language(db) if db is not None else None
    if saved in LANGUAGES:
        return saved
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def console_language(db: Path) -> str | None:
    """The ``ui_language`` stored in ``db``, read-only; None when there is no such database or setting."""
    if not db.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'ui_language'").fetchone()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return str(row[0]) if row else None


def localized(message: str, language: str | None = None) -> str:
    """``message`` (English, finished) in ``language`` (default: the current one)."""
    catalog = CATALOGS.get(language or _current)
    if not catalog:
        return message
    if message in catalog:
        return catalog[message]
    for pattern, names, target in _templates(language or _current):
        found = pattern.fullmatch(message)
        if found:
            values = {
                name: localized(found.group(i + 1), language) if name in ("state", "role") else found.group(i + 1)
                for i, name in enumerate(names)
            }
            return target.format(**values)
    return message


def say(template: str, **values: object) -> str:
    """``template`` translated, then filled in (the values as they are)."""
    catalog = CATALOGS.get(_current, {})
    return catalog.get(template, template).format(**values)


def hm(seconds: int) -> str:
    """``1h 30m`` / ``1 giờ 30 phút`` (rounded down to the minute)."""
    seconds = max(0, int(seconds))
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if _current == "vi":
        return f"{hours} giờ {minutes} phút" if hours else f"{minutes} phút"
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


@cache
def _templates(language: str) -> list[tuple[re.Pattern[str], list[str], str]]:
    out = []
    for source, target in CATALOGS[language].items():
        names = re.findall(r"\{(\w+)\}", source)
        if not names:
            continue
        regex = "".join(
            "(.+?)" if part.startswith("{") and part.endswith("}") else re.escape(part)
            for part in re.split(r"(\{\w+\})", source)
        )
        out.append((re.compile(regex, re.S), names, target))
    return out
