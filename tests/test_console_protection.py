"""The dashboard never looks protected when it is not: protection degraded, personal mode and what it cannot
do, and "Install the service" through the administrator prompt (a fake ``pkexec`` on PATH), whose every
outcome is told as it happened while the console keeps responding."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from guardian.agent.failsafe import open_store
from guardian.clock import SystemClock
from guardian.core.messages import AgentHealth
from guardian.core.protection import PERSONAL_LIMITS
from guardian.link import AgentLink
from guardian.service_install import linux
from guardian.store.family_copy import write_family_copy
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard import DashboardPage
from tests.fake_pkexec import FakePkexec
from tests.link_harness import LinkAgent

pytest_plugins = ("tests.demo_family",)

WAIT_MS = 15_000
RULES = 'version = 1\n[[child]]\nname = "An"\naccounts = ["an"]\n'


def settle(qtbot, page: DashboardPage) -> None:
    qtbot.waitUntil(lambda: page.view is not None and not page.busy, timeout=WAIT_MS)


def shown(page: DashboardPage, name: str) -> list[QWidget]:
    return [w for w in page.findChildren(QWidget, name) if w.isVisibleTo(page)]


@pytest.fixture
def parent_ctx(family) -> Iterator[ConsoleContext]:
    ctx = ConsoleContext(family, role="parent", pin="1234")
    yield ctx
    ctx.close()


def agent_with(family, tmp_path: Path, **health: object) -> LinkAgent:
    """A real agent service on the family's database whose health says ``health``."""
    status = family.status()
    status = dataclasses.replace(status, agent=AgentHealth(True, pid=4242, **health))  # type: ignore[arg-type]
    return LinkAgent(tmp_path, db=family.store.path, status=status).start()


def make_page(qtbot, ctx: ConsoleContext, agent: LinkAgent | None = None, *, installed: bool | None = False):
    page = DashboardPage(ctx, agent=AgentLink(agent.path, timeout=5.0) if agent else None)
    page.service_check = lambda: installed
    qtbot.addWidget(page)
    page.refresh()
    settle(qtbot, page)
    return page


def real_degraded_reason(tmp_path: Path) -> str:
    """What the agent really says when its database is corrupt and it enforces the saved copy of the rules."""
    db = tmp_path / "broken" / "guardian.db"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database" * 100)
    write_family_copy(db, RULES)
    journal, reason = open_store(db, SystemClock())
    journal.close()
    assert reason is not None
    return reason


def test_a_degraded_agent_is_told_in_plain_words_with_what_to_do(qtbot, parent_ctx, family, tmp_path) -> None:
    reason = real_degraded_reason(tmp_path)
    agent = agent_with(family, tmp_path, degraded=reason, mode="system", account="root")
    try:
        page = make_page(qtbot, parent_ctx, agent)
        assert page.view.live and page.view.degraded == reason
        [banner] = shown(page, "protection_degraded")
        assert banner.text.text().startswith("Protection is reduced: Guardian's database cannot be used")
        assert "keeps enforcing the last saved rules" in banner.text.text()
        assert banner.todo.text().startswith("What to do: restart the computer")
        assert reason in banner.details.text()
        assert not shown(page, "protection_personal") and not shown(page, "protection_off")
    finally:
        agent.close()


def test_personal_mode_says_what_it_cannot_do_and_offers_the_service(
    qtbot, parent_ctx, family, tmp_path
) -> None:
    agent = agent_with(family, tmp_path, mode="personal", account="minh")
    try:
        page = make_page(qtbot, parent_ctx, agent)
        [banner] = shown(page, "protection_personal")
        assert "Personal mode: Guardian runs as the account minh" in banner.text.text()
        limits = banner.limits.text().splitlines()
        assert len(limits) == len(PERSONAL_LIMITS)
        assert limits[0] == "• minh can stop it, and read or change its rules and records."
        assert any("closed a moment later" in line for line in limits)
        assert any("no web filter" in line for line in limits)
        assert page.install_button.isVisibleTo(page) and page.install_button.isEnabled()
        page.service_check = lambda: True  # installed meanwhile: nothing to offer
        page.refresh()
        qtbot.waitUntil(lambda: page.view.service_installed is True, timeout=WAIT_MS)
        [banner] = shown(page, "protection_personal")
        assert not [b for b in banner.findChildren(QPushButton) if "Install" in b.text()]
    finally:
        agent.close()


def test_the_console_and_the_command_line_name_the_same_limits() -> None:
    for _key, english in PERSONAL_LIMITS:
        assert english in linux.PERSONAL_WARNING
    assert linux.PERSONAL_WARNING in linux.personal_plan("g").notes


def test_the_protected_service_shows_no_banner(qtbot, parent_ctx, family, tmp_path) -> None:
    agent = agent_with(family, tmp_path, mode="system", account="root")
    try:
        page = make_page(qtbot, parent_ctx, agent, installed=True)
        for name in ("protection_off", "protection_degraded", "protection_personal"):
            assert not shown(page, name), name
    finally:
        agent.close()


def test_a_caregiver_is_told_but_offered_no_install(qtbot, family, tmp_path) -> None:
    agent = agent_with(family, tmp_path, mode="personal", account="minh")
    ctx = ConsoleContext(family, role="caregiver", pin="1234")
    try:
        page = make_page(qtbot, ctx, agent)
        assert shown(page, "protection_personal")
        assert not hasattr(page, "install_button")
    finally:
        agent.close()
        ctx.close()


# -- installing through the administrator prompt ------------------------------------------------------


@pytest.fixture
def pkexec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePkexec:
    return FakePkexec(tmp_path / "fake", monkeypatch)


def install(qtbot, page: DashboardPage) -> str:
    """Click "Install the service" on the protection-off banner and wait for the outcome; the notice."""
    assert shown(page, "protection_off") and page.install_button.isVisibleTo(page)
    qtbot.mouseClick(page.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.installer.running, timeout=WAIT_MS)
    return page.notice_text.text()


@pytest.mark.parametrize(
    ("code", "say", "told"),
    [
        (
            126,
            "Error executing command as another user: Request dismissed",
            "prompt was closed without a password",
        ),
        (127, "Error executing command as another user: Not authorized", "password was not accepted"),
        (1, "guardian: 'systemctl enable --now guardian-agent.service' failed (1): boom", "failed (1): boom"),
    ],
)
def test_each_outcome_at_the_prompt_is_told_as_it_happened(
    qtbot, parent_ctx, family, pkexec: FakePkexec, code: int, say: str, told: str
) -> None:
    pkexec.answer(code, say)
    page = make_page(qtbot, parent_ctx)
    text = install(qtbot, page)
    assert told in text and "installed and" not in text
    assert pkexec.args[pkexec.args.index("service") :] == [
        "service",
        "install",
        "--from",
        str(family.data_dir()),
    ]
    assert page.install_button.isEnabled()


def test_installed_and_its_agent_answering_is_told_and_the_dashboard_follows_it(
    qtbot, parent_ctx, family, tmp_path, pkexec: FakePkexec
) -> None:
    pkexec.answer(0, "Installed Guardian's protected service; data in /var/lib/guardian.")
    service = agent_with(family, tmp_path / "service", mode="system", account="root")
    try:
        page = make_page(qtbot, parent_ctx)
        page.service_socket = service.path
        assert not page.view.live
        text = install(qtbot, page)
        assert text.startswith("The protected service is installed and its agent answers")
        qtbot.waitUntil(lambda: page.view.live and page.view.mode == "system", timeout=WAIT_MS)
        assert not shown(page, "protection_off") and not shown(page, "protection_personal")
    finally:
        page.agent.stop()
        service.close()


def test_installed_but_not_answering_is_not_called_protected(
    qtbot, parent_ctx, tmp_path, pkexec: FakePkexec
) -> None:
    pkexec.answer(0)
    page = make_page(qtbot, parent_ctx)
    page.service_socket, page.service_wait_s = tmp_path / "nobody.sock", 1.0
    text = install(qtbot, page)
    assert "installed, but its agent does not answer yet" in text
    assert shown(page, "protection_off")


def test_the_console_keeps_responding_while_the_prompt_is_open(
    qtbot, parent_ctx, tmp_path, pkexec: FakePkexec
) -> None:
    release = tmp_path / "answered"
    pkexec.answer(126, hold=release)
    page = make_page(qtbot, parent_ctx)
    qtbot.mouseClick(page.install_button, Qt.MouseButton.LeftButton)
    assert page.installer.running and not page.install_button.isEnabled()
    assert "Waiting for the administrator's password" in page.notice_text.text()
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=WAIT_MS)  # the event loop runs while the prompt is open
    page.refresh()
    settle(qtbot, page)  # and the dashboard still refreshes
    assert page.installer.running
    qtbot.mouseClick(page.install_button, Qt.MouseButton.LeftButton)  # a second click starts nothing
    timer.stop()
    release.touch()
    qtbot.waitUntil(lambda: not page.installer.running, timeout=WAIT_MS)
    assert "closed without a password" in page.notice_text.text()
