"""Hatch build hook: a wheel ships the compiled translations (``resources/translations/*.qm``), never stale ones.

The ``.qm`` files are build products (not in git). ``scripts/bootstrap.py`` makes them; this hook makes sure a
wheel built without bootstrap gets them too. It needs ``lrelease``: from PySide6 when building in the project's
environment (``pip wheel --no-build-isolation .``), else ``pyside6-lrelease``/``lrelease`` on PATH.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TranslationsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # an editable install reads resources/ in the checkout, compiled by scripts/bootstrap.py
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from guardian.ui import linguist
        finally:
            sys.path.pop(0)
        folder = root / "resources" / "translations"
        for path in linguist.build(folder, folder):
            self.app.display_info(f"compiled {path.relative_to(root)}")
