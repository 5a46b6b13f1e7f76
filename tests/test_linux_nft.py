"""The generated nftables ruleset (the real rules are exercised in tests/test_web_netns.py)."""

from __future__ import annotations

from guardian.platform.linux_nft import ruleset
from guardian.platform.web import Route


def test_ruleset_replaces_only_guardians_table_and_matches_each_child_uid() -> None:
    text = ruleset([Route(1002, 40001), Route(1001, 40000)], ["1.1.1.1", "2606:4700:4700::1111", "1.1.1.1"])
    lines = text.splitlines()
    assert lines[:3] == ["table inet guardian", "delete table inet guardian", "table inet guardian {"]
    assert "\t\tmeta skuid 1001 udp dport 53 redirect to :40000" in lines
    assert "\t\tmeta skuid 1001 tcp dport 53 redirect to :40000" in lines
    assert "\t\tmeta skuid 1002 udp dport 53 redirect to :40001" in lines
    assert "\t\tmeta skuid 1002 tcp dport 853 reject with tcp reset" in lines
    assert "\t\telements = { 1.1.1.1 }" in lines
    assert "\t\tmeta skuid 1001 ip6 daddr @doh6 tcp dport 443 reject with tcp reset" in lines
    assert "table" not in "".join(line for line in lines[3:] if "table" in line and "guardian" not in line)


def test_no_addresses_means_no_sets() -> None:
    text = ruleset([Route(1001, 40000)], [])
    assert "@doh4" not in text and "set doh4" not in text
