"""The messages that cross Guardian's boundaries, defined once: IPC parameters, results and notices, the
tray's session report, roles and event kinds.

Runner, service, API, CLI and console share these types instead of ``dict[str, Any]``. Each message is a
frozen stdlib ``dataclass`` (a :class:`Message`): :meth:`Message.to_wire` gives the JSON object exactly as
``docs/ipc.md`` documents it (same keys, same order; a field named differently on the wire, such as ``from``,
says so in ``WIRE_NAMES``), and :meth:`Message.from_wire` builds one from a JSON object, checking that every
required key is there and no unknown key is, and that each value has the annotated type.

Why dataclasses and not ``msgspec``: the wire must stay byte-for-byte what it is (including the error texts
``guardian.ipc.protocol`` documents for bad parameters, which remain its validator), the project already
models its domain with frozen dataclasses (``ChildStatus``, ``DayFigures``, ``Grant``), and the messages are
small and few: a dependency would buy speed we do not need. No Qt, no OS, no SQLite here.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self, TypeVar

__all__ = [
    "MAX_GRANT_SECONDS",
    "AgentHealth",
    "AppLimitEntry",
    "ApproveParams",
    "AuthParams",
    "AuthResult",
    "ChildEntry",
    "ChildParams",
    "EventKind",
    "GrantParams",
    "GrantResult",
    "LockResult",
    "Message",
    "NoParams",
    "Ok",
    "PauseParams",
    "PauseResult",
    "Report",
    "ReportChild",
    "ReportDayEntry",
    "ReportParams",
    "RequestAnswer",
    "RequestCreated",
    "RequestIdParams",
    "RequestTimeParams",
    "Role",
    "RulesSaved",
    "RulesSetParams",
    "RulesText",
    "ScreenTime",
    "SessionReport",
    "Status",
    "SubscribeParams",
    "Subscribed",
    "TimeRequestNotice",
    "TokenParams",
    "TrayInfo",
    "Viewer",
    "WarningEntry",
    "WireError",
]

MAX_GRANT_SECONDS = 12 * 3600
"""The most extra time one grant may give (the API, the IPC schema and the console share it)."""


class Role(enum.StrEnum):
    """Who proved what with a PIN (or an authenticator code): the parent may do everything."""

    PARENT = "parent"
    CAREGIVER = "caregiver"


class EventKind(enum.StrEnum):
    """Kinds of recorded events. Stored and sent as their string value; a ``StrEnum`` equals its value."""

    AGENT_ERROR = "agent_error"
    AGENT_GAP = "agent_gap"
    APP_CLOSED = "app_closed"
    AT_LIMIT = "at_limit"
    BLOCKED_LAUNCH = "blocked_launch"
    CHILD_ERASED = "child_erased"
    CHILD_EXPORTED = "child_exported"
    CHILD_IS_ADMIN = "child_is_admin"
    CLOCK_CHANGED = "clock_changed"
    CODE_FAILED = "code_failed"
    """A wrong authenticator code typed on the child's screen to approve a request."""
    CODE_REPLAYED = "code_replayed"
    """An authenticator code used a second time to approve a request (refused)."""
    GRANT = "grant"
    GRANT_REVOKED = "grant_revoked"
    LIMIT_REACHED = "limit_reached"
    LOCKED_BY_PARENT = "locked_by_parent"
    PAUSED = "paused"
    PIN_FAILED = "pin_failed"
    PIN_RESET = "pin_reset"
    PIN_SET = "pin_set"
    PROTECTION_DEGRADED = "protection_degraded"
    REQUEST = "request"
    REQUEST_ANSWERED = "request_answered"
    """A request for more time approved or denied; ``via`` pin, code or console."""
    RESUMED = "resumed"
    RETENTION = "retention"
    RULES_CHANGED = "rules_changed"
    TOTP_FAILED = "totp_failed"
    TOTP_USED = "totp_used"
    TRAY_MISSING = "tray_missing"
    TRAY_REPORT_REJECTED = "tray_report_rejected"
    WARNING = "warning"
    WEB_LIST_IMPORTED = "web_list_imported"


class WireError(ValueError):
    """A JSON object that is not the message it should be."""


M = TypeVar("M", bound="Message")


class Message:
    """Base of every message: ``to_wire`` / ``from_wire``. Subclasses are frozen dataclasses."""

    WIRE_NAMES: ClassVar[Mapping[str, str]] = {}
    """Field name → key on the wire, where they differ (``first`` → ``from``)."""
    EVENT: ClassVar[str | None] = None
    """For a notice: its ``event`` value, sent as the first key."""

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.EVENT is None else {"event": self.EVENT}
        for item in dataclasses.fields(self):  # type: ignore[arg-type]
            out[self.WIRE_NAMES.get(item.name, item.name)] = _plain(getattr(self, item.name))
        return out

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Build from a JSON object; ``WireError`` for a missing, unknown or ill-typed key."""
        if not isinstance(data, Mapping):
            raise WireError(f"{cls.__name__} must be a JSON object")
        hints = typing.get_type_hints(cls)
        known = {cls.WIRE_NAMES.get(f.name, f.name): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        extra = set(data) - set(known) - ({"event"} if cls.EVENT else set())
        if extra:
            raise WireError(f"{cls.__name__} does not take: {', '.join(sorted(extra))}")
        values: dict[str, Any] = {}
        for key, item in known.items():
            if key not in data:
                if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
                    raise WireError(f"{cls.__name__} needs '{key}'")
                continue
            values[item.name] = _typed(hints[item.name], data[key], f"{cls.__name__}.{key}")
        return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_wire()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _typed(hint: Any, value: Any, where: str) -> Any:
    """``value`` checked against (and, for enums and nested messages, converted to) ``hint``."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _typed(option, value, where)
            except WireError:
                continue
        raise WireError(f"{where} has the wrong type")
    if hint is Any:
        return value
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise WireError(f"{where} must be a list")
        (inner, *_rest) = typing.get_args(hint) or (Any,)
        return [_typed(inner, v, where) for v in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise WireError(f"{where} must be an object")
        return value
    if isinstance(hint, type) and issubclass(hint, Message):
        return hint.from_wire(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise WireError(f"{where} is not one of {', '.join(str(m.value) for m in hint)}") from None
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        raise WireError(f"{where} must be a number")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise WireError(f"{where} must be an integer")
    if isinstance(hint, type) and not isinstance(value, hint):
        raise WireError(f"{where} must be {hint.__name__}")
    return value


# -- request parameters (validated first by guardian.ipc.protocol.SCHEMAS, which keeps the error texts) -----


@dataclass(frozen=True)
class TokenParams(Message):
    """``rules.get`` and ``subscribe``: a token, if any."""

    token: str | None = None


SubscribeParams = TokenParams


@dataclass(frozen=True)
class SessionReport(Message):
    """What a tray tells about its session (``report_session``); ``received`` is the agent's monotonic
    time of arrival, never sent on the wire by a tray (the agent sets it)."""

    session_id: str
    foreground_pid: int | None = None
    title: str | None = None
    idle_s: float | None = None
    locked: bool | None = None
    received: float = field(default=0.0, compare=False)

    def to_wire(self) -> dict[str, Any]:
        out = super().to_wire()
        del out["received"]
        return out

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        if isinstance(data, Mapping) and "received" in data:
            raise WireError("SessionReport does not take: received")
        return super().from_wire(data)


@dataclass(frozen=True)
class RequestTimeParams(Message):
    seconds: int
    reason: str
    app: str | None = None


@dataclass(frozen=True)
class NoParams(Message):
    """``status``, ``tray.info``: nothing."""


@dataclass(frozen=True)
class RequestIdParams(Message):
    """``request.status``: one of the calling child's own requests."""

    request_id: int


@dataclass(frozen=True)
class ApproveParams(Message):
    """``request.approve``: exactly one of ``pin`` (a parent's PIN) and ``code`` (an authenticator code)."""

    request_id: int
    pin: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class AuthParams(Message):
    """Exactly one of ``pin`` and ``code`` (an authenticator code)."""

    pin: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class GrantParams(Message):
    child: str
    seconds: int
    token: str | None = None
    app: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ChildParams(Message):
    """``child.lock``."""

    child: str
    token: str | None = None


@dataclass(frozen=True)
class PauseParams(Message):
    child: str
    token: str | None = None
    resume: bool | None = None


@dataclass(frozen=True)
class RulesSetParams(Message):
    text: str
    token: str | None = None


@dataclass(frozen=True)
class ReportParams(Message):
    WIRE_NAMES: ClassVar[Mapping[str, str]] = {"first": "from", "last": "to"}

    first: str
    last: str
    token: str | None = None
    child: str | None = None


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer(Message):
    """Who asked for ``status``: the OS account, and the child it belongs to (if any)."""

    user: str | None
    child: str | None


@dataclass(frozen=True)
class AgentHealth(Message):
    """The agent's health record (``status``'s ``agent``), as the runner writes it every flush.

    A record read back may lack keys (``{"running": false}`` when no agent ever ran, or one an older agent
    wrote): ``absent`` names them, and ``to_wire`` leaves them out, so the JSON is what was read. Keys a
    newer agent adds are kept in ``extra`` (sent last)."""

    running: bool
    pid: int | None = None
    version: str | None = None
    started_at: int | None = None
    last_tick: float | None = None
    trusted_now: int | None = None
    clock_offset_s: float | None = None
    interval_s: float | None = None
    ticks: int | None = None
    tracked_processes: int | None = None
    write_failures: int | None = None
    errors: int | None = None
    platform: str | None = None
    degraded: str | None = None
    """Why protection is incomplete (e.g. the database opened read-only); None when it is whole."""
    mode: str | None = None
    """``system`` (root or SYSTEM: the protected service) or ``personal`` (a normal account's own agent,
    which lacks what ``guardian.core.protection.PERSONAL_LIMITS`` says); None from an older agent."""
    account: str | None = None
    """The OS account the agent runs as."""
    absent: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def stopped(cls) -> Self:
        """No health record: ``{"running": false}``."""
        rest = {f.name for f in dataclasses.fields(cls)} - {"running", "absent", "extra"}
        return cls(False, absent=frozenset(rest))

    def to_wire(self) -> dict[str, Any]:
        out = {k: v for k, v in super().to_wire().items() if k not in self.absent}
        del out["absent"], out["extra"]
        out.update(self.extra)
        return out

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        if not isinstance(data, Mapping):
            raise WireError("AgentHealth must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} - {"absent", "extra"}
        health = super().from_wire({k: v for k, v in data.items() if k in known})
        extra = {k: v for k, v in data.items() if k not in known}
        return dataclasses.replace(health, absent=frozenset(known - set(data)), extra=extra)


@dataclass(frozen=True)
class ScreenTime(Message):
    """Screen time today (``ChildEntry.screen``); ``limit_s`` and ``left_s`` are None without a limit."""

    limit_s: int | None
    granted_s: int
    used_s: int
    left_s: int | None


@dataclass(frozen=True)
class AppLimitEntry(Message):
    """One app limit today: the apps and categories it covers, and its figures."""

    refs: list[str]
    limit_s: int | None
    granted_s: int
    used_s: int
    left_s: int | None


@dataclass(frozen=True)
class WarningEntry(Message):
    """A warning that is due (``PolicyWarning``): ``left`` seconds remain."""

    key: str
    lead: int
    subject: str
    ref: str | None
    left: int


@dataclass(frozen=True)
class ChildEntry(Message):
    """One child in ``status``: what ``ChildStatus`` says, and, from the running agent only, what is in use
    (``foreground``, ``in_use``, ``apps_left``; left out of the JSON when ``in_use`` is None). Keys a
    newer agent adds are kept in ``extra`` (sent last)."""

    child: str
    day: str
    day_start: float
    day_end: float
    weekday: int
    screen: ScreenTime
    app_limits: list[AppLimitEntry]
    apps_used: dict[str, int]
    in_allowed_hours: bool
    allowed_until: float | None
    next_allowed_at: float | None
    allowed_today: list[list[float]]
    state: str
    warnings_due: list[WarningEntry]
    next_warning_at: float | None
    next_change_at: float | None
    paused: bool = False
    foreground: str | None = None
    in_use: list[str] | None = None
    apps_left: dict[str, int | None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    LIVE: ClassVar[tuple[str, ...]] = ("foreground", "in_use", "apps_left")

    @property
    def live(self) -> bool:
        """Whether the entry comes from the running agent (it then says what is in use)."""
        return self.in_use is not None

    def to_wire(self) -> dict[str, Any]:
        out = super().to_wire()
        del out["extra"]
        if self.in_use is None:
            for key in self.LIVE:
                del out[key]
        out.update(self.extra)
        return out

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        if not isinstance(data, Mapping):
            raise WireError("ChildEntry must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        entry = super().from_wire({k: v for k, v in data.items() if k in known})
        return dataclasses.replace(entry, extra={k: v for k, v in data.items() if k not in known})


@dataclass(frozen=True)
class Status(Message):
    """The agent's live snapshot (or, without an agent, the API's own evaluation): its health and one
    entry per child."""

    agent: AgentHealth
    children: list[ChildEntry]
    now: int | None = None
    viewer: Viewer | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Top-level keys a newer agent adds (kept and passed on, in their order, before ``viewer``)."""

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.now is None else {"now": self.now}
        out["agent"] = self.agent.to_wire()
        out["children"] = [c.to_wire() for c in self.children]
        out.update(self.extra)
        if self.viewer is not None:
            out["viewer"] = self.viewer.to_wire()
        return out

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        if not isinstance(data, Mapping):
            raise WireError("Status must be a JSON object")
        known = {"now", "agent", "children", "viewer"}
        extra = {k: v for k, v in data.items() if k not in known}
        status = super().from_wire({k: v for k, v in data.items() if k in known})
        return dataclasses.replace(status, extra=extra)


@dataclass(frozen=True)
class Subscribed(Message):
    subscribed: bool
    role: Role | None


@dataclass(frozen=True)
class Ok(Message):
    ok: bool = True


@dataclass(frozen=True)
class RequestCreated(Message):
    request_id: int


@dataclass(frozen=True)
class AuthResult(Message):
    token: str
    role: Role
    expires_in: int


@dataclass(frozen=True)
class GrantResult(Message):
    child: str
    day: str
    seconds: int
    app: str | None
    reason: str
    by: str


@dataclass(frozen=True)
class LockResult(Message):
    child: str
    locked: int
    sessions: int


@dataclass(frozen=True)
class PauseResult(Message):
    child: str
    paused: bool
    changed: bool


@dataclass(frozen=True)
class RulesText(Message):
    text: str
    version: int


@dataclass(frozen=True)
class RulesSaved(Message):
    version: int
    changed: bool


@dataclass(frozen=True)
class RequestAnswer(Message):
    """What became of a child's request (``request.status``, ``request.approve``): ``status`` pending,
    approved or denied, and the time given."""

    request_id: int
    status: str
    seconds: int
    by: str | None


@dataclass(frozen=True)
class TrayInfo(Message):
    """``tray.info``: what the child's tray shows beside the live status."""

    child: str
    age: int | None
    preset: str | None
    at_limit: str
    grace: int
    warn_lead: int
    language: str
    hotlines: list[str]
    retention_days: int
    health_reminder: bool
    remote_approvals_left: int
    authenticator: bool
    games: list[str]
    app_names: dict[str, str]


@dataclass(frozen=True)
class ReportDayEntry(Message):
    """One logical day of one child in a report (``DayFigures``)."""

    date: str
    screen_time_s: int
    limit_s: int | None
    granted_s: int
    apps: dict[str, int]
    categories: dict[str, int]
    events: dict[str, int]


@dataclass(frozen=True)
class ReportChild(Message):
    name: str
    active: bool
    days: list[ReportDayEntry]


@dataclass(frozen=True)
class Report(Message):
    """``report`` (``GuardianAPI.report``): per child and logical day, ``first`` to ``last`` included."""

    WIRE_NAMES: ClassVar[Mapping[str, str]] = {"first": "from", "last": "to"}

    first: str
    last: str
    children: list[ReportChild]


# -- notices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeRequestNotice(Message):
    """Pushed to parent/caregiver subscribers when a child asks for more time."""

    EVENT: ClassVar[str | None] = "request"

    request_id: int
    child: str
    seconds: int
    app: str | None
    reason: str
    ts: int
