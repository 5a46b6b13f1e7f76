"""The console never waits on the database, a PIN check, a file or the system on the UI thread.

``UIThreadGuard`` wraps the console's own API and refuses any database call made on the UI thread; the
tests below run each action a parent starts (saving, printing, exporting, erasing, the forgotten-PIN dialog,
the set-up wizard, a language change, adding a program) with that guard and with the call held on its
thread, and check the window keeps serving its timers, the control says it is busy and a second press does
nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget, QWizard

from guardian.api import GuardianAPI
from guardian.ui import i18n
from guardian.ui.console.app_picker import AppPickerDialog, AppPickerPage
from guardian.ui.console.children_page import ChildrenPage
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.pin_help import ForgotPinDialog
from guardian.ui.console.summaries_page import SummariesPage
from guardian.ui.console.window import ConsoleWindow
from guardian.ui.console.wizard import FirstRunWizard
from tests.helpers import settle_page
from tests.test_console_window import make_window, type_pin


class SlowUnlock:
    """The writer's API, whose PIN check blocks until ``release`` is set."""

    def __init__(self, api: GuardianAPI, release: threading.Event) -> None:
        self._api = api
        self._release = release
        self.started = threading.Event()

    def unlock(self, pin: str) -> str:
        self.started.set()
        assert self._release.wait(10), "the test never released the PIN check"
        return self._api.unlock(pin)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)


def test_a_slow_pin_check_leaves_the_event_loop_running(qtbot, family, monkeypatch) -> None:
    release = threading.Event()
    opened: list[SlowUnlock] = []
    real_reader = family.reader

    def slow_reader(*, writable: bool = False) -> Any:
        api = real_reader(writable=writable)
        if not writable:
            return api
        opened.append(SlowUnlock(api, release))
        return opened[-1]

    monkeypatch.setattr(family, "reader", slow_reader)
    window = make_window(family)
    qtbot.addWidget(window)
    page = window.lock_page
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    settle_page(qtbot, page)
    page.pin_edit.setText("1234")
    page.submit()
    qtbot.waitUntil(lambda: bool(opened) and opened[0].started.is_set())
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 3)  # the UI thread keeps serving its timers
    assert window.is_locked
    assert not page.pin_edit.isEnabled() and not page.unlock_button.isEnabled()
    assert page.message.text() == "Checking…"
    page.submit()  # a second press while the check is out does nothing

    with qtbot.waitSignal(page.unlocked) as signal:
        release.set()
    assert signal.args == ["parent", "1234"]
    assert not window.is_locked and window.ctx.role == "parent"
    window.ctx.close()


def test_a_wrong_pin_answers_after_the_check(qtbot, family) -> None:
    window = make_window(family)
    qtbot.addWidget(window)
    type_pin(qtbot, window.lock_page, "9999")
    assert window.is_locked and "attempt 1" in window.lock_page.message.text()
    assert window.lock_page.pin_edit.isEnabled()
    window.ctx.close()


class UIThreadGuard:
    """The console's API, refusing database work on the UI thread (the context's reader and writer get
    their own, unguarded APIs from ``reader``, on their threads)."""

    ALLOWED = frozenset({"reader", "close", "clock", "data_dir", "zone"})
    """Not database work: opening the threads' APIs, the clock, the data folder, the time zone."""

    def __init__(self, api: GuardianAPI) -> None:
        self._api = api
        self.refused: list[str] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._api, name)
        if name in self.ALLOWED or name.startswith("_") or not callable(found):
            return found

        def guarded(*args: Any, **kwargs: Any) -> Any:
            pure = name == "catalog" and (args or kwargs)  # built from the rules given, no read
            if threading.current_thread() is threading.main_thread() and not pure:
                self.refused.append(name)
                raise AssertionError(f"GuardianAPI.{name} called on the UI thread")
            return found(*args, **kwargs)

        return guarded


def test_no_page_reads_the_database_on_the_ui_thread(qtbot, family) -> None:
    guard = UIThreadGuard(family)
    ctx = ConsoleContext(cast(GuardianAPI, guard), role="parent", pin="1234")
    ctx.language = "en"
    window = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(window)
    settle_page(qtbot, window.lock_page)
    window.unlock("parent", "1234")
    keys = window.page_keys
    assert {"dashboard", "rules", "children", "summaries", "settings", "guide"} <= set(keys)
    for key in keys:
        assert window.show_page(key)
        settle_page(qtbot, window.pages[key])
    ctx.data_changed.emit()  # every page refreshes what it shows
    for key in keys:
        settle_page(qtbot, window.pages[key])
    window.lock()  # and back to the lock page, which reads the PIN state again
    settle_page(qtbot, window.lock_page)
    assert window.lock_page.pin_edit.isEnabled()
    assert guard.refused == []
    with pytest.raises(AssertionError):  # the guard does refuse
        guard.rules()
    assert guard.refused == ["rules"]
    ctx.close()


# -- work a parent starts: each waits off the UI thread while the window keeps responding ---------------


class Held:
    """API calls (on the context's reader and writer threads) and system calls that wait until released.

    ``arm(name)`` holds every later call of ``name``; ``called`` records each call and whether it ran on
    the UI thread. The fixture releases everything at the end, so a failing test never leaves a thread
    waiting."""

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.called: list[tuple[str, bool]] = []

    def arm(self, name: str) -> threading.Event:
        self.gates[name] = threading.Event()
        return self.gates[name]

    def hold(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            gate = self.gates.get(name)
            if gate is not None:
                self.called.append((name, threading.current_thread() is threading.main_thread()))
                assert gate.wait(10), f"the test never released {name}"
            return fn(*args, **kwargs)

        return held

    def reached(self, name: str) -> bool:
        return any(called == name for called, _ in self.called)

    def on_ui_thread(self) -> list[str]:
        return [name for name, on_ui in self.called if on_ui]

    def release_all(self) -> None:
        for gate in self.gates.values():
            gate.set()


class HeldAPI:
    """An API of the context's threads whose armed calls wait on ``held``."""

    def __init__(self, api: GuardianAPI, held: Held) -> None:
        self._api = api
        self._held = held

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._api, name)
        return self._held.hold(name, found) if callable(found) else found


@pytest.fixture
def held() -> Iterator[Held]:
    found = Held()
    yield found
    found.release_all()


def guarded_console(
    api: GuardianAPI, monkeypatch: pytest.MonkeyPatch, held: Held, *, pin: str | None = "1234"
) -> tuple[ConsoleContext, UIThreadGuard]:
    """A parent's context whose own API refuses the UI thread and whose threads' APIs obey ``held``."""
    real_reader = api.reader
    monkeypatch.setattr(
        api, "reader", lambda *, writable=False: HeldAPI(real_reader(writable=writable), held)
    )
    guard = UIThreadGuard(api)
    ctx = ConsoleContext(cast(GuardianAPI, guard), role="parent", pin=pin)
    ctx.language = "en"
    i18n.install("en")
    return ctx, guard


def keeps_responding(qtbot: Any, widget: QWidget) -> None:
    """The UI thread keeps serving its timers (and so paints and takes clicks)."""
    ticks: list[int] = []
    timer = QTimer(widget)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    timer.stop()


def painted_off_the_ui_thread(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each PDF or printout painted, whether it was painted on the UI thread."""
    from guardian import summary_pdf

    real = summary_pdf.paint_pages
    on_ui: list[bool] = []

    def paint(report: Any, device: Any) -> None:
        on_ui.append(threading.current_thread() is threading.main_thread())
        real(report, device)

    monkeypatch.setattr(summary_pdf, "paint_pages", paint)
    return on_ui


@pytest.mark.parametrize("action", ["pdf", "print"])
def test_saving_or_printing_a_summary_leaves_the_console_responding(
    qtbot, family, monkeypatch, held: Held, tmp_path: Path, action: str
) -> None:
    ctx, guard = guarded_console(family, monkeypatch, held)
    page = SummariesPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    target = tmp_path / "week.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def to_file(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return int(QPrintDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", to_file)
    painted = painted_off_the_ui_thread(monkeypatch)
    release = held.arm("summary")
    button, signal = (page.pdf_button, page.saved) if action == "pdf" else (page.print_button, page.printed)

    button.click()
    qtbot.waitUntil(lambda: held.reached("summary"))
    keeps_responding(qtbot, page)
    assert page.status.text() == ("Saving…" if action == "pdf" else "Printing…")
    assert not page.pdf_button.isEnabled() and not page.print_button.isEnabled()
    assert not page.export_button.isEnabled() and not page.erase_button.isEnabled()
    assert not page.save_pdf(tmp_path / "twice.pdf")  # no second task while one is out
    with qtbot.waitSignal(signal):
        release.set()
    assert target.read_bytes().startswith(b"%PDF") and not (tmp_path / "twice.pdf").exists()
    assert painted == [False] and page.pdf_button.isEnabled() and page.status.text() == ""
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


@pytest.mark.parametrize("action", ["export", "erase"])
def test_exporting_or_erasing_a_childs_records_leaves_the_console_responding(
    qtbot, family, monkeypatch, held: Held, tmp_path: Path, action: str
) -> None:
    ctx, guard = guarded_console(family, monkeypatch, held)
    page = SummariesPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    target = tmp_path / "an.json"
    told: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("1234", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    name = "export_child_records" if action == "export" else "erase_child_records"
    release = held.arm(name)

    (page.export_button if action == "export" else page.erase_button).click()
    qtbot.waitUntil(lambda: held.reached(name))
    keeps_responding(qtbot, page)
    assert page.status.text() == ("Exporting…" if action == "export" else "Deleting…")
    assert not page.export_button.isEnabled() and not page.erase_button.isEnabled()
    assert not page.erase_records("Minh An", "1234")  # no second task while one is out
    with qtbot.waitSignal(page.exported if action == "export" else page.erased):
        release.set()
    settle_page(qtbot, page)
    if action == "export":
        assert target.exists() and page.status.text() == "Saved an.json."
    else:
        assert len(told) == 1 and told[0].endswith("records deleted.")
        assert page.summary is not None and page.summary.screen_s == 0
    assert [n for n, _ in held.called] == [name] and held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_the_forgotten_pin_dialog_reads_and_checks_off_the_ui_thread(
    qtbot, family, monkeypatch, held: Held
) -> None:
    ctx, guard = guarded_console(family, monkeypatch, held, pin=None)
    enrolled = held.arm("totp_enrolled")
    dialog = ForgotPinDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: held.reached("totp_enrolled"))
    keeps_responding(qtbot, dialog)
    assert dialog.busy and "guardian pin reset --home" in dialog.command.text()  # the administrator's way
    enrolled.set()
    settle_page(qtbot, dialog)
    assert dialog.enrolled is False and not dialog.code_part.isVisibleTo(dialog)

    checked = held.arm("reset_pin_with_code")
    dialog.code.setText("123456")
    dialog.new_pin.setText("975310")
    dialog.again.setText("975310")
    assert dialog.reset_with_code()
    qtbot.waitUntil(lambda: held.reached("reset_pin_with_code"))
    keeps_responding(qtbot, dialog)
    assert dialog.status.text() == "Checking…" and not dialog.set_button.isEnabled()
    assert not dialog.code.isEnabled() and not dialog.reset_with_code()  # one check at a time
    with qtbot.waitSignal(dialog.answered) as answer:
        checked.set()
    assert answer.args == [False] and dialog.set_button.isEnabled()
    assert dialog.status.text().startswith("The PIN was not changed: no authenticator app")
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_finishing_the_set_up_leaves_the_console_responding(qtbot, api, monkeypatch, held: Held) -> None:
    from guardian import computer
    from guardian.ui.console import wizard as wizard_module

    looked_up: list[bool] = []

    def accounts() -> list[str]:
        looked_up.append(threading.current_thread() is threading.main_thread())
        return ["an", "mum"]

    def is_admin(user: str) -> bool:
        looked_up.append(threading.current_thread() is threading.main_thread())
        return user == "mum"

    monkeypatch.setattr(wizard_module, "system_accounts", accounts)
    monkeypatch.setattr(computer, "is_admin", is_admin)
    ctx, guard = guarded_console(api, monkeypatch, held, pin=None)
    window = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(window)
    assert window.show_wizard()
    wiz = window.wizard
    assert isinstance(wiz, FirstRunWizard)
    wiz.language_page.radios["en"].setChecked(True)
    wiz.next()
    for edit in (wiz.pin_page.parent_pin, wiz.pin_page.parent_again):
        edit.setText("246810")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.children_page.accounts.count() == 2)  # listed from a pool thread
    wiz.children_page.name.setText("Minh An")
    wiz.children_page.other_accounts.setText("mum")
    wiz.next()
    wiz.next()
    qtbot.waitUntil(lambda: not wiz.warnings_page.checking)
    assert "mum" in wiz.warnings_page.admin.text()

    release = held.arm("save_rules")
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: held.reached("save_rules"))
    keeps_responding(qtbot, window)
    assert wiz.saving and wiz.warnings_page.error.text() == "Saving…"
    assert not wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wiz.button(QWizard.WizardButton.CancelButton).isEnabled()
    wiz.reject()  # Escape while saving does not drop the set-up half done
    assert window.wizard is wiz
    with qtbot.waitSignal(wiz.setup_completed):
        release.set()
    qtbot.waitUntil(lambda: not window.is_locked)  # the PIN is confirmed on the reader thread
    assert ctx.role == "parent" and ctx.pin == "246810"
    qtbot.waitUntil(lambda: api.ui_language() == "en")
    assert api.verify_pin("246810") == "parent" and api.rules().child("Minh An") is not None
    assert looked_up and not any(looked_up)
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_a_failed_set_up_says_why_and_can_be_finished_again(qtbot, api, monkeypatch, held: Held) -> None:
    from guardian.ui.console.wizard_logic import ChildDraft

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    ctx, guard = guarded_console(api, monkeypatch, held, pin=None)
    wiz = FirstRunWizard(ctx, accounts=["an"], is_admin=lambda user: False)
    qtbot.addWidget(wiz)
    settle_page(qtbot, wiz)
    monkeypatch.setattr(GuardianAPI, "save_rules", disk_full)  # on the writer thread's API too
    wiz.children_page.drafts.append(ChildDraft("An", 8))
    wiz.pin_page.parent_pin.setText("246810")
    wiz.accept()
    qtbot.waitUntil(lambda: not wiz.saving)
    assert wiz.warnings_page.error.text() == "Guardian could not save the setup: No space left on device"
    assert wiz.button(QWizard.WizardButton.FinishButton).isEnabled() and ctx.pin is None
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_changing_the_language_leaves_the_console_responding(qtbot, family, monkeypatch, held: Held) -> None:
    ctx, guard = guarded_console(family, monkeypatch, held)
    window = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(window)
    window.unlock("parent", "1234")
    release = held.arm("set_ui_language")
    window.change_language("vi")
    qtbot.waitUntil(lambda: held.reached("set_ui_language"))
    keeps_responding(qtbot, window)
    assert window.lock_button.text() != "&Lock"  # already shown in Vietnamese
    release.set()
    qtbot.waitUntil(lambda: family.ui_language() == "vi")
    assert held.on_ui_thread() == [] and guard.refused == []
    i18n.install("en")
    ctx.close()


def test_adding_a_program_hashes_it_off_the_ui_thread(
    qtbot, family, monkeypatch, held: Held, tmp_path: Path
) -> None:
    from guardian.ui.console import app_picker

    monkeypatch.setattr(app_picker, "file_sha256", held.hold("file_sha256", app_picker.file_sha256))
    ctx, guard = guarded_console(family, monkeypatch, held)
    program = tmp_path / "Sleepy Game.exe"
    program.write_bytes(b"not really a game")
    picker = AppPickerDialog(ctx, child="Minh An")  # no rules given: read on the reader thread
    qtbot.addWidget(picker)
    settle_page(qtbot, picker)
    hashed = held.arm("file_sha256")
    assert picker.add_exe_app(str(program))
    qtbot.waitUntil(lambda: held.reached("file_sha256"))
    keeps_responding(qtbot, picker)
    assert picker.hint.text() == "Reading the program…"
    assert not any(b.isEnabled() for b in picker.custom_buttons) and not picker.add_exe_app(str(program))
    picker.accept()  # "Add selected" waits for the program rather than close without it
    assert picker.result() != QDialog.DialogCode.Accepted
    with qtbot.waitSignal(picker.adopted) as adopted:
        hashed.set()
    assert adopted.args[0].id == "sleepy-game" and picker.selected_refs() == ["sleepy-game"]
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_the_apps_page_lists_programs_and_saves_off_the_ui_thread(
    qtbot, family, monkeypatch, held: Held, tmp_path: Path
) -> None:
    from guardian.ui.console import app_picker

    program = str(tmp_path / "mygame")
    Path(program).write_bytes(b"x")
    monkeypatch.setattr(
        app_picker, "running_programs", held.hold("running_programs", lambda: [("mygame", program)])
    )

    def choose_first(dialog: app_picker.RunningProgramDialog) -> int:
        dialog.list.setCurrentRow(0)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(app_picker.RunningProgramDialog, "exec", choose_first)
    ctx, guard = guarded_console(family, monkeypatch, held)
    page = AppPickerPage(ctx)
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    listed = held.arm("running_programs")
    page._maker.ask_running()
    qtbot.waitUntil(lambda: held.reached("running_programs"))
    keeps_responding(qtbot, page)
    assert page.busy and page.message.text() == "Listing the running programs…"
    page._maker.ask_running()  # a second press while listing does nothing
    stored = held.arm("save_rules")
    listed.set()
    qtbot.waitUntil(lambda: held.reached("save_rules"))  # the id and the hash are worked out there
    keeps_responding(qtbot, page)
    assert page.message.text() == "Saving…" and not any(b.isEnabled() for b in page._editing)
    with qtbot.waitSignal(page.saved) as saved:
        stored.set()
    assert saved.args == [True]
    settle_page(qtbot, page)
    assert page.tree.topLevelItemCount() == 1 and "mygame" in family.export_rules()
    assert [n for n, _ in held.called].count("running_programs") == 1
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()


def test_the_children_page_looks_accounts_up_off_the_ui_thread(
    qtbot, family, monkeypatch, held: Held
) -> None:
    ctx, guard = guarded_console(family, monkeypatch, held)
    release = held.arm("accounts")
    page = ChildrenPage(ctx, accounts=held.hold("accounts", lambda: ["an", "binh"]))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: held.reached("accounts"))
    keeps_responding(qtbot, page)
    assert page.busy and not page.save_button.isEnabled()
    release.set()
    settle_page(qtbot, page)
    assert page.account_item("binh") is not None
    page.new_child()  # showing another child lists them again, from what was read
    assert page.account_item("binh") is not None
    assert held.on_ui_thread() == [] and guard.refused == []
    ctx.close()
