"""macOS: a LaunchDaemon for the agent (root, kept alive), a LaunchAgent for the tray in every Aqua session,
data in /Library/Application Support/Guardian (root:wheel, 0700). Personal mode: LaunchAgents in the user's
~/Library/LaunchAgents. Written and unit-tested with the OS faked; never yet run on a Mac (docs/install.md).
"""

from __future__ import annotations

import plistlib
from pathlib import Path, PurePosixPath

from guardian.service_install.plan import InstallDir, InstallFile, Plan

AGENT_LABEL = "org.guardian.agent"
TRAY_LABEL = "org.guardian.tray"
SYSTEM_HOME = PurePosixPath("/Library/Application Support/Guardian")
DAEMONS = PurePosixPath("/Library/LaunchDaemons")
AGENTS = PurePosixPath("/Library/LaunchAgents")
LOGS = PurePosixPath("/Library/Logs/Guardian")


def daemon_plist(program: str) -> str:
    return plistlib.dumps(
        {
            "Label": AGENT_LABEL,
            "ProgramArguments": [program, "agent", "--home", str(SYSTEM_HOME)],
            "UserName": "root",
            "RunAtLoad": True,
            "KeepAlive": True,
            "ThrottleInterval": 2,
            "Umask": 0o077,
            "StandardErrorPath": str(LOGS / "agent.log"),
            "ProcessType": "Interactive",
        }
    ).decode()


def tray_plist(program: str) -> str:
    return plistlib.dumps(
        {
            "Label": TRAY_LABEL,
            "ProgramArguments": [program, "tray"],
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},
            "LimitLoadToSessionType": ["Aqua"],
            "ProcessType": "Interactive",
        }
    ).decode()


def personal_agent_plist(program: str) -> str:
    return plistlib.dumps(
        {"Label": AGENT_LABEL, "ProgramArguments": [program, "agent"], "RunAtLoad": True, "KeepAlive": True}
    ).decode()


def system_plan(program: str) -> Plan:
    plan = Plan(mode="system", data_dir=SYSTEM_HOME)
    plan.dirs += [InstallDir(SYSTEM_HOME, 0o700), InstallDir(LOGS, 0o700)]
    daemon = DAEMONS / f"{AGENT_LABEL}.plist"
    tray = AGENTS / f"{TRAY_LABEL}.plist"
    plan.files += [InstallFile(daemon, daemon_plist(program)), InstallFile(tray, tray_plist(program))]
    plan.after_install += [
        ["chown", "root:wheel", str(daemon), str(tray), str(SYSTEM_HOME)],
        ["launchctl", "bootstrap", "system", str(daemon)],
    ]
    plan.before_uninstall += [["launchctl", "bootout", f"system/{AGENT_LABEL}"]]
    plan.status_commands.append(["launchctl", "print", f"system/{AGENT_LABEL}"])
    plan.notes.append("the tray starts in each user's next login session")
    return plan


def personal_plan(program: str, home: Path | None = None, uid: int | None = None) -> Plan:
    import os

    from guardian import paths
    from guardian.service_install.linux import PERSONAL_WARNING

    user_home = PurePosixPath(home or Path.home())
    user_id = os.getuid() if uid is None else uid
    plan = Plan(mode="personal", data_dir=PurePosixPath(paths.home_dir()))
    agents = user_home / "Library" / "LaunchAgents"
    agent = agents / f"{AGENT_LABEL}.plist"
    plan.files += [
        InstallFile(agent, personal_agent_plist(program)),
        InstallFile(agents / f"{TRAY_LABEL}.plist", tray_plist(program)),
    ]
    plan.after_install.append(["launchctl", "bootstrap", f"gui/{user_id}", str(agent)])
    plan.before_uninstall.append(["launchctl", "bootout", f"gui/{user_id}/{AGENT_LABEL}"])
    plan.notes.append(PERSONAL_WARNING)
    return plan
