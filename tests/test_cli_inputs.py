"""Bad input on the command line: every mistake is one clear line and a documented exit status, never a
traceback, and a refused family file leaves the rules exactly as they were."""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardian import cli
from guardian.api import GuardianAPI
from guardian.cli import main
from guardian.core import familyfile
from tests.test_familyfile import doc_example

ROOT = Path(__file__).resolve().parents[1]
GOOD = '[[child]]\nname = "An"\naccounts = ["an"]\nscreen_time = "2h"\n'


def run(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def usage_error(home: Path, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        run(home, *args)
    assert exc.value.code == cli.EXIT_USAGE
    return str(exc.value)


# -- argument mistakes that used to end in tracebacks or be accepted ------------------------------------

ARGUMENT_MISTAKES = [
    ("agent", "--interval", "nan"),  # was accepted, then nothing was enforced
    ("agent", "--interval", "inf"),
    ("agent", "--flush-every", "nan"),  # was accepted
    ("agent", "--flush-every", "-5"),  # was accepted
    ("agent", "--flush-every", "0"),  # was accepted
    ("report", "--to", "0001-01-02"),  # was an OverflowError traceback
    ("report", "--week", "9999-W52"),  # was an OverflowError traceback
    ("report", "--from", "2026-1-1"),
    ("report", "--week", "2026-W99"),
    ("demo", "--weeks", "0"),  # was accepted
    ("demo", "--weeks", "-1"),  # was accepted
    ("demo", "--weeks", "100000"),  # ran for ever
    ("status", "--home", ""),  # was the default data folder
]


@pytest.mark.parametrize("args", ARGUMENT_MISTAKES, ids=" ".join)
def test_argument_mistakes_are_usage_errors(
    home: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    usage_error(home, *args)
    err = capsys.readouterr().err
    assert "error: argument" in err and "Traceback" not in err


def test_agent_arguments_are_finite_and_in_range() -> None:
    args = cli.build_parser().parse_args(["agent", "--interval", "0.5", "--flush-every", "2"])
    assert (args.interval, args.flush_every) == (0.5, 2.0)


def test_files_that_are_not_family_files_are_one_line_refusals(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.toml"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 1_000_001)
    for target in (missing, tmp_path, "/dev/zero", fifo, big):  # a FIFO used to block, /dev/zero to never end
        assert run(home, "rules", "check", str(target)) == cli.EXIT_USER_ERROR
    assert run(home, "rules", "export", str(tmp_path)) == cli.EXIT_USER_ERROR
    assert run(home, "report", "--out", str(tmp_path)) == cli.EXIT_USER_ERROR
    assert main(["--home", str(tmp_path / ("x" * 300)), "status"]) == cli.EXIT_USER_ERROR  # was exit 3
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 8 and all(line.startswith("guardian: ") for line in lines)
    assert "not a regular file" in lines[2] and "not a regular file" in lines[3]
    assert "larger than 1000 KB" in lines[4]
    assert "cannot use this folder (File name too long)" in lines[7]


# -- family-file limits ----------------------------------------------------------------------------------


def test_deeply_nested_file_is_one_line_not_a_recursion_error(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 2000 + "]" * 2000 + "\n")
    assert deep.stat().st_size <= 4096 + 10
    assert run(home, "rules", "check", str(deep)) == cli.EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested too deeply" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "".join(f'[[app]]\nid = "a{i}"\nmatch = {{ exe_names = ["a"] }}\n' for i in range(1001)),
            "at most 1000",
        ),
        ("".join(f'[[child]]\nname = "c{i}"\n' for i in range(101)), "at most 100"),
        ('[[child]]\nname = "' + "x" * 5000 + '"\n', "5000 characters long; at most 4096"),
        ("[settings]\nhotlines = [" + ", ".join('"1"' for _ in range(501)) + "]\n", "at most 500"),
        ("# " + "x" * 1_000_001 + "\n", "larger than 1000 KB"),
    ],
    ids=["apps", "children", "text", "list", "size"],
)
def test_family_file_limits(text: str, message: str) -> None:
    with pytest.raises(familyfile.FamilyFileError, match=message):
        familyfile.loads(text, source="big.toml")


# -- status --------------------------------------------------------------------------------------------


def test_status_lists_the_apps_used_longest_first(
    api: GuardianAPI, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import ts

    api.import_rules(GOOD, "family.toml")
    an = api.store.children.id_for("An")
    assert an is not None
    start = int(ts("2026-11-27 16:00"))
    minutes = {"anki": 1, "blender": 30, "chrome": 5, "discord": 50, "emacs": 20, "firefox": 40, "gimp": 2}
    rows = [(an, app, start, start + m * 60) for app, m in minutes.items()]
    api.store.usage.write([*rows, (an, "@screen", start, start + 3600)])
    lines = status_lines(api, home, capsys)
    assert [line.split(":")[0].strip() for line in lines if line.startswith("    ")] == [
        "discord",
        "firefox",
        "blender",
        "emacs",
        "chrome",
    ]


def status_lines(api: GuardianAPI, home: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    import guardian.cli as module

    status = api.status()
    original = module.live_status
    module.live_status = lambda args: status  # the API's status at the test's clock, as an agent would answer
    try:
        assert run(home, "status") == 0
    finally:
        module.live_status = original
    return capsys.readouterr().out.splitlines()


def test_status_into_a_closed_pipe_ends_quietly(home: Path) -> None:
    (home / "family.toml").write_text(GOOD, encoding="utf-8")
    assert main(["--home", str(home), "rules", "import", str(home / "family.toml")]) == 0
    env = dict(os.environ, GUARDIAN_HOME=str(home))
    shell = f"{sys.executable} -m guardian.cli status | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", shell], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stdout.strip() in ("0", str(cli.EXIT_BROKEN_PIPE))


def test_status_into_a_pipe_closed_before_writing_exits_141(home: Path) -> None:
    env = dict(os.environ, GUARDIAN_HOME=str(home))
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run(
        [sys.executable, "-m", "guardian.cli", "status"],
        env=env,
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    os.close(write)
    assert done.returncode == cli.EXIT_BROKEN_PIPE
    assert done.stderr == ""


# -- fuzz: mutated family files and random arguments ------------------------------------------------------

SEEDS = [doc_example(), GOOD, (ROOT / "resources" / "apps.toml").read_text(encoding="utf-8")[:3000]]
TOKENS = ["[", "]", "{", "}", '"', "'", "=", ",", "\n", "\x00", "\x01", "\ud7ff", "[[child]]", "[[app]]",
          "[settings]", "name = ", "0", "-1", "1e309", "nan", "inf", "99999999999999999999", "true", "\\u0001",
          '"""', "#", "[" * 50, "{ a = " * 30, "x" * 300, "child", "app_limit", "=2h", "25:00", "00:00-24:00"]  # fmt: skip


def mutate(rng: random.Random, text: str) -> bytes:
    data = text
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(6)
        if kind == 0:
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif kind == 1:
            data = data[:at] + data[at + rng.randint(1, 40) :]
        elif kind == 2:
            lines = data.splitlines(keepends=True)
            if lines:
                line = rng.choice(lines)
                data = data[:at] + line * rng.randint(1, 5) + data[at:]
        elif kind == 3:
            data = data[:at]
        elif kind == 4 and data:
            i = rng.randrange(len(data))
            data = (
                data[:i]
                + chr(rng.choice([0x7F, 0x85, 0xFEFF, 0x2028, rng.randint(0, 0x10FFFF)]))
                + data[i + 1 :]
            )
        else:
            lines = data.splitlines(keepends=True)
            rng.shuffle(lines)
            data = "".join(lines)
    raw = data.encode("utf-8", errors="surrogatepass")
    if rng.random() < 0.1:
        i = rng.randrange(len(raw) + 1)
        raw = raw[:i] + bytes([rng.randrange(256)]) + raw[i:]
    return raw


def test_a_thousand_mutated_family_files_never_escape_and_never_change_rules_on_refusal(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(20261202)
    source = tmp_path / "family.toml"
    source.write_text(doc_example(), encoding="utf-8")
    assert run(home, "rules", "import", str(source)) == 0
    exported = tmp_path / "export.toml"
    refused = accepted = 0
    for n in range(1200):
        source.write_bytes(mutate(rng, SEEDS[n % len(SEEDS)]))
        assert run(home, "rules", "export", str(exported)) == 0
        before = exported.read_bytes()
        capsys.readouterr()
        code = run(home, "rules", "import", str(source))
        err = capsys.readouterr().err
        assert code in (0, cli.EXIT_USER_ERROR), f"file {n}: exit {code}: {err}"
        assert "Traceback" not in err and "unexpected error" not in err
        assert run(home, "rules", "export", str(exported)) == 0
        if code == cli.EXIT_USER_ERROR:
            refused += 1
            assert err.count("\n") == 1 and err.startswith("guardian: ")
            assert exported.read_bytes() == before, f"file {n} was refused but the rules changed"
        else:
            accepted += 1
            assert run(home, "rules", "import", str(exported)) == 0  # what was stored loads back
        capsys.readouterr()
    print(f"{refused} mutated files refused, {accepted} accepted")
    assert refused >= 500 and accepted >= 20  # the mutations reach both sides


WORDS = ["report", "status", "rules", "check", "import", "export", "pin", "set", "--json", "--week", "--from",
         "--to", "--child", "--format", "--out", "--role", "json", "csv", "text", "parent", "caregiver", "An",
         "2026-W48", "2026-11-30", "2026-13-40", "0001-01-01", "9999-12-31", "nan", "-1", "", "/", "/dev/null",
         "--", "-", "x" * 200, "\u00e9", "2026-W53"]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=7))
def test_random_arguments_end_in_a_documented_status_and_change_no_rules(
    home: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if "import" in args or (args and args[0] in ("agent", "demo")) or not args:
        args = ["status", *args]  # no rule changes, no agent loop, no console in this test
    api_text = familyfile.dumps(familyfile.loads(GOOD))
    (home / "family.toml").write_text(api_text, encoding="utf-8")
    assert run(home, "rules", "import", str(home / "family.toml")) == 0
    before = _export(home, capsys)
    try:
        with contextlib.chdir(home):  # a relative --out (even "-") lands in the test's folder, not the tree
            code = run(home, *[a.replace("/dev/null", str(home / "out")) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert code in (0, cli.EXIT_USER_ERROR, cli.EXIT_USAGE), f"{args}: exit {code}: {err}"
    assert "Traceback" not in err and "unexpected error" not in err
    assert _export(home, capsys) == before


def _export(home: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert run(home, "rules", "export") == 0
    return capsys.readouterr().out
