"""Install the .deb for real inside a throwaway root and record what happens, for tests/test_install_deb.py.

Run as root inside a private mount namespace (``unshare --mount --propagation private``): this script lays an
overlay over /etc, /usr, /var, /opt and /run (upper layers in SCRATCH), so ``dpkg -i`` writes the real paths
while this machine stays unchanged; everything vanishes with the namespace. It then:

1. installs the .deb (``dpkg -i``), records files, owners and modes, and runs ``systemd-analyze verify``;
2. creates a child account (``useradd``), imports rules blocking an app for it, with web protection
   (``guardian rules import`` without ``--home``: a system install's commands find /var/lib/guardian);
3. starts the agent as root exactly as the unit says (ExecStart, Environment, StateDirectory,
   RuntimeDirectory and their modes, UMask: what systemd would do, since it is not PID 1 here);
4. checks the agent wrote the browsers' managed policies under /etc (removed again by ``dpkg -r``);
   from the child's account: starts the blocked app (it must be closed), tries to kill the agent (EPERM), to
   read the database (EACCES), and asks the agent for its status over the socket;
5. upgrades to a newer build of the same package (data kept, database migrated), ``dpkg -r`` (data kept),
   ``dpkg -P`` (data gone); deletes the account.

Usage: ``deb_sandbox.py DEB NEWER_DEB SCRATCH RESULT.json``. Prints nothing it needs; the JSON is the result.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OVERLAID = ("/etc", "/usr", "/var", "/opt", "/run")
UNIT = "/usr/lib/systemd/system/guardian-agent.service"
POLICIES = (
    "/etc/opt/chrome/policies/managed/guardian.json",
    "/etc/opt/chrome/policies/managed",
    "/etc/firefox/policies/policies.json",
)
"""Browser policies the system agent writes for a child with web protection (and removing the package takes)."""


def run(*cmd: str, **kwargs: Any) -> dict[str, Any]:
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120, **kwargs)
    return {"rc": done.returncode, "out": done.stdout, "err": done.stderr}


def overlay(scratch: Path) -> None:
    for folder in OVERLAID:
        name = folder.strip("/")
        upper, work = scratch / "upper" / name, scratch / "work" / name
        upper.mkdir(parents=True)
        work.mkdir(parents=True)
        subprocess.run(
            [
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                f"lowerdir={folder},upperdir={upper},workdir={work}",
                folder,
            ],
            check=True,
        )


def describe(path: str) -> dict[str, Any] | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    found: dict[str, Any] = {"mode": oct(stat.S_IMODE(info.st_mode)), "uid": info.st_uid, "gid": info.st_gid}
    if stat.S_ISLNK(info.st_mode):
        found["link"] = os.readlink(path)
    found["kind"] = "dir" if stat.S_ISDIR(info.st_mode) else "link" if stat.S_ISLNK(info.st_mode) else "file"
    return found


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def wait_for(check: Any, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)  # polling a condition with a deadline
    return False


CAPABILITY_BITS = {
    "CAP_CHOWN": 0,
    "CAP_DAC_OVERRIDE": 1,
    "CAP_DAC_READ_SEARCH": 2,
    "CAP_FOWNER": 3,
    "CAP_KILL": 5,
    "CAP_NET_ADMIN": 12,
    "CAP_SYS_PTRACE": 19,
    "CAP_SYS_ADMIN": 21,
    "CAP_BPF": 39,
}


def capability_mask(names: list[str]) -> str:
    """The bounding set ``names`` leave, as ``/proc/<pid>/status`` prints it (``CapBnd``)."""
    return f"{sum(1 << CAPABILITY_BITS[name] for name in names):016x}"


def start_as_unit_says(settings: dict[str, list[str]]) -> tuple[subprocess.Popen[bytes], list[str]]:
    """What systemd does for this unit, as far as the agent can tell: folders, environment, umask, command."""
    for key, base in (("StateDirectory", "/var/lib"), ("RuntimeDirectory", "/run")):
        mode = int(settings[f"{key}Mode"][0], 8)
        for name in settings[key][0].split():
            folder = Path(base) / name
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, 0, 0)
            folder.chmod(mode)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    for assignment in settings.get("Environment", []):
        for pair in shlex.split(assignment):
            key, value = pair.split("=", 1)
            env[key] = value
    umask = int(settings.get("UMask", ["0022"])[0], 8)
    command = shlex.split(settings["ExecStart"][0])
    # the capabilities the unit leaves the agent (and no new privileges), as systemd would
    caps = ",".join("+" + c.removeprefix("CAP_").lower() for c in settings["CapabilityBoundingSet"][0].split())
    limits = ["setpriv", f"--bounding-set=-all,{caps}"]
    if settings.get("NoNewPrivileges", ["no"])[0] == "yes":
        limits.append("--no-new-privs")
    log = open("/var/log/guardian-agent-sandbox.log", "wb")  # noqa: SIM115 - kept open for the agent
    proc = subprocess.Popen(
        [*limits, "--", *command], env=env, stdout=log, stderr=log, preexec_fn=lambda: os.umask(umask)
    )
    return proc, command


def roll_back_last_migration(db: Path) -> str | None:
    """Make the database look as the release before the last migration left it (so the upgrade has something
    to migrate): drop the tables, indexes and triggers the last migration created, forget it, step
    ``user_version`` back. Only for a last migration that just creates those (the name of the one rolled back,
    else None)."""
    import sqlite3

    from guardian.store.migrations import MIGRATIONS

    if len(MIGRATIONS) < 2:
        return None
    older = sqlite3.connect(":memory:")
    for migration in MIGRATIONS[:-1]:
        migration(older)
    schema = "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
    before = dict(older.execute(schema).fetchall())
    conn = sqlite3.connect(db)
    now = dict(conn.execute(schema).fetchall())
    if any(before[name] != now.get(name) for name in before if name != "migrations"):
        conn.close()
        return None  # the last migration changed an existing table: nothing simple to roll back
    others = "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
    added = set(conn.execute(others).fetchall()) - set(older.execute(others).fetchall())
    with conn:
        for kind, name in sorted(added, reverse=True):  # triggers (on older tables too) before indexes
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        for table in set(now) - set(before):
            conn.execute(f'DROP TABLE "{table}"')
        conn.execute("DELETE FROM migrations WHERE name = ?", (MIGRATIONS[-1].__name__,))
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1:d}")
    conn.close()
    return MIGRATIONS[-1].__name__


def family(child: str, app: str) -> str:
    return f"""
[[app]]
id = "sandbox-game"
name = "Sandbox Game"
category = "games"
match = {{ exe_names = ["{app}"] }}

[[child]]
name = "Sandbox Kid"
accounts = ["{child}"]
blocked = ["sandbox-game"]
web = {{ youtube = "strict" }}
"""


def as_child(child: str, *cmd: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    prefix = ["runuser", "-u", child, "--"]
    if env:
        prefix += ["env", *(f"{k}={v}" for k, v in env.items())]
    return run(*prefix, *cmd, cwd="/")


def main(deb: str, newer: str, scratch_dir: str, result_path: str) -> int:
    scratch = Path(scratch_dir)
    result: dict[str, Any] = {}
    overlay(scratch)
    run("ip", "link", "set", "lo", "up")  # the sandbox's own network namespace: its web rules stay in it
    child = os.environ["GX_CHILD"]
    # the child's "game", in a folder the child's account can reach (/tmp is not overlaid: removed below)
    apps = Path(tempfile.mkdtemp(prefix="gxins-apps-", dir="/tmp"))
    apps.chmod(0o755)
    app = "gxins-blocked-app"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", apps / app)
    (apps / app).chmod(0o755)
    agent: subprocess.Popen[bytes] | None = None
    try:
        result["install"] = run("dpkg", "-i", deb)
        paths = [
            "/opt/guardian",
            "/opt/guardian/guardian",
            "/opt/guardian/_internal",
            "/usr/bin/guardian",
            UNIT,
            "/usr/lib/systemd/user/guardian-tray.service",
            "/etc/xdg/autostart/guardian-tray.desktop",
            "/var/lib/guardian",
            "/etc/systemd/user/graphical-session.target.wants/guardian-tray.service",
        ]
        result["installed"] = {p: describe(p) for p in paths}
        result["verify"] = run("systemd-analyze", "verify", UNIT)
        runtime = tempfile.mkdtemp(prefix="gxins-runtime-", dir=scratch)
        result["verify_user"] = run(
            "systemd-analyze",
            "--user",
            "verify",
            "/usr/lib/systemd/user/guardian-tray.service",
            env={**os.environ, "XDG_RUNTIME_DIR": runtime},
        )
        result["security"] = run("systemd-analyze", "security", "--offline=true", "--no-pager", UNIT)
        result["version"] = run("/usr/bin/guardian", "--version")
        result["service_status"] = run("/usr/bin/guardian", "service", "status")

        result["useradd"] = run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", child)
        rules = scratch / "family.toml"
        rules.write_text(family(child, app))
        result["import"] = run(
            "/usr/bin/guardian", "rules", "import", str(rules), env={"PATH": "/usr/bin:/bin"}
        )
        settings = unit_settings(Path(UNIT).read_text())
        agent, command = start_as_unit_says(settings)
        result["exec_start"] = command
        socket_path = "/run/guardian/agent.sock"  # where the agent puts it for the system data folder
        result["socket_up"] = wait_for(lambda: Path(socket_path).exists())
        result["agent_pid"] = agent.pid
        result["agent_owner"] = os.stat(f"/proc/{agent.pid}").st_uid
        result["policies_written"] = wait_for(lambda: Path(POLICIES[0]).exists())
        result["policies"] = {p: describe(p) for p in POLICIES}
        result["chrome_policy"] = Path(POLICIES[0]).read_text() if Path(POLICIES[0]).exists() else ""

        # the child's session
        blocked = subprocess.Popen(
            ["runuser", "-u", child, "--", str(apps / app), "600"], cwd="/", stderr=subprocess.PIPE, text=True
        )
        began = time.monotonic()
        try:
            result["blocked_exit"] = blocked.wait(timeout=15)
            result["blocked_closed_after_s"] = round(time.monotonic() - began, 2)
            result["blocked_err"] = blocked.stderr.read() if blocked.stderr else ""
        except subprocess.TimeoutExpired:
            blocked.kill()
            result["blocked_closed_after_s"] = None
        probe = (
            "import errno, os, sys\n"
            "def attempt(f):\n"
            "    try:\n        f()\n        return 'allowed'\n"
            "    except OSError as e:\n        return errno.errorcode[e.errno]\n"
            "pid = int(sys.argv[1])\n"
            "print(attempt(lambda: os.kill(pid, 15)), attempt(lambda: os.kill(pid, 9)),\n"
            "      attempt(lambda: open('/var/lib/guardian/guardian.db', 'rb').read(1)),\n"
            "      attempt(lambda: os.listdir('/var/lib/guardian')))\n"
        )
        result["child_probe"] = as_child(child, "/usr/bin/python3", "-c", probe, str(agent.pid))
        result["child_kill_cmd"] = as_child(child, "/bin/kill", "-TERM", str(agent.pid))
        result["child_status"] = as_child(
            child,
            "/usr/bin/guardian",
            "status",
            "--json",
            env={"GUARDIAN_SOCKET": socket_path, "HOME": "/tmp"},
        )
        # as a session user runs it: no --home, no GUARDIAN_SOCKET (the system agent's socket is found)
        result["child_status_plain"] = as_child(
            child, "/usr/bin/guardian", "status", "--json", env={"HOME": "/tmp"}
        )
        result["agent_alive_after_child"] = agent.poll() is None
        result["agent_caps"] = Path(f"/proc/{agent.pid}/status").read_text().split("CapBnd:")[1].split()[0]
        result["unit_caps"] = capability_mask(settings["CapabilityBoundingSet"][0].split())
        result["root_status"] = run("/usr/bin/guardian", "status", "--json")

        agent.send_signal(signal.SIGTERM)
        result["agent_exit"] = agent.wait(timeout=20)
        agent = None
        today = time.strftime("%Y-%m-%d")
        result["report"] = run(
            "/usr/bin/guardian", "report", "--format", "json", "--from", today, "--to", today
        )
        result["data_before_upgrade"] = sorted(os.listdir("/var/lib/guardian"))

        result["rolled_back"] = roll_back_last_migration(Path("/var/lib/guardian/guardian.db"))
        result["upgrade"] = run("dpkg", "-i", newer)
        result["backups_after_upgrade"] = sorted(
            p.name for p in Path("/var/lib/guardian").glob("guardian.db.bak-*")
        )
        result["upgraded_version"] = run("dpkg-query", "-W", "-f=${Version}", "guardian")
        result["status_after_upgrade"] = run("/usr/bin/guardian", "status", "--json")

        result["remove"] = run("dpkg", "-r", "guardian")
        result["after_remove"] = {p: describe(p) for p in [*paths, "/var/lib/guardian/guardian.db"]}
        result["policies_after_remove"] = {p: describe(p) for p in POLICIES}
        result["purge"] = run("dpkg", "-P", "guardian")
        result["after_purge"] = {p: describe(p) for p in paths}
        result["dpkg_status"] = run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "guardian")
    finally:
        if agent is not None and agent.poll() is None:
            agent.kill()
            agent.wait()
        result["userdel"] = run("userdel", child)
        shutil.rmtree(apps, ignore_errors=True)
        Path(result_path).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
