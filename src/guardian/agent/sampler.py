"""An incremental process table: only processes not seen before are inspected.

Each scan lists the current pids (cheap: one directory read on Linux) and inspects only new ones:
owner first, and name, executable and (when a hash rule needs it) the file's SHA-256 only for processes
of accounts mapped to a child. Cost follows the number of *new* processes, not all of them.
A pid is keyed with its creation time when first seen; a pid that vanishes from the listing is dropped.
"""

from __future__ import annotations

import hashlib
import logging
import pwd
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import psutil

from guardian.core.catalog import Catalog

log = logging.getLogger("guardian.agent")

HASH_LIMIT = 512 * 1024 * 1024
"""Files larger than this are not hashed (a hash rule cannot match them)."""


@dataclass
class Proc:
    pid: int
    create_time: float
    user: str | None
    child: str | None = None
    name: str = ""
    exe: str | None = None
    app: str | None = None
    first_seen: float = 0.0
    closing_since: float | None = None
    """When the enforcer asked it to close; it is forced after a timeout."""

    @property
    def key(self) -> tuple[int, float]:
        return (self.pid, self.create_time)


@dataclass
class ScanResult:
    new: list[Proc] = field(default_factory=list)
    gone: list[Proc] = field(default_factory=list)


@cache
def _user_of_uid(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def file_sha256(path: str) -> str | None:
    """SHA-256 of a file, or None when it cannot be read or is too large."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            size = 0
            while chunk := fh.read(1024 * 1024):
                size += len(chunk)
                if size > HASH_LIMIT:
                    return None
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


class Sampler:
    """Keeps the table of live processes of child accounts."""

    def __init__(
        self,
        catalog: Catalog,
        accounts: Mapping[str, str],
        *,
        pids: Callable[[], list[int]] = psutil.pids,
        hasher: Callable[[str], str | None] = file_sha256,
    ) -> None:
        self.catalog = catalog
        self.accounts = dict(accounts)
        self._pids = pids
        self._hasher = hasher
        self._hashes: dict[str, str | None] = {}
        self.table: dict[int, Proc] = {}
        self.self_pid = psutil.Process().pid

    def reconfigure(self, catalog: Catalog, accounts: Mapping[str, str]) -> None:
        """New rules: forget what was inferred and inspect every process again on the next scan."""
        self.catalog = catalog
        self.accounts = dict(accounts)
        self.table.clear()

    def scan(self, now: float) -> ScanResult:
        result = ScanResult()
        current = set(self._pids())
        for pid in list(self.table):
            if pid not in current:
                result.gone.append(self.table.pop(pid))
        for pid in current - self.table.keys():
            proc = self._inspect(pid, now)
            if proc is not None:
                self.table[pid] = proc
                if proc.child is not None:
                    result.new.append(proc)
        return result

    def child_procs(self, child: str) -> list[Proc]:
        return [p for p in self.table.values() if p.child == child]

    def _inspect(self, pid: int, now: float) -> Proc | None:
        if pid == self.self_pid:
            return None
        try:
            process = psutil.Process(pid)
            create_time = process.create_time()
            user = _user_of_uid(process.uids().real) if hasattr(process, "uids") else process.username()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return Proc(pid, 0.0, None, first_seen=now)
        proc = Proc(pid, create_time, user, first_seen=now)
        child = self.accounts.get(user or "")
        if child is None:
            return proc  # not a child's process: never inspected further, never touched
        proc.child = child
        try:
            proc.name = process.name()
        except psutil.Error:
            return proc
        try:
            proc.exe = process.exe() or None
        except psutil.Error:
            proc.exe = None
        proc.app = self.catalog.match_process(proc.name, proc.exe, self._hash_of(proc.exe))
        return proc

    def _hash_of(self, exe: str | None) -> Callable[[], str | None] | None:
        if exe is None or not self.catalog.needs_hash:
            return None

        def lazy() -> str | None:
            if exe not in self._hashes:
                self._hashes[exe] = self._hasher(exe)
            return self._hashes[exe]

        return lazy
