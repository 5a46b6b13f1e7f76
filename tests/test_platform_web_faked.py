"""Web protection on Windows and macOS with the OS faked: registry policies, the configuration profile and
the DNS redirect. Not run on a real Windows machine or Mac: these test the logic behind the seam only."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from guardian.core import familyfile
from guardian.platform import macos_policies, windows_policies
from guardian.platform.web import Route
from guardian.platform.windows_policies import RECORD_KEY, REG_DWORD, REG_SZ, Value
from guardian.platform.windows_web import WindowsDnsRedirect

RULES = familyfile.loads(
    '[[child]]\nname = "An"\naccounts = ["an"]\n'
    'web = { categories = ["adult"], youtube = "moderate", block = ["Cheats.example", "b.example"] }\n'
)
FEWER = familyfile.loads('[[child]]\nname = "An"\naccounts = ["an"]\nweb = { block = ["b.example"] }\n')
NONE = familyfile.loads('[[child]]\nname = "An"\naccounts = ["an"]\n')
CHROME = r"SOFTWARE\Policies\Google\Chrome"
FIREFOX = r"SOFTWARE\Policies\Mozilla\Firefox"

# -- Windows: browser policies in the registry -------------------------------------------------------


class FakeRegistry:
    """HKLM as a dictionary of keys, each a dictionary of values; ``SOFTWARE\\Policies`` exists."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Value]] = {"SOFTWARE": {}, r"SOFTWARE\Policies": {}}

    def get(self, key: str, name: str) -> Value | None:
        return self.keys.get(key, {}).get(name)

    def set(self, key: str, name: str, value: Value) -> None:
        parts = key.split("\\")
        for n in range(1, len(parts) + 1):
            self.keys.setdefault("\\".join(parts[:n]), {})
        self.keys[key][name] = value

    def delete_value(self, key: str, name: str) -> None:
        self.keys.get(key, {}).pop(name, None)

    def key_exists(self, key: str) -> bool:
        return key in self.keys

    def delete_key_if_empty(self, key: str) -> None:
        if key in self.keys and not self.keys[key] and not any(k.startswith(key + "\\") for k in self.keys):
            del self.keys[key]


def test_registry_gets_the_linux_policy_names_and_values() -> None:
    reg = FakeRegistry()
    assert windows_policies.write(reg, RULES) > 0
    chrome = reg.keys[CHROME]
    assert chrome == {
        "BuiltInDnsClientEnabled": (REG_DWORD, 0),
        "DnsOverHttpsMode": (REG_SZ, "off"),
        "ForceBingSafeSearch": (REG_DWORD, 2),
        "ForceGoogleSafeSearch": (REG_DWORD, 1),
        "ForceYouTubeRestrict": (REG_DWORD, 1),
    }
    assert reg.keys[CHROME + r"\URLBlocklist"] == {
        "1": (REG_SZ, "b.example"),
        "2": (REG_SZ, "cheats.example"),
    }
    assert reg.keys[r"SOFTWARE\Policies\Microsoft\Edge"] == chrome
    assert reg.keys[FIREFOX + r"\DNSOverHTTPS"] == {"Enabled": (REG_DWORD, 0), "Locked": (REG_DWORD, 1)}
    assert reg.keys[FIREFOX + r"\WebsiteFilter\Block"]["1"] == (REG_SZ, "*://b.example/*")
    assert windows_policies.write(reg, RULES) == 0  # already right: nothing touched


def test_registry_removal_keeps_what_an_administrator_wrote() -> None:
    reg = FakeRegistry()
    reg.set(CHROME, "HomepageLocation", (REG_SZ, "https://school.example"))
    reg.set(CHROME, "ForceYouTubeRestrict", (REG_DWORD, 2))  # the school's own, stricter
    before = json.loads(json.dumps(reg.keys))
    windows_policies.write(reg, RULES)
    assert reg.get(CHROME, "ForceYouTubeRestrict") == (REG_DWORD, 1)
    windows_policies.write(reg, FEWER)  # fewer sites: the stale list entry goes
    assert reg.keys[CHROME + r"\URLBlocklist"] == {"1": (REG_SZ, "b.example")}
    assert "ForceGoogleSafeSearch" in reg.keys[CHROME]
    assert windows_policies.remove(reg) > 0
    assert json.loads(json.dumps(reg.keys)) == before
    assert RECORD_KEY not in reg.keys


def test_registry_rules_without_web_protection_remove_the_policies() -> None:
    reg = FakeRegistry()
    windows_policies.write(reg, RULES)
    windows_policies.write(reg, NONE)
    assert reg.keys == {"SOFTWARE": {}, r"SOFTWARE\Policies": {}}


def test_registry_a_broken_record_removes_nothing_it_cannot_name() -> None:
    reg = FakeRegistry()
    reg.set(CHROME, "HomepageLocation", (REG_SZ, "x"))
    reg.set(RECORD_KEY, "PolicyRecord", (REG_SZ, "{not json"))
    assert windows_policies.remove(reg) == 0
    assert reg.get(CHROME, "HomepageLocation") == (REG_SZ, "x")


# -- macOS: a configuration profile --------------------------------------------------------------------


def test_macos_profile_carries_the_policies_and_the_dns_payload(tmp_path: Path) -> None:
    assert macos_policies.write_profile(tmp_path, RULES, resolver="127.0.0.1")
    top = plistlib.loads((tmp_path / macos_policies.PROFILE).read_bytes())
    assert top["PayloadType"] == "Configuration"
    assert top["PayloadIdentifier"] == "org.guardian.web"
    by_type = {p["PayloadType"]: p for p in top["PayloadContent"]}
    assert set(by_type) == {
        "com.google.Chrome",
        "com.microsoft.Edge",
        "org.mozilla.firefox",
        "com.apple.dnsSettings.managed",
    }
    chrome = by_type["com.google.Chrome"]
    assert chrome["DnsOverHttpsMode"] == "off"
    assert chrome["ForceYouTubeRestrict"] == 1
    assert chrome["URLBlocklist"] == ["b.example", "cheats.example"]
    assert by_type["com.microsoft.Edge"]["URLBlocklist"] == chrome["URLBlocklist"]
    firefox = by_type["org.mozilla.firefox"]
    assert firefox["EnterprisePoliciesEnabled"] is True
    assert firefox["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}
    assert "*://*.cheats.example/*" in firefox["WebsiteFilter"]["Block"]
    assert by_type["com.apple.dnsSettings.managed"]["DNSSettings"]["ServerAddresses"] == ["127.0.0.1"]
    uuids = [p["PayloadUUID"] for p in [top, *top["PayloadContent"]]]
    assert len(set(uuids)) == 5
    assert not macos_policies.write_profile(tmp_path, RULES)  # same rules, same bytes: untouched


def test_macos_profile_goes_when_no_child_is_filtered(tmp_path: Path) -> None:
    macos_policies.write_profile(tmp_path, RULES)
    assert macos_policies.write_profile(tmp_path, NONE)
    assert not (tmp_path / macos_policies.PROFILE).exists()
    assert not macos_policies.remove_profile(tmp_path)


# -- Windows: the DNS redirect -------------------------------------------------------------------------


class FakeDns:
    """Two adapters: Ethernet (7) with static servers, Wi-Fi (12) from DHCP with an IPv6 server."""

    def __init__(self) -> None:
        self.servers: dict[int, list[str]] = {7: ["192.168.1.1", "9.9.9.9"], 12: ["fd00::1"]}
        self.commands: list[list[str]] = []

    def __call__(self, args: list[str]) -> str:
        self.commands.append(args)
        script = args[-1]
        if script.startswith("Get-DnsClientServerAddress"):
            rows = []
            for index, servers in self.servers.items():
                rows.append(
                    {
                        "InterfaceIndex": index,
                        "AddressFamily": 2,
                        "ServerAddresses": [s for s in servers if ":" not in s],
                    }
                )
                rows.append(
                    {
                        "InterfaceIndex": index,
                        "AddressFamily": 23,
                        "ServerAddresses": [s for s in servers if ":" in s],
                    }
                )
            return json.dumps(rows)
        words = script.split()
        index = int(words[words.index("-InterfaceIndex") + 1])
        self.servers[index] = words[-1].split(",") if "-ServerAddresses" in words else []
        return ""


def test_windows_redirect_points_every_adapter_at_loopback_and_restores(tmp_path: Path) -> None:
    dns, saved = FakeDns(), tmp_path / "web-dns.json"
    redirect = WindowsDnsRedirect(saved, runner=dns)
    assert redirect.verify()  # nothing installed
    redirect.install([Route(uid=1001, port=5301)], [])
    ps = ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command"]
    assert dns.commands[1:] == [
        [*ps, "Set-DnsClientServerAddress -InterfaceIndex 7 -ServerAddresses 127.0.0.1,::1"],
        [*ps, "Set-DnsClientServerAddress -InterfaceIndex 12 -ServerAddresses 127.0.0.1,::1"],
    ]
    assert dns.servers == {7: ["127.0.0.1", "::1"], 12: ["127.0.0.1", "::1"]}
    assert json.loads(saved.read_text())["7"] == {"ipv4": ["192.168.1.1", "9.9.9.9"], "ipv6": []}
    assert redirect.verify()
    dns.servers[12] = ["8.8.8.8"]  # someone changed it back
    assert not redirect.verify()
    redirect.install([Route(uid=1001, port=5301)], [])  # again: the first saved servers are kept
    assert json.loads(saved.read_text())["12"] == {"ipv4": [], "ipv6": ["fd00::1"]}
    dns.commands.clear()
    redirect.install([], [])  # a parent's session: restored
    assert dns.commands == [
        [*ps, "Set-DnsClientServerAddress -InterfaceIndex 7 -ServerAddresses 192.168.1.1,9.9.9.9"],
        [*ps, "Set-DnsClientServerAddress -InterfaceIndex 12 -ServerAddresses fd00::1"],
    ]
    assert dns.servers == {7: ["192.168.1.1", "9.9.9.9"], 12: ["fd00::1"]}
    assert not saved.exists()
    dns.commands.clear()
    redirect.remove()
    assert dns.commands == []


def test_windows_redirect_restores_after_a_crash_and_resets_dhcp_adapters(tmp_path: Path) -> None:
    dns, saved = FakeDns(), tmp_path / "web-dns.json"
    dns.servers[12] = []  # DHCP-assigned: nothing configured
    WindowsDnsRedirect(saved, runner=dns).install([Route(uid=1001, port=5301)], [])
    # the agent died here; a new one starts and removes what the old one left
    dns.commands.clear()
    WindowsDnsRedirect(saved, runner=dns).remove()
    assert dns.commands[-1][-1] == "Set-DnsClientServerAddress -InterfaceIndex 12 -ResetServerAddresses"
    assert dns.servers == {7: ["192.168.1.1", "9.9.9.9"], 12: []}
    assert not saved.exists()


def test_windows_redirect_a_failing_command_keeps_the_saved_servers(tmp_path: Path) -> None:
    dns, saved = FakeDns(), tmp_path / "web-dns.json"
    redirect = WindowsDnsRedirect(saved, runner=dns)
    redirect.install([Route(uid=1001, port=5301)], [])

    def broken(args: list[str]) -> str:
        raise OSError("powershell.exe failed")

    redirect.run = broken
    with pytest.raises(OSError):
        redirect.remove()
    assert saved.exists()  # the next try still knows what to put back


def test_windows_redirect_a_corrupt_saved_file_falls_back_to_dhcp_not_to_loopback(tmp_path: Path) -> None:
    dns, saved = FakeDns(), tmp_path / "web-dns.json"
    dns.servers = {7: ["127.0.0.1", "::1"]}  # left by an agent whose saved file was lost
    saved.write_text("{broken", encoding="utf-8")
    redirect = WindowsDnsRedirect(saved, runner=dns)
    redirect.install([Route(uid=1001, port=5301)], [])
    assert json.loads(saved.read_text())["7"] == {"ipv4": ["127.0.0.1"], "ipv6": ["::1"]}
    redirect.remove()
    assert dns.commands[-1][-1] == "Set-DnsClientServerAddress -InterfaceIndex 7 -ResetServerAddresses"
    assert dns.servers == {7: []}
