"""The Web page for the demo child "Minh An", with web protection on, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from guardian.api import GuardianAPI
from guardian.core.webfilter import WebRules
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from shots import wait_for_jobs

DEMO_CHILD = "Minh An"
SIZE = (1180, 820)


def _with_web(api: GuardianAPI) -> None:
    rules = api.rules()
    children = tuple(
        replace(
            c,
            web=WebRules(
                categories=("adult", "gambling", "violence", "scams", "proxies", "social"),
                youtube="strict",
                allow=("khanacademy.org", "olm.vn"),
                block=("roblox.com",),
            ),
        )
        if c.name == DEMO_CHILD
        else c
        for c in rules.children
    )
    api.save_rules(replace(rules, children=children), "screenshots")


def render_screenshots(out_dir: Path, api: GuardianAPI) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    _with_web(api)
    written = []
    for language in ("vi", "en"):
        i18n.install(language)
        ctx = ConsoleContext(api)
        ctx.language = language
        window = ConsoleWindow(ctx, first_run=False)
        window.unlock("parent", "1234")
        window.resize(*SIZE)
        window.show()
        window.show_page("web")
        window.pages["web"].select_child(DEMO_CHILD)  # type: ignore[attr-defined]
        wait_for_jobs()
        path = out_dir / f"web-{language}.png"
        window.grab().save(str(path))
        written.append(path)
        window.lock()
        window.close()
        window.deleteLater()
    i18n.install("vi")
    return written
