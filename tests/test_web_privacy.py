"""Privacy: a day of a child's lookups leaves only counts per category in the store, never a name."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

from guardian.agent.web import WebGuard
from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.core import familyfile
from guardian.core.webfilter import CATEGORIES
from guardian.platform.web import Route
from guardian.store import Store
from guardian.weblists import bundled_file, list_files
from tests.dns_upstream import RECORDS, serve


class RecordingRedirect:
    """The OS seam in memory: what would be installed."""

    def __init__(self) -> None:
        self.routes: list[Route] | None = None

    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        self.routes = routes

    def verify(self) -> bool:
        return self.routes is not None

    def remove(self) -> None:
        self.routes = None


def test_a_day_of_lookups_stores_counts_and_no_domain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    socks = serve("127.0.0.1", 0)
    monkeypatch.setenv("GUARDIAN_DNS_UPSTREAM", f"127.0.0.1:{socks[0].getsockname()[1]}")
    home = tmp_path
    store = Store(home / "guardian.db")
    api = GuardianAPI(store, SystemClock())
    rules = familyfile.loads(
        '[[child]]\nname = "An"\naccounts = ["root"]\n'
        'web = { categories = ["adult", "gambling", "social"], block = ["homework-cheats.example"] }\n'
    )
    api.save_rules(rules, "test")
    redirect = RecordingRedirect()
    guard = WebGuard(home, store, redirect)
    try:
        guard.configure(rules)
        assert redirect.routes is not None and redirect.routes[0].uid == 0
        port = guard.resolver.ports()["An"]
        blocked = [
            n for f in list_files(home) for n in f.read_text().split() if "." in n and not n.startswith("#")
        ]
        names = blocked + list(RECORDS) + ["homework-cheats.example", "www.youtube.com", "google.com"]
        rng = random.Random(15)
        asked = [rng.choice(names) for _ in range(1500)]  # a busy day of one child's browsing
        for name in asked:
            reply = dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=5)
            assert reply.rcode() in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN)
        child_id = store.children.id_for("An")
        assert child_id is not None
        guard.close("2026-12-02", {"An": child_id})
        assert redirect.routes is None
        counts = api.web_blocks("An", date(2026, 12, 2), date(2026, 12, 2))
        assert set(counts) <= {"adult", "gambling", "social", "custom"}
        assert counts["custom"] == asked.count("homework-cheats.example")
        assert sum(counts.values()) > 100
    finally:
        store.close()
        for sock in socks:
            sock.close()
    stored = b"".join(p.read_bytes() for p in home.glob("guardian.db*"))
    assert stored
    rules_text = familyfile.dumps(rules)
    for name in set(asked) - {"homework-cheats.example"}:  # a site the parent named is in the rules
        assert name.encode() not in stored, name
        label = name.split(".")[-2]  # "pornhub", "fb88": not even the site's own label
        assert label in rules_text or label.encode() not in stored, name
    assert all(bundled_file(c).is_file() for c in CATEGORIES)


@pytest.mark.parametrize(("language", "blocked"), [("en", "blocked"), ("vi", "bị chặn")])
def test_the_childs_privacy_page_tells_of_blocked_lookup_counts_and_web_time(
    language: str, blocked: str
) -> None:
    from guardian.ui.tray.content import load_help

    content = load_help(language)
    for group in content.groups:
        points = content.privacy(group, 180)
        assert any(blocked in p and "YouTube" in p for p in points), (language, group)
