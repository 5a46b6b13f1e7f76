"""The wire protocol between the agent and its clients: newline-delimited JSON over a local socket.

One UTF-8 JSON object per line, at most :data:`MAX_MESSAGE` bytes::

    request   {"id": 1, "method": "status", "params": {}}
    reply     {"id": 1, "result": {...}}
    error     {"id": 1, "error": {"code": "bad_params", "message": "...", ...}}
    notice    {"event": "warning", ...}

:func:`parse_request` validates a line completely (JSON, envelope, the method's parameters) and raises
:class:`ProtocolError` with one of the :data:`ERROR_CODES`. The exception tree::

    IpcError            an error reply (code, message, data), raised by the client
    ├── ProtocolError   raised by the server side: bad input, or a handler refusing a call
    AgentNotRunning     the client found no agent on the socket (ConnectionError)
    └── UntrustedAgent  a Windows pipe of that name is served by an account the agent never runs as
    AgentAlreadyRunning the server found a live agent on its socket path
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from guardian.core.messages import MAX_GRANT_SECONDS

MAX_MESSAGE = 64 * 1024
"""Largest request line, in bytes, without its newline."""


BAD_JSON = "bad_json"
BAD_REQUEST = "bad_request"
UNKNOWN_METHOD = "unknown_method"
BAD_PARAMS = "bad_params"
TOO_LARGE = "too_large"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
WRONG_PIN = "wrong_pin"
PIN_LOCKED = "pin_locked"
NOT_FOUND = "not_found"
INVALID = "invalid"
UNAVAILABLE = "unavailable"
BUSY = "busy"
INTERNAL = "internal"

ERROR_CODES: frozenset[str] = frozenset(
    {
        BAD_JSON,
        BAD_REQUEST,
        UNKNOWN_METHOD,
        BAD_PARAMS,
        TOO_LARGE,
        UNAUTHORIZED,
        FORBIDDEN,
        WRONG_PIN,
        PIN_LOCKED,
        NOT_FOUND,
        INVALID,
        UNAVAILABLE,
        BUSY,
        INTERNAL,
    }
)

RequestId = int | str


class IpcError(Exception):
    """An error reply: ``code`` from :data:`ERROR_CODES`, a message fit to show, extra ``data``."""

    def __init__(self, code: str, message: str, data: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.message = message
        self.data: dict[str, Any] = dict(data or {})
        super().__init__(f"{code}: {message}")


class ProtocolError(IpcError):
    """Raised on the server side; becomes an error reply to the request ``request_id``."""

    def __init__(
        self,
        code: str,
        message: str,
        data: Mapping[str, Any] | None = None,
        *,
        request_id: RequestId | None = None,
    ) -> None:
        super().__init__(code, message, data)
        self.request_id = request_id


class AgentNotRunning(ConnectionError):
    """No agent answers on the socket (missing, refused, or it closed the connection)."""


class UntrustedAgent(AgentNotRunning):
    """Something serves the agent's pipe name, but not an account the agent runs as: never talk to it."""


class AgentAlreadyRunning(RuntimeError):
    """Another live agent already serves the socket path."""


@dataclass(frozen=True)
class Request:
    id: RequestId
    method: str
    params: dict[str, Any] = field(default_factory=dict)


# -- parameter schemas ---------------------------------------------------------------------------

Check = Callable[[Any], str | None]
"""Returns an error text for a bad value, or ``None`` when the value is fine."""


@dataclass(frozen=True)
class Param:
    check: Check
    required: bool = False


def text(max_len: int, *, min_len: int = 0) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a string"
        if not min_len <= len(value) <= max_len:
            return f"must be {min_len} to {max_len} characters long"
        return None

    return check


def integer(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return "must be an integer"
        if not low <= value <= high:
            return f"must be between {low} and {high}"
        return None

    return check


def number(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return "must be a number"
        if not low <= value <= high:
            return f"must be between {low} and {high}"
        return None

    return check


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return "must be a date such as 2026-11-27"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "must be a date such as 2026-11-27"
    return None


TOKEN = Param(text(200, min_len=1))
REF = text(200, min_len=1)

SCHEMAS: dict[str, dict[str, Param]] = {
    "status": {},
    "subscribe": {"token": TOKEN},
    "report_session": {
        "session_id": Param(text(200, min_len=1), required=True),
        "foreground_pid": Param(integer(0, 2**32)),
        "title": Param(text(1000)),
        "idle_s": Param(number(0, 10**9)),
        "locked": Param(boolean),
    },
    "request_time": {
        "seconds": Param(integer(60, 14400), required=True),
        "reason": Param(text(200), required=True),
        "app": Param(REF),
    },
    "request.status": {"request_id": Param(integer(1, 2**62), required=True)},
    "request.approve": {
        "request_id": Param(integer(1, 2**62), required=True),
        "pin": Param(text(64, min_len=1)),
        "code": Param(text(16, min_len=1)),
    },
    "tray.info": {},
    "auth": {"pin": Param(text(64, min_len=1)), "code": Param(text(16, min_len=1))},
    "grant": {
        "token": TOKEN,
        "child": Param(text(200, min_len=1), required=True),
        "seconds": Param(integer(1, MAX_GRANT_SECONDS), required=True),
        "app": Param(REF),
        "reason": Param(text(200)),
    },
    "child.lock": {"token": TOKEN, "child": Param(text(200, min_len=1), required=True)},
    "child.pause": {
        "token": TOKEN,
        "child": Param(text(200, min_len=1), required=True),
        "resume": Param(boolean),
    },
    "rules.get": {"token": TOKEN},
    "rules.set": {"token": TOKEN, "text": Param(text(MAX_MESSAGE), required=True)},
    "report": {
        "token": TOKEN,
        "from": Param(iso_date, required=True),
        "to": Param(iso_date, required=True),
        "child": Param(text(200, min_len=1)),
    },
}
"""Every method and its parameters. ``null`` counts as absent for optional parameters."""

METHODS: frozenset[str] = frozenset(SCHEMAS)


def validate_params(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The params with ``null`` optionals dropped; raises ``ProtocolError(bad_params)``."""
    schema = SCHEMAS[method]
    unknown = sorted(set(params) - set(schema))
    if unknown:
        raise ProtocolError(BAD_PARAMS, f"{method} does not take: {', '.join(unknown)}")
    clean: dict[str, Any] = {}
    for name, param in schema.items():
        value = params.get(name)
        if value is None:
            if param.required:
                raise ProtocolError(BAD_PARAMS, f"{method} needs '{name}'")
            continue
        problem = param.check(value)
        if problem:
            raise ProtocolError(BAD_PARAMS, f"'{name}' {problem}")
        clean[name] = value
    return clean


# -- parsing and encoding -----------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def decode_line(line: bytes) -> Any:
    """Any JSON value from one line; raises ``ProtocolError(bad_json)``."""
    if len(line) > MAX_MESSAGE:
        raise ProtocolError(TOO_LARGE, f"a message is at most {MAX_MESSAGE} bytes")
    try:
        return json.loads(line.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ProtocolError(BAD_JSON, "the message is not UTF-8") from None
    except (ValueError, RecursionError):
        raise ProtocolError(BAD_JSON, "the message is not valid JSON") from None


def _request_id(message: Mapping[str, Any]) -> RequestId | None:
    value = message.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return value


def parse_request(line: bytes) -> Request:
    """Validate one request line; raises :class:`ProtocolError` carrying the request id when known."""
    message = decode_line(line)
    if not isinstance(message, dict):
        raise ProtocolError(BAD_REQUEST, "a request is a JSON object")
    request_id = _request_id(message)
    if request_id is None:
        raise ProtocolError(BAD_REQUEST, "a request needs an 'id' that is an integer or a string")
    try:
        return _parse_envelope(message, request_id)
    except ProtocolError as exc:
        exc.request_id = request_id
        raise


def _parse_envelope(message: dict[str, Any], request_id: RequestId) -> Request:
    extra = sorted(set(message) - {"id", "method", "params"})
    if extra:
        raise ProtocolError(BAD_REQUEST, f"unexpected keys in the request: {', '.join(extra)}")
    method = message.get("method")
    if not isinstance(method, str):
        raise ProtocolError(BAD_REQUEST, "a request needs a 'method' string")
    if method not in METHODS:
        raise ProtocolError(UNKNOWN_METHOD, f"there is no method '{method[:100]}'")
    params = message.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ProtocolError(BAD_REQUEST, "'params' must be an object")
    return Request(request_id, method, validate_params(method, params))


def encode(message: Mapping[str, Any]) -> bytes:
    """One message as a line (compact JSON, UTF-8, ending in a newline)."""
    return json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode() + b"\n"


def result_message(request_id: RequestId | None, result: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": request_id, "result": dict(result)}


def error_message(request_id: RequestId | None, error: IpcError) -> dict[str, Any]:
    body: dict[str, Any] = {**error.data, "code": error.code, "message": error.message}
    return {"id": request_id, "error": body}
