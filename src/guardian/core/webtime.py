"""Web time: video and social sites counted as apps ("YouTube (web)") from the child's DNS lookups. Pure.

The agent's resolver sees which names a filtered child looks up. When a name belongs to one of
:data:`WEB_APPS` (``googlevideo.com`` is YouTube's video servers), the agent notes, in memory only, the time
of that app's last lookup for the child. While that is at most :data:`ACTIVE_FOR` seconds ago and the
child is using a browser, the credit stage counts the web app as in use, beside the browser, so its
minutes and app limits (``apps = ["youtube-web"]`` or ``category:video``) work like any app's. When the
app is blocked or its limit is reached, the resolver answers its names with NXDOMAIN for that child until
the verdict changes (the next day, a grant). No name, address or title is stored: only the app id's
minutes, as for every app. How exact this is: ``docs/web.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from guardian.core.model import SCREEN, App, AppMatch

ACTIVE_FOR = 300.0
"""Seconds a web app counts as in use after its last lookup: browsers and the OS cache answers for about a
minute, and a playing video looks up new ``googlevideo.com`` servers every few minutes."""
BROWSERS = "browsers"


@dataclass(frozen=True)
class WebApp:
    app: App
    domains: tuple[str, ...]
    """Names whose lookups (the name or anything under it) mean the site is being used."""


def _web(app_id: str, name: str, category: str, domains: tuple[str, ...]) -> WebApp:
    return WebApp(App(id=app_id, name=name, category=category, match=AppMatch(), builtin=True), domains)


WEB_APPS: tuple[WebApp, ...] = (
    _web(
        "youtube-web",
        "YouTube (web)",
        "video",
        ("youtube.com", "googlevideo.com", "youtubei.googleapis.com", "youtube-nocookie.com", "ytimg.com"),
    ),
    _web("tiktok-web", "TikTok (web)", "video", ("tiktok.com", "tiktokcdn.com", "tiktokv.com")),
    _web("facebook-web", "Facebook (web)", "social", ("facebook.com", "fbcdn.net", "messenger.com")),
    _web("instagram-web", "Instagram (web)", "social", ("instagram.com", "cdninstagram.com")),
)
"""The web apps: catalog apps without a process (``resources.builtin_apps`` adds them to the catalog)."""

_BY_DOMAIN: dict[str, str] = {d: w.app.id for w in WEB_APPS for d in w.domains}


def web_app_for(name: str) -> str | None:
    """The web app a looked-up ``name`` belongs to (suffix match: ``r3---sn-x.googlevideo.com``), or None."""
    labels = name.lower().rstrip(".").split(".")
    for i in range(len(labels) - 1):
        found = _BY_DOMAIN.get(".".join(labels[i:]))
        if found is not None:
            return found
    return None


def active(last_lookup: Mapping[str, float], now: float, window: float = ACTIVE_FOR) -> list[str]:
    """The web apps looked up within ``window`` seconds before ``now`` (monotonic seconds)."""
    return sorted(app for app, at in last_lookup.items() if 0 <= now - at <= window)


def with_web_time(
    apps: list[str],
    web_apps: Iterable[str],
    category_of: Callable[[str], str | None],
    always_allowed: Callable[[str], bool],
) -> list[str]:
    """``apps`` (what the credit stage counts, ``@screen`` included) plus the active ``web_apps`` when a
    browser is among them; screen time is added when a counted web app is not always allowed."""
    if not any(category_of(a) == BROWSERS for a in apps):
        return apps
    extra = [a for a in web_apps if a not in apps]
    if not extra:
        return apps
    out = [a for a in apps if a != SCREEN] + extra
    if SCREEN in apps or not all(always_allowed(a) for a in extra):
        out.append(SCREEN)
    return out
