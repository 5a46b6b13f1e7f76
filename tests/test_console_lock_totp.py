"""The console's lock page after wrong PINs: with an authenticator enrolled, its code still lets the parent in."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt

from guardian.core import totp
from guardian.secrets import enrol_totp
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from tests.helpers import settle_page
from tests.keyrings import NoKeyring
from tests.test_console_window import stub_loader

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_a_locked_out_parent_types_an_authenticator_code(qtbot, family, no_keyring) -> None:
    enrol_totp(SECRET, family.data_dir(), family)
    window = ConsoleWindow(ConsoleContext(family), first_run=False, load_page=stub_loader)
    qtbot.addWidget(window)
    page = window.lock_page
    settle_page(qtbot, page)
    for _ in range(4):
        page.pin_edit.setText("0000")
        with qtbot.waitSignal(page.answered):
            page.submit()
    assert family.pin_wait() > 0
    assert page.pin_edit.isEnabled() and "authenticator" in page.message.text()
    page.pin_edit.setText("1234")
    with qtbot.waitSignal(page.answered):
        page.submit()
    assert window.is_locked, "the right PIN opened while locked out"
    qtbot.keyClicks(page.pin_edit, totp.code_at(SECRET, family.clock.now()))
    with qtbot.waitSignal(page.answered):
        qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)
    assert not window.is_locked and window.ctx.role == "parent"
    assert family.pin_wait() == 0
