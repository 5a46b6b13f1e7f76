"""The ``guardian`` program. ``guardian tray`` runs in every child's session for days, so it starts without
the CLI: no store, SQLite, ``GuardianAPI``, agent or summaries (``guardian.tray_main.main``); every other
command is :func:`guardian.cli.main`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def is_tray(argv: Sequence[str]) -> bool:
    """Whether the command line names the ``tray`` command (after any ``--home DIR``)."""
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--home":
            if args:
                args.pop(0)
            continue
        if arg.startswith("--home="):
            continue
        if arg.startswith("-"):
            return False  # --version, --help, --home=DIR …: the full CLI answers
        return arg == "tray"
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if is_tray(args):
        from guardian.tray_main import main as tray_main

        return tray_main(args)
    from guardian.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
