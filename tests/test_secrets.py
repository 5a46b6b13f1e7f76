"""The TOTP secret: OS keyring first, a private file when there is no keyring; a missing keyring never crashes."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import keyring.backend
import pytest

from guardian.secrets import (
    KEYRING_SERVICE,
    KEYRING_USER,
    SECRET_FILE,
    enrol_totp,
    forget_totp_secret,
    is_enrolled,
    load_totp_secret,
    save_totp_secret,
)
from tests.keyrings import MemoryKeyring, NoKeyring

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Record:
    """Stands in for ``GuardianAPI``'s enrolment flag."""

    def __init__(self) -> None:
        self.enrolled = False

    def totp_enrolled(self) -> bool:
        return self.enrolled

    def set_totp_enrolled(self, enrolled: bool) -> None:
        self.enrolled = enrolled


@contextmanager
def using(backend: keyring.backend.KeyringBackend) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    with using(backend):
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with using(NoKeyring()):
        yield


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_secret_goes_to_the_keyring_and_no_file_is_left(memory: MemoryKeyring, tmp_path: Path) -> None:
    (tmp_path / SECRET_FILE).write_text("OLD", encoding="ascii")
    assert save_totp_secret(SECRET, tmp_path) == "keyring"
    assert memory.items == {(KEYRING_SERVICE, KEYRING_USER): SECRET}
    assert not (tmp_path / SECRET_FILE).exists()
    assert load_totp_secret(tmp_path) == SECRET


def test_without_a_keyring_the_secret_goes_to_a_file_only_its_owner_can_read(
    no_keyring: None, tmp_path: Path
) -> None:
    folder = tmp_path / "not-yet-made"
    assert save_totp_secret(SECRET, folder) == "file"
    path = folder / SECRET_FILE
    assert mode(path) == 0o600
    assert path.read_text(encoding="ascii") == SECRET
    assert load_totp_secret(folder) == SECRET


def test_an_existing_readable_file_is_made_private(no_keyring: None, tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE
    path.write_text("OLD", encoding="ascii")
    path.chmod(0o644)
    save_totp_secret(SECRET, tmp_path)
    assert mode(path) == 0o600 and path.read_text(encoding="ascii") == SECRET


def test_nothing_enrolled_loads_as_none_with_or_without_keyring(tmp_path: Path) -> None:
    for backend in (MemoryKeyring(), NoKeyring()):
        with using(backend):
            assert load_totp_secret(tmp_path) is None


def test_enrol_records_the_flag_and_forget_removes_secret_and_flag(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    record = Record()
    assert enrol_totp(SECRET, tmp_path, record) == "keyring"
    assert is_enrolled(record)
    forget_totp_secret(tmp_path, record)
    assert not is_enrolled(record)
    assert memory.items == {}
    assert load_totp_secret(tmp_path) is None


def test_forget_without_keyring_removes_the_file_and_does_not_crash(no_keyring: None, tmp_path: Path) -> None:
    record = Record()
    assert enrol_totp(SECRET, tmp_path, record) == "file"
    forget_totp_secret(tmp_path, record)
    assert not (tmp_path / SECRET_FILE).exists()
    assert not record.enrolled
    forget_totp_secret(tmp_path, record)  # twice is harmless
