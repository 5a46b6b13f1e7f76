"""Windows: the agent as a LocalSystem service (restarted on failure; its security descriptor gives standard
users query rights only, never stop or pause), the tray in every session through the HKLM Run key, data in
%ProgramData%\\Guardian with an ACL for SYSTEM and Administrators only. Personal mode: the HKCU Run key.

Installing goes through the Windows tools (``sc.exe``, ``reg.exe``, ``icacls.exe``) as commands of a
:class:`~guardian.service_install.plan.Plan`; running as a service goes through pywin32's service framework
(:func:`run_service`, imported only on Windows). Unit-tested with the OS faked; never yet run on Windows.
"""

from __future__ import annotations

import os
from pathlib import PureWindowsPath

from guardian.service_install.plan import InstallDir, Plan

SERVICE = "GuardianAgent"
DISPLAY = "Guardian parental controls agent"
RUN_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Run"
USER_RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "GuardianTray"

SDDL = (
    "D:"
    "(A;;CCLCSWRPWPDTLOCRRC;;;SY)"  # LocalSystem: everything the service itself needs
    "(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)"  # Administrators: full control (stop, reconfigure, delete)
    "(A;;CCLCSWLOCRRC;;;IU)"  # interactive users: query status and config only (no RP start, WP stop, DT pause)
    "(A;;CCLCSWLOCRRC;;;SU)"  # service logons: the same
)
"""The service's security descriptor: standard users lack SERVICE_STOP (WP) and SERVICE_PAUSE_CONTINUE (DT)."""

SYSTEM_SID = "*S-1-5-18"
ADMINISTRATORS_SID = "*S-1-5-32-544"


def system_home(environ: dict[str, str] | None = None) -> PureWindowsPath:
    env = os.environ if environ is None else environ
    return PureWindowsPath(env.get("ProgramData") or r"C:\ProgramData") / "Guardian"


def system_plan(program: str, environ: dict[str, str] | None = None) -> Plan:
    home = system_home(environ)
    plan = Plan(mode="system", data_dir=home)
    plan.dirs.append(InstallDir(home, 0o700))
    bin_path = f'"{program}" service run --home "{home}"'
    create = ["sc.exe", "create", SERVICE, f"binPath= {bin_path}", "start= auto", "obj= LocalSystem"]
    plan.may_fail.append(create)  # an upgrade: the service exists, and the config below updates it
    plan.after_install += [
        create,
        [
            "sc.exe",
            "config",
            SERVICE,
            f"binPath= {bin_path}",
            "start= auto",
            "obj= LocalSystem",
            f"DisplayName= {DISPLAY}",
        ],
        ["sc.exe", "description", SERVICE, "Counts screen time and enforces the family's rules."],
        ["sc.exe", "failure", SERVICE, "reset= 86400", "actions= restart/2000/restart/5000/restart/10000"],
        ["sc.exe", "failureflag", SERVICE, "1"],
        ["sc.exe", "sdset", SERVICE, SDDL],
        # data: SYSTEM and Administrators only, inherited by everything below, nothing else inherited
        [
            "icacls.exe",
            str(home),
            "/inheritance:r",
            "/grant:r",
            f"{SYSTEM_SID}:(OI)(CI)F",
            f"{ADMINISTRATORS_SID}:(OI)(CI)F",
        ],
        ["reg.exe", "add", RUN_KEY, "/v", RUN_VALUE, "/t", "REG_SZ", "/d", f'"{program}" tray', "/f"],
        ["sc.exe", "start", SERVICE],
    ]
    plan.before_uninstall += [
        ["sc.exe", "stop", SERVICE],
        ["sc.exe", "delete", SERVICE],
        ["reg.exe", "delete", RUN_KEY, "/v", RUN_VALUE, "/f"],
    ]
    plan.status_commands.append(["sc.exe", "query", SERVICE])
    return plan


def personal_plan(program: str) -> Plan:
    from guardian import paths
    from guardian.service_install.linux import PERSONAL_WARNING

    plan = Plan(mode="personal", data_dir=PureWindowsPath(paths.home_dir()))
    plan.after_install += [
        [
            "reg.exe",
            "add",
            USER_RUN_KEY,
            "/v",
            "GuardianAgent",
            "/t",
            "REG_SZ",
            "/d",
            f'"{program}" agent',
            "/f",
        ],
        ["reg.exe", "add", USER_RUN_KEY, "/v", RUN_VALUE, "/t", "REG_SZ", "/d", f'"{program}" tray', "/f"],
    ]
    plan.before_uninstall += [
        ["reg.exe", "delete", USER_RUN_KEY, "/v", "GuardianAgent", "/f"],
        ["reg.exe", "delete", USER_RUN_KEY, "/v", RUN_VALUE, "/f"],
    ]
    plan.notes.append(PERSONAL_WARNING)
    return plan


def run_service(home: str) -> int:  # pragma: no cover - needs Windows and pywin32
    """Hand this process to the service control manager: the agent runs until the service is stopped."""
    try:
        import servicemanager
        import win32event
        import win32service
        import win32serviceutil
    except ImportError:
        print("guardian: 'service run' is for the Windows service manager (pywin32 is missing)")
        return 1

    class GuardianService(win32serviceutil.ServiceFramework):  # type: ignore[misc]
        _svc_name_ = SERVICE
        _svc_display_name_ = DISPLAY

        def __init__(self, args: list[str]) -> None:
            super().__init__(args)
            self.stop_event = win32event.CreateEvent(None, 0, 0, None)
            self.agent: object | None = None

        def SvcStop(self) -> None:  # pywin32 names these
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
            stop = getattr(self.agent, "stop", None)
            if stop is not None:
                stop()
            win32event.SetEvent(self.stop_event)

        def SvcDoRun(self) -> None:  # pywin32 names these
            from pathlib import Path

            from guardian import platform
            from guardian.agent.runner import Agent
            from guardian.clock import SystemClock

            Path(home).mkdir(parents=True, exist_ok=True)
            agent = Agent(Path(home), platform=platform.current(), clock=SystemClock())
            self.agent = agent
            agent.run()

    servicemanager.Initialize()
    servicemanager.PrepareToHostSingle(GuardianService)
    servicemanager.StartServiceCtrlDispatcher()
    return 0
