"""``guardian tray``'s own plumbing: one per session, its language, what it reports without a display."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from guardian.core.messages import SessionReport
from guardian.link import AgentLink
from guardian.tray_main import TrayAlreadyRunning, chosen_language, one_per_session
from guardian.tray_session import SessionReader, session_id


def test_one_tray_per_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("XDG_SESSION_ID", "c7")
    with one_per_session():
        with pytest.raises(TrayAlreadyRunning), one_per_session():
            pass
        monkeypatch.setenv("XDG_SESSION_ID", "c8")  # another session of the same account may have its own
        with one_per_session():
            pass
    monkeypatch.setenv("XDG_SESSION_ID", "c7")
    with one_per_session():  # the lock goes with the tray
        pass


def test_the_language_is_asked_for_or_the_parents_or_vietnamese(tmp_path: Path) -> None:
    nobody = AgentLink(None)
    assert chosen_language(nobody, "en") == "en"
    assert chosen_language(nobody, None) == "vi"  # no agent: Vietnamese
    assert chosen_language(AgentLink(tmp_path / "no-agent.sock", timeout=0.2), "xx") == "vi"


def test_without_a_display_the_report_names_only_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_ID", "c7")
    reader = SessionReader()
    assert reader() == SessionReport("c7") and reader().to_wire()["foreground_pid"] is None
    reader.close()


def test_without_logind_the_trays_session_is_the_one_the_agent_sees(monkeypatch: pytest.MonkeyPatch) -> None:
    from guardian.platform.linux import own_display_session, utmp_sessions

    monkeypatch.delenv("XDG_SESSION_ID", raising=False)
    monkeypatch.setenv("DISPLAY", ":7")
    assert [s.id for s in own_display_session()] == [session_id()]
    entry = type("Entry", (), {"name": getpass.getuser(), "terminal": ":7", "pid": 1})()
    assert [s.id for s in utmp_sessions([entry])] == [session_id()]
