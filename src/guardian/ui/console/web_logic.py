"""The Web page's decisions, without Qt: a child's web rules as a form, and back into the rules."""

from __future__ import annotations

from dataclasses import dataclass, replace

from guardian.core.model import Rules
from guardian.core.webfilter import CATEGORIES, YOUTUBE_MODES, WebRules, normalize


class WebFormError(ValueError):
    """``args[0]`` names the problem (``site``, ``child``) for a translated message."""


@dataclass(frozen=True)
class WebForm:
    enabled: bool
    categories: frozenset[str]
    safesearch: bool
    youtube: str
    allow: tuple[str, ...]
    block: tuple[str, ...]


def form_for(rules: Rules, child: str) -> WebForm:
    found = rules.child(child)
    if found is None:
        raise WebFormError("child")
    web = found.web
    if web is None:
        return WebForm(False, frozenset(), True, "moderate", (), ())
    return WebForm(True, frozenset(web.categories), web.safesearch, web.youtube, web.allow, web.block)


def site_name(text: str) -> str:
    """A site as a parent types it (``https://www.Example.com/page``) → ``www.example.com``."""
    text = text.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0].split(":", 1)[0]
    name = normalize(text)
    if not name or "." not in name or not all(c.isalnum() or c in "-." for c in name):
        raise WebFormError("site")
    return name


def apply_form(rules: Rules, child: str, form: WebForm) -> Rules:
    """``rules`` with ``child``'s web rules replaced by ``form`` (``None`` when switched off)."""
    if form.youtube not in YOUTUBE_MODES:
        raise WebFormError("youtube")
    web = (
        WebRules(
            categories=tuple(c for c in CATEGORIES if c in form.categories),
            safesearch=form.safesearch,
            youtube=form.youtube,
            allow=tuple(dict.fromkeys(form.allow)),
            block=tuple(dict.fromkeys(form.block)),
        )
        if form.enabled
        else None
    )
    found = False
    children = []
    for c in rules.children:
        if c.name.casefold() == child.casefold():
            found = True
            c = replace(c, web=web)
        children.append(c)
    if not found:
        raise WebFormError("child")
    return replace(rules, children=tuple(children))
