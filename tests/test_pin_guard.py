"""PIN input, back-off per account, and the authenticator code that lets a locked-out parent in (issue 9, item 4).

In-process over the API with a fake clock; ``test_ipc_pin.py`` runs the same against the real agent with a
real second account.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from guardian import pins
from guardian.api import GuardianAPI
from guardian.core import totp
from guardian.core.clock import FakeClock
from guardian.errors import InvalidInput, PinLocked, WrongPin
from guardian.secrets import enrol_totp
from guardian.store.rows import PinRecord
from tests.keyrings import NoKeyring

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
CHILD, PARENT = "uid:1001", "uid:1000"


def clock_of(api: GuardianAPI) -> FakeClock:
    assert isinstance(api.clock, FakeClock)
    return api.clock


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def enrolled(api: GuardianAPI, no_keyring: None) -> GuardianAPI:
    api.set_pin("parent", "246810")
    enrol_totp(SECRET, api.data_dir(), api)
    return api


def lock_out(api: GuardianAPI, caller: str, times: int = 6) -> None:
    for _ in range(times):
        with pytest.raises((WrongPin, PinLocked)):
            api.verify_pin("000000", caller=caller)


def test_a_childs_wrong_guesses_never_make_the_parent_wait(api: GuardianAPI) -> None:
    api.set_pin("parent", "246810")
    lock_out(api, CHILD)
    with pytest.raises(PinLocked):
        api.verify_pin("246810", caller=CHILD)  # the guessing account waits, even with the right PIN
    assert api.verify_pin("246810", caller=PARENT) == "parent"
    assert api.pin_wait(PARENT) == 0 and api.pin_wait(CHILD) > 0
    failed = api.store.events.between(None, 0, 2**40, kinds=["pin_failed"])
    assert {e.data["caller"] for e in failed if e.data} == {CHILD}


def test_back_off_grows_to_an_hour() -> None:
    assert [pins.backoff_delay(n) for n in range(1, 7)] == [0, 0, 5, 10, 20, 40]
    assert pins.backoff_delay(13) == pins.MAX_DELAY == 3600
    assert pins.backoff_delay(10**6) == 3600


@pytest.mark.parametrize("typed", ["1234\n", " 1234", "1234\r\n", "\t1234 "])
def test_a_pin_is_normalised_when_set_and_when_checked(api: GuardianAPI, typed: str) -> None:
    api.set_pin("parent", typed)
    assert api.verify_pin("1234") == "parent"
    assert api.verify_pin(typed) == "parent"
    with pytest.raises(WrongPin):
        api.verify_pin("12345")


def test_a_pin_stored_with_its_newline_before_the_fix_still_opens(api: GuardianAPI) -> None:
    hashed = pins.hash_pin("1234\n")
    api.store.parents.set(
        "parent", PinRecord(hashed.hash, hashed.salt, hashed.n, hashed.r, hashed.p, created_at=0)
    )
    assert api.verify_pin("1234") == "parent"


@pytest.mark.parametrize("bad", ["12\n34", "123", "abcd", "1234567890123", "", "\n"])
def test_malformed_pins_are_refused(api: GuardianAPI, bad: str) -> None:
    with pytest.raises(InvalidInput):
        api.set_pin("parent", bad)


def test_short_pins_get_a_hint_six_digits_none() -> None:
    assert "6 digits" in (pins.short_pin_hint("1234\n") or "")
    assert pins.short_pin_hint("123456") is None


def test_a_locked_out_parent_gets_in_with_an_authenticator_code_once(enrolled: GuardianAPI) -> None:
    api = enrolled
    lock_out(api, PARENT)
    with pytest.raises(PinLocked):
        api.verify_pin("246810", caller=PARENT)
    code = totp.code_at(SECRET, api.clock.now())
    assert api.unlock(code, caller=PARENT) == "parent"
    assert api.pin_wait(PARENT) == 0, "the code clears the PIN back-off"
    with pytest.raises(WrongPin, match="used already"):
        api.verify_totp(code, caller=PARENT)  # never replayed
    clock_of(api).advance(30)
    assert api.verify_totp(totp.code_at(SECRET, api.clock.now()), caller=PARENT) == "parent"


def test_wrong_codes_back_off_on_their_own_per_account(enrolled: GuardianAPI) -> None:
    api = enrolled
    for _ in range(4):
        with pytest.raises(WrongPin, match=r"not right$"):
            api.verify_totp("000000", caller=CHILD)
    with pytest.raises(WrongPin, match="wait 5 seconds"):
        api.verify_totp("000000", caller=CHILD)
    with pytest.raises(PinLocked):
        api.verify_totp(totp.code_at(SECRET, api.clock.now()), caller=CHILD)
    assert api.verify_pin("246810", caller=PARENT) == "parent"
    assert api.verify_totp(totp.code_at(SECRET, api.clock.now()), caller=PARENT) == "parent"


def test_without_an_enrolled_authenticator_a_locked_pin_stays_locked(api: GuardianAPI) -> None:
    api.set_pin("parent", "246810")
    lock_out(api, PARENT)
    with pytest.raises(PinLocked):
        api.unlock("123456", caller=PARENT)
    with pytest.raises(InvalidInput, match="no authenticator"):
        api.verify_totp("123456", caller=PARENT)


def cli(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guardian.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_cli_pin_set_normalises_and_hints_at_six_digits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    short = cli(home, "pin", "set", GUARDIAN_NEW_PIN="1234\n")
    assert short.returncode == 0, short.stderr
    assert "Hint:" in short.stdout and "6 digits" in short.stdout
    longer = cli(home, "pin", "set", GUARDIAN_PIN="1234", GUARDIAN_NEW_PIN="24681357\n")
    assert longer.returncode == 0, longer.stderr
    assert "Hint:" not in longer.stdout
    assert cli(home, "pin", "set", GUARDIAN_PIN="24681357", GUARDIAN_NEW_PIN="135790").returncode == 0
