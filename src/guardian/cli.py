"""The ``guardian`` command line. The contract is in docs/cli.md; scripts and tests depend on it.

User errors print one line to stderr and exit 1; argument mistakes exit 2 (argparse); nothing shows
a traceback (an unexpected error is a bug: one line, exit 3, the traceback only with GUARDIAN_DEBUG=1).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import math
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from guardian import paths
from guardian.api import GuardianAPI, week_range
from guardian.cli_text import choose as choose_language
from guardian.cli_text import hm, localized, say
from guardian.cli_text import use as use_language
from guardian.clock import SystemClock
from guardian.core.familyfile import MAX_FILE_BYTES, FamilyFileError
from guardian.core.messages import Status
from guardian.core.webfilter import CATEGORIES
from guardian.errors import GuardianError
from guardian.store import Store
from guardian.store.errors import StoreError

Handler = Callable[[argparse.Namespace], int]

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
FIRST_DATE = date(1971, 1, 1)
LAST_DATE = date(9998, 12, 31)
"""Dates a report may name (a few days' margin inside what ``datetime`` can compute)."""


class UserError(Exception):
    """A message for the user; exit status 1."""


def open_api(args: argparse.Namespace, *, full_check: bool = True) -> GuardianAPI:
    """The API on the home's database; ``full_check=False`` for commands that only read (no page-by-page
    integrity check at open: the agent and the console run it)."""
    home = paths.home_dir(getattr(args, "home", None))
    try:
        store = Store(paths.db_path(home), full_check=full_check)
    except OSError as exc:  # a folder name the OS refuses (too long, a loop of links…)
        raise UserError(f"{home}: cannot use this folder ({exc.strerror or exc})") from None
    return GuardianAPI(store, SystemClock())


def parent_pin(api: GuardianAPI, *, prompt: str = "Parent PIN: ") -> str | None:
    """The parent PIN from ``GUARDIAN_PIN`` or a prompt, when one is set."""
    if not api.has_pin("parent"):
        return None
    pin = os.environ.get("GUARDIAN_PIN")
    if pin:
        return pin
    if not sys.stdin.isatty():
        raise UserError("this needs the parent PIN: set GUARDIAN_PIN or run it in a terminal")
    return getpass.getpass(prompt)


# -- commands ------------------------------------------------------------------------------------


def cmd_rules_check(args: argparse.Namespace) -> int:
    api = open_api(args)
    rules = api.check_rules(_read(args.file), args.file)
    names = ", ".join(c.name for c in rules.children) or "no children"
    print(
        localized(f"{args.file}: OK ({len(rules.children)} children: {names}; {len(rules.apps)} custom apps)")
    )
    return 0


def cmd_rules_import(args: argparse.Namespace) -> int:
    api = open_api(args)
    data = _read(args.file)
    api.check_rules(data, args.file)
    result = api.import_rules(data, args.file, pin=parent_pin(api))
    if result.changed:
        print(localized(f"Imported {args.file} as rules version {result.version}."))
    else:
        print(localized(f"{args.file}: the rules are already the same (version {result.version})."))
    return 0


def cmd_rules_export(args: argparse.Namespace) -> int:
    text = open_api(args).export_rules()
    if args.file and args.file != "-":
        _write(args.file, text)
        print(localized(f"Exported the rules to {args.file}."), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def live_status(args: argparse.Namespace) -> Status | None:
    """The running agent's live view over IPC, or None when no agent answers."""
    try:
        from guardian.core.messages import WireError
        from guardian.ipc.client import (
            AgentNotRunning,
            IpcClient,
            IpcError,
            UntrustedAgent,
            default_socket_path,
        )
    except ImportError:
        return None
    home = paths.home_dir(getattr(args, "home", None))
    try:
        with IpcClient(default_socket_path(home)) as client:
            return client.ask("status", None, Status, timeout=3.0)
    except UntrustedAgent as exc:
        print(f"guardian: warning: {exc}", file=sys.stderr)  # someone impersonates the agent: say so
        return None
    except (AgentNotRunning, IpcError, OSError, WireError):
        return None


def cmd_status(args: argparse.Namespace) -> int:
    status = live_status(args) or open_api(args, full_check=False).status()
    if args.json:
        print(json.dumps(status.to_wire(), ensure_ascii=False, indent=2))
        return 0
    print(localized("Agent: " + ("running" if status.agent.running else "not running")))
    if status.agent.degraded:
        print(localized(status.agent.degraded))
    if not status.children:
        print(localized("No children yet: import a family file with 'guardian rules import FILE'."))
    for child in status.children:
        screen = child.screen
        used = hm(screen.used_s)
        left = localized("no limit") if screen.left_s is None else say("{time} left", time=hm(screen.left_s))
        print(
            say(
                "{child}: {used} used today, {left} ({state})",
                child=child.child,
                used=used,
                left=left,
                state=localized(child.state),
            )
        )
        by_time = sorted(child.apps_used.items(), key=lambda kv: (-kv[1], kv[0]))
        for app, secs in by_time[:5]:
            print(f"    {app}: {hm(secs)}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from guardian import report_format

    api = open_api(args, full_check=False)
    first, last = _report_range(args, api)
    lang = args.lang or api.ui_language() or "vi"
    if (last - first).days >= report_format.SUMMARY_MAX_DAYS and args.format == "json":
        # up to a year: per-day figures only, without importing the summaries
        return _output(args, report_format.report_json(api.report(first, last, args.child), lang))
    from guardian import summary_export

    summaries = api.summary(args.child, first=first, last=last, admin_accounts=_admin_facts(api))
    report = summary_export.SummaryReport(first.isoformat(), last.isoformat(), summaries, api.zone(), lang)
    if args.format == "pdf":
        if not args.out:
            raise UserError("a PDF report needs --out FILE")
        from guardian.summary_pdf import write_pdf

        try:
            write_pdf(report, Path(args.out))
        except OSError as exc:
            raise UserError(f"{args.out}: cannot write it ({exc.strerror or exc})") from None
        print(localized(f"Wrote the report to {args.out}."), file=sys.stderr)
        return 0
    if args.format == "json":
        text = summary_export.as_json(report, api.report(first, last, args.child))
    elif args.format == "csv":
        text = summary_export.as_csv(report)
    elif args.format == "html":
        text = summary_export.as_html(report)
    else:
        text = summary_export.as_text(report)
    return _output(args, text)


def _output(args: argparse.Namespace, text: str) -> int:
    if args.out:
        _write(args.out, text)
        print(localized(f"Wrote the report to {args.out}."), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _admin_facts(api: GuardianAPI) -> dict[str, list[str]]:
    """Children's accounts that can administer this computer, as far as the platform can tell."""
    try:
        from guardian import platform

        current = platform.current()
    except (ImportError, OSError):
        return {}
    facts: dict[str, list[str]] = {}
    for child in api.rules().children:
        admins = [a for a in child.accounts if current.is_admin(a)]
        if admins:
            facts[child.name] = admins
    return facts


def cmd_child_erase(args: argparse.Namespace) -> int:
    api = open_api(args)
    removed = api.erase_child_records(args.name, pin=parent_pin(api))
    print(localized(f"Erased {sum(removed.values())} records of {args.name}."))
    return 0


def cmd_child_export(args: argparse.Namespace) -> int:
    api = open_api(args)
    data = api.export_child_records(args.name, pin=parent_pin(api))
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out and args.out != "-":
        _write(args.out, text)
        print(localized(f"Exported the records of {args.name} to {args.out}."), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_web_import(args: argparse.Namespace) -> int:
    from guardian import weblists

    api = open_api(args)
    try:
        with Path(args.file).open("rb") as f:
            data = f.read(weblists.MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{args.file}: cannot read it ({exc.strerror or exc})") from None
    count = api.import_web_list(args.category, data, args.file, pin=parent_pin(api))
    print(f"Imported {count} sites from {args.file} into the {args.category} list.")
    return 0


def cmd_pin_set(args: argparse.Namespace) -> int:
    from guardian import pins

    api = open_api(args)
    current = parent_pin(api, prompt="Current parent PIN: ")
    new = os.environ.get("GUARDIAN_NEW_PIN")
    if not new:
        if not sys.stdin.isatty():
            raise UserError("set GUARDIAN_NEW_PIN or run this in a terminal to type the new PIN")
        new = getpass.getpass(f"New {args.role} PIN (6 to 12 digits; at least 4): ")
        if pins.normalize_pin(getpass.getpass("Type it again: ")) != pins.normalize_pin(new):
            raise UserError("the two PINs differ; nothing changed")
    new = pins.normalize_pin(new)
    api.set_pin(args.role, new, current_pin=current)
    print(localized(f"The {args.role} PIN is set."))
    hint = pins.short_pin_hint(new)
    if hint:
        print(f"Hint: {hint}.")
    return 0


def cmd_pin_reset(args: argparse.Namespace) -> int:
    """A forgotten PIN: whoever administers this computer may set it again without the old one."""
    if not running_as_administrator():
        raise UserError("only an administrator can reset a PIN: run this with sudo (or as Administrator)")
    api = open_api(args)
    new = os.environ.get("GUARDIAN_NEW_PIN")
    if not new:
        if not sys.stdin.isatty():
            raise UserError("set GUARDIAN_NEW_PIN or run this in a terminal to type the new PIN")
        new = getpass.getpass(f"New {args.role} PIN (4-12 digits, 6 is better): ")
        if getpass.getpass("Type it again: ") != new:
            raise UserError("the two PINs differ; nothing changed")
    api.reset_pin_as_administrator(args.role, new)
    print(localized(f"The {args.role} PIN is set again."))
    return 0


def running_as_administrator() -> bool:
    if os.name == "nt":
        import ctypes

        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    return os.geteuid() == 0


def cmd_agent(args: argparse.Namespace) -> int:
    from guardian import platform
    from guardian.agent.runner import Agent

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    home = paths.home_dir(getattr(args, "home", None))
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database stays the agent's account's only
    agent = Agent(
        home,
        platform=platform.current(),
        clock=SystemClock(),
        interval=args.interval,
        flush_every=args.flush_every,
    )
    return agent.run()


def cmd_tray(args: argparse.Namespace) -> int:
    from guardian.tray_main import run_tray

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    home = getattr(args, "home", None)
    if not 1 <= args.status_every <= 3600:
        raise UserError("--status-every must be between 1 and 3600 seconds")
    return run_tray(
        paths.home_dir(home),
        language=args.language,
        system_tray=False if args.pill else None,
        status_every=args.status_every,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from guardian import demo

    explicit = getattr(args, "home", None) or os.environ.get("GUARDIAN_HOME")
    home = paths.home_dir(explicit) if explicit else paths.demo_home()
    summary = demo.build(home, seed=args.seed, weeks=args.weeks, fresh=args.fresh)
    print(summary)
    if args.no_console:
        return 0
    return open_console(home)


def has_display() -> bool:
    """Whether a window can be shown (a desktop session, or a Qt platform chosen explicitly)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_console(home: Path) -> int:
    if not has_display():
        print(
            localized(
                "No display here, so the console cannot open; use 'guardian status' and 'guardian report'."
            )
        )
        return 0
    from guardian.ui.console.app import run_console

    return run_console(home)


def cmd_console(args: argparse.Namespace) -> int:
    home = paths.home_dir(getattr(args, "home", None))
    return open_console(home)


# -- plumbing ------------------------------------------------------------------------------------


def _read(name: str) -> bytes:
    """A family file's bytes: a regular file (a FIFO would block, ``/dev/zero`` never end), at most
    ``MAX_FILE_BYTES`` + 1 bytes read."""
    path = Path(name)
    try:
        if path.is_dir():
            raise UserError(f"{name}: is a folder, not a file")
        if path.exists() and not path.is_file():
            raise UserError(f"{name}: is not a regular file")
        with path.open("rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read it ({exc.strerror or exc})") from None


def _write(name: str, text: str) -> None:
    try:
        Path(name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{name}: cannot write it ({exc.strerror or exc})") from None


def _report_range(args: argparse.Namespace, api: GuardianAPI) -> tuple[date, date]:
    if args.week:
        return week_range(args.week)
    if not (args.from_ or args.to):
        return week_range(api.last_full_week())
    last = args.to or api.today()
    first = args.from_ or max(FIRST_DATE, last - timedelta(days=6))
    return first, last


# -- argument types: argparse turns a ValueError into "argument --x: invalid ... value" (exit 2) ------


def report_date(text: str) -> date:
    """An ISO date within ``FIRST_DATE`` … ``LAST_DATE``."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-28") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(f"'{text}' is outside {FIRST_DATE} to {LAST_DATE}")
    return day


def iso_week(text: str) -> str:
    """An ISO week ``YYYY-Www`` whose days lie within ``FIRST_DATE`` … ``LAST_DATE``."""
    try:
        monday = date.fromisoformat(f"{text}-1") if len(text) == 8 and text[4:6] == "-W" else None
    except ValueError:
        monday = None
    if monday is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO week such as 2026-W48")
    if not FIRST_DATE <= monday <= LAST_DATE - timedelta(days=6):
        raise argparse.ArgumentTypeError(f"'{text}' is outside {FIRST_DATE} to {LAST_DATE}")
    return text


def seconds_between(low: float, high: float) -> Callable[[str], float]:
    """An argument type: a finite number of seconds, ``low < value <= high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
        if not math.isfinite(value) or not low < value <= high:
            raise argparse.ArgumentTypeError(
                f"'{text}' must be more than {low:g} and at most {high:g} seconds"
            )
        return value

    return parse


def whole_between(low: int, high: int) -> Callable[[str], int]:
    """An argument type: a whole number ``low <= value <= high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"'{text}' must be from {low} to {high}")
        return value

    return parse


def folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder name is empty")
    return text


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        metavar="DIR",
        type=folder,
        default=argparse.SUPPRESS,
        help="data folder (or set GUARDIAN_HOME)",
    )
    parser = argparse.ArgumentParser(
        prog="guardian", parents=[common], description="Guardian: offline parental controls."
    )
    parser.add_argument("--version", action="version", version="guardian 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    rules = sub.add_parser("rules", parents=[common], help="import, export or check the family file")
    rsub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    p = rsub.add_parser("import", parents=[common], help="make a family file the current rules")
    p.add_argument("file")
    p.set_defaults(handler=cmd_rules_import)
    p = rsub.add_parser("export", parents=[common], help="write the current rules as a family file")
    p.add_argument("file", nargs="?")
    p.set_defaults(handler=cmd_rules_export)
    p = rsub.add_parser("check", parents=[common], help="check a family file without importing it")
    p.add_argument("file")
    p.set_defaults(handler=cmd_rules_check)

    p = sub.add_parser("status", parents=[common], help="time used and left today, agent health")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("report", parents=[common], help="weekly summary per child (default: last full week)")
    p.add_argument("--week", metavar="YYYY-Www", type=iso_week, help="an ISO week such as 2026-W48")
    p.add_argument("--from", dest="from_", metavar="DATE", type=report_date)
    p.add_argument("--to", metavar="DATE", type=report_date)
    p.add_argument("--child", metavar="NAME")
    p.add_argument("--format", choices=("text", "json", "csv", "html", "pdf"), default="text")
    p.add_argument("--lang", choices=("vi", "en"), help="language (default: the console's)")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(handler=cmd_report)

    child = sub.add_parser("child", parents=[common], help="a child's data rights: export or erase records")
    csub = child.add_subparsers(dest="child_command", metavar="ACTION", required=True)
    p = csub.add_parser("export", parents=[common], help="write every record of a child as JSON")
    p.add_argument("name")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(handler=cmd_child_export)
    p = csub.add_parser("erase", parents=[common], help="delete every record of a child (keeps the rules)")
    p.add_argument("name")
    p.set_defaults(handler=cmd_child_erase)

    web = sub.add_parser("web", parents=[common], help="web protection: the category lists")
    wsub = web.add_subparsers(dest="web_command", metavar="ACTION", required=True)
    p = wsub.add_parser(
        "import", parents=[common], help="use a hosts-format or domain list file for a category"
    )
    p.add_argument("category", choices=CATEGORIES)
    p.add_argument("file")
    p.set_defaults(handler=cmd_web_import)

    pin = sub.add_parser("pin", parents=[common], help="set the parent or caregiver PIN")
    psub = pin.add_subparsers(dest="pin_command", metavar="ACTION", required=True)
    p = psub.add_parser("set", parents=[common], help="set a PIN (GUARDIAN_NEW_PIN for scripts)")
    p.add_argument("--role", choices=("parent", "caregiver"), default="parent")
    p.set_defaults(handler=cmd_pin_set)
    p = psub.add_parser("reset", parents=[common], help="set a forgotten PIN again (run as administrator)")
    p.add_argument("--role", choices=("parent", "caregiver"), default="parent")
    p.set_defaults(handler=cmd_pin_reset)

    p = sub.add_parser("agent", parents=[common], help="run the agent in the foreground until stopped")
    p.add_argument(
        "--interval",
        type=seconds_between(0, 60),
        default=1.0,
        metavar="SECONDS",
        help="tick length (default 1)",
    )
    p.add_argument(
        "--flush-every",
        type=seconds_between(0, 3600),
        default=5.0,
        metavar="SECONDS",
        help="how often usage is saved to disk (default 5)",
    )
    p.add_argument("--verbose", action="store_true", help="log every decision")
    p.set_defaults(handler=cmd_agent)

    p = sub.add_parser("tray", parents=[common], help="run the child's tray for this session")
    p.add_argument("--language", choices=("vi", "en"), help="default: the console's language")
    p.add_argument("--pill", action="store_true", help="a corner pill instead of a tray icon")
    p.add_argument(
        "--status-every",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how often time left is refreshed besides the agent's notices (default 30)",
    )
    p.add_argument("--verbose", action="store_true", help="log every call")
    p.set_defaults(handler=cmd_tray)

    p = sub.add_parser("demo", parents=[common], help="build a demo family with four weeks of usage")
    p.add_argument("--seed", type=whole_between(0, 2**32 - 1), default=2026)
    p.add_argument("--weeks", type=whole_between(1, 52), default=4)
    p.add_argument("--fresh", action="store_true", help="rebuild the demo even if it exists")
    p.add_argument("--no-console", action="store_true", help="only build the demo and print its summary")
    p.set_defaults(handler=cmd_demo)

    from guardian.service_install.command import add_service_parser

    add_service_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        use_language(choose_language(paths.db_path(paths.home_dir(getattr(args, "home", None)))))
    except (OSError, ValueError):  # an unusable --home is reported by the command itself
        use_language(choose_language(None))
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        handler = cmd_console
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except (UserError, GuardianError, FamilyFileError, StoreError) as exc:
        print(f"guardian: {localized(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # ``guardian status | head``: the reader left, which is not an error
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if os.environ.get("GUARDIAN_DEBUG"):
            raise
        print(
            f"guardian: unexpected error ({type(exc).__name__}: {exc}); this is a bug, please report it"
            " (GUARDIAN_DEBUG=1 shows where)",
            file=sys.stderr,
        )
        return EXIT_BUG


def _silence_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
