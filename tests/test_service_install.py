"""``guardian service`` and its plans, with the OS faked (a RecordingHost): Linux, Windows and macOS alike;
where the data is found in each mode; one resource lookup for checkout and bundle; migrating on upgrade."""

from __future__ import annotations

import argparse
import configparser
import os
import plistlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from guardian import paths, resources
from guardian.cli import main
from guardian.paths import system_home
from guardian.service_install import linux, macos, windows
from guardian.service_install.command import plan_for, run
from guardian.service_install.plan import InstallError, RecordingHost, install, status, uninstall
from guardian.store import Store
from guardian.store.migrations import MIGRATIONS, migrate

PROGRAM = "/opt/guardian/guardian"


def unit(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


# -- where the data is ------------------------------------------------------------------------------


def test_system_home_per_os() -> None:
    assert system_home("linux") == Path("/var/lib/guardian")
    assert system_home("darwin") == Path("/Library/Application Support/Guardian")
    assert str(system_home("win32", {"ProgramData": "D:\\Data"})).replace("/", "\\") == "D:\\Data\\Guardian"
    assert windows.system_home({"ProgramData": "D:\\Data"}) == PureWindowsPath("D:\\Data\\Guardian")


def test_a_system_install_is_found_without_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "var-lib-guardian"
    monkeypatch.setattr(paths, "system_home", lambda *a, **k: system)
    assert paths.home_dir() != system  # no service installed: the per-user folder
    system.mkdir(mode=0o700)
    assert paths.home_dir() == system
    assert paths.home_dir(str(tmp_path / "explicit")) == tmp_path / "explicit"
    monkeypatch.setenv("GUARDIAN_HOME", str(tmp_path / "env"))
    assert paths.home_dir() == tmp_path / "env"


# -- Linux ---------------------------------------------------------------------------------------


def test_agent_unit_runs_as_root_always_restarted_and_hardened() -> None:
    service = unit(linux.agent_unit(PROGRAM))["Service"]
    assert service["ExecStart"] == f"{PROGRAM} agent --home /var/lib/guardian"
    assert service["User"] == "root" and service["Restart"] == "always"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert service["ReadWritePaths"].split()[:3] == ["/var/lib/guardian", "/run/guardian", "/var/tmp"]
    # the browser policies' folders, made before the agent starts (as root, outside the hardening)
    policy_dirs = ["/etc/opt/chrome/policies/managed", "/etc/chromium/policies/managed"]
    assert all(f"-{d}" in service["ReadWritePaths"].split() for d in policy_dirs)
    assert service["ExecStartPre"].startswith("+/bin/sh -c 'umask 022 && exec mkdir -p /etc/opt/chrome/")
    assert service["Environment"] == "TMPDIR=/var/tmp"  # the fail-closed journal's fallback folder
    assert service["StateDirectoryMode"] == "0700" and service["RuntimeDirectoryMode"] == "0755"
    assert "Environment=GUARDIAN_SOCKET" not in linux.agent_unit(PROGRAM)  # the default place is the safe one
    # it must still read every child's /proc entries and signal their processes
    assert service["ProtectProc"] == "default"
    assert {"CAP_KILL", "CAP_SYS_PTRACE"} <= set(service["CapabilityBoundingSet"].split())
    # web protection: the nftables table and the DNS forwarder (docs/web.md)
    assert "CAP_NET_ADMIN" in service["CapabilityBoundingSet"].split()
    # the exec guard (fanotify permission events) and the process events' filter by account (eBPF)
    assert {"CAP_SYS_ADMIN", "CAP_BPF"} <= set(service["CapabilityBoundingSet"].split())
    assert {"AF_INET", "AF_INET6"} <= set(service["RestrictAddressFamilies"].split())
    assert service["PrivateTmp"] == "no"  # the X11 sockets in /tmp/.X11-unix
    assert unit(linux.agent_unit(PROGRAM))["Install"]["WantedBy"] == "multi-user.target"


def test_tray_starts_in_every_graphical_session() -> None:
    tray = unit(linux.tray_user_unit(PROGRAM))
    assert tray["Service"]["ExecStart"] == f"{PROGRAM} tray" and tray["Service"]["Restart"] == "always"
    assert tray["Install"]["WantedBy"] == "graphical-session.target"
    entry = unit(linux.tray_desktop(PROGRAM))["Desktop Entry"]
    assert entry["Exec"] == f"{PROGRAM} tray" and entry["Type"] == "Application"
    assert entry["X-systemd-skip"] == "true"  # where systemd runs the session, the user unit does it


def test_console_menu_entry_and_icon() -> None:
    entry = unit(linux.console_desktop(PROGRAM))["Desktop Entry"]
    assert entry["Exec"] == PROGRAM and entry["Icon"] == "guardian" and "GenericName[vi]" in entry
    icon = linux.app_icon_svg('<svg stroke="currentColor"><path/></svg>')
    assert "currentColor" not in icon and "#2563eb" in icon


def test_linux_system_plan_without_systemd_installs_files_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(linux, "systemd_running", lambda: False)
    plan = linux.system_plan(PROGRAM, packaged=False)
    host = RecordingHost()
    lines = install(plan, host)
    assert host.dirs[PurePosixPath("/var/lib/guardian")] == 0o700
    assert set(host.files) == {
        PurePosixPath("/etc/systemd/system/guardian-agent.service"),
        PurePosixPath("/etc/systemd/user/guardian-tray.service"),
        PurePosixPath("/etc/xdg/autostart/guardian-tray.desktop"),
    }
    assert all(mode == 0o644 for _text, mode in host.files.values())
    assert host.commands == []
    assert any("systemd is not running here" in line for line in lines)


def test_linux_system_plan_with_systemd_enables_and_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linux, "systemd_running", lambda: True)
    host = RecordingHost()
    plan = linux.system_plan(PROGRAM, packaged=False)
    install(plan, host)
    assert ["systemctl", "enable", "--now", "guardian-agent.service"] in host.commands
    assert ["systemctl", "--global", "enable", "guardian-tray.service"] in host.commands
    host.commands.clear()
    lines = uninstall(plan, host)
    assert host.commands[0] == ["systemctl", "disable", "--now", "guardian-agent.service"]
    assert host.files == {} and PurePosixPath("/var/lib/guardian") in host.dirs
    assert any("kept the data in /var/lib/guardian" in line for line in lines)


def test_system_install_needs_an_administrator() -> None:
    with pytest.raises(InstallError, match="administrator"):
        install(linux.system_plan(PROGRAM, packaged=False), RecordingHost(admin=False))


def test_a_failing_command_stops_the_install_with_its_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linux, "systemd_running", lambda: True)
    host = RecordingHost(answers={"systemctl": (1, "Access denied")})
    with pytest.raises(InstallError, match="Access denied"):
        install(linux.system_plan(PROGRAM, packaged=False), host)
    assert len(host.commands) == 1


def test_packaged_install_is_left_to_the_package_manager() -> None:
    plan = linux.system_plan(PROGRAM, packaged=True)
    assert PurePosixPath("/usr/lib/systemd/system/guardian-agent.service") in [f.path for f in plan.files]
    with pytest.raises(InstallError, match="guardian package"):
        install(plan, RecordingHost())
    with pytest.raises(InstallError, match="guardian package"):
        uninstall(plan, RecordingHost())
    host = RecordingHost(files={f.path: (f.text, f.mode) for f in plan.files})
    complete, lines = status(plan, host)
    assert complete and lines[0] == "installed by the guardian package"


def test_personal_plan_needs_no_admin_and_says_what_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linux, "user_systemd_running", lambda: True)
    plan = linux.personal_plan(PROGRAM, config_home=tmp_path / "config", data_home=tmp_path / "data")
    host = RecordingHost(admin=False)
    lines = install(plan, host)
    names = sorted(str(p.relative_to(tmp_path)) for p in host.files)  # type: ignore[arg-type]
    assert names == [
        "config/autostart/guardian-agent.desktop",
        "config/autostart/guardian-tray.desktop",
        "config/systemd/user/guardian-agent.service",
        "config/systemd/user/guardian-tray.service",
    ]
    assert ["systemctl", "--user", "enable", "--now", "guardian-agent.service"] in host.commands
    assert "this account can stop it" in lines[-1]


# -- Windows -------------------------------------------------------------------------------------


def test_windows_service_is_localsystem_restarted_and_unstoppable_by_users() -> None:
    plan = windows.system_plan(
        "C:\\Program Files\\Guardian\\guardian.exe", {"ProgramData": "C:\\ProgramData"}
    )
    host = RecordingHost()
    install(plan, host)
    create, *_ = host.commands
    assert create[:3] == ["sc.exe", "create", "GuardianAgent"]
    config = host.commands[1]
    assert config[:3] == ["sc.exe", "config", "GuardianAgent"]
    for command in (create, config):
        assert "obj= LocalSystem" in command and "start= auto" in command
        assert '"C:\\Program Files\\Guardian\\guardian.exe" service run' in command[3]
    failure = next(c for c in host.commands if c[1] == "failure")
    assert failure[-1].startswith("actions= restart/")
    sdset = next(c for c in host.commands if c[1] == "sdset")[-1]
    users = [ace for ace in sdset.split("(") if ace.endswith(";IU)") or ace.endswith(";SU)")]
    assert users and all("WP" not in ace and "DT" not in ace and "RP" not in ace for ace in users)
    acl = next(c for c in host.commands if c[0] == "icacls.exe")
    assert acl[1] == "C:\\ProgramData\\Guardian" and "/inheritance:r" in acl
    assert [a for a in acl if a.startswith("*S-")] == ["*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F"]
    run_key = next(c for c in host.commands if c[0] == "reg.exe")
    assert run_key[2].startswith("HKLM\\") and run_key[-2].endswith('guardian.exe" tray')
    assert host.commands[-1] == ["sc.exe", "start", "GuardianAgent"]
    host.commands.clear()
    uninstall(plan, host)
    assert ["sc.exe", "delete", "GuardianAgent"] in host.commands


def test_windows_upgrade_over_an_existing_service() -> None:
    host = RecordingHost(answers={"sc.exe": (0, "")})
    plan = windows.system_plan("C:\\g\\guardian.exe")
    failing = RecordingHost()
    install(plan, host)
    # "sc create" fails with 1073 (the service exists) on an upgrade; "sc config" brings it up to date
    answers = iter([(1073, "[SC] CreateService FAILED 1073"), *[(0, "")] * 20])
    failing.run = lambda command: (failing.commands.append(command), next(answers))[1]  # type: ignore[method-assign]
    install(plan, failing)
    assert failing.commands == host.commands


def test_windows_personal_mode_uses_the_users_run_key() -> None:
    host = RecordingHost(admin=False)
    install(windows.personal_plan("C:\\g\\guardian.exe"), host)
    assert {c[2] for c in host.commands} == {windows.USER_RUN_KEY}


# -- macOS ---------------------------------------------------------------------------------------


def test_macos_daemon_and_tray_plists() -> None:
    plan = macos.system_plan(PROGRAM)
    host = RecordingHost()
    install(plan, host)
    daemon = plistlib.loads(
        host.files[PurePosixPath("/Library/LaunchDaemons/org.guardian.agent.plist")][0].encode()
    )
    assert daemon["ProgramArguments"] == [PROGRAM, "agent", "--home", "/Library/Application Support/Guardian"]
    assert daemon["KeepAlive"] is True and daemon["UserName"] == "root"
    tray = plistlib.loads(
        host.files[PurePosixPath("/Library/LaunchAgents/org.guardian.tray.plist")][0].encode()
    )
    assert tray["ProgramArguments"] == [PROGRAM, "tray"] and tray["LimitLoadToSessionType"] == ["Aqua"]
    assert host.dirs[PurePosixPath("/Library/Application Support/Guardian")] == 0o700
    assert [
        "launchctl",
        "bootstrap",
        "system",
        "/Library/LaunchDaemons/org.guardian.agent.plist",
    ] in host.commands


def test_committed_macos_plists_match_the_generator() -> None:
    folder = Path(__file__).resolve().parents[1] / "installer" / "macos"
    program = "/Applications/Guardian.app/Contents/MacOS/guardian"
    assert (folder / "org.guardian.agent.plist").read_text() == macos.daemon_plist(program)
    assert (folder / "org.guardian.tray.plist").read_text() == macos.tray_plist(program)


# -- the command ---------------------------------------------------------------------------------


def test_plan_for_picks_the_os() -> None:
    assert plan_for("win32", personal=False, program="g").data_dir == windows.system_home()
    assert plan_for("darwin", personal=False, program="g").data_dir == macos.SYSTEM_HOME
    assert plan_for("linux", personal=True, program="g").mode == "personal"


def test_service_command_through_a_fake_host(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(action="install", personal=False, program=PROGRAM)
    assert run(args, RecordingHost(admin=False), platform="darwin") == 1
    assert "needs an administrator" in capsys.readouterr().err
    host = RecordingHost()
    assert run(args, host, platform="darwin") == 0
    assert "Installed Guardian's protected service" in capsys.readouterr().out
    args.action = "status"
    assert run(args, host, platform="darwin") == 0
    assert "protected service: installed" in capsys.readouterr().out


def test_dry_run_says_what_would_happen_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    host = RecordingHost()
    args = argparse.Namespace(action="install", personal=False, program=PROGRAM, dry_run=True)
    monkeypatch.setattr(linux, "systemd_running", lambda: True)
    monkeypatch.setattr(linux, "PACKAGE_UNIT_DIR", PurePosixPath("/nonexistent/guardian-test"))
    assert run(args, host, platform="linux") == 0
    out = capsys.readouterr().out
    assert "nothing is changed" in out
    assert "write /etc/systemd/system/guardian-agent.service (mode 644)" in out
    assert "make folder /var/lib/guardian (mode 700)" in out
    assert "run systemctl enable --now guardian-agent.service" in out
    assert host.files == {} and host.dirs == {} and host.commands == []
    args.action = "uninstall"
    assert run(args, host, platform="linux") == 0
    assert "keep the data in /var/lib/guardian" in capsys.readouterr().out


def test_service_status_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["service", "status", "--personal"]) == 0
    assert "personal mode (this account only): not installed" in capsys.readouterr().out


def test_migrate_brings_an_old_database_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guardian.db"
    conn = sqlite3.connect(db)
    migrate(conn, db, migrations=MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('upgrade-check', 'kept')")
    conn.commit()
    conn.close()
    assert main(["service", "migrate", "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "up to date (the old one is saved as" in out
    assert list(tmp_path.glob("guardian.db.bak-v1-*"))
    store = Store(db)
    try:
        assert store.backup is None
        assert (
            store.conn.execute("SELECT value FROM meta WHERE key = 'upgrade-check'").fetchone()[0] == "kept"
        )
    finally:
        store.close()
    assert main(["service", "migrate", "--home", str(tmp_path / "none")]) == 0
    assert "nothing to migrate" in capsys.readouterr().out


# -- one resource lookup -------------------------------------------------------------------------


def test_resources_come_from_the_bundle_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.candidate_dirs()[0] == tmp_path / "resources"
    resources.resources_dir.cache_clear()
    try:
        assert resources.resources_dir() == tmp_path / "resources"
    finally:
        resources.resources_dir.cache_clear()
    monkeypatch.delattr(sys, "_MEIPASS")
    assert (resources.resources_dir() / "apps.toml").is_file()  # the checkout's


# -- a session user on a system install --------------------------------------------------------------


@pytest.fixture
def other_account() -> Iterator[str]:
    if os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("runuser") is None:
        pytest.skip("needs root, useradd and runuser to act as a second account")
    name = f"gxins{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


def test_a_session_user_cannot_open_the_system_data_and_is_told_so(other_account: str) -> None:
    top = Path(tempfile.mkdtemp(prefix="gxins-system-", dir="/tmp"))  # pytest's own folder is root-only
    try:
        top.chmod(0o755)
        data = top / "var-lib-guardian"
        data.mkdir(mode=0o700)
        Store(data / "guardian.db").close()
        command = [sys.executable, "-m", "guardian.cli", "status", "--home", str(data)]
        done = subprocess.run(
            [shutil.which("runuser") or "runuser", "-u", other_account, "--", *command],
            capture_output=True,
            text=True,
            cwd="/",
            env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "GUARDIAN_SOCKET": str(top / "none.sock")},
            check=False,
        )
    finally:
        shutil.rmtree(top)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().endswith(
        "(this account may not read it: run the command as an administrator)."
    )
