"""The weekly summary shows blocked web lookups per category, in both languages, and web time as an app."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from guardian.api import GuardianAPI, week_range
from guardian.summary_export import SummaryReport, as_text


def test_blocked_lookups_appear_as_counts_in_the_summary_and_its_text(family: GuardianAPI) -> None:
    week = family.last_full_week()
    first, last = week_range(week)
    child = family.store.children.all()[0]
    family.store.web_blocks.add(
        {
            (child.id, first.isoformat(), "adult"): 3,
            (child.id, last.isoformat(), "adult"): 2,
            (child.id, last.isoformat(), "gambling"): 4,
            (child.id, (last + timedelta(days=1)).isoformat(), "games"): 9,  # the next week: not counted
        }
    )
    (summary,) = family.summary(child.name, week)
    assert summary.web_blocks == {"adult": 5, "gambling": 4}
    assert summary.to_dict()["web_blocks"] == {"adult": 5, "gambling": 4}
    assert family.web_blocks(child.name, first, last) == {"adult": 5, "gambling": 4}
    en = as_text(
        SummaryReport(first.isoformat(), last.isoformat(), [summary], family.zone(family.rules()), "en")
    )
    vi = as_text(
        SummaryReport(first.isoformat(), last.isoformat(), [summary], family.zone(family.rules()), "vi")
    )
    assert "Blocked web lookups: 5 adult, 4 betting and gambling" in en
    assert "Lượt truy cập web bị chặn: 5 người lớn, 4 cá độ, cờ bạc" in vi


def test_no_blocked_lookups_no_line(family: GuardianAPI) -> None:
    child = family.store.children.all()[0]
    (summary,) = family.summary(child.name)
    assert summary.web_blocks == {}
    assert family.web_blocks(child.name, date(2000, 1, 1), date(2100, 1, 1)) == {}


def test_the_summaries_page_shows_the_counts(qtbot, family: GuardianAPI) -> None:  # type: ignore[no-untyped-def]
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.summaries_page import SummariesPage

    first, last = week_range(family.last_full_week())
    child_id = family.store.children.id_for("Minh An")
    assert child_id is not None
    family.store.web_blocks.add({(child_id, last.isoformat(), "gambling"): 7})
    ctx = ConsoleContext(family, role="caregiver")
    ctx.language = "en"
    page = SummariesPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.summary is not None and page.summary.child == "Minh An")
    assert "Blocked web lookups: 7 betting and gambling" in page.requests.text()
    assert first.isoformat() == page.summary.first  # type: ignore[union-attr]


def test_web_time_shows_in_the_summary_like_an_app(family: GuardianAPI) -> None:
    first, _ = week_range(family.last_full_week())
    child = family.store.children.all()[0]
    zone = family.zone(family.rules())
    start = datetime.combine(first, time(15, 0), tzinfo=zone).timestamp()
    family.store.usage.write([(child.id, "youtube-web", start, start + 5 * 3600)])  # the week's most used
    (summary,) = family.summary(child.name, family.last_full_week())
    top = summary.top_apps(1)[0]
    assert (top.name, top.category) == ("YouTube (web)", "video")
    assert summary.categories["video"] >= 5 * 3600
    en = as_text(SummaryReport(first.isoformat(), first.isoformat(), [summary], zone, "en"))
    assert "YouTube (web)" in en
