"""``guardian service install|uninstall|status [--personal]`` (and ``run``, for the Windows service manager).

Without ``--personal``: the protected system service (needs an administrator). With it: this account's own
autostart entries, which protect nothing (said after installing, and in ``status``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the plan is imported on use: every command builds this parser
    from guardian.service_install.plan import Host, Plan


def plan_for(platform: str, *, personal: bool, program: str) -> Plan:
    if platform == "win32":
        from guardian.service_install import windows

        return windows.personal_plan(program) if personal else windows.system_plan(program)
    if platform == "darwin":
        from guardian.service_install import macos

        return macos.personal_plan(program) if personal else macos.system_plan(program)
    from guardian.service_install import linux

    return linux.personal_plan(program) if personal else linux.system_plan(program)


def run(args: argparse.Namespace, host: Host | None = None, platform: str = sys.platform) -> int:
    from guardian.service_install.linux import program_path
    from guardian.service_install.plan import InstallError, LocalHost, describe, install, status, uninstall

    if args.action == "run":
        from guardian import paths
        from guardian.service_install.windows import run_service

        return run_service(str(paths.home_dir(getattr(args, "home", None))))
    if args.action == "migrate":
        return migrate(args)
    plan = plan_for(platform, personal=args.personal, program=args.program or program_path())
    where = host or LocalHost()
    if getattr(args, "dry_run", False) and args.action in ("install", "uninstall"):
        print(f"Would {args.action} ({plan.mode} mode); nothing is changed:")
        for line in describe(plan, args.action):
            print(f"  {line}")
        if args.action == "uninstall" and plan.mode == "system" and platform.startswith("linux"):
            print("  remove the browser policies the agent wrote (Chrome, Chromium, Edge, Firefox)")
        return 0
    what = "personal mode (this account only)" if args.personal else "protected service"
    try:
        if args.action == "install":
            carried = carry_first(plan, where, getattr(args, "from_home", None))
            lines = carried + install(plan, where)
            print(f"Installed Guardian's {what}; data in {plan.data_dir}.")
        elif args.action == "uninstall":
            lines = uninstall(plan, where)
            if plan.mode == "system" and platform.startswith("linux"):
                lines += remove_browser_policies()
            print(f"Removed Guardian's {what}.")
        else:
            complete, lines = status(plan, where)
            print(f"Guardian's {what}: {'installed' if complete else 'not installed'}.")
            if args.personal and complete:
                lines += plan.notes
    except InstallError as exc:
        print(f"guardian: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"guardian: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"  {line}")
    return 0


def remove_browser_policies() -> list[str]:
    """Take away the managed browser policies the service's agent wrote (machine-wide, under /etc)."""
    import os
    from pathlib import Path

    from guardian.browser_policies import ROOT_ENV, remove_policies

    root = Path(os.environ.get(ROOT_ENV) or "/")
    return [f"removed {path}" for path in remove_policies(root)]


def carry_first(plan: Plan, host: Host, source: str | None) -> list[str]:
    """``--from DIR``: before the service starts, bring the family from personal mode's folder into the
    service's (when it has no database yet), so the first tick already enforces the parent's rules."""
    if not source or plan.mode != "system" or plan.managed_by or not host.is_admin():
        return []
    for folder in plan.dirs:
        host.make_dir(folder.path, folder.mode)
    return [host.carry(PurePath(source), plan.data_dir)]


def migrate(args: argparse.Namespace) -> int:
    """Bring the database up to this version's schema (a backup is written first): what an upgrade runs."""
    from guardian import paths
    from guardian.store import Store
    from guardian.store.errors import StoreError

    db = paths.db_path(paths.home_dir(getattr(args, "home", None)))
    if not db.exists():
        print(f"No database at {db} yet; nothing to migrate.")
        return 0
    try:
        store = Store(db)
    except StoreError as exc:
        print(f"guardian: {exc}", file=sys.stderr)
        return 1
    backup = store.backup
    store.close()
    print(f"{db}: up to date" + (f" (the old one is saved as {backup})" if backup else "") + ".")
    return 0


def add_service_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "service", parents=[common], help="install or remove the agent as a service and the tray per session"
    )
    p.add_argument(
        "action",
        choices=("install", "uninstall", "status", "migrate", "run"),
        help="migrate: bring the database up to date (upgrades run it); run: for the Windows service manager",
    )
    p.add_argument("--personal", action="store_true", help="this account only, without administrator rights")
    p.add_argument(
        "--program", metavar="PATH", help="the guardian program the service starts (default: this one)"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="say what install or uninstall would do; change nothing"
    )
    p.add_argument(
        "--from",
        dest="from_home",
        metavar="DIR",
        help="install: bring the family (rules, PINs, records) from this personal-mode data folder",
    )
    p.set_defaults(handler=run)
