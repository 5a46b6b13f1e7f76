"""Web time: a web app ("YouTube (web)") counted from the child's lookups through the real resolver, with a
fake clock and a fake platform; its limit reached, its names get NXDOMAIN; no name reaches the store."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

from guardian.agent import runner
from guardian.agent.runner import Agent
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.messages import AgentHealth
from guardian.core.model import SCREEN
from guardian.core.webtime import ACTIVE_FOR, active, web_app_for, with_web_time
from guardian.platform.base import Session
from guardian.platform.fake import FakePlatform
from guardian.platform.web import Route
from guardian.resources import builtin_apps
from tests.agent_harness import ME, app_binary, import_rules
from tests.dns_upstream import RECORDS, serve
from tests.helpers import ts

VIDEO_HOST = "r3---sn-8pxuuxa-nbo6l.googlevideo.com"
RULES = f"""
[settings]
timezone = "Asia/Ho_Chi_Minh"
warn_before = ["5s"]

[[app]]
id = "test-browser"
name = "Test Browser"
category = "browsers"
match = {{ exe_names = ["guardian-browser"] }}

[[app]]
id = "test-game"
name = "Test Game"
category = "games"
match = {{ exe_names = ["guardian-game"] }}

[[child]]
name = "Kid"
accounts = ["{ME}"]
web = {{ categories = ["adult"] }}

  [[child.app_limit]]
  apps = ["youtube-web"]
  daily = "20s"
"""


def test_names_of_a_web_app_and_when_it_counts() -> None:
    assert web_app_for(VIDEO_HOST) == "youtube-web"
    assert web_app_for("WWW.YouTube.com.") == "youtube-web"
    assert web_app_for("static.xx.fbcdn.net") == "facebook-web"
    assert web_app_for("notyoutube.com") is None and web_app_for("com") is None
    assert active({"youtube-web": 100.0, "tiktok-web": 0.0}, 100.0 + ACTIVE_FOR) == ["youtube-web"]
    browsers = {"firefox": "browsers"}.get
    never = lambda app: False  # noqa: E731
    assert with_web_time(["firefox", SCREEN], ["youtube-web"], browsers, never) == [
        "firefox",
        "youtube-web",
        SCREEN,
    ]
    assert with_web_time(["game", SCREEN], ["youtube-web"], browsers, never) == ["game", SCREEN]
    # an always-allowed browser adds no screen time; the web app in it does
    assert with_web_time(["firefox"], ["youtube-web"], browsers, never) == ["firefox", "youtube-web", SCREEN]


def test_web_apps_are_in_the_catalog_like_any_app() -> None:
    apps = {app.id: app for app in builtin_apps()}
    assert apps["youtube-web"].name == "YouTube (web)" and apps["youtube-web"].category == "video"
    assert apps["facebook-web"].category == "social"
    from guardian.ui.tray.words import app_name  # how the child's tray names it

    assert app_name("youtube-web") == "YouTube (web)"


class RecordingRedirect:
    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        self.routes = routes

    def verify(self) -> bool:
        return True

    def remove(self) -> None:
        pass


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(RECORDS, VIDEO_HOST, "10.9.0.9")
    socks = serve("127.0.0.1", 0)
    monkeypatch.setenv("GUARDIAN_DNS_UPSTREAM", f"127.0.0.1:{socks[0].getsockname()[1]}")
    monkeypatch.setattr(runner, "web_redirect", RecordingRedirect)  # the child's port is asked directly
    yield
    for sock in socks:
        sock.close()


@pytest.fixture
def programs() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    folder = Path(tempfile.mkdtemp(prefix="guardian-webtime-"))
    running = {
        name: subprocess.Popen([str(app_binary(folder, f"guardian-{name}")), "600"])
        for name in ("browser", "game")
    }
    yield running
    for proc in running.values():
        proc.kill()
        proc.wait()


def ask(agent: Agent, name: str) -> dns.message.Message:
    assert agent.web is not None
    port = agent.web.resolver.ports()["Kid"]
    return dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=5)


def ticks(agent: Agent, clock: FakeClock, n: int) -> None:
    for _ in range(n):
        clock.advance(1.0)
        agent.tick()


def usage(agent: Agent) -> dict[str, int]:
    agent.recorder.flush(agent.clock.now(), agent.clock.monotonic(), AgentHealth.stopped(), final=True)
    child_id = agent.store.children.id_for("Kid")
    assert child_id is not None
    out: dict[str, int] = {}
    for iv in agent.store.usage.between(child_id, 0, 2**40):
        out[iv.app] = out.get(iv.app, 0) + int(iv.seconds)
    return out


@pytest.fixture
def agent(home: Path, upstream: None) -> Iterator[tuple[Agent, FakePlatform, FakeClock]]:
    import_rules(home, RULES)
    platform = FakePlatform(session_list=[Session("s1", ME, display=":fake", kind="x11")])
    clock = FakeClock(now=ts("2026-12-02 16:00"), monotonic=5000.0)
    made = Agent(home, platform=platform, clock=clock, interval=1.0)
    made.start(ipc=False)
    yield made, platform, clock
    made.shutdown()


def test_lookups_count_as_the_web_app_while_a_browser_is_used_until_its_limit(
    agent: tuple[Agent, FakePlatform, FakeClock], programs: dict[str, subprocess.Popen[bytes]], home: Path
) -> None:
    made, platform, clock = agent
    told: list[dict[str, object]] = []
    made._announce = lambda event, users: told.append(event)  # type: ignore[method-assign]
    platform.set_foreground("s1", programs["browser"].pid)
    ticks(made, clock, 3)
    assert ask(made, VIDEO_HOST).answer[0][0].to_text() == "10.9.0.9"
    ticks(made, clock, 10)
    used = usage(made)
    assert 9 <= used["youtube-web"] <= 11 and used["test-browser"] >= 12
    # a game in front: the lookups go on, but no browser is used, so nothing counts for YouTube (web)
    platform.set_foreground("s1", programs["game"].pid)
    ask(made, VIDEO_HOST)
    ticks(made, clock, 5)
    assert 9 <= usage(made)["youtube-web"] <= 11
    # back to the browser, and the limit (20 s) is reached: YouTube's names no longer resolve for the child
    platform.set_foreground("s1", programs["browser"].pid)
    ticks(made, clock, 12)
    assert usage(made)["youtube-web"] >= 20
    status = made.children["Kid"].status
    assert status is not None and status.app_verdict("youtube-web") == "exhausted"
    assert ask(made, VIDEO_HOST).rcode() == dns.rcode.NXDOMAIN
    assert ask(made, "www.youtube.com").rcode() == dns.rcode.NXDOMAIN
    # the child's tray is told once, as for an app closed at its limit, and the summary counts the limit
    held = [e for e in told if e.get("app") == "youtube-web"]
    assert held == [{"event": "blocked", "child": "Kid", "app": "youtube-web", "verdict": "exhausted"}]
    child_id = made.store.children.id_for("Kid")
    events = made.store.events.between(child_id, 0, 2**40, kinds=["limit_reached"])
    assert [(e.app, e.data) for e in events] == [("youtube-web", {"what": "exhausted"})]
    assert ask(made, "allowed.example").answer[0][0].to_text() == "10.9.0.1"
    stored = b"".join(p.read_bytes() for p in home.glob("guardian.db*"))
    assert b"googlevideo" not in stored and b"youtube.com" not in stored


def test_without_lookups_for_five_minutes_the_web_app_stops_counting(
    agent: tuple[Agent, FakePlatform, FakeClock], programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    made, platform, clock = agent
    platform.set_foreground("s1", programs["browser"].pid)
    ask(made, "www.youtube.com")
    ticks(made, clock, 5)
    first = usage(made)["youtube-web"]
    assert 4 <= first <= 6
    assert made.web is not None and made.web.web_apps_in_use("Kid") == ["youtube-web"]
    clock.advance(ACTIVE_FOR)  # reading another site for five minutes (the gap itself is not credited)
    ticks(made, clock, 5)
    assert made.web.web_apps_in_use("Kid") == []
    assert usage(made)["youtube-web"] == first


def test_a_parent_finds_it_in_the_app_picker_and_puts_a_limit_on_it(api: GuardianAPI) -> None:
    from guardian.ui.console import rules_model as rm

    found = [app.id for app in rm.search_apps(api.catalog().apps(), "youtube", "video")]
    assert "youtube-web" in found
    api.import_rules(RULES, "family.toml")
    assert 'apps = ["youtube-web"]' in api.export_rules()
    limit = api.rules().children[0].app_limits[0]
    assert limit.apps == ("youtube-web",) and limit.daily.on(0) == 20
