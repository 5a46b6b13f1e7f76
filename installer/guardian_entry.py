"""The bundle's one program: ``guardian`` with all its subcommands (console, tray, agent, CLI, service)."""

import sys

from guardian.entry import main

if __name__ == "__main__":
    sys.exit(main())
