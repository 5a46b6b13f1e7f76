"""The app catalog: which running process or browser title is which app.

The built-in catalog ships as ``resources/apps.toml`` (see ``docs/catalog.md``); parents add custom apps in
the family file. This module is pure: callers hand it TOML text and process facts, it does no IO.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from guardian.core.model import CATEGORY_PREFIX, App, AppMatch

CATEGORIES: tuple[str, ...] = (
    "games",
    "emulators",
    "social",
    "video",
    "music",
    "browsers",
    "education",
    "creative",
    "office",
    "utilities",
)
"""Every app category, in the order the console shows them."""

OPERATING_SYSTEMS: tuple[str, ...] = ("windows", "macos", "linux")

_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_Rule = tuple[str, tuple[re.Pattern[str], ...]]
_ENTRY_KEYS = frozenset({"id", "name", "category", "exe", "paths", "window_titles", "sha256"})


class CatalogError(ValueError):
    """The catalog text has a malformed entry."""


# ── loading ──────────────────────────────────────────────────────────────────


def load_catalog_text(text: str) -> tuple[App, ...]:
    """Parse catalog TOML (``[[app]]`` tables) into built-in apps, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"the app catalog is not valid TOML: {exc}") from exc
    entries = data.get("app", [])
    if not isinstance(entries, list):
        raise CatalogError("the app catalog must hold [[app]] tables")
    apps: list[App] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        app = _app_from_entry(entry, number)
        if app.id in seen:
            raise CatalogError(f"app #{number}: duplicate id '{app.id}'")
        seen.add(app.id)
        apps.append(app)
    return tuple(apps)


def _app_from_entry(entry: object, number: int) -> App:
    if not isinstance(entry, dict):
        raise CatalogError(f"app #{number}: must be a table")
    app_id = entry.get("id")
    where = f"app #{number} ({app_id})" if isinstance(app_id, str) else f"app #{number}"
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(app_id, str) or not _ID.match(app_id):
        raise CatalogError(f"{where}: 'id' must be a lowercase slug such as 'my-game'")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"{where}: 'name' must be a non-empty string")
    category = entry.get("category")
    if category not in CATEGORIES:
        raise CatalogError(f"{where}: unknown category {category!r} (use one of {', '.join(CATEGORIES)})")
    match = AppMatch(
        exe_names=_exe_names(entry.get("exe", []), where),
        paths=_strings(entry, "paths", where),
        sha256=tuple(_sha256(value, where) for value in _strings(entry, "sha256", where)),
        window_titles=_strings(entry, "window_titles", where),
    )
    if match.is_empty():
        raise CatalogError(f"{where}: needs at least one of exe, paths, window_titles or sha256")
    return App(id=app_id, name=name.strip(), category=category, match=match, builtin=True)


def _exe_names(value: object, where: str) -> tuple[str, ...]:
    """Merge ``{windows = [...], macos = [...], linux = [...]}`` (or a plain list) into one tuple."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(OPERATING_SYSTEMS))
        if unknown:
            raise CatalogError(f"{where}: unknown system(s) in 'exe': {', '.join(unknown)}")
        names = [n for os_name in OPERATING_SYSTEMS for n in _string_list(value.get(os_name, []), where)]
    else:
        names = list(_string_list(value, where))
    unique: dict[str, str] = {}
    for exe in names:
        unique.setdefault(normalize_exe(exe), exe)
    return tuple(unique.values())


def _strings(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    return _string_list(entry.get(key, []), f"{where} '{key}'")


def _string_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(f"{where}: must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _sha256(value: str, where: str) -> str:
    digest = value.lower()
    if not _SHA256.match(digest):
        raise CatalogError(f"{where}: '{value}' is not a SHA-256 digest (64 hex digits)")
    return digest


# ── normalisation ────────────────────────────────────────────────────────────


def normalize_exe(name: str) -> str:
    """The key an executable name is compared by: case-folded, without a trailing ``.exe``."""
    key = name.strip().casefold()
    return key[:-4] if key.endswith(".exe") else key


def normalize_path(path: str) -> str:
    """Case-folded with ``/`` as the only separator."""
    return path.strip().replace("\\", "/").casefold()


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _glob(pattern: str, normalize: Callable[[str], str]) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(normalize(pattern)), re.DOTALL)


def _fold(text: str) -> str:
    return text.casefold()


# ── the catalog ──────────────────────────────────────────────────────────────


class Catalog:
    """Built-in apps plus custom ones; a custom app with a built-in id replaces it.

    Catalog order is custom apps first (in their given order), then the remaining built-in apps.
    """

    def __init__(self, builtin: Iterable[App], custom: Iterable[App] = ()) -> None:
        custom_apps = {app.id: app for app in custom}
        builtin_apps = {app.id: app for app in builtin if app.id not in custom_apps}
        self._apps: dict[str, App] = {**custom_apps, **builtin_apps}
        self._rank = {app_id: rank for rank, app_id in enumerate(self._apps)}
        self._by_category: dict[str, list[str]] = {}
        self._by_exe: dict[str, str] = {}
        self._by_sha: dict[str, str] = {}
        self._path_globs: list[tuple[str, tuple[str, ...]]] = []
        self._title_globs: list[tuple[str, tuple[str, ...]]] = []
        self._compiled: tuple[list[_Rule], list[_Rule]] | None = None
        for app in self._apps.values():
            self._index(app)

    def _index(self, app: App) -> None:
        self._by_category.setdefault(app.category, []).append(app.id)
        for exe in app.match.exe_names:
            self._by_exe.setdefault(normalize_exe(exe), app.id)
        for digest in app.match.sha256:
            self._by_sha.setdefault(digest.lower(), app.id)
        if app.match.paths:
            self._path_globs.append((app.id, app.match.paths))
        if app.match.window_titles:
            self._title_globs.append((app.id, app.match.window_titles))

    def _rules(self) -> tuple[list[_Rule], list[_Rule]]:
        """Path and title patterns, compiled on first use (status and reports never match)."""
        if self._compiled is None:
            paths = [(i, tuple(_glob(p, normalize_path) for p in globs)) for i, globs in self._path_globs]
            titles = [(i, tuple(_glob(p, _fold) for p in globs)) for i, globs in self._title_globs]
            self._compiled = (paths, titles)
        return self._compiled

    # ── lookup ──

    def get(self, app_id: str) -> App | None:
        return self._apps.get(app_id)

    def __contains__(self, app_id: object) -> bool:
        return app_id in self._apps

    def __len__(self) -> int:
        return len(self._apps)

    def ids(self) -> tuple[str, ...]:
        return tuple(self._apps)

    def apps(self) -> tuple[App, ...]:
        return tuple(self._apps.values())

    def category_of(self, app_id: str) -> str | None:
        app = self._apps.get(app_id)
        return app.category if app else None

    # ── references (app ids and ``category:NAME``) ──

    def is_known_ref(self, ref: str) -> bool:
        """True for an app id in the catalog or ``category:NAME`` with a known category."""
        if ref.startswith(CATEGORY_PREFIX):
            return ref[len(CATEGORY_PREFIX) :] in CATEGORIES
        return ref in self._apps

    def expand(self, ref: str) -> frozenset[str]:
        """The app ids ``ref`` denotes; empty for an unknown ref."""
        if ref.startswith(CATEGORY_PREFIX):
            return frozenset(self._by_category.get(ref[len(CATEGORY_PREFIX) :], ()))
        return frozenset({ref}) if ref in self._apps else frozenset()

    def contains(self, refs: Iterable[str], app_id: str) -> bool:
        """True when ``refs`` names ``app_id`` directly or names its category."""
        category = self.category_of(app_id)
        category_ref = CATEGORY_PREFIX + category if category else None
        return any(ref in (app_id, category_ref) for ref in refs)

    # ── matching ──

    @property
    def needs_hash(self) -> bool:
        """Whether any app matches by SHA-256, so callers should offer a hash."""
        return bool(self._by_sha)

    def match_process(
        self,
        name: str,
        exe: str | None,
        sha256: Callable[[], str | None] | None = None,
    ) -> str | None:
        """The app id of a process, or ``None``.

        ``name`` is the process name, ``exe`` the executable's full path when known, and ``sha256`` a
        callable returning the executable's digest; it is called at most once, and only when some app
        matches by hash. Precedence: hash, then path, then executable name; custom apps win ties.
        """
        if sha256 is not None and self._by_sha:
            digest = sha256()
            if digest and (found := self._by_sha.get(digest.strip().lower())):
                return found
        if exe:
            found = self._match_path(exe)
            if found:
                return found
        return self._match_name(name, exe)

    def _match_path(self, exe: str) -> str | None:
        path = normalize_path(exe)
        for app_id, patterns in self._rules()[0]:
            if any(p.match(path) for p in patterns):
                return app_id
        return None

    def _match_name(self, name: str, exe: str | None) -> str | None:
        keys = [normalize_exe(name)] if name else []
        if exe:
            keys.append(normalize_exe(_basename(exe)))
        found = [app_id for key in keys if (app_id := self._by_exe.get(key))]
        return min(found, key=self._rank.__getitem__) if found else None

    def match_title(self, title: str) -> str | None:
        """The app id of the first web app (catalog order) whose title pattern fits ``title``."""
        folded = title.casefold()
        for app_id, patterns in self._rules()[1]:
            if any(p.match(folded) for p in patterns):
                return app_id
        return None
