"""`guardian demo`: a realistic family produced by the real policy and accounting code."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from guardian import demo
from guardian.api import GuardianAPI
from guardian.cli import main
from guardian.core.clock import FakeClock
from guardian.store import Store
from tests.helpers import ts

NOW = ts("2026-11-28 21:30")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = tmp_path_factory.mktemp("demo") / "guardian.db"
    with Store(path) as store:
        demo.generate(store, now=NOW, seed=7, weeks=4)
        api = GuardianAPI(store, FakeClock(now=NOW))
        return api.report(date(2026, 11, 1), date(2026, 11, 28))


def days_of(report: dict[str, object], name: str) -> list[dict[str, object]]:
    children = report["children"]
    assert isinstance(children, list)
    return next(c["days"] for c in children if c["name"] == name)


def test_three_children_of_different_ages_with_presets() -> None:
    rules = demo.demo_rules()
    assert [(c.age, c.preset) for c in rules.children] == [
        (8, "primary"),
        (13, "lower_secondary"),
        (16, "upper_secondary"),
    ]
    assert rules.settings.hotlines[0] == "111"


def test_four_weeks_of_usage_with_school_days_lighter_than_weekends(demo_report: dict[str, object]) -> None:
    for name in ("Minh An", "Bảo Ngọc", "Gia Huy"):
        days = days_of(demo_report, name)
        used = [d for d in days if d["screen_time_s"] > 0]
        assert len(used) >= 20, name
        weekend = [d["screen_time_s"] for d in days if date.fromisoformat(d["date"]).weekday() >= 5]
        school = [d["screen_time_s"] for d in days if date.fromisoformat(d["date"]).weekday() < 5]
        assert sum(weekend) / len(weekend) > sum(school) / len(school), name


def test_the_engine_kept_screen_time_within_limit_and_grants(demo_report: dict[str, object]) -> None:
    for name in ("Minh An", "Bảo Ngọc", "Gia Huy"):
        for day in days_of(demo_report, name):
            limit = day["limit_s"]
            assert limit is not None
            assert day["screen_time_s"] <= limit + day["granted_s"] + 60, (name, day["date"])


def test_limits_were_hit_and_launches_blocked_a_few_times(demo_report: dict[str, object]) -> None:
    totals: dict[str, int] = {}
    for name in ("Minh An", "Bảo Ngọc", "Gia Huy"):
        for day in days_of(demo_report, name):
            for kind, n in day["events"].items():
                totals[kind] = totals.get(kind, 0) + n
    assert totals["limit_reached"] >= 5
    assert totals["blocked_launch"] >= 3
    assert totals["warning"] >= 10
    assert totals["app_closed"] >= 1


def test_games_stay_within_the_decree_every_day(demo_report: dict[str, object]) -> None:
    for name in ("Minh An", "Bảo Ngọc", "Gia Huy"):
        for day in days_of(demo_report, name):
            assert day["categories"].get("games", 0) <= 180 * 60 + 60


def test_cli_demo_builds_once_then_reuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "demo"
    assert main(["--home", str(home), "demo", "--no-console"]) == 0
    out = capsys.readouterr().out
    assert "Minh An (8, preset primary)" in out and "Parent PIN 1234" in out
    stamp = (home / "guardian.db").stat().st_mtime_ns
    assert main(["--home", str(home), "demo", "--no-console"]) == 0
    assert (home / "guardian.db").stat().st_mtime_ns == stamp
    capsys.readouterr()
    assert main(["--home", str(home), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [c["child"] for c in status["children"]] == ["Minh An", "Bảo Ngọc", "Gia Huy"]
    assert status["agent"]["running"] is False


def test_demo_refuses_a_folder_with_real_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "real"
    home.mkdir()
    Store(home / "guardian.db").close()
    with pytest.raises(SystemExit, match="holds real data"):
        main(["--home", str(home), "demo", "--no-console"])


def test_cli_report_formats_on_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "demo"
    assert main(["--home", str(home), "demo", "--no-console"]) == 0
    capsys.readouterr()
    today = date.today()
    args = [
        "--home",
        str(home),
        "report",
        "--from",
        (today - timedelta(days=6)).isoformat(),
        "--to",
        today.isoformat(),
    ]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["children"]) == 3 and len(data["children"][0]["days"]) == 7
    assert main([*args, "--format", "csv", "--child", "Gia Huy"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("child,date,weekday,app,app_id,category,seconds")
    assert all(line.startswith("Gia Huy,") for line in lines[1:])
    assert main([*args, "--format", "text", "--lang", "en"]) == 0
    assert "a day on average" in capsys.readouterr().out
