"""The Children page: add, rename, age, accounts from people's accounts only, remove keeping or erasing records;
end to end, a real account made with useradd is linked on the page and the running agent enforces for it."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from guardian import computer
from guardian.ui import i18n
from guardian.ui.console.children_page import ChildrenPage
from guardian.ui.console.context import ConsoleContext
from tests.agent_harness import app_binary, family, import_rules, running_agent, wait_for
from tests.helpers import settle_page

PIN = "246810"


@pytest.fixture
def ctx(api) -> ConsoleContext:
    api.set_pin("parent", PIN)
    api.import_rules('version = 1\n[[child]]\nname = "An"\nage = 9\naccounts = ["an"]\n', pin=PIN)
    context = ConsoleContext(api, pin=PIN)
    context.language = "en"
    return context


@pytest.fixture
def page(qtbot, ctx: ConsoleContext) -> ChildrenPage:
    i18n.install("en")
    widget = ChildrenPage(ctx, accounts=lambda: ["an", "binh", "lan"])
    qtbot.addWidget(widget)
    settle_page(qtbot, widget)
    return widget


def changed(qtbot, page: ChildrenPage, act: Callable[[], object]) -> bool:
    """Run a save or removal and wait for its answer from the writer thread (then for the list again)."""
    with qtbot.waitSignal(page.saved) as signal:
        assert act() is not False
    settle_page(qtbot, page)
    return bool(signal.args[0])


def _check(page: ChildrenPage, account: str) -> None:
    item = page.account_item(account)
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)


def test_add_a_child_with_an_account_and_the_rules_for_their_age(page: ChildrenPage, qtbot) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.name, "Binh")
    page.age.setValue(12)
    _check(page, "binh")
    assert changed(qtbot, page, lambda: qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton))
    binh = page.ctx.api.rules().child("Binh")
    assert binh is not None and binh.age == 12 and binh.accounts == ("binh",)
    assert binh.preset is not None and not binh.screen_time.is_empty()
    assert "Binh was added" in page.status.text()
    assert [page.children_list.item(i).text() for i in range(page.children_list.count())] == ["An", "Binh"]


def test_an_account_of_another_child_cannot_be_chosen(page: ChildrenPage) -> None:
    page.new_child()
    item = page.account_item("an")
    assert item is not None and not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "used by An" in item.text()


def test_rename_and_age_keep_the_childs_records(qtbot, page: ChildrenPage) -> None:
    api = page.ctx.api
    api.grant("An", 600, pin=PIN)
    old_id = api.store.children.id_for("An")
    page.name.setText("An Nhiên")
    page.age.setValue(10)
    assert changed(qtbot, page, page.save)
    assert api.rules().child("An Nhiên").age == 10  # type: ignore[union-attr]
    assert api.rules().child("An") is None
    assert api.store.children.id_for("An Nhiên") == old_id
    assert sum(g.seconds for g in api.store.grants.for_day(old_id, api.today().isoformat())) == 600


def test_a_duplicate_name_changes_nothing(qtbot, page: ChildrenPage) -> None:
    page.new_child()
    page.name.setText("an")
    assert not changed(qtbot, page, page.save)
    assert "Nothing was changed" in page.status.text()
    assert len(page.ctx.api.rules().children) == 1


@pytest.mark.parametrize("erase", [False, True])
def test_remove_keeps_or_erases_the_records(qtbot, page: ChildrenPage, erase: bool) -> None:
    api = page.ctx.api
    api.grant("An", 600, pin=PIN)
    child_id = api.store.children.id_for("An")
    assert child_id is not None
    page.ask_remove = lambda name: (True, erase)
    assert changed(qtbot, page, page.remove)
    assert api.rules().children == ()
    kept = api.store.grants.between_days(child_id, "2000-01-01", "2999-01-01")
    assert (kept == []) is erase
    assert ("erased" in page.status.text()) is erase


def test_a_cancelled_removal_changes_nothing(page: ChildrenPage) -> None:
    page.ask_remove = lambda name: (False, True)
    assert not page.remove()
    assert page.ctx.api.rules().child("An") is not None


def test_without_the_parent_pin_nothing_is_saved(qtbot, page: ChildrenPage) -> None:
    page.ctx.pin = None
    page.name.setText("Bé An")
    assert not changed(qtbot, page, page.save)
    assert page.ctx.api.rules().child("An") is not None


def test_the_window_lists_only_peoples_accounts(page: ChildrenPage) -> None:
    """The real list of this computer: root and nologin service accounts are never offered."""
    listed = computer.human_accounts()
    assert "root" not in listed
    entries = {name: (uid, shell) for name, uid, shell in computer.password_entries()}
    for name in listed:
        if name in entries:
            uid, shell = entries[name]
            assert uid >= 1000 and not shell.endswith("nologin")


# -- end to end: a real account, a real agent ------------------------------------------------------


@pytest.fixture
def child_account() -> Iterator[str]:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to act as a child's account")
    name = "gxpa" + secrets.token_hex(4)
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/bash", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.mark.slow
def test_a_real_account_linked_on_the_page_is_enforced_by_the_running_agent(
    qtbot, home: Path, child_account: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from guardian.api import GuardianAPI
    from guardian.clock import SystemClock

    folder = tmp_path_factory.mktemp("apps")
    folder.chmod(0o755)
    game = app_binary(folder, "guardian-blocked-app")
    import_rules(home, family())
    api = GuardianAPI.open(home / "guardian.db", SystemClock())
    api.set_pin("parent", PIN)
    ctx = ConsoleContext(api, pin=PIN)
    i18n.install("en")
    page = ChildrenPage(ctx)  # this computer's real accounts
    qtbot.addWidget(page)
    settle_page(qtbot, page)
    page.new_child()
    assert page.account_item(child_account) is not None, "a useradd account with a shell is a person's"
    assert page.account_item("root") is None  # (Kid's rules link root here: shown only on Kid's form)
    with running_agent(home):
        before = subprocess.Popen(["runuser", "-u", child_account, "--", str(game), "600"])
        try:
            page.children_list.setCurrentRow(0)
            _check(page, child_account)
            assert changed(qtbot, page, lambda: qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton))
            assert child_account in api.rules().child("Kid").accounts  # type: ignore[union-attr]
            wait_for(
                "the agent to close the blocked game of the newly linked account",
                lambda: before.poll() is not None,
            )
        finally:
            if before.poll() is None:
                before.kill()
                before.wait()
    ctx.close()
    api.close()
