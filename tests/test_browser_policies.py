"""Managed browser policies written into, and removed from, a temporary root."""

from __future__ import annotations

import json
from pathlib import Path

from guardian.browser_policies import remove_policies, write_policies
from guardian.core import familyfile

RULES = familyfile.loads(
    '[[child]]\nname = "An"\naccounts = ["an"]\n'
    'web = { categories = ["adult"], youtube = "moderate", block = ["Cheats.example"] }\n'
    '[[child]]\nname = "Binh"\naccounts = ["binh"]\nweb = { youtube = "strict" }\n'
    '[[child]]\nname = "Chi"\naccounts = ["chi"]\n'
)


def read(root: Path, rel: str) -> dict[str, object]:
    return json.loads((root / rel).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_chrome_chromium_edge_and_firefox_get_doh_off_safesearch_and_the_blocklist(tmp_path: Path) -> None:
    written = write_policies(tmp_path, RULES)
    assert len(written) == 4
    chrome = read(tmp_path, "etc/opt/chrome/policies/managed/guardian.json")
    assert chrome == {
        "BuiltInDnsClientEnabled": False,
        "DnsOverHttpsMode": "off",
        "ForceBingSafeSearch": 2,
        "ForceGoogleSafeSearch": True,
        "ForceYouTubeRestrict": 2,  # the strictest child's setting: the policy is machine-wide
        "URLBlocklist": ["cheats.example"],
    }
    assert read(tmp_path, "etc/chromium/policies/managed/guardian.json") == chrome
    assert read(tmp_path, "etc/opt/edge/policies/managed/guardian.json") == chrome
    firefox = read(tmp_path, "etc/firefox/policies/policies.json")
    assert firefox == {
        "policies": {
            "DNSOverHTTPS": {"Enabled": False, "Locked": True},
            "WebsiteFilter": {"Block": ["*://cheats.example/*", "*://*.cheats.example/*"]},
        }
    }
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in written)


def test_uninstall_removes_exactly_what_install_wrote(tmp_path: Path) -> None:
    (tmp_path / "etc/opt/chrome/policies/managed").mkdir(parents=True)
    (tmp_path / "etc/opt/chrome/policies/managed/school.json").write_text('{"HomepageLocation": "x"}')
    before = snapshot(tmp_path)
    write_policies(tmp_path, RULES)
    write_policies(tmp_path, RULES)  # twice is the same
    removed = remove_policies(tmp_path)
    assert len(removed) == 4
    assert snapshot(tmp_path) == before


def test_a_firefox_policy_file_someone_else_wrote_is_left_alone(tmp_path: Path) -> None:
    theirs = tmp_path / "etc/firefox/policies/policies.json"
    theirs.parent.mkdir(parents=True)
    theirs.write_text('{"policies": {"DisableTelemetry": true}}')
    written = write_policies(tmp_path, RULES)
    assert theirs not in written and len(written) == 3
    remove_policies(tmp_path)
    assert theirs.read_text() == '{"policies": {"DisableTelemetry": true}}'


def test_no_filtered_child_writes_nothing_and_clears_old_files(tmp_path: Path) -> None:
    write_policies(tmp_path, RULES)
    plain = familyfile.loads('[[child]]\nname = "Chi"\naccounts = ["chi"]\n')
    assert write_policies(tmp_path, plain) == []
    assert snapshot(tmp_path) == {}
