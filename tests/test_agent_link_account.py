"""The agent link used from a child's own OS account (as the child's tray will): a real second account
made with ``useradd``, talking to a real agent service over its socket."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.core.messages import WarningNotice
from tests.helpers import child_entry, live_status
from tests.link_harness import LinkAgent

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]

CHILD_SCRIPT = """
import json, queue, sys
from pathlib import Path
from guardian.errors import GuardianError
from guardian.link import AgentLink

link = AgentLink(Path(sys.argv[1]), timeout=5.0)
status = link.status()
out = {"children": [c.child for c in status.children], "viewer": status.viewer.to_wire()}
out["request_id"] = link.request_time(900, "homework")
try:
    link.lock("An")
    out["lock"] = "locked"
except GuardianError as exc:
    out["lock"] = [type(exc).__name__, getattr(exc, "code", None)]
print(json.dumps(out), flush=True)
events, states = queue.Queue(), queue.Queue()
subscription = link.subscribe(events.put, on_state=lambda up, why: states.put(up))
print(json.dumps({"subscribed": states.get(timeout=10)}), flush=True)
print(json.dumps(events.get(timeout=10).to_wire()), flush=True)
subscription.stop()
"""


@pytest.fixture
def child_account() -> Iterator[str]:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to act as a child's account")
    name = "gxco" + secrets.token_hex(4)
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.fixture
def agent(tmp_path: Path, child_account: str) -> Iterator[LinkAgent]:
    rules = (
        f'version = 1\n[[child]]\nname = "An"\naccounts = ["{child_account}"]\n'
        '[[child]]\nname = "Binh"\naccounts = ["binh-account"]\n'
    )
    status = live_status(child_entry("An"), child_entry("Binh"))
    agent = LinkAgent(tmp_path, rules=rules, status=status)
    agent.view.accounts = {child_account: "An", "binh-account": "Binh"}
    agent.api.set_pin("parent", "1234")
    agent.start()
    yield agent
    agent.close()


def test_a_childs_account_sees_only_itself_asks_for_time_and_gets_only_its_notices(
    agent: LinkAgent, child_account: str
) -> None:
    command = ["runuser", "-u", child_account, "--", sys.executable, "-c", CHILD_SCRIPT, str(agent.path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with subprocess.Popen(
        command, cwd="/", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        try:
            check_child(agent, child_account, child)
        finally:
            if child.poll() is None:
                child.kill()


def check_child(agent: LinkAgent, child_account: str, child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    assert first, child.stderr.read()
    answers = json.loads(first)
    assert answers["children"] == ["An"]  # Binh's figures are not shown to An's account
    assert answers["viewer"] == {"user": child_account, "child": "An"}
    assert answers["lock"] == ["AgentRefused", "unauthorized"]  # no token: a child cannot lock
    assert agent.view.locks == []
    pending = agent.api.pending_requests()
    assert [(r.id, r.child, r.seconds, r.reason) for r in pending] == [
        (answers["request_id"], "An", 900, "homework")
    ]
    assert json.loads(child.stdout.readline()) == {"subscribed": True}
    assert agent.server is not None
    agent.server.broadcast(WarningNotice("Binh", "screen", None, 60).to_wire(), users=["binh-account"])
    agent.server.broadcast(WarningNotice("An", "screen", None, 300).to_wire(), users=[child_account])
    assert json.loads(child.stdout.readline()) == WarningNotice("An", "screen", None, 300).to_wire()
    assert child.wait(timeout=30) == 0, child.stderr.read()
