"""The family file (TOML): load, validate and dump the rules.

Every user error becomes one ``FamilyFileError`` naming the file, the line when it can be found, and the
field path (``child[1].screen_time.sat``). ``dump(load(text))`` is canonical: exporting what was imported and
importing it again gives the same rules and the same text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from guardian.core import durations
from guardian.core.durations import DurationError
from guardian.core.model import (
    AT_LIMIT_ACTIONS,
    CATEGORY_PREFIX,
    FILE_VERSION,
    WEEKDAYS,
    App,
    AppLimit,
    AppMatch,
    Child,
    Rules,
    Settings,
    TimeRange,
    Weekly,
)
from guardian.core.webfilter import WebRules, check_web_table

T = TypeVar("T")
Path = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000
"""A family file is a few KB; anything past 1 MB is refused before it is parsed."""
MAX_CHILDREN = 100
MAX_APPS = 1000
"""Custom ``[[app]]`` tables."""
MAX_ITEMS = 500
"""Any other list: patterns of an app, refs, accounts, ranges of a day, app limits, warnings, hotlines."""
MAX_TEXT = 4096
"""Characters in any one string (a long path pattern fits)."""
RefCheck = Callable[[str], bool]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_WEEK_KEYS = ("default", *WEEKDAYS)
_TOP_KEYS = {"version", "settings", "app", "child"}
_SETTINGS_KEYS = {
    "warn_before",
    "grace",
    "day_starts_at",
    "idle_after",
    "timezone",
    "retention_days",
    "hotlines",
    "health_reminder",
    "remote_approvals",
}
_APP_KEYS = {"id", "name", "category", "match"}
_MATCH_KEYS = {"exe_names", "paths", "sha256", "window_titles"}
CHILD_RULE_KEYS = {
    "screen_time",
    "allowed_hours",
    "at_limit",
    "always_allowed",
    "blocked",
    "app_limit",
    "unknown_programs",
    "web",
}
_CHILD_KEYS = {"name", "age", "accounts", "preset"} | CHILD_RULE_KEYS
_LIMIT_KEYS = {"apps", "daily"}


class FamilyFileError(ValueError):
    """A family file that cannot be used, with where the problem is."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None, field: str = "") -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "family file"
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f" ({self.field})"
        return f"{where}: {self.message}"


class _FieldError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class _Ctx:
    known_ref: RefCheck | None


def field_name(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


# -- reading ---------------------------------------------------------------------------------


def decode(data: bytes, source: str = "") -> str:
    """Decode a family file's bytes, reporting the line of the first byte that is not UTF-8."""
    _check_size(len(data), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FamilyFileError(
            "the file is not UTF-8 text (save it as UTF-8 and try again)", source=source, line=line
        ) from None
    return text.removeprefix("\ufeff")


def loads(text: str, *, source: str = "", known_ref: RefCheck | None = None) -> Rules:
    """Parse and validate family-file text. ``known_ref`` tells catalog ids and categories apart
    from typos; apps defined in the file itself are always known."""
    _check_size(len(text), source)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, source, text) from None
    except RecursionError:
        raise FamilyFileError(
            "tables or lists are nested too deeply for a family file", source=source
        ) from None
    try:
        return _rules(doc, known_ref)
    except _FieldError as exc:
        raise FamilyFileError(
            exc.message, source=source, line=locate(text, exc.path), field=field_name(exc.path)
        ) from None


def _check_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise FamilyFileError(
            f"the file is larger than {MAX_FILE_BYTES // 1000} KB; a family file is a few KB", source=source
        )


def _toml_error(exc: tomllib.TOMLDecodeError, source: str, text: str) -> FamilyFileError:
    message = str(exc)
    found = re.search(r"\(at line (\d+), column \d+\)", message)
    line = int(found.group(1)) if found else getattr(exc, "lineno", None)
    if line is None and "end of document" in message:
        line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    return FamilyFileError(f"this is not valid TOML: {message}", source=source, line=line)


def _rules(doc: Mapping[str, Any], known_ref: RefCheck | None) -> Rules:
    _no_unknown(doc, _TOP_KEYS, ())
    version = doc.get("version", FILE_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _FieldError(("version",), "version must be a whole number such as 1")
    if version > FILE_VERSION:
        raise _FieldError(
            ("version",),
            f"this file is version {version}, written by a newer Guardian; this Guardian reads "
            f"version {FILE_VERSION}. Update Guardian to import it.",
        )
    settings = _settings(_table(doc.get("settings", {}), ("settings",)))
    apps = tuple(
        _app(t, ("app", i)) for i, t in enumerate(_tables(doc.get("app", []), ("app",), limit=MAX_APPS))
    )
    _unique([a.id for a in apps], ("app",), "id", "two custom apps have the id")
    custom = {a.id for a in apps}
    custom_categories = {a.category for a in apps}

    def known(ref: str) -> bool:
        if ref in custom:
            return True
        if ref.startswith(CATEGORY_PREFIX) and ref.removeprefix(CATEGORY_PREFIX) in custom_categories:
            return True
        return known_ref is None or known_ref(ref)

    ctx = _Ctx(known)
    children = tuple(
        _child(t, ("child", i), ctx)
        for i, t in enumerate(_tables(doc.get("child", []), ("child",), limit=MAX_CHILDREN))
    )
    _check_children(children)
    return Rules(settings=settings, apps=apps, children=children, version=FILE_VERSION)


def _check_children(children: Sequence[Child]) -> None:
    seen: dict[str, int] = {}
    owner: dict[str, str] = {}
    for i, child in enumerate(children):
        key = child.name.casefold()
        if key in seen:
            raise _FieldError(
                ("child", i, "name"), f"two children are named '{child.name}'; names must differ"
            )
        seen[key] = i
        for account in child.accounts:
            if account in owner:
                raise _FieldError(
                    ("child", i, "accounts"),
                    f"the account '{account}' already belongs to {owner[account]}; "
                    "an OS account can belong to one child only",
                )
            owner[account] = child.name


def _settings(t: Mapping[str, Any]) -> Settings:
    p: Path = ("settings",)
    _no_unknown(t, _SETTINGS_KEYS, p)
    base = Settings()
    warn = (
        tuple(
            _duration(v, (*p, "warn_before", i))
            for i, v in enumerate(_list(t.get("warn_before", None), (*p, "warn_before")))
        )
        if "warn_before" in t
        else base.warn_before
    )
    timezone = _str(t.get("timezone", base.timezone), (*p, "timezone"), allow_empty=True)
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise _FieldError(
                (*p, "timezone"),
                f"'{timezone}' is not a time zone (use a name like Asia/Ho_Chi_Minh)",
            ) from None
    retention = t.get("retention_days", base.retention_days)
    if not isinstance(retention, int) or isinstance(retention, bool) or not 7 <= retention <= 3660:
        raise _FieldError((*p, "retention_days"), "retention_days must be a whole number of days, 7 to 3660")
    day_start = t.get("day_starts_at", None)
    return Settings(
        warn_before=tuple(sorted(set(warn), reverse=True)),
        grace=_duration(t["grace"], (*p, "grace")) if "grace" in t else base.grace,
        day_starts_at=_clock(day_start, (*p, "day_starts_at")) if day_start is not None else 0,
        idle_after=_duration(t["idle_after"], (*p, "idle_after")) if "idle_after" in t else base.idle_after,
        timezone=timezone,
        retention_days=retention,
        hotlines=tuple(
            _str(v, (*p, "hotlines", i))
            for i, v in enumerate(_list(t.get("hotlines", list(base.hotlines)), (*p, "hotlines")))
        ),
        **_child_facing_settings(t, p, base),
    )


def _child_facing_settings(t: Mapping[str, Any], p: Path, base: Settings) -> dict[str, Any]:
    """``health_reminder`` (on/off) and ``remote_approvals`` (a day's cap on approvals by phone code)."""
    reminder = t.get("health_reminder", base.health_reminder)
    if not isinstance(reminder, bool):
        raise _FieldError((*p, "health_reminder"), "health_reminder must be true or false")
    remote = t.get("remote_approvals", base.remote_approvals)
    if not isinstance(remote, int) or isinstance(remote, bool) or not 0 <= remote <= 20:
        raise _FieldError((*p, "remote_approvals"), "remote_approvals must be a whole number, 0 to 20")
    return {"health_reminder": reminder, "remote_approvals": remote}


def _app(t: Mapping[str, Any], p: Path) -> App:
    _no_unknown(t, _APP_KEYS, p)
    app_id = _str(_required(t, "id", p), (*p, "id"))
    if not _SLUG.match(app_id):
        raise _FieldError((*p, "id"), f"'{app_id}' is not a valid id (lowercase letters, digits, - _ .)")
    category = _str(t.get("category", "other"), (*p, "category"))
    if not _SLUG.match(category):
        raise _FieldError((*p, "category"), f"'{category}' is not a valid category name")
    m = _table(_required(t, "match", p), (*p, "match"))
    _no_unknown(m, _MATCH_KEYS, (*p, "match"))
    lists = {k: _strs(m.get(k, []), (*p, "match", k)) for k in _MATCH_KEYS}
    for i, digest in enumerate(lists["sha256"]):
        if not _SHA256.match(digest.lower()):
            raise _FieldError((*p, "match", "sha256", i), f"'{digest}' is not a SHA-256 hex digest")
    match = AppMatch(
        exe_names=lists["exe_names"],
        paths=lists["paths"],
        sha256=tuple(d.lower() for d in lists["sha256"]),
        window_titles=lists["window_titles"],
    )
    if match.is_empty():
        raise _FieldError(
            (*p, "match"), "an app needs at least one of exe_names, paths, sha256, window_titles"
        )
    name = _str(t.get("name", app_id), (*p, "name"))
    return App(id=app_id, name=name, category=category, match=match)


def _child(t: Mapping[str, Any], p: Path, ctx: _Ctx) -> Child:
    _no_unknown(t, _CHILD_KEYS, p)
    name = _str(_required(t, "name", p), (*p, "name")).strip()
    if not name:
        raise _FieldError((*p, "name"), "a child needs a name")
    age = t.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 25):
        raise _FieldError((*p, "age"), "age must be a whole number from 0 to 25")
    accounts = _strs(t.get("accounts", []), (*p, "accounts"))
    preset = t.get("preset")
    if preset is not None:
        preset = _str(preset, (*p, "preset"))
    rules = _child_rules(t, p, ctx)
    return Child(name=name, age=age, accounts=accounts, preset=preset, **rules)


def child_rules_from_table(
    table: Mapping[str, Any], where: str, known_ref: RefCheck | None = None
) -> dict[str, Any]:
    """Read the rule keys of a ``[[child]]`` table (also used by presets) into ``Child`` field values."""
    try:
        _no_unknown(table, CHILD_RULE_KEYS, ())
        return _child_rules(table, (), _Ctx(known_ref))
    except _FieldError as exc:
        raise FamilyFileError(exc.message, source=where, field=field_name(exc.path)) from None


def _child_rules(t: Mapping[str, Any], p: Path, ctx: _Ctx) -> dict[str, Any]:
    at_limit = _str(t.get("at_limit", "lock"), (*p, "at_limit"))
    if at_limit not in AT_LIMIT_ACTIONS:
        raise _FieldError(
            (*p, "at_limit"),
            f"'{at_limit}' is not an action; use one of {', '.join(AT_LIMIT_ACTIONS)}",
        )
    limits = tuple(
        _app_limit(lt, (*p, "app_limit", i), ctx)
        for i, lt in enumerate(_tables(t.get("app_limit", []), (*p, "app_limit")))
    )
    return {
        "screen_time": _weekly(t.get("screen_time"), (*p, "screen_time"), _duration),
        "allowed_hours": _weekly(t.get("allowed_hours"), (*p, "allowed_hours"), _ranges),
        "at_limit": at_limit,
        "always_allowed": _refs(t.get("always_allowed", []), (*p, "always_allowed"), ctx),
        "blocked": _refs(t.get("blocked", []), (*p, "blocked"), ctx),
        "app_limits": limits,
        "unknown_programs": _unknown_programs(t.get("unknown_programs"), (*p, "unknown_programs")),
        "web": _web(t.get("web"), (*p, "web")),
    }


def _unknown_programs(value: Any, p: Path) -> str | None:
    if value is None:
        return None
    if value not in ("allow", "games", "block"):
        raise _FieldError(p, 'unknown_programs must be "allow", "games" or "block"')
    return str(value)


def _web(value: Any, p: Path) -> WebRules | None:
    if value is None:
        return None
    try:
        return check_web_table(_table(value, p))
    except ValueError as exc:
        key, message = exc.args if len(exc.args) == 2 else ("", str(exc))
        raise _FieldError((*p, key), message) from None


def _app_limit(t: Mapping[str, Any], p: Path, ctx: _Ctx) -> AppLimit:
    _no_unknown(t, _LIMIT_KEYS, p)
    apps = _refs(_required(t, "apps", p), (*p, "apps"), ctx)
    if not apps:
        raise _FieldError((*p, "apps"), "an app limit needs at least one app or category")
    daily = _weekly(_required(t, "daily", p), (*p, "daily"), _duration)
    return AppLimit(apps=apps, daily=daily)


def _weekly(value: Any, p: Path, parse: Callable[[Any, Path], T]) -> Weekly[T]:
    if value is None:
        return Weekly()
    if not isinstance(value, dict):
        return Weekly(default=parse(value, p))
    days: dict[str, T] = {}
    default: T | None = None
    for key, raw in value.items():
        if key not in _WEEK_KEYS:
            raise _FieldError(
                (*p, key),
                f"'{key}' is not a weekday; use mon, tue, wed, thu, fri, sat, sun or default",
            )
        if key == "default":
            default = parse(raw, (*p, key))
        else:
            days[key] = parse(raw, (*p, key))
    ordered = {d: days[d] for d in WEEKDAYS if d in days}
    return Weekly(default=default, days=ordered)


def _ranges(value: Any, p: Path) -> tuple[TimeRange, ...]:
    items = _list(value, p)
    out = []
    for i, raw in enumerate(items):
        text = _str(raw, (*p, i))
        try:
            start, end = durations.parse_range(text)
        except DurationError as exc:
            raise _FieldError((*p, i), str(exc)) from None
        out.append(TimeRange(start, end))
    return tuple(out)


def _refs(value: Any, p: Path, ctx: _Ctx) -> tuple[str, ...]:
    refs = _strs(value, p)
    for i, ref in enumerate(refs):
        if ctx.known_ref is not None and not ctx.known_ref(ref):
            kind = "category" if ref.startswith(CATEGORY_PREFIX) else "app id"
            raise _FieldError(
                (*p, i),
                f"'{ref}' is not a known {kind} (see the app catalog, or add it as an [[app]])",
            )
    return tuple(dict.fromkeys(refs))


# -- small typed readers ---------------------------------------------------------------------


def _no_unknown(t: Mapping[str, Any], allowed: Iterable[str], p: Path) -> None:
    allowed_set = set(allowed)
    for key in t:
        if key not in allowed_set:
            raise _FieldError((*p, key), f"unknown setting '{key}'")


def _required(t: Mapping[str, Any], key: str, p: Path) -> Any:
    if key not in t:
        raise _FieldError((*p, key), f"'{key}' is required here")
    return t[key]


def _table(value: Any, p: Path) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _FieldError(p, "expected a table")
    return value


def _tables(value: Any, p: Path, *, limit: int = MAX_ITEMS) -> list[Mapping[str, Any]]:
    items = _list(value, p, limit=limit)
    for i, item in enumerate(items):
        _table(item, (*p, i))
    return items


def _list(value: Any, p: Path, *, limit: int = MAX_ITEMS) -> list[Any]:
    if not isinstance(value, list):
        raise _FieldError(p, "expected a list")
    if len(value) > limit:
        raise _FieldError(p, f"this list has {len(value)} entries; at most {limit} are allowed")
    return value


def _str(value: Any, p: Path, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _FieldError(p, "expected text in quotes")
    if len(value) > MAX_TEXT:
        raise _FieldError(p, f"this text is {len(value)} characters long; at most {MAX_TEXT} are allowed")
    return value


def _strs(value: Any, p: Path) -> tuple[str, ...]:
    return tuple(_str(v, (*p, i)) for i, v in enumerate(_list(value, p)))


def _duration(value: Any, p: Path) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return 0
    try:
        return durations.parse_duration(_str(value, p))
    except DurationError as exc:
        raise _FieldError(p, str(exc)) from None


def _clock(value: Any, p: Path) -> int:
    try:
        return durations.parse_clock(_str(value, p))
    except DurationError as exc:
        raise _FieldError(p, str(exc)) from None


def _unique(values: Sequence[str], p: Path, key: str, message: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise _FieldError((*p, i, key), f"{message} '{v}'")
        seen.add(v)


# -- locating a field's line -----------------------------------------------------------------


def locate(text: str, path: Path) -> int | None:
    """Best-effort line number (1-based) of the field at ``path`` in TOML ``text``."""
    lines = text.splitlines()
    begin, end = 0, len(lines)
    keys: list[str] = []
    i = 0
    while i < len(path):
        part = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        if isinstance(part, str) and isinstance(nxt, int) and part in ("app", "child", "app_limit"):
            header = ".".join([*keys, part]) if part == "app_limit" else part
            span = _nth_header(lines, header, nxt, begin, end)
            if span is None:
                break
            begin, end = span
            keys = ["child"] if part == "child" else keys
            i += 2
            continue
        if isinstance(part, str):
            keys.append(part)
        i += 1
    leaf = [k for k in keys if k not in ("child",)]
    for key in reversed(leaf):
        assign = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*=")
        table = re.compile(rf"^\s*\[[^\]]*\b{re.escape(key)}\]")
        for n in range(begin, end):
            if assign.search(lines[n]) or table.search(lines[n]):
                return n + 1
    return begin + 1 if begin or end != len(lines) else None


def _nth_header(lines: list[str], name: str, index: int, begin: int, end: int) -> tuple[int, int] | None:
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
    starts = [n for n in range(begin, end) if pattern.match(lines[n])]
    if index >= len(starts):
        return None
    start = starts[index]
    stop = end
    stop_pattern = re.compile(r"^\s*\[\[\s*(app|child)\s*\]\]") if name in ("app", "child") else pattern
    for n in range(start + 1, end):
        if stop_pattern.match(lines[n]) or (
            name in ("app", "child") and re.match(r"^\s*\[settings\]", lines[n])
        ):
            stop = n
            break
    return start, stop


# -- writing ---------------------------------------------------------------------------------


def dumps(rules: Rules) -> str:
    """Canonical TOML text for ``rules``."""
    s = rules.settings
    out = [
        "# Guardian family file: the rules for this computer. See docs/rules-file.md.",
        f"version = {FILE_VERSION}",
        "",
        "[settings]",
        f"warn_before = {_q_list(durations.format_duration(w) for w in s.warn_before)}",
        f"grace = {_q(durations.format_duration(s.grace))}",
        f"day_starts_at = {_q(durations.format_clock(s.day_starts_at))}",
        f"idle_after = {_q(durations.format_duration(s.idle_after))}",
        f"timezone = {_q(s.timezone)}",
        f"retention_days = {s.retention_days}",
        f"hotlines = {_q_list(s.hotlines)}",
        f"health_reminder = {'true' if s.health_reminder else 'false'}",
        f"remote_approvals = {s.remote_approvals}",
    ]
    for app in rules.apps:
        out += [
            "",
            "[[app]]",
            f"id = {_q(app.id)}",
            f"name = {_q(app.name)}",
            f"category = {_q(app.category)}",
        ]
        m = app.match
        parts = [f"{k} = {_q_list(getattr(m, k))}" for k in ("exe_names", "paths", "sha256", "window_titles")]
        out.append("match = { " + ", ".join(parts) + " }")
    for child in rules.children:
        out += _dump_child(child)
    return "\n".join(out) + "\n"


def _dump_child(child: Child) -> list[str]:
    out = ["", "[[child]]", f"name = {_q(child.name)}"]
    if child.age is not None:
        out.append(f"age = {child.age}")
    out.append(f"accounts = {_q_list(child.accounts)}")
    if child.preset:
        out.append(f"preset = {_q(child.preset)}")
    if not child.screen_time.is_empty():
        out.append(f"screen_time = {_dump_weekly(child.screen_time, _dur)}")
    if not child.allowed_hours.is_empty():
        out.append(f"allowed_hours = {_dump_weekly(child.allowed_hours, _dump_ranges)}")
    out.append(f"at_limit = {_q(child.at_limit)}")
    out.append(f"always_allowed = {_q_list(child.always_allowed)}")
    out.append(f"blocked = {_q_list(child.blocked)}")
    if child.unknown_programs:
        out.append(f"unknown_programs = {_q(child.unknown_programs)}")
    if child.web is not None:
        w = child.web
        out.append(
            f"web = {{ categories = {_q_list(w.categories)}, safesearch = {str(w.safesearch).lower()},"
            f" youtube = {_q(w.youtube)}, allow = {_q_list(w.allow)}, block = {_q_list(w.block)} }}"
        )
    for limit in child.app_limits:
        out += ["", "  [[child.app_limit]]", f"  apps = {_q_list(limit.apps)}"]
        out.append(f"  daily = {_dump_weekly(limit.daily, _dur)}")
    return out


def _dur(seconds: int) -> str:
    return _q(durations.format_duration(seconds))


def _dump_ranges(ranges: tuple[TimeRange, ...]) -> str:
    return _q_list(
        durations.format_range(r.start, 24 * 60 if r.start == 0 and r.end == 0 else r.end) for r in ranges
    )


def _dump_weekly(weekly: Weekly[T], fmt: Callable[[T], str]) -> str:
    if not weekly.days and weekly.default is not None:
        return fmt(weekly.default)
    parts = []
    if weekly.default is not None:
        parts.append(f"default = {fmt(weekly.default)}")
    parts += [f"{day} = {fmt(weekly.days[day])}" for day in WEEKDAYS if day in weekly.days]
    return "{ " + ", ".join(parts) + " }"


def _q(text: str) -> str:
    """``text`` as a TOML string, escaped by ``tomli_w`` (every control character, quotes, backslashes)."""
    line = tomli_w.dumps({"v": text})
    return line[len("v = ") :].rstrip("\n")


def _q_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def dumps_checked(rules: Rules, source: str = "rules") -> str:
    """``dumps(rules)``, verified to load back to the same canonical text before anyone stores it.

    Raises ``FamilyFileError`` for rules that cannot be written as a family file (text that is not
    valid Unicode, such as a lone surrogate typed into a form), so a save never stores text that
    does not load.
    """
    text = dumps(rules)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FamilyFileError("the rules hold text that is not valid Unicode", source=source) from None
    if dumps(loads(text, source=source)) != text:
        raise FamilyFileError("the rules do not read back the same once written", source=source)
    return text
