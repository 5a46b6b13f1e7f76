"""TOTP: RFC 6238 test vectors, verification window and the enrolment URI."""

from __future__ import annotations

import base64

import pytest

from guardian.ui.console import totp

RFC_KEYS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@pytest.mark.parametrize(("when", "sha1", "sha256", "sha512"), RFC_VECTORS)
def test_codes_match_rfc_6238_vectors(when: int, sha1: str, sha256: str, sha512: str) -> None:
    for algorithm, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        code = totp.code_at(b32(RFC_KEYS[algorithm]), when, digits=8, algorithm=algorithm)
        assert code == expected


def test_code_for_now_verifies() -> None:
    secret = totp.new_secret()
    assert totp.verify(secret, totp.code_at(secret, 1_800_000_000), 1_800_000_000)


def test_codes_one_step_away_verify_but_two_steps_do_not() -> None:
    secret = b32(RFC_KEYS["sha1"])
    now = 1_800_000_015
    assert totp.verify(secret, totp.code_at(secret, now - 30), now)
    assert totp.verify(secret, totp.code_at(secret, now + 30), now)
    assert not totp.verify(secret, totp.code_at(secret, now - 60), now)
    assert not totp.verify(secret, totp.code_at(secret, now + 60), now)


def test_wrong_or_malformed_codes_are_refused() -> None:
    secret = b32(RFC_KEYS["sha1"])
    good = totp.code_at(secret, 1_800_000_000)
    wrong = str((int(good) + 1) % 1_000_000).zfill(6)
    for code in (wrong, "", "12345", "abcdef", "1234567"):
        assert not totp.verify(secret, code, 1_800_000_000)


def test_code_with_a_space_is_accepted() -> None:
    secret = b32(RFC_KEYS["sha1"])
    code = totp.code_at(secret, 1_800_000_000)
    assert totp.verify(secret, f"{code[:3]} {code[3:]}", 1_800_000_000)


def test_new_secrets_are_random_base32_of_160_bits() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second
    assert len(totp.secret_bytes(first)) == 20


def test_lowercase_and_spaced_secret_decodes_the_same() -> None:
    secret = totp.new_secret()
    assert totp.secret_bytes(totp.grouped(secret).lower()) == totp.secret_bytes(secret)


def test_provisioning_uri_names_guardian_parent() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP")
    assert uri == "otpauth://totp/Guardian:Parent?secret=JBSWY3DPEHPK3PXP&issuer=Guardian"
