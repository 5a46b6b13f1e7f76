"""May this exec run? The pure rules behind the exec guard, and programs a child brings in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guardian.core import familyfile
from guardian.core.catalog import Catalog
from guardian.core.exec_rules import (
    UNKNOWN_PROGRAM,
    UNKNOWN_PROGRAM_ID,
    app_of,
    may_exec,
    program_origin,
    unknown_programs_mode,
    with_unknown_programs,
)
from guardian.core.model import App, AppLimit, AppMatch, Child, Interval, Rules, TimeRange, Weekly
from guardian.core.policy import ChildStatus, evaluate_child
from tests.helpers import ts

GAME = App("gx-game", "Game", "games", AppMatch(exe_names=("gx-game",)))
CALC = App("gx-calc", "Calc", "utilities", AppMatch(exe_names=("gx-calc",)))
VIDEO = App("gx-video", "Video", "video", AppMatch(exe_names=("gx-video",)))
CATALOG = Catalog((GAME, CALC, VIDEO, UNKNOWN_PROGRAM))
NOON = ts("2026-03-09 12:00")


def status(
    child: Child, *, used: dict[str, float] | None = None, paused: bool = False, now: float = NOON
) -> ChildStatus:
    rules = with_unknown_programs(Rules(children=(child,)))
    enforced = rules.children[0]
    start = ts("2026-03-09 08:00")
    intervals = [Interval(start, start + seconds, app) for app, seconds in (used or {}).items()]
    intervals += [Interval(start, start + seconds) for seconds in (used or {}).values()]  # screen time
    return evaluate_child(rules, enforced, intervals, [], now, catalog=CATALOG, tz=None, paused=paused)


def kid(**fields: object) -> Child:
    return Child(name="Kid", age=10, accounts=("kid",), **fields)  # type: ignore[arg-type]


# -- may_exec ---------------------------------------------------------------------------------------


def test_a_program_that_is_no_app_always_runs() -> None:
    assert may_exec(status(kid(blocked=("category:games",))), None).allow


def test_no_status_yet_is_an_allow() -> None:
    assert may_exec(None, "gx-game").allow


def test_a_blocked_app_is_denied_and_others_run() -> None:
    st = status(kid(blocked=("gx-game",)))
    assert may_exec(st, "gx-game") == may_exec(st, "gx-game")
    assert (may_exec(st, "gx-game").allow, may_exec(st, "gx-game").reason) == (False, "blocked")
    assert may_exec(st, "gx-calc").allow


def test_an_app_whose_limit_is_used_up_is_denied() -> None:
    limit = AppLimit(apps=("category:games",), daily=Weekly(default=3600))
    assert may_exec(status(kid(app_limits=(limit,)), used={"gx-game": 1800}), "gx-game").allow
    used_up = may_exec(status(kid(app_limits=(limit,)), used={"gx-game": 3600}), "gx-game")
    assert (used_up.allow, used_up.reason) == (False, "exhausted")


@pytest.mark.parametrize(
    ("fields", "paused", "reason"),
    [
        ({"allowed_hours": Weekly(default=(TimeRange(18 * 60, 20 * 60),))}, False, "outside_hours"),
        ({"screen_time": Weekly(default=60)}, False, "screen_time_over"),
        ({}, True, "paused"),
    ],
)
def test_over_hours_screen_time_or_paused_deny_every_app_but_always_allowed(
    fields: dict[str, object], paused: bool, reason: str
) -> None:
    child = kid(always_allowed=("gx-calc",), **fields)
    st = status(child, used={"gx-video": 120} if "screen_time" in fields else None, paused=paused)
    denied = may_exec(st, "gx-game")
    assert (denied.allow, denied.reason) == (False, reason)
    assert may_exec(st, "gx-calc").allow and may_exec(st, "gx-calc").reason == "always_allowed"
    assert may_exec(st, None).allow  # a shell, ls: not apps


# -- programs a child brings in ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "owner", "origin"),
    [
        ("/home/kid/games/gx-game", 0, "brought_in"),
        ("/tmp/x/a.out", 0, "brought_in"),
        ("/var/tmp/a.out", 0, "brought_in"),
        ("/dev/shm/a.out", 0, "brought_in"),
        ("/media/kid/USB/game", 0, "brought_in"),
        ("/run/media/kid/USB/game", 0, "brought_in"),
        ("/run/user/1001/app", 0, "brought_in"),
        ("/memfd:payload (deleted)", None, "memory"),
        ("/usr/bin/old (deleted)", 0, "deleted"),
        ("/srv/shared/game", 1001, "brought_in"),  # a file the child owns, anywhere
        ("/usr/bin/gx-game", 0, None),
        ("/home/kidding/x", 0, None),  # another home that merely starts the same
        ("/opt/app/bin/app", None, None),
    ],
)
def test_program_origin(path: str, owner: int | None, origin: str | None) -> None:
    assert program_origin(path, home="/home/kid", uid=1001, owner_uid=owner) == origin


def test_root_owned_files_never_count_as_the_childs() -> None:
    assert program_origin("/usr/bin/x", home="/root", uid=0, owner_uid=0) is None


@pytest.mark.parametrize(
    ("age", "chosen", "mode"),
    [
        (8, None, "block"),
        (12, None, "block"),
        (13, None, "games"),
        (None, None, "allow"),
        (8, "allow", "allow"),
        (16, "block", "block"),
    ],
)
def test_unknown_programs_mode_by_choice_or_age(age: int | None, chosen: str | None, mode: str) -> None:
    assert unknown_programs_mode(Child(name="K", age=age, unknown_programs=chosen)) == mode


def test_unknown_programs_allow_games_block() -> None:
    origin = program_origin("/home/kid/mine", home="/home/kid", uid=1001, owner_uid=1001)
    allow, games, block = (kid(unknown_programs=m) for m in ("allow", "games", "block"))
    assert app_of(None, origin, allow) is None
    assert app_of(None, origin, games) == app_of(None, origin, block) == UNKNOWN_PROGRAM_ID
    assert app_of("gx-game", origin, block) == "gx-game"  # a known app is itself wherever it lives
    assert app_of(None, None, block) is None  # installed by an administrator

    denied = may_exec(status(block), UNKNOWN_PROGRAM_ID)
    assert (denied.allow, denied.reason) == (False, "unknown_program")
    assert may_exec(status(games), UNKNOWN_PROGRAM_ID).allow
    no_games = may_exec(status(replace(games, blocked=("category:games",))), UNKNOWN_PROGRAM_ID)
    assert (no_games.allow, no_games.reason) == (False, "blocked")
    limit = AppLimit(apps=("category:games",), daily=Weekly(default=600))
    used_up = status(replace(games, app_limits=(limit,)), used={"gx-game": 600})
    assert may_exec(used_up, UNKNOWN_PROGRAM_ID).reason == "exhausted"


def test_with_unknown_programs_blocks_the_unknown_program_only_for_block_children() -> None:
    rules = Rules(children=(kid(unknown_programs="block"), replace(kid(), name="Big", age=15)))
    enforced = with_unknown_programs(rules)
    assert enforced.children[0].blocked == (UNKNOWN_PROGRAM_ID,)
    assert enforced.children[1].blocked == ()
    assert with_unknown_programs(enforced) == enforced


# -- the family file --------------------------------------------------------------------------------


def test_family_file_reads_and_writes_unknown_programs() -> None:
    text = '[[child]]\nname = "Kid"\naccounts = ["kid"]\nunknown_programs = "games"\n'
    rules = familyfile.loads(text)
    assert rules.children[0].unknown_programs == "games"
    again = familyfile.loads(familyfile.dumps(rules))
    assert again.children[0].unknown_programs == "games"
    unset = familyfile.loads('[[child]]\nname = "Kid"\n')
    assert unset.children[0].unknown_programs is None
    assert "unknown_programs" not in familyfile.dumps(unset)


@pytest.mark.parametrize("value", ['"deny"', "true", "1", '""'])
def test_family_file_rejects_a_bad_unknown_programs(value: str) -> None:
    with pytest.raises(familyfile.FamilyFileError, match="unknown_programs"):
        familyfile.loads(f'[[child]]\nname = "Kid"\nunknown_programs = {value}\n')


def test_never_denied_only_for_root_installed_programs_that_are_no_app() -> None:
    from guardian.core.exec_rules import never_denied

    plain = dict(owner_uid=0, folders_root_only=True, homes=["/home/an"])
    assert never_denied("/usr/bin/true", None, **plain)  # type: ignore[arg-type]
    assert not never_denied("/usr/games/gx", "gx-game", **plain)  # type: ignore[arg-type]
    assert not never_denied("/usr/bin/true", None, owner_uid=1000, folders_root_only=True, homes=[])
    assert not never_denied("/usr/bin/true", None, owner_uid=0, folders_root_only=False, homes=[])
    assert not never_denied("/home/an/bin/tool", None, **plain)  # type: ignore[arg-type]
    assert not never_denied("/memfd:x (deleted)", None, **plain)  # type: ignore[arg-type]
    assert not never_denied("/opt/x/tool (deleted)", None, **plain)  # type: ignore[arg-type]
    assert not never_denied("/tmp/tool", None, **plain)  # type: ignore[arg-type]
