"""An install as data: the files, folders and commands it needs, carried out through a :class:`Host`.

Every change to the OS goes through the ``Host`` seam, so each OS's plan is unit-tested on any OS with a
:class:`RecordingHost`; :class:`LocalHost` is the real one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol


@dataclass(frozen=True)
class InstallFile:
    path: PurePath
    text: str
    mode: int = 0o644


@dataclass(frozen=True)
class InstallDir:
    path: PurePath
    mode: int
    keep: bool = True
    """Left in place on uninstall (the data folder: the parent's records outlive the program)."""


@dataclass
class Plan:
    """What ``guardian service install`` does for one OS and mode, and how ``uninstall`` undoes it."""

    mode: str  # "system" or "personal"
    data_dir: PurePath
    files: list[InstallFile] = field(default_factory=list)
    dirs: list[InstallDir] = field(default_factory=list)
    after_install: list[list[str]] = field(default_factory=list)
    before_uninstall: list[list[str]] = field(default_factory=list)
    status_commands: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Said to the user after installing: what this mode does not protect, what was skipped."""
    may_fail: list[list[str]] = field(default_factory=list)
    """Commands of ``after_install`` whose failure is expected (creating what an earlier install made)."""
    managed_by: str | None = None
    """An OS package that owns these files (the .deb): install and uninstall go through it instead."""


class Host(Protocol):
    """The OS, as far as installing goes."""

    def is_admin(self) -> bool: ...

    def make_dir(self, path: PurePath, mode: int) -> None: ...

    def write_file(self, path: PurePath, text: str, mode: int) -> None: ...

    def remove(self, path: PurePath) -> None: ...

    def exists(self, path: PurePath) -> bool: ...

    def run(self, command: list[str]) -> tuple[int, str]: ...

    def carry(self, source: PurePath, target: PurePath) -> str:
        """Bring a personal-mode family into the service's data folder (:mod:`.carry`); a line to print."""
        ...


class InstallError(Exception):
    """Installing or uninstalling could not finish; the message says what to do."""


def install(plan: Plan, host: Host) -> list[str]:
    """Carry out ``plan``; the lines to print. Stops at the first failing command."""
    if plan.managed_by:
        raise InstallError(f"Guardian is installed by {plan.managed_by}: upgrade or remove it with that")
    if plan.mode == "system" and not host.is_admin():
        raise InstallError(
            "installing the protected service needs an administrator (root): run it with sudo, "
            "or use --personal for this account only"
        )
    for folder in plan.dirs:
        host.make_dir(folder.path, folder.mode)
    lines = []
    for item in plan.files:
        host.make_dir(item.path.parent, 0o755)
        host.write_file(item.path, item.text, item.mode)
        lines.append(f"wrote {item.path}")
    for command in plan.after_install:
        code, out = host.run(command)
        if code != 0 and command not in plan.may_fail:
            raise InstallError(f"'{' '.join(command)}' failed ({code}): {out.strip()}")
        lines.append(f"ran {' '.join(command)}")
    return lines + plan.notes


def uninstall(plan: Plan, host: Host) -> list[str]:
    """Undo ``plan``: stop and unregister, remove the files; the data folder stays."""
    if plan.managed_by:
        raise InstallError(f"Guardian is installed by {plan.managed_by}: remove it with that")
    if plan.mode == "system" and not host.is_admin():
        raise InstallError("removing the protected service needs an administrator (root): run it with sudo")
    lines = []
    for command in plan.before_uninstall:
        code, out = host.run(command)  # best effort: a service already gone is fine
        lines.append(f"ran {' '.join(command)}" + ("" if code == 0 else f" ({code}: {out.strip()})"))
    for item in plan.files:
        if host.exists(item.path):
            host.remove(item.path)
            lines.append(f"removed {item.path}")
    lines.append(f"kept the data in {plan.data_dir} (delete it yourself to forget everything)")
    return lines


def describe(plan: Plan, action: str) -> list[str]:
    """What ``install`` or ``uninstall`` would do, changing nothing (``--dry-run``)."""
    if plan.managed_by:
        return [f"nothing: Guardian is installed by {plan.managed_by}; {action} it with that"]
    if action == "install":
        lines = [f"make folder {d.path} (mode {d.mode:o})" for d in plan.dirs]
        lines += [f"write {f.path} (mode {f.mode:o})" for f in plan.files]
        lines += [f"run {' '.join(c)}" for c in plan.after_install]
        return lines + plan.notes
    lines = [f"run {' '.join(c)}" for c in plan.before_uninstall]
    lines += [f"remove {f.path}" for f in plan.files]
    return [*lines, f"keep the data in {plan.data_dir}"]


def status(plan: Plan, host: Host) -> tuple[bool, list[str]]:
    """Whether every file of ``plan`` is in place, and one line per file and status command."""
    lines = [f"installed by {plan.managed_by}"] if plan.managed_by else []
    complete = True
    for item in plan.files:
        there = host.exists(item.path)
        complete = complete and there
        lines.append(f"{'present' if there else 'missing'}: {item.path}")
    lines.append(f"data folder: {plan.data_dir} ({'present' if host.exists(plan.data_dir) else 'missing'})")
    for command in plan.status_commands:
        code, out = host.run(command)
        lines.append(f"{' '.join(command)}: {out.strip() or code}")
    return complete, lines


class LocalHost:
    """This computer."""

    def is_admin(self) -> bool:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        return os.geteuid() == 0

    def make_dir(self, path: PurePath, mode: int) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        if sys.platform != "win32":
            os.chmod(path, mode)

    def write_file(self, path: PurePath, text: str, mode: int) -> None:
        target = Path(path)
        temp = target.with_name(target.name + ".new")
        temp.write_text(text, encoding="utf-8")
        if sys.platform != "win32":
            os.chmod(temp, mode)
        os.replace(temp, target)

    def remove(self, path: PurePath) -> None:
        Path(path).unlink(missing_ok=True)

    def exists(self, path: PurePath) -> bool:
        return Path(path).exists()

    def carry(self, source: PurePath, target: PurePath) -> str:
        from guardian.service_install.carry import carry_family

        return carry_family(Path(source), Path(target))

    def run(self, command: list[str]) -> tuple[int, str]:
        if shutil.which(command[0]) is None:
            return 127, f"{command[0]} is not installed"
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return done.returncode, (done.stdout + done.stderr)


@dataclass
class RecordingHost:
    """A pretend OS for tests: a dict of files, a list of commands run, and canned answers."""

    admin: bool = True
    files: dict[PurePath, tuple[str, int]] = field(default_factory=dict)
    dirs: dict[PurePath, int] = field(default_factory=dict)
    commands: list[list[str]] = field(default_factory=list)
    answers: dict[str, tuple[int, str]] = field(default_factory=dict)
    carried: list[tuple[PurePath, PurePath]] = field(default_factory=list)

    def carry(self, source: PurePath, target: PurePath) -> str:
        self.carried.append((source, target))
        return f"brought the family from {source} to {target}"

    def is_admin(self) -> bool:
        return self.admin

    def make_dir(self, path: PurePath, mode: int) -> None:
        self.dirs.setdefault(path, mode)

    def write_file(self, path: PurePath, text: str, mode: int) -> None:
        self.files[path] = (text, mode)

    def remove(self, path: PurePath) -> None:
        self.files.pop(path, None)

    def exists(self, path: PurePath) -> bool:
        return path in self.files or path in self.dirs

    def run(self, command: list[str]) -> tuple[int, str]:
        self.commands.append(command)
        return self.answers.get(command[0], (0, ""))
