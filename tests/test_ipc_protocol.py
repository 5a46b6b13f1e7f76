"""The IPC wire format: request validation, error replies, encoding."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.ipc.protocol import (
    MAX_MESSAGE,
    METHODS,
    ProtocolError,
    Request,
    encode,
    error_message,
    parse_request,
)


def line(message: object) -> bytes:
    return json.dumps(message).encode()


def error_of(data: bytes) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        parse_request(data)
    return info.value


def test_a_valid_request_is_parsed() -> None:
    request = parse_request(line({"id": 7, "method": "auth", "params": {"pin": "1234"}}))
    assert request == Request(7, "auth", {"pin": "1234"})


def test_params_may_be_left_out_and_string_ids_are_kept() -> None:
    assert parse_request(line({"id": "a", "method": "status"})) == Request("a", "status", {})


def test_null_optional_params_count_as_absent() -> None:
    request = parse_request(
        line({"id": 1, "method": "report_session", "params": {"session_id": "s", "title": None}})
    )
    assert request.params == {"session_id": "s"}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe", "bad_json"),
        (b"{not json", "bad_json"),
        (b"NaN", "bad_json"),
        (b"", "bad_json"),
        (b"[" * 50_000, "bad_json"),
        (b"[1, 2]", "bad_request"),
        (line({"method": "status"}), "bad_request"),
        (line({"id": True, "method": "status"}), "bad_request"),
        (line({"id": 1.5, "method": "status"}), "bad_request"),
        (line({"id": 1}), "bad_request"),
        (line({"id": 1, "method": 3}), "bad_request"),
        (line({"id": 1, "method": "status", "params": []}), "bad_request"),
        (line({"id": 1, "method": "status", "extra": 1}), "bad_request"),
        (line({"id": 1, "method": "rm -rf"}), "unknown_method"),
        (b"x" * (MAX_MESSAGE + 1), "too_large"),
    ],
)
def test_malformed_requests_get_the_matching_code(data: bytes, code: str) -> None:
    assert error_of(data).code == code


@pytest.mark.parametrize(
    "params",
    [
        {"seconds": 59, "reason": "homework"},
        {"seconds": 14401, "reason": "homework"},
        {"seconds": True, "reason": "homework"},
        {"seconds": 600, "reason": "x" * 201},
        {"seconds": 600},
        {"seconds": 600, "reason": "ok", "child": "An"},
        {"seconds": "600", "reason": "ok"},
    ],
)
def test_request_time_params_are_checked(params: dict[str, object]) -> None:
    error = error_of(line({"id": 3, "method": "request_time", "params": params}))
    assert (error.code, error.request_id) == ("bad_params", 3)


def test_report_dates_must_be_iso_dates() -> None:
    params = {"from": "2026-11-31", "to": "2026-12-01"}
    assert error_of(line({"id": 1, "method": "report", "params": params})).code == "bad_params"


def test_idle_seconds_must_be_finite_and_positive() -> None:
    params = {"session_id": "s", "idle_s": -1}
    assert error_of(line({"id": 1, "method": "report_session", "params": params})).code == "bad_params"


def test_error_messages_carry_extra_data_and_the_id() -> None:
    message = error_message(4, ProtocolError("pin_locked", "wait", {"retry_after": 5}))
    assert message == {"id": 4, "error": {"retry_after": 5, "code": "pin_locked", "message": "wait"}}


def test_encoding_is_one_utf8_line() -> None:
    data = encode({"event": "warning", "text": "còn 5 phút\nnữa"})
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert json.loads(data)["text"] == "còn 5 phút\nnữa"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_protocol_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        parse_request(data)


@settings(max_examples=150)
@given(
    st.one_of(st.integers(), st.text(max_size=5)),
    st.sampled_from(sorted(METHODS)) | st.text(max_size=12),
    st.dictionaries(st.text(max_size=12), json_values, max_size=5),
)
def test_random_requests_parse_or_raise_protocol_errors(
    request_id: object, method: str, params: dict[str, object]
) -> None:
    try:
        request = parse_request(line({"id": request_id, "method": method, "params": params}))
    except ProtocolError as exc:
        assert exc.code in {"bad_request", "unknown_method", "bad_params"}
        assert exc.request_id == request_id
    else:
        assert request.method in METHODS
