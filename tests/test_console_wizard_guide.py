"""The guide for parents renders in both languages with hotline 111 and the local lines."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.guide import EXAMPLE_LOCAL_HOTLINE, GuidePage, guide_markdown
from tests.helpers import settle_page


@pytest.fixture
def ctx(api):
    return ConsoleContext(api)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_guide_renders_with_hotline_111(qtbot, ctx, language) -> None:
    i18n.install(language)
    ctx.language = language
    page = GuidePage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    text = page.browser.toPlainText()
    assert "111" in text and "111" in page.banner.text()
    assert EXAMPLE_LOCAL_HOTLINE in text
    assert "113" in text
    i18n.install("en")


def test_guide_follows_a_language_change(qtbot, ctx) -> None:
    ctx.language = "en"
    page = GuidePage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    assert "A guide for parents" in page.browser.toPlainText()
    ctx.language = "vi"
    i18n.install("vi")
    ctx.language_changed.emit("vi")
    settle_page(qtbot, page)
    assert "Cẩm nang cho cha mẹ" in page.browser.toPlainText()
    assert "Đường dây nóng bảo vệ trẻ em 111" in page.banner.text()
    i18n.install("en")


def test_guide_lists_the_familys_local_hotlines(api) -> None:
    hotlines = ("111", "0236 123 4567")
    text = guide_markdown("en", hotlines)
    assert "0236 123 4567" in text and EXAMPLE_LOCAL_HOTLINE not in text
    assert "{{" not in guide_markdown("vi", ())


def test_guide_page_reads_hotlines_from_settings(qtbot, api) -> None:
    rules = api.rules()
    api.save_rules(replace(rules, settings=replace(rules.settings, hotlines=("111", "1800 1567"))), "test")
    ctx = ConsoleContext(api)
    ctx.language = "en"
    page = GuidePage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    assert "1800 1567" in page.browser.toPlainText()
