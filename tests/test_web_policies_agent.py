"""The agent keeps the browsers' managed policies: written at start and when the rules change, only when
their text changes, a failure reported as degraded; ``service uninstall`` and the package's removal take
them away; a personal agent writes nothing."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from guardian.agent.webpolicies import PolicyKeeper, policy_root
from guardian.browser_policies import ROOT_ENV, write_policies
from guardian.cli_text import localized
from guardian.core import familyfile
from guardian.service_install import command
from guardian.service_install.plan import RecordingHost
from tests.agent_harness import import_rules, running_agent, wait_for
from tests.child_account import child_account

CHROME = "etc/opt/chrome/policies/managed/guardian.json"
FIREFOX = "etc/firefox/policies/policies.json"
POSTRM = Path(__file__).parents[1] / "installer" / "linux" / "postrm"


def family(account: str, web: str) -> str:
    return f'[[child]]\nname = "An"\naccounts = ["{account}"]\nweb = {{ {web} }}\n'


def chrome(root: Path) -> dict[str, object] | None:
    try:
        return json.loads((root / CHROME).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_the_keeper_rewrites_only_what_changed_and_reports_a_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    keeper = PolicyKeeper(root)
    keeper.apply(familyfile.loads(family("an", 'youtube = "strict"')))
    assert chrome(root) == {
        "BuiltInDnsClientEnabled": False,
        "DnsOverHttpsMode": "off",
        "ForceBingSafeSearch": 2,
        "ForceGoogleSafeSearch": True,
        "ForceYouTubeRestrict": 2,
    }
    firefox_before = stamp(root / FIREFOX)
    keeper.apply(familyfile.loads(family("an", 'youtube = "moderate"')))
    assert chrome(root) is not None and chrome(root)["ForceYouTubeRestrict"] == 1  # type: ignore[index]
    assert stamp(root / FIREFOX) == firefox_before  # its text did not change: the file was not touched
    assert not list(root.rglob("*.tmp"))
    # a root where nothing can be written: logged, reported, no exception; fixed, it is written again
    broken = tmp_path / "broken"
    broken.write_text("a file where a folder should be")
    bad = PolicyKeeper(broken)
    with caplog.at_level(logging.ERROR, logger="guardian.web"):
        bad.apply(familyfile.loads(family("an", "")))
    assert bad.problem is not None and "browser policies could not be written" in bad.problem
    assert "browser policies could not be written" in caplog.text
    assert localized(bad.problem, "vi").startswith("bảo vệ bị suy giảm: không ghi được chính sách")  # status
    broken.unlink()
    bad.apply(familyfile.loads(family("an", "")))
    assert bad.problem is None and chrome(broken) is not None


def test_a_stop_between_the_firefox_file_and_its_stamp_leaves_it_guardians(tmp_path: Path) -> None:
    write_policies(tmp_path, familyfile.loads(family("an", 'block = ["a.example"]')))
    old = (tmp_path / FIREFOX).read_bytes()
    stamp_file = tmp_path / "etc/firefox/policies/.guardian-sha256"
    # what a stop right after writing the new policies.json (before the stamp's last write) leaves
    write_policies(tmp_path, familyfile.loads(family("an", 'block = ["b.example"]')))
    new_digest = hashlib.sha256((tmp_path / FIREFOX).read_bytes()).hexdigest()
    stamp_file.write_text(f"{new_digest}\n{hashlib.sha256(old).hexdigest()}\n")
    assert write_policies(tmp_path, familyfile.loads(family("an", 'block = ["c.example"]')))
    assert b"c.example" in (tmp_path / FIREFOX).read_bytes()


def test_only_the_service_writes_machine_wide_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    root, why = policy_root(tmp_path)  # a root agent on another data folder than /var/lib/guardian
    assert root is None and "only by the service" in why
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    root, why = policy_root(tmp_path)
    assert root is None and why.startswith("personal mode")


def test_a_personal_agent_says_it_writes_no_policies(caplog: pytest.LogCaptureFixture) -> None:
    keeper = PolicyKeeper(None, "personal mode: browser policies are machine-wide files and are not written")
    with caplog.at_level(logging.WARNING, logger="guardian.web"):
        keeper.apply(familyfile.loads(family("an", "")))
        keeper.apply(familyfile.loads(family("an", "")))
    assert caplog.text.count("personal mode: browser policies") == 1


def test_the_personal_install_says_policies_are_not_written(tmp_path: Path) -> None:
    from guardian.service_install import linux

    plan = linux.personal_plan("/usr/bin/guardian", config_home=tmp_path, data_home=tmp_path)
    assert any("machine-wide" in note for note in plan.notes)


@pytest.mark.slow
def test_a_root_agent_writes_them_follows_the_rules_and_uninstall_removes_them(tmp_path: Path) -> None:
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("needs unshare and ip to keep the agent's web rules in a network namespace of its own")
    root, home = tmp_path / "root", tmp_path / "home"
    home.mkdir()
    with child_account("gxwp") as child:
        import_rules(home, family(child, 'youtube = "strict", block = ["cheats.example"]'))
        # the agent's own network namespace: its nftables rules never touch this machine's
        prefix = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
        with running_agent(home, env={ROOT_ENV: str(root)}, prefix=prefix) as agent:
            policy = wait_for("the policies", lambda: chrome(root) or agent._died())
            assert policy["ForceYouTubeRestrict"] == 2 and policy["URLBlocklist"] == ["cheats.example"]
            assert "cheats.example" in (root / FIREFOX).read_text()
            firefox_before = stamp(root / FIREFOX)
            assert agent.health().get("degraded") is None
            import_rules(home, family(child, 'youtube = "moderate", block = ["cheats.example"]'))
            wait_for(
                "the rewritten policy",
                lambda: (chrome(root) or {}).get("ForceYouTubeRestrict") == 1 or agent._died(),
            )
            assert stamp(root / FIREFOX) == firefox_before
            assert agent.stop() == 0
        assert chrome(root) is not None  # a stopped service keeps them (fail closed)
        args = argparse.Namespace(action="uninstall", personal=False, program="/usr/bin/guardian")
        os.environ[ROOT_ENV] = str(root)
        try:
            assert command.run(args, host=RecordingHost(), platform="linux") == 0
        finally:
            del os.environ[ROOT_ENV]
    assert [p for p in root.rglob("*") if p.is_file()] == []


@pytest.mark.slow
def test_a_root_agent_that_cannot_write_them_reports_degraded_protection(tmp_path: Path) -> None:
    root, home = tmp_path / "root", tmp_path / "home"
    home.mkdir()
    root.write_text("a file where the root folder should be")
    with child_account("gxwp") as child:
        import_rules(home, family(child, ""))
        prefix = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
        with running_agent(home, env={ROOT_ENV: str(root)}, prefix=prefix) as agent:
            degraded = wait_for("degraded", lambda: agent.health().get("degraded") or agent._died())
            assert "browser policies could not be written" in degraded
            wait_for("ticks", lambda: agent.ticks() > 1 or agent._died())  # it goes on enforcing


def test_the_package_removal_takes_away_guardians_policies_only(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    write_policies(tmp_path, familyfile.loads(family("an", "")))
    write_policies(theirs, familyfile.loads(family("an", "")))
    (theirs / FIREFOX).write_text('{"policies": {"DisableTelemetry": true}}')  # a person replaced it
    (tmp_path / "etc/opt/chrome/policies/managed/school.json").write_text("{}")
    script = POSTRM.read_text().split("\ncase ", 1)[0] + "\nremove_policies\n"
    for where in (tmp_path, theirs):
        done = subprocess.run(["sh", "-c", script], env={ROOT_ENV: str(where), "PATH": os.environ["PATH"]})
        assert done.returncode == 0
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["etc/opt/chrome/policies/managed/school.json", f"theirs/{FIREFOX}"]


def test_folders_and_files_are_readable_by_every_account_whatever_the_agents_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)  # the service's UMask
    try:
        write_policies(tmp_path, familyfile.loads(family("an", "")))
    finally:
        os.umask(old)
    for path in tmp_path.rglob("*"):
        if ".guardian-sha256" not in path.name:
            assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path
