"""``guardian web import``: a parent's list file for one category, used by the agent's lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardian.cli import main
from guardian.core.webfilter import ChildFilter, WebRules, decide
from guardian.weblists import list_sizes, load_lists


def run(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def test_a_hosts_file_becomes_the_categorys_imported_list(home: Path, tmp_path: Path) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text(
        "# UT1-style list\n0.0.0.0 casino-a.example\n0.0.0.0 casino-b.example www.casino-b.example\n"
    )
    assert run(home, "web", "import", "gambling", str(hosts)) == 0
    assert list_sizes(home)["gambling"][1] == 3
    assert (home / "web").stat().st_mode & 0o077 == 0
    kid = ChildFilter.of(WebRules(categories=("gambling",)))
    assert decide("x.casino-a.example", kid, load_lists(home)).category == "gambling"
    assert decide("fb88.com", kid, load_lists(home)).category == "gambling"  # the bundled list stays
    plain = tmp_path / "list.txt"
    plain.write_text("casino-c.example\n")
    assert run(home, "web", "import", "gambling", str(plain)) == 0  # replaces the earlier import
    assert decide("casino-a.example", kid, load_lists(home)).action == "allow"


def test_bad_lists_change_nothing(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n127.0.0.1 localhost\n")
    assert run(home, "web", "import", "adult", str(empty)) == 1
    assert "no site names" in capsys.readouterr().err
    assert run(home, "web", "import", "adult", str(tmp_path / "missing.txt")) == 1
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(home, "web", "import", "porn", str(empty))
    assert not (home / "web").exists()


def test_import_needs_the_parent_pin_once_set(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUARDIAN_NEW_PIN", "2468")
    assert run(home, "pin", "set") == 0
    source = tmp_path / "list.txt"
    source.write_text("bad.example\n")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(home, "web", "import", "adult", str(source)) == 1
    assert "parent PIN" in capsys.readouterr().err
    monkeypatch.setenv("GUARDIAN_PIN", "2468")
    assert run(home, "web", "import", "adult", str(source)) == 0
