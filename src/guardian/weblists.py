"""The web category lists on disk: the bundled ``resources/web/*.txt`` and the parents' imports.

An imported list is kept as ``HOME/web/CATEGORY.txt`` (one normalized name a line, readable by
administrators only) beside the database; the agent notices a new file within a minute and swaps its
in-memory lists without a restart. A list holds names of sites to block, never anything a child looked up.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from guardian.core.webfilter import CATEGORIES, DomainLists, parse_list
from guardian.resources import resource_path

log = logging.getLogger("guardian.web")

MAX_LIST_BYTES = 128 * 1024 * 1024
"""An imported list file is refused above this size (the biggest public category lists are ~100 MB)."""


def imported_dir(home: Path) -> Path:
    return home / "web"


def bundled_file(category: str) -> Path:
    return resource_path(f"web/{category}.txt")


def list_files(home: Path) -> list[Path]:
    """Every list file in use: bundled first, then the parents' imports."""
    bundled = [bundled_file(c) for c in CATEGORIES]
    imported = [imported_dir(home) / f"{c}.txt" for c in CATEGORIES]
    return [p for p in bundled + imported if p.is_file()]


def load_lists(home: Path) -> DomainLists:
    """The bundled lists plus whatever the parents imported, as one in-memory set."""
    names: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for path in list_files(home):
        try:
            names[path.stem] += parse_list(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            log.warning("web list %s could not be read: %s", path, exc)
    return DomainLists(names)


def list_sizes(home: Path) -> dict[str, tuple[int, int]]:
    """``{category: (bundled names, imported names)}``."""
    sizes = {}
    for category in CATEGORIES:
        counts = []
        for path in (bundled_file(category), imported_dir(home) / f"{category}.txt"):
            try:
                counts.append(len(parse_list(path.read_text(encoding="utf-8", errors="replace"))))
            except OSError:
                counts.append(0)
        sizes[category] = (counts[0], counts[1])
    return sizes


def save_imported(home: Path, category: str, names: list[str]) -> Path:
    """Replace the parents' list for ``category`` atomically (private file, private folder)."""
    folder = imported_dir(home)
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{category}.txt"
    fd, tmp = tempfile.mkstemp(prefix=f".{category}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("".join(f"{name}\n" for name in sorted(set(names))))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def remove_imported(home: Path, category: str) -> bool:
    path = imported_dir(home) / f"{category}.txt"
    existed = path.is_file()
    path.unlink(missing_ok=True)
    return existed
