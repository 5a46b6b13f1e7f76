"""Where the bundled data files live. One lookup for every way Guardian runs:

- the PyInstaller bundle: ``resources/`` beside the program's files (``sys._MEIPASS``);
- an installed wheel: ``guardian/resources`` inside the package;
- a checkout: ``resources/`` at the top of the source tree.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from guardian.core.catalog import load_catalog_text
from guardian.core.model import App
from guardian.core.presets import Preset, load_presets_text


def candidate_dirs() -> list[Path]:
    """The folders looked at, in order."""
    here = Path(__file__).resolve().parent
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(here / "resources")
    found.append(here.parents[1] / "resources")
    return found


@cache
def resources_dir() -> Path:
    for folder in candidate_dirs():
        if folder.is_dir():
            return folder
    raise FileNotFoundError("Guardian's resources folder is missing; reinstall Guardian")


def resource_path(name: str) -> Path:
    return resources_dir() / name


@cache
def builtin_apps() -> tuple[App, ...]:
    """The built-in app catalog from ``resources/apps.toml``, then the web apps counted from the child's DNS
    lookups (``core/webtime.py``: "YouTube (web)"…)."""
    from guardian.core.webtime import WEB_APPS

    text = resource_path("apps.toml").read_text(encoding="utf-8")
    return (*load_catalog_text(text), *(web.app for web in WEB_APPS))


@cache
def builtin_presets() -> tuple[Preset, ...]:
    """The age-group presets from ``resources/presets.toml``; ``PresetError`` when the file is broken."""
    return load_presets_text(resource_path("presets.toml").read_text(encoding="utf-8"))
