"""FakePlatform: the test double other tests rely on."""

from __future__ import annotations

import subprocess
import sys

from guardian.platform import Foreground, Platform, Session
from guardian.platform.fake import Call, FakePlatform
from tests.xsession import stop

AN = Session(id="s1", user="an", kind="x11", display=":0")


def test_reports_what_the_test_set() -> None:
    fake = FakePlatform(session_list=[AN], admins={"mum"})
    fake.set_foreground("s1", 42, "Minecraft")
    fake.idle["s1"] = 5.0
    plat: Platform = fake
    assert plat.sessions() == [AN]
    assert plat.foreground(AN) == Foreground(42, "Minecraft")
    assert plat.idle_seconds(AN) == 5.0
    assert plat.is_admin("mum") is True
    assert plat.is_admin("an") is False
    fake.clear_foreground("s1")
    assert plat.foreground(AN) is None


def test_records_every_action_without_signalling_by_default() -> None:
    fake = FakePlatform(lock_ok=False, close_result="denied")
    assert fake.lock(AN) is False
    assert fake.logout(AN) is True
    assert fake.request_close(1) == "denied"  # pid 1 is never signalled here
    assert fake.force_close(1) == "denied"
    assert fake.calls == [
        Call("lock", "s1"),
        Call("logout", "s1"),
        Call("request_close", 1),
        Call("force_close", 1),
    ]
    assert fake.actions("request_close") == [1]


def test_real_signals_end_a_child_process() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        fake = FakePlatform(real_signals=True)
        assert fake.request_close(proc.pid) == "requested"
        assert proc.wait(timeout=10) == -15
        assert fake.force_close(proc.pid) == "gone"  # already reaped
    finally:
        stop(proc)
