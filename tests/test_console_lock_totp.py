"""The console's lock page after wrong PINs: with an authenticator enrolled, its code still lets the parent in."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt

from guardian.core import totp
from guardian.secrets import enrol_totp
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.lock import UnlockOutcome, try_pin
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
    assert not page.new_pin.isHidden(), "a code comes with a new PIN"
    page.pin_edit.clear()
    qtbot.keyClicks(page.pin_edit, totp.code_at(SECRET, family.clock.now()))
    qtbot.keyClicks(page.new_pin, "5678")
    qtbot.keyClicks(page.new_again, "5678")
    with qtbot.waitSignal(page.answered):
        qtbot.keyClick(page.new_again, Qt.Key.Key_Return)
    assert not window.is_locked and window.ctx.role == "parent"
    assert window.ctx.pin == "5678" and family.verify_pin("5678") == "parent"
    assert family.pin_wait() == 0


def _pin_failures(api) -> int:
    return len(api.notable_events(0, ("pin_failed",)))


def test_after_a_code_opened_the_console_actions_that_need_the_pin_still_work(
    qtbot, family, no_keyring
) -> None:
    """The one-time code that let a locked-out parent in is not kept as the session's PIN: a grant made
    afterwards is not a wrong PIN and does not start the back-off again."""
    from guardian.ui.console.dashboard import Signer, quick_grant

    enrol_totp(SECRET, family.data_dir(), family)
    window = ConsoleWindow(ConsoleContext(family), first_run=False, load_page=stub_loader)
    qtbot.addWidget(window)
    page = window.lock_page
    settle_page(qtbot, page)
    for _ in range(4):
        page.pin_edit.setText("0000")
        with qtbot.waitSignal(page.answered):
            page.submit()
    code = totp.code_at(SECRET, family.clock.now())
    page.pin_edit.setText(code)
    page.submit()
    assert window.is_locked and "new parent PIN" in page.message.text(), "a code alone is not enough"
    page.new_pin.setText("5678")
    page.new_again.setText("5678")
    with qtbot.waitSignal(page.answered):
        page.submit()
    assert not window.is_locked
    assert window.ctx.pin != code
    family.clock.advance(600)  # the back-off is long over: a PIN check now counts
    failures = _pin_failures(family)
    child = family.rules().children[0].name
    quick_grant(family, Signer.of(window.ctx), child, 15, "test")
    assert _pin_failures(family) == failures
    assert family.pin_wait() == 0


def test_a_wrong_code_with_a_new_pin_changes_nothing(qtbot, family, no_keyring) -> None:
    enrol_totp(SECRET, family.data_dir(), family)
    window = ConsoleWindow(ConsoleContext(family), first_run=False, load_page=stub_loader)
    qtbot.addWidget(window)
    page = window.lock_page
    settle_page(qtbot, page)
    for _ in range(4):
        page.pin_edit.setText("0000")
        with qtbot.waitSignal(page.answered):
            page.submit()
    page.pin_edit.setText("000000")
    page.new_pin.setText("5678")
    page.new_again.setText("5678")
    with qtbot.waitSignal(page.answered):
        page.submit()
    assert window.is_locked
    assert "code is not right" in page.message.text()
    family.clock.advance(600)
    assert family.verify_pin("1234") == "parent", "the old PIN still opens: nothing was changed"


def test_try_pin_keeps_a_pin_but_never_an_authenticator_code(family, no_keyring) -> None:
    enrol_totp(SECRET, family.data_dir(), family)
    assert try_pin(family, "1234") == UnlockOutcome(role="parent", pin="1234")
    for _ in range(4):
        try_pin(family, "0000")
    opened = try_pin(family, totp.code_at(SECRET, family.clock.now()))
    assert opened.role == "parent" and opened.pin is None
