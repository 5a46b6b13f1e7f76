"""The settings page: rule settings reach the family file, caregiver PIN, TOTP enrolment, import/export."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QTime

from guardian.core.familyfile import loads
from guardian.secrets import SECRET_FILE, load_totp_secret
from guardian.ui import i18n
from guardian.ui.console import totp
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.settings_logic import (
    SettingsError,
    apply_settings,
    form_from_rules,
    parse_warn_minutes,
)
from guardian.ui.console.settings_page import SettingsPage
from tests.helpers import settle_page
from tests.keyrings import MemoryKeyring, NoKeyring

KNOWN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def outcome(qtbot, page: SettingsPage, act: Callable[[], bool]) -> bool:
    """Run a save and wait for its answer from the context's thread (False at once when refused)."""
    signal = qtbot.waitSignal(page.finished, timeout=10_000, raising=False)
    if not act():
        return False  # refused at once: nothing to wait for
    signal.wait()
    assert signal.signal_triggered, "no answer came back"
    settle_page(qtbot, page)  # and the reload a change starts
    return bool(signal.args[1])


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def parent_api(api):
    api.set_pin("parent", "2468")
    return api


@pytest.fixture
def page(qtbot, parent_api) -> Iterator[SettingsPage]:
    i18n.install("en")
    ctx = ConsoleContext(parent_api, pin="2468")
    ctx.language = "en"
    widget = SettingsPage(ctx)
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    yield widget
    i18n.install("en")


def test_settings_edits_reach_the_exported_family_file(qtbot, page, parent_api) -> None:
    page.retention.setValue(90)
    page.day_start.setTime(QTime(4, 30))
    page.idle.setValue(5)
    page.warn.setText("10, 2")
    assert outcome(qtbot, page, lambda: page.save_settings())
    settings = loads(parent_api.export_rules()).settings
    assert settings.retention_days == 90
    assert settings.day_starts_at == 4 * 60 + 30
    assert settings.idle_after == 300
    assert settings.warn_before == (600, 120)


def test_bad_warning_times_change_nothing(qtbot, page, parent_api) -> None:
    before = parent_api.export_rules()
    page.warn.setText("15, soon")
    assert not outcome(qtbot, page, lambda: page.save_settings())
    assert "minutes" in page.rules_status.text()
    assert parent_api.export_rules() == before


def test_caregiver_cannot_save_settings(qtbot, page, parent_api) -> None:
    parent_api.set_pin("caregiver", "1357", current_pin="2468")
    page.ctx.role, page.ctx.pin = "caregiver", "1357"
    before = parent_api.export_rules()
    page.idle.setValue(9)
    assert not outcome(qtbot, page, lambda: page.save_settings())
    assert parent_api.export_rules() == before


def test_caregiver_pin_can_be_set(qtbot, page, parent_api) -> None:
    page.caregiver_pin.setText("1357")
    page.caregiver_again.setText("1357")
    assert outcome(qtbot, page, lambda: page.set_caregiver_pin())
    assert parent_api.verify_pin("1357") == "caregiver"
    assert "6 digits" in page.caregiver_status.text()  # a 4-digit PIN gets the hint
    page.caregiver_pin.setText("135790")
    page.caregiver_again.setText("135790")
    assert outcome(qtbot, page, lambda: page.set_caregiver_pin())
    assert "6 digits" not in page.caregiver_status.text()


def test_caregiver_pin_mismatch_is_refused(qtbot, page, parent_api) -> None:
    page.caregiver_pin.setText("1357")
    page.caregiver_again.setText("1358")
    assert not outcome(qtbot, page, lambda: page.set_caregiver_pin())
    assert not parent_api.has_pin("caregiver")


def test_totp_enrolment_with_a_code_for_the_fake_clock_time(qtbot, page, parent_api, memory_keyring) -> None:
    page.start_enrolment(KNOWN_SECRET)
    assert page.qr.pixmap() is not None and not page.qr.pixmap().isNull()
    code = totp.code_at(KNOWN_SECRET, parent_api.clock.now())
    assert outcome(qtbot, page, lambda: page.verify_enrolment(code))
    assert memory_keyring.items[("guardian", "totp")] == KNOWN_SECRET
    assert parent_api.store.meta.get_json("totp") == {"enrolled": True}
    assert KNOWN_SECRET not in (parent_api.store.meta.get("totp") or "")
    assert not (parent_api.store.path.parent / SECRET_FILE).exists()


def test_totp_wrong_code_is_refused_and_nothing_is_stored(qtbot, page, parent_api, memory_keyring) -> None:
    page.start_enrolment(KNOWN_SECRET)
    code = totp.code_at(KNOWN_SECRET, parent_api.clock.now() + 300)
    assert not outcome(qtbot, page, lambda: page.verify_enrolment(code))
    assert memory_keyring.items == {}
    assert parent_api.store.meta.get_json("totp") is None
    assert "not right" in page.totp_status.text()


def test_totp_secret_falls_back_to_a_private_file_without_keyring(
    qtbot, page, parent_api, no_keyring
) -> None:
    page.start_enrolment(KNOWN_SECRET)
    assert outcome(
        qtbot, page, lambda: page.verify_enrolment(totp.code_at(KNOWN_SECRET, parent_api.clock.now()))
    )
    path = parent_api.store.path.parent / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_totp_secret(path.parent) == KNOWN_SECRET


def test_export_then_import_round_trips(qtbot, page, parent_api, tmp_path: Path) -> None:
    page.idle.setValue(7)
    assert outcome(qtbot, page, lambda: page.save_settings())
    target = tmp_path / "family.toml"
    assert outcome(qtbot, page, lambda: page.export_to(target))
    assert target.read_text(encoding="utf-8") == parent_api.export_rules()
    assert outcome(qtbot, page, lambda: page.import_from(target))


def test_bad_family_file_shows_its_error_and_changes_nothing(qtbot, page, parent_api, tmp_path: Path) -> None:
    before = parent_api.export_rules()
    bad = tmp_path / "bad.toml"
    bad.write_text('version = 1\n[settings]\nidle_after = "soon"\n', encoding="utf-8")
    assert not outcome(qtbot, page, lambda: page.import_from(bad))
    assert page.last_alert is not None and "idle_after" in page.last_alert
    assert parent_api.export_rules() == before


def test_language_change_is_stored_and_retranslates(qtbot, page, parent_api) -> None:
    with qtbot.waitSignal(page.finished):
        page.language.setCurrentIndex(page.language.findData("vi"))
    assert parent_api.store.meta.get("ui_language") == "vi"
    assert page.save_button.text() == "Lư&u cài đặt"


def test_form_round_trips_settings(parent_api) -> None:
    rules = parent_api.rules()
    assert apply_settings(rules, form_from_rules(rules)) == rules


def test_warning_minutes_are_sorted_and_deduplicated() -> None:
    assert parse_warn_minutes("1, 15 5 5") == (900, 300, 60)
    with pytest.raises(SettingsError):
        parse_warn_minutes("0")


def test_the_api_accepts_every_language_the_console_offers() -> None:
    from guardian.api import UI_LANGUAGES

    assert set(i18n.LANGUAGES) == set(UI_LANGUAGES)
