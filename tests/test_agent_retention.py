"""The real agent deletes records older than ``retention_days`` once a day, and nothing newer.

The child is a real second OS account made for the test (root only), so the agent runs as it would on a
family computer: watching another account's processes while it trims the record.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.store import Store
from tests.agent_harness import family, import_rules, running_agent, wait_for

pytestmark = pytest.mark.slow
DAY = 86_400


@pytest.fixture
def child_account() -> Iterator[str]:
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to make the child's OS account")
    name = f"gxsu{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


def test_agent_deletes_only_what_is_older_than_retention_days(home: Path, child_account: str) -> None:
    import_rules(home, "[settings]\nretention_days = 7\n" + family(accounts=(child_account,)))
    now = int(time.time())
    with Store(home / "guardian.db") as store:
        kid = store.children.id_for("Kid")
        assert kid is not None
        store.usage.write(
            [
                (kid, "@screen", now - 30 * DAY, now - 30 * DAY + 600),
                (kid, "@screen", now - 7 * DAY - 700, now - 7 * DAY - 100),
                (kid, "@screen", now - 7 * DAY + 3600, now - 7 * DAY + 4200),
                (kid, "@screen", now - DAY, now - DAY + 600),
            ]
        )
        store.events.add("warning", ts=now - 20 * DAY, child_id=kid)
        store.events.add("warning", ts=now - 2 * DAY, child_id=kid)

    def retention_logged() -> bool:
        with Store(home / "guardian.db") as store:
            return bool(store.events.between(None, now - 60, now + 3600, kinds=["retention"]))

    with running_agent(home):
        wait_for("the agent's retention pass", retention_logged, timeout=30)
    with Store(home / "guardian.db") as store:
        starts = [int(iv.start) for iv in store.usage.between(kid, 0, now + DAY)]
        warnings = [e.ts for e in store.events.between(kid, 0, now + DAY, kinds=["warning"])]
        [log] = store.events.between(None, now - 60, now + 3600, kinds=["retention"])
        done_for = store.meta.get("retention_done_for")
    assert starts == [now - 7 * DAY + 3600, now - DAY]
    assert [ts for ts in warnings if ts < now - 60] == [now - 2 * DAY]  # the agent may warn anew today
    assert log.data is not None and log.data["usage"] == 2 and log.data["events"] == 1
    assert done_for is not None
