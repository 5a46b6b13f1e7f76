"""The console's Web page: a child's categories, SafeSearch, YouTube mode and sites reach the rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guardian.api import GuardianAPI
from guardian.core import familyfile
from guardian.core.webfilter import WebRules
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.web_logic import WebFormError, site_name
from guardian.ui.console.web_page import WebPage
from guardian.weblists import list_sizes
from tests.helpers import settle_page

FAMILY = (
    '[[child]]\nname = "An"\naccounts = ["an"]\n'
    'web = { categories = ["adult"], youtube = "strict", allow = ["khanacademy.org"] }\n'
    '[[child]]\nname = "Binh"\naccounts = ["binh"]\n'
)


@pytest.fixture
def page(qtbot, api: GuardianAPI) -> Iterator[WebPage]:  # type: ignore[no-untyped-def]
    api.import_rules(FAMILY, "test")
    api.set_pin("parent", "2468")
    i18n.install("en")
    ctx = ConsoleContext(api, pin="2468")
    ctx.language = "en"
    widget = WebPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    yield widget
    ctx.close()


def test_the_page_shows_a_childs_web_rules(qtbot, page: WebPage) -> None:
    assert page.child.currentText() == "An"
    assert page.enabled.isChecked() and page.options.isEnabled()
    assert [c for c, box in page.categories.items() if box.isChecked()] == ["adult"]
    assert page.youtube.currentData() == "strict"
    assert page.allow.sites() == ("khanacademy.org",)
    page.child.setCurrentIndex(1)
    assert not page.enabled.isChecked() and not page.options.isEnabled()


def test_the_page_says_browser_policies_are_machine_wide_on_linux(page: WebPage) -> None:
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page)]
    assert any("On Linux these browser settings apply to every account" in t for t in texts)


def test_changes_are_saved_into_the_rules(qtbot, page: WebPage, api: GuardianAPI) -> None:
    page.categories["gambling"].setChecked(True)
    page.categories["social"].setChecked(True)
    page.safesearch.setChecked(False)
    page.youtube.setCurrentIndex(page.youtube.findData("moderate"))
    page.block.entry.setText("https://www.Cheats.example/answers")
    page.block.add_button.click()
    assert outcome(qtbot, page, lambda: page.save())
    web = api.rules().child("An").web  # type: ignore[union-attr]
    assert web == WebRules(
        categories=("adult", "gambling", "social"),
        safesearch=False,
        youtube="moderate",
        allow=("khanacademy.org",),
        block=("www.cheats.example",),
    )
    page.child.setCurrentIndex(1)
    page.enabled.setChecked(True)
    page.categories["adult"].setChecked(True)
    assert outcome(qtbot, page, lambda: page.save())
    assert api.rules().child("Binh").web == WebRules(categories=("adult",))  # type: ignore[union-attr]
    page.child.setCurrentIndex(0)
    page.enabled.setChecked(False)
    assert outcome(qtbot, page, lambda: page.save())
    assert api.rules().child("An").web is None  # type: ignore[union-attr]
    assert familyfile.loads(api.export_rules()) == api.rules()


def test_a_bad_site_or_a_wrong_pin_changes_nothing(qtbot, page: WebPage, api: GuardianAPI) -> None:
    before = api.export_rules()
    page.allow.entry.setText("not a site")
    assert not outcome(qtbot, page, lambda: page.save())
    assert "example.com" in page.status.text()
    page.allow.entry.clear()
    page.ctx.pin = "1111"
    page.categories["games"].setChecked(True)
    assert not outcome(qtbot, page, lambda: page.save())
    assert api.export_rules() == before


def test_a_list_file_is_imported_for_the_chosen_category(
    qtbot, page: WebPage, api: GuardianAPI, tmp_path: Path
) -> None:
    source = tmp_path / "betting.txt"
    source.write_text("0.0.0.0 nhacai-a.example\nnhacai-b.example\n")
    assert outcome(qtbot, page, lambda: page.import_list("gambling", source))
    assert "2" in page.status.text()
    assert list_sizes(api.store.path.parent)["gambling"][1] == 2
    assert not outcome(qtbot, page, lambda: page.import_list("gambling", tmp_path / "missing.txt"))


def outcome(qtbot, page: WebPage, act: Callable[[], bool]) -> bool:
    """Run a save and wait for its answer from the writer thread (False at once when refused)."""
    signal = qtbot.waitSignal(page.finished, timeout=10_000, raising=False)
    if not act():
        return False  # refused at once: nothing to wait for
    signal.wait()
    assert signal.signal_triggered, "no answer came back"
    return bool(signal.args[1])


def test_site_names_as_parents_type_them() -> None:
    assert site_name(" https://Zing.vn:443/news ") == "zing.vn"
    assert site_name("www.youtube.com.") == "www.youtube.com"
    for bad in ("", "localhost", "a b.com", "http://"):
        with pytest.raises(WebFormError):
            site_name(bad)
