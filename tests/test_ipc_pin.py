"""The PIN over IPC against the real agent, with a real child's account guessing (issue 9, item 4)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.core import totp
from guardian.ipc.client import IpcClient, IpcError
from guardian.store import Store
from tests.agent_harness import AgentProcess, family
from tests.second_account import as_account, temporary_account, uid_of

pytestmark = pytest.mark.slow
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
GUESS = """
import json, sys
from pathlib import Path
from guardian.ipc.client import IpcClient, IpcError
seen = []
with IpcClient(Path(sys.argv[1])) as client:
    for _ in range(int(sys.argv[2])):
        try:
            seen.append(client.call("auth", {sys.argv[3]: sys.argv[4]})["role"])
        except IpcError as exc:
            seen.append(exc.code)
print(json.dumps(seen))
"""


@pytest.fixture
def kid() -> Iterator[str]:
    with temporary_account() as name:
        yield name


@pytest.fixture
def agent(kid: str) -> Iterator[AgentProcess]:
    place = Path(tempfile.mkdtemp(prefix="gxwi-pin-"))
    place.chmod(0o755)
    (place / "run").mkdir(mode=0o755)
    home = place / "home"
    home.mkdir(mode=0o700)
    with Store(home / "guardian.db") as store:
        api = GuardianAPI(store, SystemClock())
        api.import_rules(family(accounts=(kid,)), "family.toml")
        api.set_pin("parent", "246810")
        secret_file = home / "totp.secret"  # where the agent finds it without a keyring
        secret_file.write_text(SECRET, encoding="ascii")
        secret_file.chmod(0o600)
        api.set_totp_enrolled(True)
    env = {
        "GUARDIAN_SOCKET": str(place / "run" / "agent.sock"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    running = AgentProcess(home, env=env)
    running.socket = Path(env["GUARDIAN_SOCKET"])  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        running.stop()
        shutil.rmtree(place, ignore_errors=True)


def guesses(kid: str, agent: AgentProcess, count: int, key: str, value: str) -> list[str]:
    out = subprocess.run(
        as_account(kid, "-c", GUESS, str(agent.socket), str(count), key, value),  # type: ignore[attr-defined]
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout))


def auth(agent: AgentProcess, **params: str) -> str:
    with IpcClient(agent.socket) as parent:  # type: ignore[attr-defined]
        try:
            return str(parent.call("auth", params, timeout=10)["role"])
        except IpcError as exc:
            return exc.code


def test_a_childs_wrong_pins_over_ipc_never_lock_the_parent_out(kid: str, agent: AgentProcess) -> None:
    seen = guesses(kid, agent, 6, "pin", "000000")
    assert seen[:3] == ["wrong_pin"] * 3 and seen[3:] == ["pin_locked"] * 3
    assert guesses(kid, agent, 1, "pin", "246810") == ["pin_locked"]  # the guessing account waits
    assert auth(agent, pin="246810") == "parent"  # the parent's account does not
    assert auth(agent, pin="246810\n") == "parent"
    with Store(agent.home / "guardian.db") as store:
        failed = store.events.between(None, 0, 2**40, kinds=["pin_failed"])
    assert {e.data["caller"] for e in failed if e.data} == {f"uid:{uid_of(kid)}"}


def test_a_locked_out_parent_gets_in_with_an_authenticator_code(kid: str, agent: AgentProcess) -> None:
    assert guesses(kid, agent, 3, "code", "000000") == ["wrong_pin"] * 3
    for _ in range(4):
        auth(agent, pin="000000")
    assert auth(agent, pin="246810") == "pin_locked"
    code = totp.code_at(SECRET, time.time())
    assert auth(agent, code=code) == "parent"
    assert auth(agent, code=code) == "wrong_pin", "an authenticator code was accepted twice"
    assert auth(agent, pin="246810") == "parent", "the code did not clear the parent's back-off"
    assert auth(agent, pin="246810", code=code) == "bad_params"
    assert os.path.exists(agent.home / "totp.secret")
