"""The agent's web guard: the redirect follows the rules, is restored when tampered with, lists reload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.agent.web import CHECK_EVERY, WebGuard
from guardian.core import familyfile
from guardian.platform.web import Route
from guardian.store import Store
from guardian.weblists import save_imported


class RecordingRedirect:
    def __init__(self) -> None:
        self.routes: list[Route] | None = None
        self.installs = 0

    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        assert "1.1.1.1" in doh_addresses
        self.routes = routes
        self.installs += 1

    def verify(self) -> bool:
        return self.routes is not None

    def remove(self) -> None:
        self.routes = None


@pytest.fixture
def guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[WebGuard, RecordingRedirect]]:
    monkeypatch.setenv("GUARDIAN_DNS_UPSTREAM", "127.0.0.1:9")
    store = Store(tmp_path / "guardian.db")
    redirect = RecordingRedirect()
    web = WebGuard(tmp_path, store, redirect)
    yield web, redirect
    web.close("", {})
    store.close()


def rules(web: str) -> familyfile.Rules:
    return familyfile.loads(f'[[child]]\nname = "An"\naccounts = ["root", "no-such-user-gxw"]\n{web}')


def test_the_redirect_follows_the_rules(guard: tuple[WebGuard, RecordingRedirect]) -> None:
    web, redirect = guard
    web.configure(rules('web = { categories = ["adult"] }\n'))
    port = web.resolver.ports()["An"]
    assert redirect.routes == [Route(0, port)]  # an account that does not exist is skipped
    web.configure(rules(""))
    assert redirect.routes is None and web.resolver.ports() == {}


def test_a_removed_table_is_restored_at_the_next_minute(guard: tuple[WebGuard, RecordingRedirect]) -> None:
    web, redirect = guard
    web.configure(rules("web = {}\n"))
    web.tick(100.0, "2026-12-02", {})
    assert redirect.installs == 1
    redirect.routes = None  # someone ran "nft delete table inet guardian"
    web.tick(100.0 + CHECK_EVERY / 2, "2026-12-02", {})
    assert redirect.routes is None  # checked once a minute, not every tick
    web.tick(100.0 + CHECK_EVERY, "2026-12-02", {})
    assert redirect.routes is not None and redirect.installs == 2


def test_an_imported_list_is_used_without_a_restart(
    tmp_path: Path, guard: tuple[WebGuard, RecordingRedirect]
) -> None:
    web, _ = guard
    web.configure(rules('web = { categories = ["games"] }\n'))
    assert web.resolver.lists.match("new-game.example", 1 << 6) == ""
    web.tick(0.0, "2026-12-02", {})
    save_imported(tmp_path, "games", ["new-game.example"])
    web.tick(CHECK_EVERY, "2026-12-02", {})
    assert web.resolver.lists.match("www.new-game.example", 1 << 6) == "games"


class TikTokBlocked:
    child = "An"

    def app_verdict(self, app: str) -> str:
        return "blocked" if app == "tiktok-web" else "ok"


def test_a_held_web_app_is_told_only_to_a_child_who_was_using_it(
    guard: tuple[WebGuard, RecordingRedirect],
) -> None:
    web, _ = guard
    assert web.hold([TikTokBlocked()]) == []  # type: ignore[list-item]  # not looked up lately: held quietly
    assert web.resolver.held == {"An": frozenset({"tiktok-web"})}
    assert web.hold([TikTokBlocked()]) == []  # type: ignore[list-item]  # unchanged
    web.resolver.hold({})
    web._web_used("An", "tiktok-web")
    assert web.hold([TikTokBlocked()]) == [("An", "tiktok-web", "blocked")]  # type: ignore[list-item]
    assert web.hold([None]) == [] and web.resolver.held == {}
