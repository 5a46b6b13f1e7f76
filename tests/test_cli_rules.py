"""`guardian rules …` through the real command line: good files land, bad ones change nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guardian.cli import main
from tests.test_familyfile import doc_example

GOOD = '[[child]]\nname = "An"\naccounts = ["an"]\nscreen_time = "2h"\n'

BAD_FILES: dict[str, tuple[bytes, int]] = {
    "invalid-toml": (b'[[child]]\nname = "A\n', 2),
    "bad-duration": (b'[[child]]\nname = "A"\nscreen_time = "2x"\n', 3),
    "unknown-weekday": (b'[[child]]\nname = "A"\nscreen_time = { someday = "1h" }\n', 3),
    "hour-25": (b'[[child]]\nname = "A"\nallowed_hours = ["07:00-25:00"]\n', 3),
    "unknown-app": (b'[[child]]\nname = "A"\nblocked = ["not-an-app"]\n', 3),
    "duplicate-child": (b'[[child]]\nname = "A"\n\n[[child]]\nname = "A"\n', 5),
    "shared-account": (
        b'[[child]]\nname = "A"\naccounts = ["x"]\n[[child]]\nname = "B"\naccounts = ["x"]\n',
        6,
    ),
    "bad-at-limit": (b'[[child]]\nname = "A"\nat_limit = "shutdown"\n', 3),
    "future-version": (b"version = 99\n", 1),
    "not-utf8": (b'[[child]]\nname = "Ng\xe1c"\n', 2),
}


def run(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def test_import_then_export_is_identical_twice(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "family.toml"
    source.write_text(doc_example(), encoding="utf-8")
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    assert run(home, "rules", "import", str(source)) == 0
    assert run(home, "rules", "export", str(first)) == 0
    assert run(home, "rules", "import", str(first)) == 0
    assert run(home, "rules", "export", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "already the same" in capsys.readouterr().out


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_and_changes_nothing(
    case: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    assert run(home, "rules", "import", str(good)) == 0
    assert run(home, "rules", "export", str(tmp_path / "before.toml")) == 0
    capsys.readouterr()

    data, line = BAD_FILES[case]
    bad = tmp_path / f"{case}.toml"
    bad.write_bytes(data)
    assert run(home, "rules", "import", str(bad)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"guardian: {bad}, line {line}"), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert run(home, "rules", "check", str(bad)) == 1

    assert run(home, "rules", "export", str(tmp_path / "after.toml")) == 0
    assert (tmp_path / "after.toml").read_bytes() == (tmp_path / "before.toml").read_bytes()


def test_missing_file_is_one_clear_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "rules", "import", "/nonexistent/family.toml") == 1
    assert capsys.readouterr().err == "guardian: /nonexistent/family.toml: no such file\n"


def test_import_needs_the_parent_pin_once_set(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUARDIAN_NEW_PIN", "2468")
    assert run(home, "pin", "set") == 0
    source = tmp_path / "family.toml"
    source.write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(home, "rules", "import", str(source)) == 1
    assert "parent PIN" in capsys.readouterr().err
    monkeypatch.setenv("GUARDIAN_PIN", "1111")
    assert run(home, "rules", "import", str(source)) == 1
    assert "not right" in capsys.readouterr().err
    monkeypatch.setenv("GUARDIAN_PIN", "2468")
    assert run(home, "rules", "import", str(source)) == 0


def test_real_process_reports_a_bad_file_without_traceback(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "family.toml"
    bad.write_text('[[child]]\nname = "A"\nscreen_time = "2x"\n', encoding="utf-8")
    env = {**os.environ, "GUARDIAN_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "guardian.cli", "rules", "import", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"guardian: {bad}, line 3 (child[0].screen_time)")
    assert "Traceback" not in proc.stderr
