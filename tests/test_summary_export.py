"""``guardian report`` exports on the demo family: text, CSV, JSON, self-contained HTML and PDF, vi and en."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guardian import demo
from guardian.api import GuardianAPI
from guardian.cli import main
from guardian.clock import SystemClock
from guardian.store import Store


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo family with three weeks of usage ending now (the CLI reads the real clock)."""
    path = tmp_path_factory.mktemp("demo")
    with Store(path / "guardian.db") as store:
        demo.generate(store, now=time.time(), seed=11, weeks=3)
    return path


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--home", str(home), "report", *args]) == 0
    return capsys.readouterr().out


def last_week(home: Path) -> tuple[str, str]:
    with Store(home / "guardian.db") as store:
        api = GuardianAPI(store, SystemClock())
        first, last = api.summary("Minh An")[0].first, api.summary("Minh An")[0].last
    return first, last


def test_text_defaults_to_the_last_full_week_with_names_and_words(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = last_week(home)
    en = run(home, capsys, "--lang", "en")
    assert f"{first} to {last}" in en
    assert "Minecraft" in en and "minecraft:" not in en  # app names, not ids
    assert "limits reached" in en and "limit_reached" not in en  # events in words
    assert "Signs of tampering" in en
    vi = run(home, capsys, "--lang", "vi")
    assert f"Từ {first} đến {last}" in vi and "Dấu hiệu can thiệp" in vi and "lần hết giờ" in vi


def test_text_follows_the_console_language_by_default(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(home / "guardian.db") as store:
        GuardianAPI(store, SystemClock()).set_ui_language("en")
    try:
        assert "Weekly summary" in run(home, capsys)
    finally:
        with Store(home / "guardian.db") as store:
            GuardianAPI(store, SystemClock()).set_ui_language("vi")
    assert "Tóm tắt tuần" in run(home, capsys)


def test_csv_has_one_row_per_child_day_and_app(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run(home, capsys, "--format", "csv", "--lang", "en"))))
    assert rows and set(rows[0]) >= {"child", "date", "app", "app_id", "category", "seconds"}
    keys = [(r["child"], r["date"], r["app_id"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["child"] for r in rows} == {"Minh An", "Bảo Ngọc", "Gia Huy"}
    with Store(home / "guardian.db") as store:
        summaries = GuardianAPI(store, SystemClock()).summary()
    for s in summaries:
        for d in s.days:
            got = {
                r["app_id"]: int(r["seconds"]) for r in rows if r["child"] == s.child and r["date"] == d.date
            }
            assert got == d.apps
    assert any(r["app"] == "Minecraft" and r["category"] == "games" for r in rows)


def test_json_is_the_report_shape_with_the_summary(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(home, capsys, "--format", "json", "--child", "Gia Huy", "--lang", "en"))
    [child] = data["children"]
    assert child["name"] == "Gia Huy" and len(child["days"]) == 7 and "apps" in child["days"][0]
    summary = child["summary"]
    assert summary["screen_time_s"] == sum(d["screen_time_s"] for d in child["days"])
    assert 3 <= len(summary["highlights"]) <= 5 and len(summary["highlights_text"]) == len(
        summary["highlights"]
    )
    assert len(summary["hours_s"]) == 24


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset") or (
                value and re.search(r"url\(|https?:|//", value)
            ):
                self.refs.append(f"{tag} {name}={value}")


def test_html_is_self_contained(home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "week.html"
    run(home, capsys, "--format", "html", "--out", str(out), "--lang", "vi")
    page = out.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(page)
    assert parser.refs == []
    assert "svg" in parser.tags and "script" not in parser.tags and "link" not in parser.tags
    assert not re.search(r"https?://|url\(|@import|//[a-z]", page, re.IGNORECASE)
    assert page.count("<section>") == 3 and "Dấu hiệu can thiệp" in page


def test_pdf_has_a_page_per_child(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "guardian.cli",
            "--home",
            str(home),
            "report",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert 3 <= len(re.findall(rb"/Type\s*/Page\b", data)) <= 6  # a page per child, a second when long


def test_pdf_needs_an_output_file(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "report", "--format", "pdf"]) == 1
    assert "--out" in capsys.readouterr().err


def test_a_long_week_continues_on_a_new_page(qapp: object, tmp_path: Path) -> None:
    from guardian.core.summary import RequestFact
    from guardian.summary_export import SummaryReport
    from guardian.summary_pdf import write_pdf

    with Store(tmp_path / "g.db") as store:
        demo.generate(store, now=time.time(), seed=3, weeks=2)
        api = GuardianAPI(store, SystemClock())
        [s] = api.summary("Gia Huy")
        many = tuple(RequestFact(int(time.time()) - n * 600, 900, "denied") for n in range(60))
        s = type(s)(**{**vars(s), "requests": many})
        write_pdf(SummaryReport(s.first, s.last, [s], api.zone(), "en"), tmp_path / "long.pdf")
    assert len(re.findall(rb"/Type\s*/Page\b", (tmp_path / "long.pdf").read_bytes())) >= 2
