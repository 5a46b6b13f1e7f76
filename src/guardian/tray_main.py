"""``guardian tray``: the child's tray for this session, until SIGTERM or SIGINT.

One per session (a lock in the runtime folder); it reports the session's foreground window and idle time
to the agent, shows time left, warnings and the time's-up screen, and keeps reconnecting while the agent
is away (and says so).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from guardian import paths
from guardian.errors import GuardianError
from guardian.link import AgentLink
from guardian.tray_session import SessionReader, reading_for_this_session, session_id

if TYPE_CHECKING:
    from guardian.tray_x11watch import ActiveWindowWatch

log = logging.getLogger("guardian.tray")

LANGUAGES = ("vi", "en")
CHANGE_SETTLE_MS = 300
"""A change of the window in front is reported this long after X told it (with any others meanwhile)."""


class TrayAlreadyRunning(GuardianError):
    """Another ``guardian tray`` runs in this session."""


def _lock_now(handle: IO[str]) -> None:
    """An exclusive lock on ``handle`` or OSError (fcntl on POSIX, msvcrt on Windows: unverified there)."""
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    import fcntl

    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextlib.contextmanager
def one_per_session() -> Iterator[None]:
    folder = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    safe = "".join(c if c.isalnum() else "_" for c in session_id())
    path = folder / f"guardian-tray-{os.getuid() if hasattr(os, 'getuid') else 0}-{safe}.lock"
    handle: IO[str] = path.open("a")
    try:
        try:
            _lock_now(handle)
        except OSError:
            raise TrayAlreadyRunning("the Guardian tray is already running in this session") from None
        yield
    finally:
        handle.close()


def chosen_language(link: AgentLink, wanted: str | None) -> str:
    """``wanted``, else the parents' console language from the agent, else Vietnamese."""
    if wanted in LANGUAGES:
        return wanted
    try:
        language = link.call("tray.info").get("language")
    except GuardianError:
        language = None
    return language if language in LANGUAGES else "vi"


def watch_foreground(reader: SessionReader, report: Callable[[], None]) -> ActiveWindowWatch | None:
    """On X11, read the foreground only when X says it changed, and report it then."""
    if reader.x is None or not reader.display:
        return None
    from guardian.tray_x11watch import ActiveWindowWatch

    try:
        watch = ActiveWindowWatch(reader.display)
    except OSError as exc:
        log.warning("the window in front is read at every report: %s", exc)
        return None

    from PySide6.QtCore import QTimer

    settle = QTimer(watch)  # a title that changes many times a second (a terminal, a video) reports once
    settle.setSingleShot(True)
    settle.setInterval(CHANGE_SETTLE_MS)
    settle.timeout.connect(report)

    def changed() -> None:
        reader.foreground_changed()
        if not settle.isActive():
            settle.start()

    watch.changed.connect(changed)
    reader.cache_foreground = True
    return watch


def run_tray(
    home: Path | None,
    *,
    language: str | None = None,
    system_tray: bool | None = None,
    status_every: float = 30.0,
) -> int:
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    from guardian.tray_lock import LockWatcher
    from guardian.ui import i18n
    from guardian.ui.tray.app import TrayController
    from guardian.ui.tray.live import LiveTrayLink

    with one_per_session():
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setQuitOnLastWindowClosed(False)
        app.setApplicationName("Guardian tray")
        link = AgentLink.for_home(home)
        lang = chosen_language(link, language)
        i18n.install(lang)
        lock = LockWatcher()
        reader = SessionReader(locked=lock.state, reading=reading_for_this_session())
        live = LiveTrayLink(link, reporter=reader, status_every_ms=int(status_every * 1000))
        lock.changed.connect(lambda _locked: live.report())  # at once, not at the next report
        watch = watch_foreground(reader, live.report)
        controller = TrayController(live, language=lang, system_tray=system_tray)
        wake_read, wake_write = socket.socketpair()
        wake_read.setblocking(False)
        wake_write.setblocking(False)
        signal.set_wakeup_fd(wake_write.fileno())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: app.quit())
        notifier = QSocketNotifier(wake_read.fileno(), QSocketNotifier.Type.Read)
        notifier.activated.connect(lambda *_args: wake_read.recv(64))
        live.start()
        log.info(
            "tray running for session %s (pid %d); lock state from: %s",
            reader.session_id,
            os.getpid(),
            ", ".join(lock.sources) or "nothing",
        )
        print(f"guardian tray: running (pid {os.getpid()})", flush=True)
        try:
            code = app.exec()
        finally:
            signal.set_wakeup_fd(-1)
            live.stop()
            if watch is not None:
                watch.close()
            reader.close()
            controller.timesup.stop()
            wake_read.close()
            wake_write.close()
        log.info("tray stopped")
        return int(code)


def build_parser() -> argparse.ArgumentParser:
    """``guardian [--home DIR] tray …``: the same options as the CLI's ``tray`` command."""
    parser = argparse.ArgumentParser(
        prog="guardian", description="Guardian: the child's tray for this session."
    )
    parser.add_argument("--home", metavar="DIR", default=None, help="data folder (or set GUARDIAN_HOME)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p = sub.add_parser("tray", help="run the child's tray for this session")
    p.add_argument(
        "--home", metavar="DIR", default=argparse.SUPPRESS, help="data folder (or set GUARDIAN_HOME)"
    )
    p.add_argument("--language", choices=LANGUAGES, help="default: the console's language")
    p.add_argument("--pill", action="store_true", help="a corner pill instead of a tray icon")
    p.add_argument(
        "--status-every",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how often time left is refreshed besides the agent's notices (default 30)",
    )
    p.add_argument("--verbose", action="store_true", help="log every call")
    return parser


def main(argv: Sequence[str]) -> int:
    """``guardian tray`` without the CLI around it (``guardian.entry``): what it needs, and nothing else."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.home is not None and not args.home.strip():
        parser.error("the folder name is empty")
    if not 1 <= args.status_every <= 3600:
        print("guardian: --status-every must be between 1 and 3600 seconds", file=sys.stderr)
        return 1
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return run_tray(
            paths.home_dir(args.home),
            language=args.language,
            system_tray=False if args.pill else None,
            status_every=args.status_every,
        )
    except GuardianError as exc:
        print(f"guardian: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
