"""May this program run? The rules side of denying an exec, and of programs a child brings in.

Pure: callers hand in the facts (the program's path as the kernel reports it, who owns the file, the
child's home) and the child's evaluated status; nothing here touches the OS.

*Programs a child brings in* are programs run by a child's account from a place that account can write
(its home, ``/tmp``, ``/var/tmp``, ``/dev/shm``, ``/run/user/<uid>``, removable media under ``/media`` or
``/run/media``, or any file the account owns), from memory (``memfd``: the exe link reads
``/memfd:NAME (deleted)``) or deleted from disk. Parents choose per child (``unknown_programs`` in the
family file): ``allow`` them, count them as a game (``games``: they share the games' limits and screen
time), or ``block`` them. Left unset it follows the child's age: ``block`` under 13, ``games`` from 13,
``allow`` when no age is given. Scripts run through an interpreter (``python3 game.py``) are the
interpreter's exec, so they are out of scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from guardian.core.model import App, AppMatch, Child, Rules
from guardian.core.policy import OVER_STATES, ChildStatus

UnknownPrograms = Literal["allow", "games", "block"]
UNKNOWN_PROGRAMS_MODES: tuple[UnknownPrograms, ...] = ("allow", "games", "block")
BLOCK_UNDER = 13
"""Children younger than this have unknown programs blocked unless the family file says otherwise."""

UNKNOWN_PROGRAM_ID = "unknown-program"
UNKNOWN_PROGRAM = App(
    id=UNKNOWN_PROGRAM_ID, name="Unknown program", category="games", match=AppMatch(), builtin=True
)
"""The app an unknown program counts as: a game, so game limits and the ``games`` category cover it."""

Origin = Literal["memory", "deleted", "brought_in"]
Reason = Literal[
    "ok",
    "always_allowed",
    "blocked",
    "exhausted",
    "screen_time_over",
    "outside_hours",
    "paused",
    "unknown_program",
]

CHILD_WRITABLE = ("/tmp/", "/var/tmp/", "/dev/shm/", "/media/", "/run/media/")
"""Places any account can write (or where removable media appear)."""
DELETED = " (deleted)"
MEMFD = "/memfd:"


def unknown_programs_mode(child: Child) -> UnknownPrograms:
    """The child's choice, or the preset by age (block under 13, games from 13, allow without an age)."""
    chosen = child.unknown_programs
    if chosen in UNKNOWN_PROGRAMS_MODES:
        return chosen
    if child.age is None:
        return "allow"
    return "block" if child.age < BLOCK_UNDER else "games"


def program_origin(
    path: str | None, *, home: str | None = None, uid: int | None = None, owner_uid: int | None = None
) -> Origin | None:
    """Where a program of a child's came from, or None for a program installed by an administrator.

    ``path`` is the exe link (``/proc/<pid>/exe``) or the path of the file being executed; ``home`` and
    ``uid`` are the child account's; ``owner_uid`` is the owner of the program file when known.
    """
    if not path:
        return None
    if path.startswith(MEMFD):
        return "memory"
    if path.endswith(DELETED):
        return "deleted"
    places = list(CHILD_WRITABLE)
    if home and home not in ("/", ""):
        places.append(home.rstrip("/") + "/")
    if uid is not None:
        places.append(f"/run/user/{uid}/")
    if any(path.startswith(place) for place in places):
        return "brought_in"
    if uid is not None and owner_uid is not None and owner_uid == uid and uid != 0:
        return "brought_in"
    return None


def never_denied(
    path: str,
    matched: str | None,
    *,
    owner_uid: int | None,
    folders_root_only: bool,
    homes: Iterable[str | None],
) -> bool:
    """Whether no rule of any child can ever deny this program file, whoever runs it and whenever.

    True only for a file that is no app (``matched`` None: limits, allowed hours and screen time never
    apply to it), installed by an administrator (owned by root, in folders only root can change, so it
    cannot be renamed to an app's name or path) and not a program a child brings in: not from memory, not
    deleted, not in a child-writable place or any child's home. Such a file stays never-denied until the
    catalog changes.
    """
    if matched is not None or owner_uid != 0 or not folders_root_only:
        return False
    return program_origin(path) is None and all(program_origin(path, home=home) is None for home in homes)


def app_of(matched: str | None, origin: Origin | None, child: Child) -> str | None:
    """The app a child's program counts as: the catalog's match, else the unknown program unless allowed."""
    if matched is not None:
        return matched
    if origin is not None and unknown_programs_mode(child) != "allow":
        return UNKNOWN_PROGRAM_ID
    return None


def with_unknown_programs(rules: Rules) -> Rules:
    """The rules the agent enforces: children who block unknown programs have the unknown program blocked."""
    children = tuple(
        replace(c, blocked=(*c.blocked, UNKNOWN_PROGRAM_ID))
        if unknown_programs_mode(c) == "block" and UNKNOWN_PROGRAM_ID not in c.blocked
        else c
        for c in rules.children
    )
    return replace(rules, children=children)


@dataclass(frozen=True)
class ExecVerdict:
    allow: bool
    reason: Reason
    app: str | None = None


ALLOW = ExecVerdict(True, "ok")


def may_exec(status: ChildStatus | None, app: str | None) -> ExecVerdict:
    """Whether a child may start ``app`` now (``app`` from :func:`app_of`; None: not an app we know).

    Denied: a blocked app (and the unknown program when the child blocks them), an app whose limit is used
    up, and any app while the child is outside allowed hours, paused or over screen time, except
    always-allowed apps. Programs that are no app (a shell, ``ls``) always run. No status yet: allow.
    """
    if app is None or status is None:
        return ALLOW
    verdict = status.app_verdict(app)
    if verdict == "always_allowed":
        return ExecVerdict(True, "always_allowed", app)
    if verdict == "blocked" and app == UNKNOWN_PROGRAM_ID and app in status.rules.blocked:
        return ExecVerdict(False, "unknown_program", app)
    if verdict in ("blocked", "exhausted"):
        return ExecVerdict(False, verdict, app)
    if status.state in OVER_STATES:
        return ExecVerdict(False, status.state, app)  # type: ignore[arg-type]
    return ExecVerdict(True, "ok", app)
