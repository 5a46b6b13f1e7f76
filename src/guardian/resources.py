"""Where the bundled data files live: ``resources/`` in a checkout, ``guardian/resources`` when installed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from guardian.core.catalog import load_catalog_text
from guardian.core.model import App
from guardian.core.presets import Preset, load_presets_text


@cache
def resources_dir() -> Path:
    installed = Path(__file__).resolve().parent / "resources"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("Guardian's resources folder is missing; reinstall Guardian")


def resource_path(name: str) -> Path:
    return resources_dir() / name


@cache
def builtin_apps() -> tuple[App, ...]:
    """The built-in app catalog from ``resources/apps.toml``."""
    return load_catalog_text(resource_path("apps.toml").read_text(encoding="utf-8"))


@cache
def builtin_presets() -> tuple[Preset, ...]:
    """The age-group presets from ``resources/presets.toml``; ``PresetError`` when the file is broken."""
    return load_presets_text(resource_path("presets.toml").read_text(encoding="utf-8"))
