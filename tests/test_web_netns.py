"""Web protection end to end, as root, in a network namespace the test makes.

Inside the namespace: the test's own upstream DNS server on 127.0.0.2:53 (and a listener on port 853 standing
in for DNS-over-TLS), the real agent, and a real child account made for the test. The child's lookups go
through the agent's resolver; root (the parent here) talks to the upstream directly. No packet leaves the
namespace's loopback.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from guardian.store import Store
from tests.agent_harness import import_rules, running_agent, wait_for

pytestmark = pytest.mark.slow
UPSTREAM = "127.0.0.2"
UPSTREAM6 = "fd00:9::2"
"""An IPv6 name server in the namespace (on its loopback): the child's lookups to it are filtered too."""


@dataclass
class Namespace:
    name: str
    child: str
    upstream: subprocess.Popen[str]
    server: str = UPSTREAM

    def run(self, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
        who = ["runuser", "-u", user, "--"] if user else []
        return subprocess.run(
            ["ip", "netns", "exec", self.name, *who, *args], capture_output=True, text=True, timeout=30
        )

    def resolves(self, name: str, user: str | None = None) -> str:
        """The address ``getent hosts`` gives ``user`` for ``name``; ``""`` when the lookup fails."""
        done = self.run("getent", "hosts", name, user=user)
        return done.stdout.split()[0] if done.returncode == 0 and done.stdout else ""

    def dot_connects(self, user: str | None = None) -> bool:
        done = self.run("bash", "-c", f"exec 3<>/dev/tcp/{self.server}/853", user=user)
        return done.returncode == 0

    def ruleset(self) -> str:
        return self.run("nft", "list", "ruleset").stdout


@contextmanager
def namespace(server: str) -> Iterator[Namespace]:
    """A network namespace whose only name server is the test's own on ``server``, and a child account."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a network namespace, a user and nftables rules")
    for tool in ("ip", "nft", "useradd", "runuser", "getent"):
        if not shutil.which(tool):
            pytest.skip(f"needs {tool}")
    suffix = secrets.token_hex(3)
    name, child = f"gxweb{suffix}", f"gxweb{suffix}"
    conf_dir = Path("/etc/netns") / name
    subprocess.run(["ip", "netns", "add", name], check=True)
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", child], check=True)
    upstream: subprocess.Popen[str] | None = None
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        if ":" in server:
            added = subprocess.run(
                [
                    "ip",
                    "netns",
                    "exec",
                    name,
                    "ip",
                    "-6",
                    "addr",
                    "add",
                    f"{server}/128",
                    "dev",
                    "lo",
                    "nodad",
                ],
                capture_output=True,
                text=True,
            )
            if added.returncode != 0:
                pytest.skip(f"no IPv6 in the namespace: {added.stderr.strip()}")
        conf_dir.mkdir(parents=True)
        (conf_dir / "resolv.conf").write_text(f"nameserver {server}\noptions timeout:2 attempts:1\n")
        upstream = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                name,
                sys.executable,
                str(Path(__file__).with_name("dns_upstream.py")),
                server,
                "53",
                "--dot-port",
                "853",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert upstream.stdout is not None and upstream.stdout.readline().strip() == "ready"
        yield Namespace(name, child, upstream, server)
    finally:
        if upstream is not None:
            upstream.kill()
            upstream.wait(timeout=10)
            for stream in (upstream.stdin, upstream.stdout):
                if stream is not None:
                    stream.close()
        subprocess.run(["userdel", child], check=False)
        shutil.rmtree(conf_dir, ignore_errors=True)
        subprocess.run(["ip", "netns", "del", name], check=False)


@pytest.fixture
def netns() -> Iterator[Namespace]:
    with namespace(UPSTREAM) as made:
        yield made


@pytest.fixture
def netns6() -> Iterator[Namespace]:
    with namespace(UPSTREAM6) as made:
        yield made


def test_child_dns_is_filtered_and_the_parents_is_not(netns: Namespace, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    before = netns.ruleset()
    import_rules(
        home,
        f'[[child]]\nname = "An"\naccounts = ["{netns.child}"]\n'
        'web = { categories = ["adult", "gambling"], youtube = "strict" }\n',
    )
    # before the agent: the child resolves everything and reaches port 853
    assert netns.resolves("pornhub.com", netns.child) == "10.9.0.2"
    assert netns.dot_connects(netns.child)
    prefix = ["ip", "netns", "exec", netns.name]
    with running_agent(home, prefix=prefix) as agent:
        wait_for("the web rules", lambda: "table inet guardian" in netns.ruleset() or agent._died())
        assert netns.resolves("allowed.example", netns.child) == "10.9.0.1"
        assert netns.resolves("pornhub.com", netns.child) == ""
        assert netns.resolves("www.pornhub.com", netns.child) == ""
        assert netns.resolves("fb88.com", netns.child) == ""
        assert netns.resolves("google.com", netns.child) == "10.9.0.5"  # forcesafesearch.google.com
        assert netns.resolves("youtube.com", netns.child) == "10.9.0.8"  # restrict.youtube.com
        assert not netns.dot_connects(netns.child)
        # the parent (root) is untouched
        assert netns.resolves("pornhub.com") == "10.9.0.2"
        assert netns.resolves("google.com") == "10.9.0.4"
        assert netns.dot_connects()
        assert agent.stop() == 0
    assert netns.ruleset() == before
    assert netns.resolves("pornhub.com", netns.child) == "10.9.0.2"
    with Store(home / "guardian.db") as store:
        child_id = store.children.id_for("An")
        assert child_id is not None
        day = store.conn.execute("SELECT max(day) FROM web_blocks").fetchone()[0]
        assert store.web_blocks.counts(child_id, day, day) == {"adult": 2, "gambling": 1}
    stored = b"".join(p.read_bytes() for p in home.glob("guardian.db*"))
    for name in (b"pornhub", b"fb88", b"allowed.example", b"google.com", b"10.9.0"):
        assert name not in stored


def test_a_killed_agents_rules_are_replaced_at_next_start_and_removed(
    netns: Namespace, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    before = netns.ruleset()
    import_rules(
        home, f'[[child]]\nname = "An"\naccounts = ["{netns.child}"]\nweb = {{ categories = ["adult"] }}\n'
    )
    prefix = ["ip", "netns", "exec", netns.name]
    with running_agent(home, prefix=prefix) as agent:
        wait_for("the web rules", lambda: "table inet guardian" in netns.ruleset() or agent._died())
        agent.kill9()
    stale = netns.ruleset()
    assert "table inet guardian" in stale  # a killed agent cannot clean up; the child's DNS now fails closed
    assert netns.resolves("allowed.example", netns.child) == ""
    with running_agent(home, prefix=prefix) as agent:
        wait_for("the new rules", lambda: netns.resolves("allowed.example", netns.child) or agent._died())
        assert netns.ruleset().count("table inet guardian") == 1
        assert netns.resolves("pornhub.com", netns.child) == ""
    assert netns.ruleset() == before


def test_a_childs_lookups_to_an_ipv6_name_server_are_filtered_not_lost(
    netns6: Namespace, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    before = netns6.ruleset()
    import_rules(
        home, f'[[child]]\nname = "An"\naccounts = ["{netns6.child}"]\nweb = {{ categories = ["adult"] }}\n'
    )
    assert netns6.resolves("pornhub.com", netns6.child) == "10.9.0.2"
    prefix = ["ip", "netns", "exec", netns6.name]
    with running_agent(home, prefix=prefix) as agent:
        wait_for("the web rules", lambda: "table inet guardian" in netns6.ruleset() or agent._died())
        # redirected to the agent's port on ::1, and forwarded to the IPv6 name server
        assert netns6.resolves("allowed.example", netns6.child) == "10.9.0.1"
        assert netns6.resolves("pornhub.com", netns6.child) == ""
        assert netns6.resolves("google.com", netns6.child) == "10.9.0.5"  # SafeSearch over IPv6 too
        assert not netns6.dot_connects(netns6.child)
        assert netns6.resolves("pornhub.com") == "10.9.0.2"  # the parent's lookups are untouched
        assert agent.stop() == 0
    assert netns6.ruleset() == before
