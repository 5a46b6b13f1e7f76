"""``python -m guardian``: the ``guardian`` program (``guardian.entry``)."""

from guardian.entry import main

raise SystemExit(main())
