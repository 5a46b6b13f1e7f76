"""Parent tokens are bound to the account that signed in: by uid, or by user name where pipes give no uid."""

from __future__ import annotations

from guardian.agent.tokens import TokenStore, principal_of
from guardian.core.clock import FakeClock
from guardian.ipc.peer import Peer


def test_a_token_works_only_for_the_uid_it_was_issued_to() -> None:
    tokens = TokenStore(FakeClock(now=0, monotonic=0))
    token = tokens.issue("parent", principal_of(Peer(10, 1000, "an")))
    assert tokens.check(token, principal_of(Peer(11, 1000, "an"))) == "parent"
    assert tokens.check(token, principal_of(Peer(12, 1001, "binh"))) is None


def test_without_a_uid_the_user_name_binds_the_token() -> None:
    tokens = TokenStore(FakeClock(now=0, monotonic=0))
    token = tokens.issue("parent", principal_of(Peer(10, None, "me")))
    assert tokens.check(token, principal_of(Peer(11, None, "me"))) == "parent"
    assert tokens.check(token, principal_of(Peer(12, None, "child"))) is None


def test_a_caller_the_os_cannot_name_never_passes_a_token_check() -> None:
    tokens = TokenStore(FakeClock(now=0, monotonic=0))
    unknown = principal_of(Peer(None, None, None))
    token = tokens.issue("parent", unknown)
    assert tokens.check(token, unknown) is None


def test_tokens_expire_on_the_monotonic_clock() -> None:
    clock = FakeClock(now=0, monotonic=0)
    tokens = TokenStore(clock, ttl=60)
    token = tokens.issue("caregiver", 1000)
    clock.advance(59)
    assert tokens.check(token, 1000) == "caregiver"
    clock.advance(2)
    assert tokens.check(token, 1000) is None
