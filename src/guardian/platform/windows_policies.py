"""Managed browser policies on Windows: the same names and values as on Linux, in the registry (unverified).

Chrome, Edge and Firefox read machine-wide policies from ``HKLM\\SOFTWARE\\Policies\\...``. A policy becomes a
value: ``True``/``False`` and numbers a ``REG_DWORD``, text a ``REG_SZ``; a list becomes a subkey of the
policy's name holding ``"1"``, ``"2"``, ... (Chrome's ``URLBlocklist``); a nested object (Firefox's
``DNSOverHTTPS``, ``WebsiteFilter``) becomes a subkey. Firefox's ``{"policies": ...}`` wrapper is dropped.

Guardian removes only what it wrote: every value it sets is listed (with the value it replaced, if any) in
``HKLM\\SOFTWARE\\Guardian`` ``PolicyRecord``, keys it had to create are listed too, and :func:`remove`
deletes those values, puts back the ones it replaced and deletes its keys when they are empty.

The registry is behind :class:`Registry` (the real one, :class:`WinRegistry`, imports ``winreg`` only in its
methods), so this is tested with a dictionary standing in for it; it has not run on a real Windows machine.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from guardian.browser_policies import policies
from guardian.core.model import Rules

REG_SZ = 1
REG_DWORD = 4
BROWSER_KEYS: dict[str, str] = {
    "chrome": r"SOFTWARE\Policies\Google\Chrome",
    "edge": r"SOFTWARE\Policies\Microsoft\Edge",
    "firefox": r"SOFTWARE\Policies\Mozilla\Firefox",
}
RECORD_KEY = r"SOFTWARE\Guardian"
RECORD_VALUE = "PolicyRecord"

Value = tuple[int, "int | str"]
"""A registry value: its type (``REG_DWORD`` or ``REG_SZ``) and data."""


class Registry(Protocol):
    """``HKEY_LOCAL_MACHINE``, as much of it as the policies need. Keys are paths with backslashes."""

    def get(self, key: str, name: str) -> Value | None: ...
    def set(self, key: str, name: str, value: Value) -> None: ...
    def delete_value(self, key: str, name: str) -> None: ...
    def key_exists(self, key: str) -> bool: ...
    def delete_key_if_empty(self, key: str) -> None: ...


def entries(rules: Rules) -> dict[tuple[str, str], Value]:
    """Every registry value the policies for ``rules`` need, by (key, value name); empty with no filtering."""
    chosen = policies(rules)
    if chosen is None:
        return {}
    out: dict[tuple[str, str], Value] = {}
    for browser, tree in (("chrome", chosen.chromium), ("edge", chosen.edge)):
        out |= dict(_flatten(BROWSER_KEYS[browser], tree))
    out |= dict(_flatten(BROWSER_KEYS["firefox"], chosen.firefox["policies"]))
    return out


def _flatten(key: str, tree: Mapping[str, Any]) -> Iterator[tuple[tuple[str, str], Value]]:
    for name, value in tree.items():
        if isinstance(value, Mapping):
            yield from _flatten(rf"{key}\{name}", value)
        elif isinstance(value, list):
            yield from _flatten(rf"{key}\{name}", {str(i): item for i, item in enumerate(value, 1)})
        elif isinstance(value, bool | int):
            yield (key, name), (REG_DWORD, int(value))
        else:
            yield (key, name), (REG_SZ, str(value))


def write(reg: Registry, rules: Rules) -> int:
    """Make the registry hold exactly Guardian's policies for ``rules``; how many values changed."""
    wanted = entries(rules)
    record = _record(reg)
    replaced: dict[str, Value | None] = record["values"]
    created: list[str] = record["keys"]
    changed = 0
    for ident in [i for i in replaced if _split(i) not in wanted]:  # written before, not wanted now
        changed += _undo(reg, ident, replaced.pop(ident))
    for (key, name), value in wanted.items():
        ident = _ident(key, name)
        current = reg.get(key, name)
        if ident not in replaced:
            replaced[ident] = current
        if current != value:
            for parent in _parents(key):
                if not reg.key_exists(parent) and parent not in created:
                    created.append(parent)
            _save(reg, record)  # before the change: a crash leaves a value Guardian still knows as its own
            reg.set(key, name, value)
            changed += 1
    _finish(reg, record)
    return changed


def remove(reg: Registry) -> int:
    """Take away every value Guardian wrote (putting back any it replaced) and its empty keys; how many."""
    record = _record(reg)
    changed = sum(_undo(reg, ident, old) for ident, old in record["values"].items())
    record["values"] = {}
    _finish(reg, record)
    return changed


def _finish(reg: Registry, record: dict[str, Any]) -> None:
    if record["values"]:
        _save(reg, record)
        return
    for key in sorted(record["keys"], key=len, reverse=True):  # deepest first
        reg.delete_key_if_empty(key)
    reg.delete_value(RECORD_KEY, RECORD_VALUE)
    reg.delete_key_if_empty(RECORD_KEY)


def _undo(reg: Registry, ident: str, old: Value | None) -> int:
    key, name = _split(ident)
    if old is None:
        if reg.get(key, name) is None:
            return 0
        reg.delete_value(key, name)
    else:
        reg.set(key, name, old)
    return 1


def _record(reg: Registry) -> dict[str, Any]:
    raw = reg.get(RECORD_KEY, RECORD_VALUE)
    try:
        data = json.loads(str(raw[1])) if raw else {}
        values = {i: (tuple(v) if v else None) for i, v in data.get("values", {}).items()}
        return {"values": values, "keys": [str(k) for k in data.get("keys", [])]}
    except (ValueError, TypeError, AttributeError):
        return {"values": {}, "keys": []}


def _save(reg: Registry, record: dict[str, Any]) -> None:
    reg.set(RECORD_KEY, RECORD_VALUE, (REG_SZ, json.dumps(record, sort_keys=True)))


def _ident(key: str, name: str) -> str:
    return f"{key}|{name}"


def _split(ident: str) -> tuple[str, str]:
    key, _, name = ident.rpartition("|")
    return key, name


def _parents(key: str) -> list[str]:
    """``key`` and the keys above it up to ``SOFTWARE\\Policies`` (which Windows always has)."""
    parts = key.split("\\")
    return ["\\".join(parts[:n]) for n in range(len(parts), 2, -1)]


def _winreg() -> Any:
    """``winreg``, imported only when used (Windows only; typed loosely so mypy passes on every OS)."""
    return importlib.import_module("winreg")


class WinRegistry:
    """:class:`Registry` over ``winreg`` on ``HKEY_LOCAL_MACHINE`` (64-bit view)."""

    def get(self, key: str, name: str) -> Value | None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
            ) as k:
                data, kind = winreg.QueryValueEx(k, name)
        except OSError:
            return None
        return (int(kind), data if isinstance(data, int | str) else str(data))

    def set(self, key: str, name: str, value: Value) -> None:
        winreg = _winreg()
        access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
        with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, key, 0, access) as k:
            winreg.SetValueEx(k, name, 0, value[0], value[1])

    def delete_value(self, key: str, name: str) -> None:
        winreg = _winreg()
        try:
            access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, access) as k:
                winreg.DeleteValue(k, name)
        except FileNotFoundError:
            pass

    def key_exists(self, key: str) -> bool:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY):
                return True
        except OSError:
            return False

    def delete_key_if_empty(self, key: str) -> None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
            ) as k:
                subkeys, values, _ = winreg.QueryInfoKey(k)
            if subkeys == 0 and values == 0:
                winreg.DeleteKeyEx(winreg.HKEY_LOCAL_MACHINE, key, winreg.KEY_WOW64_64KEY, 0)
        except OSError:
            pass
