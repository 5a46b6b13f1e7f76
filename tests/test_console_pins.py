"""PINs a parent can manage: change the parent PIN in Settings; a forgotten PIN set again with a code from the
authenticator app, or by the computer's administrator with ``guardian pin reset`` (a real command)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt

from guardian import cli
from guardian.core import totp
from guardian.errors import WrongPin
from guardian.secrets import enrol_totp
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.lock import LockPage
from guardian.ui.console.pin_help import ForgotPinDialog, reset_command
from guardian.ui.console.settings_page import SettingsPage
from tests.helpers import settle_page
from tests.keyrings import NoKeyring
from tests.test_console_settings import outcome

OLD = "2468"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def parent_api(api):
    api.set_pin("parent", OLD)
    return api


@pytest.fixture
def file_secret() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def settings(qtbot, parent_api) -> SettingsPage:
    i18n.install("en")
    ctx = ConsoleContext(parent_api, pin=OLD)
    ctx.language = "en"
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    return page


def _fill(settings: SettingsPage, old: str, new: str, again: str) -> None:
    settings.old_pin.setText(old)
    settings.new_pin.setText(new)
    settings.new_again.setText(again)


def test_change_the_parent_pin_in_settings(qtbot, settings: SettingsPage, parent_api) -> None:
    _fill(settings, OLD, "135790", "135790")
    with qtbot.waitSignal(settings.finished):
        qtbot.mouseClick(settings.parent_button, Qt.MouseButton.LeftButton)
    assert settings.parent_status.text() == "The parent PIN is changed."
    assert parent_api.verify_pin("135790") == "parent"
    assert settings.ctx.pin == "135790"
    assert settings.old_pin.text() == settings.new_pin.text() == ""


def test_a_four_digit_pin_is_accepted_with_advice(qtbot, settings: SettingsPage, parent_api) -> None:
    _fill(settings, OLD, "1357", "1357")
    assert outcome(qtbot, settings, settings.change_parent_pin)
    assert "6-digit" in settings.parent_status.text()


@pytest.mark.parametrize(
    ("old", "new", "again", "says"),
    [
        ("9999", "135790", "135790", "not right"),
        (OLD, "135790", "135799", "not the same"),
        (OLD, "12", "12", "4 to 12 digits"),
        ("", "135790", "135790", "needs the parent PIN"),
    ],
)
def test_a_wrong_old_pin_or_mismatch_changes_nothing(
    qtbot, settings, parent_api, old, new, again, says
) -> None:
    _fill(settings, old, new, again)
    assert not outcome(qtbot, settings, settings.change_parent_pin)
    assert says in settings.parent_status.text()
    parent_api.store.meta.set_json("pin_backoff", {"failures": 0, "until": 0})
    assert parent_api.verify_pin(OLD) == "parent"


def test_the_lock_page_offers_help_for_a_forgotten_pin(qtbot, parent_api) -> None:
    i18n.install("en")
    page = LockPage(ConsoleContext(parent_api))
    qtbot.addWidget(page)
    assert page.forgot_button.isVisibleTo(page)
    dialog = page.show_pin_help()
    assert isinstance(dialog, ForgotPinDialog)
    assert dialog.command.text() == reset_command(parent_api)
    settle_page(qtbot, dialog)
    assert dialog.enrolled is False
    assert not dialog.set_button.isVisibleTo(
        dialog
    )  # no authenticator app set up: only the administrator way
    dialog.close()


def test_the_administrators_command_names_this_computers_folder(parent_api) -> None:
    command = reset_command(parent_api)
    assert "guardian pin reset --home" in command
    assert str(parent_api.data_dir()) in command
    assert "DATA_FOLDER" not in command


def test_an_authenticator_code_sets_a_new_parent_pin(qtbot, parent_api, file_secret) -> None:
    enrol_totp(SECRET, parent_api.data_dir(), parent_api)
    i18n.install("en")
    page = LockPage(ConsoleContext(parent_api))
    qtbot.addWidget(page)
    dialog = page.show_pin_help()
    assert isinstance(dialog, ForgotPinDialog)
    settle_page(qtbot, dialog)  # whether an authenticator is set up is read off the UI thread
    assert dialog.set_button.isVisibleTo(dialog)
    dialog.code.setText("000000" if totp.code_at(SECRET, parent_api.clock.now()) != "000000" else "111111")
    dialog.new_pin.setText("975310")
    dialog.again.setText("975310")
    with qtbot.waitSignal(dialog.answered) as answer:
        assert dialog.reset_with_code()  # sent to the writer thread
        assert dialog.status.text() == "Checking…" and not dialog.set_button.isEnabled()
        assert not dialog.reset_with_code()  # a second press while the check is out does nothing
    assert answer.args == [False] and dialog.set_button.isEnabled()
    assert "not right" in dialog.status.text()
    with pytest.raises(WrongPin):
        parent_api.verify_pin("975310")
    parent_api.store.meta.set_json("pin_backoff", {"failures": 0, "until": 0})
    dialog.code.setText(totp.code_at(SECRET, parent_api.clock.now()))
    with qtbot.waitSignal(page.unlocked) as opened:
        qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["parent", "975310"]
    assert parent_api.verify_pin("975310") == "parent"
    assert [e.kind for e in parent_api.notable_events(0, ["pin_reset"])] == ["pin_reset"]


def test_pin_reset_needs_an_administrator(home: Path, parent_api, monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "running_as_administrator", lambda: False)
    monkeypatch.setenv("GUARDIAN_NEW_PIN", "864200")
    assert cli.main(["pin", "reset", "--home", str(home)]) == 1
    assert "only an administrator" in capsys.readouterr().err
    assert parent_api.verify_pin(OLD) == "parent"


def test_pin_reset_as_root_sets_a_new_pin_without_the_old_one(home: Path, parent_api) -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root: the command is for the computer's administrator")
    done = subprocess.run(
        [sys.executable, "-m", "guardian.cli", "pin", "reset", "--home", str(home)],
        env={**os.environ, "GUARDIAN_NEW_PIN": "864200"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert parent_api.verify_pin("864200") == "parent"
