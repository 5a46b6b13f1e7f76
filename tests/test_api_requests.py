"""A child's requests for more time, answered on the spot (PIN), from the console, or by phone code (TOTP)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.totp import code_at
from guardian.errors import InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from guardian.secrets import enrol_totp
from tests.helpers import ts
from tests.keyrings import NoKeyring

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FAMILY = """
[settings]
timezone = "Asia/Ho_Chi_Minh"
day_starts_at = "04:00"
{extra}

[[child]]
name = "An"
accounts = ["an"]
screen_time = "2h"

[[child]]
name = "Binh"
accounts = ["binh"]
"""


@pytest.fixture
def family(api: GuardianAPI) -> GuardianAPI:
    api.import_rules(FAMILY.format(extra=""), "family.toml")
    api.set_pin("parent", "1234")
    api.set_pin("caregiver", "5678", current_pin="1234")
    return api


def kinds(api: GuardianAPI, kind: str) -> list[dict[str, object]]:
    return [dict(e.data or {}) for e in api.store.events.between(None, 0, 2**40) if e.kind == kind]


def extra_today(api: GuardianAPI, child: str = "An") -> int:
    return sum(
        g.seconds for g in api.store.grants.for_day(1 if child == "An" else 2, api.today().isoformat())
    )


def screen_left(api: GuardianAPI) -> int | None:
    return api.evaluate("An")["An"].screen.left_s


def test_a_request_is_stored_pending_with_an_event(family: GuardianAPI) -> None:
    rid = family.request_time("An", 1800, "finish my essay")
    answer = family.request_answer(rid, "An")
    assert (answer.status, answer.seconds) == ("pending", 0)
    assert kinds(family, "request") == [{"request_id": rid, "seconds": 1800}]
    assert [r.reason for r in family.pending_requests()] == ["finish my essay"]


def test_a_parent_typing_the_pin_on_the_spot_gives_the_time(family: GuardianAPI) -> None:
    before = screen_left(family)
    rid = family.request_time("An", 900, "one more level")
    answer = family.approve_with_pin(rid, "An", "1234")
    assert (answer.status, answer.seconds, answer.by) == ("approved", 900, "parent")
    assert screen_left(family) == (before or 0) + 900
    assert family.request_answer(rid, "An").status == "approved"
    assert kinds(family, "request_answered") == [
        {"request_id": rid, "status": "approved", "seconds": 900, "via": "pin"}
    ]


def test_a_caregiver_pin_approves_too(family: GuardianAPI) -> None:
    rid = family.request_time("An", 900, "homework")
    assert family.approve_with_pin(rid, "An", "5678").by == "caregiver"


def test_a_wrong_pin_gives_nothing_and_leaves_the_request_pending(family: GuardianAPI) -> None:
    rid = family.request_time("An", 900, "please")
    with pytest.raises(WrongPin):
        family.approve_with_pin(rid, "An", "0000")
    assert family.request_answer(rid, "An").status == "pending"
    assert extra_today(family) == 0


def test_without_a_parent_pin_nobody_can_approve_on_the_spot(api: GuardianAPI) -> None:
    api.import_rules(FAMILY.format(extra=""), "family.toml")
    rid = api.request_time("An", 900, "please")
    with pytest.raises(PinRequired):
        api.approve_with_pin(rid, "An", "1234")
    assert extra_today(api) == 0


def test_a_child_cannot_see_or_approve_another_childs_request(family: GuardianAPI) -> None:
    rid = family.request_time("Binh", 900, "mine")
    with pytest.raises(InvalidInput):
        family.request_answer(rid, "An")
    with pytest.raises(InvalidInput):
        family.approve_with_pin(rid, "An", "1234")


def test_a_request_is_answered_once(family: GuardianAPI) -> None:
    rid = family.request_time("An", 900, "please")
    family.approve_with_pin(rid, "An", "1234")
    with pytest.raises(InvalidInput, match="already answered"):
        family.approve_with_pin(rid, "An", "1234")
    assert extra_today(family) == 900


def test_the_console_answers_later_and_the_child_sees_it(family: GuardianAPI) -> None:
    yes = family.request_time("An", 1800, "project")
    no = family.request_time("An", 3600, "games")
    family.answer_request(yes, approve=True, seconds=1200, pin="1234")
    family.answer_request(no, approve=False, pin="5678")
    assert (family.request_answer(yes, "An").status, family.request_answer(yes, "An").seconds) == (
        "approved",
        1200,
    )
    assert family.request_answer(no, "An").status == "denied"
    assert [e["via"] for e in kinds(family, "request_answered")] == ["console", "console"]


def test_the_authenticator_code_approves_from_afar(family: GuardianAPI) -> None:
    rid = family.request_time("An", 1800, "science fair")
    code = code_at(SECRET, family.clock.now())
    answer = family.approve_with_code(rid, "An", code, secret=SECRET)
    assert (answer.status, answer.seconds) == ("approved", 1800)
    assert extra_today(family) == 1800
    assert kinds(family, "request_answered")[-1]["via"] == "code"


def test_a_replayed_code_is_refused(family: GuardianAPI) -> None:
    clock = family.clock
    assert isinstance(clock, FakeClock)
    code = code_at(SECRET, clock.now())
    family.approve_with_code(family.request_time("An", 900, "a"), "An", code, secret=SECRET)
    again = family.request_time("An", 900, "b")
    with pytest.raises(WrongPin, match="used already"):
        family.approve_with_code(again, "An", code, secret=SECRET)
    clock.advance(10)  # still the same 30-second step, or the one after in the phone's window
    with pytest.raises(WrongPin, match="used already"):
        family.approve_with_code(again, "An", code, secret=SECRET)
    assert family.request_answer(again, "An").status == "pending"
    assert len(kinds(family, "code_replayed")) == 2
    clock.advance(30)
    family.approve_with_code(again, "An", code_at(SECRET, clock.now()), secret=SECRET)
    assert extra_today(family) == 1800


def test_a_wrong_code_is_refused_and_recorded(family: GuardianAPI) -> None:
    rid = family.request_time("An", 900, "a")
    right = code_at(SECRET, family.clock.now())
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for bad in (wrong, "12ab56", "123"):
        with pytest.raises(WrongPin):
            family.approve_with_code(rid, "An", bad, secret=SECRET)
    assert len(kinds(family, "code_failed")) == 3
    assert extra_today(family) == 0


def test_remote_approvals_are_capped_per_child_and_day(family: GuardianAPI) -> None:
    clock = family.clock
    assert isinstance(clock, FakeClock)
    assert family.remote_approvals_left("An") == 2
    for _ in range(2):
        clock.advance(30)
        family.approve_with_code(
            family.request_time("An", 600, "x"), "An", code_at(SECRET, clock.now()), secret=SECRET
        )
    assert family.remote_approvals_left("An") == 0
    third = family.request_time("An", 600, "x")
    clock.advance(30)
    with pytest.raises(NotAllowed, match="used up"):
        family.approve_with_code(third, "An", code_at(SECRET, clock.now()), secret=SECRET)
    assert family.remote_approvals_left("Binh") == 2  # per child
    family.approve_with_pin(third, "An", "1234")  # a parent in person is never capped
    clock.advance(ts("2026-11-28 09:00") - clock.now())  # the next logical day
    assert family.remote_approvals_left("An") == 2


def test_the_cap_is_a_parent_setting(api: GuardianAPI) -> None:
    api.import_rules(FAMILY.format(extra="remote_approvals = 0"), "family.toml")
    api.set_pin("parent", "1234")
    rid = api.request_time("An", 600, "x")
    with pytest.raises(NotAllowed):
        api.approve_with_code(rid, "An", code_at(SECRET, api.clock.now()), secret=SECRET)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.mark.usefixtures("no_keyring")
def test_the_enrolled_secret_is_read_from_the_data_folder(family: GuardianAPI) -> None:
    rid = family.request_time("An", 600, "x")
    with pytest.raises(InvalidInput, match="no authenticator"):
        family.approve_with_code(rid, "An", "123456")
    assert enrol_totp(SECRET, family.data_dir(), family) == "file"
    family.approve_with_code(rid, "An", code_at(SECRET, family.clock.now()))
    assert extra_today(family) == 600


def test_wrong_codes_back_off_so_nobody_can_try_them_all(family: GuardianAPI) -> None:
    clock = family.clock
    assert isinstance(clock, FakeClock)
    rid = family.request_time("An", 900, "a")
    right = code_at(SECRET, clock.now())
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(3):  # three free tries, as with PINs
        with pytest.raises(WrongPin):
            family.approve_with_code(rid, "An", wrong, secret=SECRET)
    with pytest.raises(PinLocked) as locked:
        family.approve_with_code(rid, "An", right, secret=SECRET)  # even the right code waits
    assert locked.value.retry_after == 5
    clock.advance(5)
    assert family.approve_with_code(rid, "An", code_at(SECRET, clock.now()), secret=SECRET).status == "approved"
