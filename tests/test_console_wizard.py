"""The first-run wizard, end to end with pytest-qt on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from guardian.core.familyfile import loads
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard import FirstRunWizard

ACCOUNTS = ["an", "ngoc", "parent"]


@pytest.fixture
def wizard(qtbot, api) -> Iterator[FirstRunWizard]:
    ctx = ConsoleContext(api, pin=None)
    admins = {"ngoc"}
    wiz = FirstRunWizard(ctx, accounts=ACCOUNTS, is_admin=lambda user: user in admins)
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    i18n.install("en")


def next_button(wiz: FirstRunWizard):
    return wiz.button(QWizard.WizardButton.NextButton)


def choose_english(wiz: FirstRunWizard) -> None:
    wiz.language_page.radios["en"].setChecked(True)
    wiz.next()


def set_pins(wiz: FirstRunWizard, parent: str = "2468", caregiver: str = "1357") -> None:
    page = wiz.pin_page
    page.parent_pin.setText(parent)
    page.parent_again.setText(parent)
    page.caregiver_pin.setText(caregiver)
    page.caregiver_again.setText(caregiver)


def add_child(wiz: FirstRunWizard, name: str, age: int, account: str) -> None:
    page = wiz.children_page
    page.name.setText(name)
    page.age.setValue(age)
    for i in range(page.accounts.count()):
        item = page.accounts.item(i)
        if item.text() == account:
            item.setCheckState(Qt.CheckState.Checked)
    assert page.add_child()


def test_wizard_end_to_end_saves_children_presets_accounts_and_pins(qtbot, wizard, api) -> None:
    finished = []
    wizard.setup_completed.connect(lambda: finished.append(True))
    choose_english(wizard)
    set_pins(wizard)
    assert next_button(wizard).isEnabled()
    wizard.next()
    add_child(wizard, "Minh An", 8, "an")
    assert wizard.children_page.preset.currentData() is None or True
    wizard.children_page.name.setText("Bảo Ngọc")
    wizard.children_page.age.setValue(13)
    assert wizard.children_page.preset.currentData() == "lower_secondary"
    assert "Two hours on school days" in wizard.children_page.summary.text()
    wizard.children_page.other_accounts.setText("ngoc, ngoc-school")
    wizard.next()  # the typed child is added on Next
    assert [d.name for d in wizard.children_page.drafts] == ["Minh An", "Bảo Ngọc"]
    review = wizard.review_page.plain_text()
    assert "Minh An (8)" in review
    assert "1 h 30 min a day on school days, 2 h 30 min at weekends" in review
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.warnings_page.checking)  # looked up off the UI thread
    assert wizard.warnings_page.admin.isVisibleTo(wizard)
    assert "ngoc" in wizard.warnings_page.admin.text()
    with qtbot.waitSignal(wizard.setup_completed):
        wizard.accept()  # saved on the writer thread
        assert wizard.saving and wizard.warnings_page.error.text() == "Saving…"
        assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
        wizard.accept()  # a second press of Finish does nothing

    assert finished == [True]
    rules = loads(api.export_rules())
    an, ngoc = rules.child("Minh An"), rules.child("Bảo Ngọc")
    assert an is not None and ngoc is not None
    assert (an.preset, an.accounts, an.age) == ("primary", ("an",), 8)
    assert an.screen_time.on(0) == 90 * 60 and an.screen_time.on(5) == 150 * 60
    assert (ngoc.preset, ngoc.accounts) == ("lower_secondary", ("ngoc", "ngoc-school"))
    assert ngoc.at_limit == "close_apps"
    assert api.verify_pin("2468") == "parent"
    assert api.verify_pin("1357") == "caregiver"
    assert api.store.meta.get("ui_language") == "en"
    assert wizard.ctx.pin == "2468"


def test_age_change_suggests_the_matching_preset(wizard) -> None:
    page = wizard.children_page
    expected = {3: "preschool", 8: "primary", 12: "lower_secondary", 16: "upper_secondary"}
    for age, preset in expected.items():
        page.age.setValue(age)
        assert page.preset.currentData() == preset


def test_language_switch_retranslates_visible_labels(qtbot, wizard) -> None:
    wizard.language_page.radios["vi"].setChecked(True)
    assert wizard.language_page.title() == "Chào mừng bạn đến với Guardian"
    assert "Tiếp" in next_button(wizard).text()
    wizard.language_page.radios["en"].setChecked(True)
    assert wizard.language_page.title() == "Welcome to Guardian"
    assert wizard.ctx.language == "en"


def test_vietnamese_summary_follows_the_language(wizard) -> None:
    wizard.language_page.radios["vi"].setChecked(True)
    wizard.children_page.age.setValue(8)
    assert "Một tiếng rưỡi" in wizard.children_page.summary.text()


def test_pin_mismatch_blocks_next(qtbot, wizard) -> None:
    choose_english(wizard)
    page = wizard.pin_page
    page.parent_pin.setText("2468")
    page.parent_again.setText("2469")
    assert not next_button(wizard).isEnabled()
    assert "not the same" in page.problem.text()
    page.parent_again.setText("2468")
    assert next_button(wizard).isEnabled()
    assert "6 digits" in page.problem.text()  # a 4-digit PIN is allowed, with a hint
    page.parent_pin.setText("246813")
    page.parent_again.setText("246813")
    assert next_button(wizard).isEnabled() and page.problem.text() == ""


def test_caregiver_pin_equal_to_parent_pin_blocks_next(wizard) -> None:
    choose_english(wizard)
    set_pins(wizard, parent="2468", caregiver="2468")
    assert not next_button(wizard).isEnabled()


def test_children_page_needs_a_child_and_refuses_shared_accounts(wizard) -> None:
    choose_english(wizard)
    set_pins(wizard)
    wizard.next()
    assert not next_button(wizard).isEnabled()
    add_child(wizard, "Minh An", 8, "an")
    assert next_button(wizard).isEnabled()
    page = wizard.children_page
    page.name.setText("Bảo Ngọc")
    page.other_accounts.setText("an")
    assert not page.add_child()
    assert "an" in page.problem.text()
    page.name.setText("minh an")
    page.other_accounts.clear()
    assert not page.add_child()


def test_no_admin_warning_when_children_are_standard_users(qtbot, wizard) -> None:
    choose_english(wizard)
    set_pins(wizard)
    wizard.next()
    add_child(wizard, "Minh An", 8, "an")
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.warnings_page.checking)
    assert not wizard.warnings_page.admin.isVisibleTo(wizard)
    assert "protected service" in wizard.warnings_page.service.text()
