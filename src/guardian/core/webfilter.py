"""Web filtering decisions: one domain name, one child's web rules, in-memory lists → allow, block or rewrite.

Pure: no sockets, no files. The resolver (``agent/webresolver.py``) asks :func:`decide` for every lookup of
a child; the lists are swapped as a whole when the parents change them, so updates need no restart.

Matching is by suffix: a list entry ``example.com`` covers ``example.com`` and every name under it
(``www.example.com``, ``a.b.example.com``) but not ``badexample.com``. SafeSearch rewrites are exact names,
as the search engines document them (``mail.google.com`` must keep working).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

CATEGORIES: tuple[str, ...] = (
    "adult",
    "gambling",
    "violence",
    "scams",
    "proxies",
    "social",
    "games",
    "video",
)
"""Web categories a parent can block, in the order the console shows them."""
CUSTOM = "custom"
"""The category counted for a site the parent blocked by name."""
BYPASS = "bypass"
"""DNS-over-HTTPS resolvers' names: always blocked for a filtered child, or the filter is bypassed."""
YOUTUBE_MODES: tuple[str, ...] = ("strict", "moderate", "off")
MAX_NAME = 253

Action = Literal["allow", "block", "rewrite"]


@dataclass(frozen=True)
class WebRules:
    """One child's web protection, as written in the family file's ``web`` table."""

    categories: tuple[str, ...] = ()
    """Blocked categories (names from ``CATEGORIES``)."""
    safesearch: bool = True
    youtube: str = "moderate"
    """YouTube Restricted Mode: ``strict``, ``moderate`` or ``off``."""
    allow: tuple[str, ...] = ()
    """Sites always allowed for this child (a name and everything under it)."""
    block: tuple[str, ...] = ()
    """Sites always blocked for this child."""


@dataclass(frozen=True)
class Decision:
    action: Action
    category: str = ""
    """For ``block``: the category counted (``custom`` for a site the parent named)."""
    target: str = ""
    """For ``rewrite``: the name to answer with (a CNAME to it and its addresses)."""


ALLOW = Decision("allow")

_GOOGLE = "forcesafesearch.google.com"
_SAFESEARCH: dict[str, str] = {
    **{f"{www}google.{tld}": _GOOGLE for www in ("", "www.") for tld in ("com", "com.vn", "vn")},
    "bing.com": "strict.bing.com",
    "www.bing.com": "strict.bing.com",
    "duckduckgo.com": "safe.duckduckgo.com",
    "www.duckduckgo.com": "safe.duckduckgo.com",
}
_YOUTUBE_NAMES = (
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtubei.googleapis.com",
    "youtube.googleapis.com",
    "www.youtube-nocookie.com",
)
_YOUTUBE_TARGET = {"strict": "restrict.youtube.com", "moderate": "restrictmoderate.youtube.com"}
DOH_NAMES: frozenset[str] = frozenset(
    {
        "dns.google",
        "dns.google.com",
        "cloudflare-dns.com",
        "mozilla.cloudflare-dns.com",
        "one.one.one.one",
        "1dot1dot1dot1.cloudflare-dns.com",
        "dns.quad9.net",
        "doh.opendns.com",
        "dns.adguard.com",
        "dns.adguard-dns.com",
        "doh.cleanbrowsing.org",
        "dns.nextdns.io",
        "doh.mullvad.net",
        "use-application-dns.net",
    }
)
"""Names of well-known DNS-over-HTTPS services (and Firefox's canary name, whose NXDOMAIN turns its
automatic DoH off)."""


def normalize(name: str) -> str:
    """Lower case, no trailing dot; ``""`` for something that is not a host name."""
    name = name.strip().rstrip(".").lower()
    if not name or len(name) > MAX_NAME or any(c.isspace() for c in name) or ".." in name:
        return ""
    return name


def suffixes(name: str) -> Iterable[str]:
    """``a.b.c`` → ``a.b.c``, ``b.c``, ``c``."""
    yield name
    start = name.find(".")
    while start != -1:
        yield name[start + 1 :]
        start = name.find(".", start + 1)


class DomainLists:
    """Every category's domains in one dict (name → bit mask of categories): one lookup per label."""

    def __init__(self, lists: Mapping[str, Iterable[str]] | None = None) -> None:
        self.masks: dict[str, int] = {}
        for category, names in (lists or {}).items():
            bit = 1 << _index(category)
            for raw in names:
                name = normalize(raw)
                if name:
                    self.masks[name] = self.masks.get(name, 0) | bit

    def __len__(self) -> int:
        return len(self.masks)

    def match(self, name: str, mask: int) -> str:
        """The first blocked category (within ``mask``) covering ``name`` or a parent domain; ``""`` if none."""
        for suffix in suffixes(name):
            hit = self.masks.get(suffix, 0) & mask
            if hit:
                return CATEGORIES[(hit & -hit).bit_length() - 1]
        return ""


def _index(category: str) -> int:
    try:
        return CATEGORIES.index(category)
    except ValueError:
        raise ValueError(f"'{category}' is not a web category; use one of {', '.join(CATEGORIES)}") from None


@dataclass(frozen=True)
class ChildFilter:
    """A child's web rules prepared for lookups: sets and a category mask."""

    mask: int
    safesearch: bool
    youtube: str
    allow: frozenset[str] = field(default_factory=frozenset)
    block: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, rules: WebRules) -> ChildFilter:
        mask = 0
        for category in rules.categories:
            mask |= 1 << _index(category)
        return cls(
            mask=mask,
            safesearch=rules.safesearch,
            youtube=rules.youtube,
            allow=frozenset(n for n in map(normalize, rules.allow) if n),
            block=frozenset(n for n in map(normalize, rules.block) if n),
        )


def decide(name: str, child: ChildFilter, lists: DomainLists) -> Decision:
    """What the child's resolver answers for ``name``: the parent's allow list wins, then their block
    list, DoH names, the blocked categories, and last the SafeSearch rewrites."""
    name = normalize(name)
    if not name:
        return ALLOW
    names = list(suffixes(name))
    if any(n in child.allow for n in names):
        return ALLOW
    if any(n in child.block for n in names):
        return Decision("block", CUSTOM)
    if name in DOH_NAMES:
        return Decision("block", BYPASS)
    category = lists.match(name, child.mask)
    if category:
        return Decision("block", category)
    target = rewrite_target(name, child)
    return Decision("rewrite", target=target) if target else ALLOW


def rewrite_target(name: str, child: ChildFilter) -> str:
    if child.safesearch and name in _SAFESEARCH:
        return _SAFESEARCH[name]
    if name in _YOUTUBE_NAMES and child.youtube in _YOUTUBE_TARGET:
        return _YOUTUBE_TARGET[child.youtube]
    return ""


def parse_list(text: str) -> list[str]:
    """Domains from a plain list (one per line) or a hosts file (``0.0.0.0 name [name…]``); ``#`` comments,
    blank lines, ``localhost`` entries and anything that is not a host name are skipped."""
    out: list[str] = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) > 1 and _looks_like_address(fields[0]):
            fields = fields[1:]
        for raw in fields[:1] if len(fields) == 1 else fields:
            name = normalize(raw)
            if _is_listable(name):
                out.append(name)
    return out


def _is_listable(name: str) -> bool:
    return (
        "." in name
        and not _looks_like_address(name)
        and not name.startswith("localhost")
        and all(c.isalnum() or c in "-._" for c in name)
    )


def _looks_like_address(text: str) -> bool:
    return ":" in text or all(part.isdigit() for part in text.split("."))


def check_web_table(table: Mapping[str, object]) -> WebRules:
    """A family file's ``web`` table → ``WebRules``; ``ValueError(key, message)`` for a bad value."""
    unknown = set(table) - {"categories", "safesearch", "youtube", "allow", "block"}
    if unknown:
        key = sorted(unknown)[0]
        raise ValueError(key, f"unknown key '{key}'")
    categories = _names(table.get("categories", []), "categories")
    for category in categories:
        if category not in CATEGORIES:
            raise ValueError("categories", f"'{category}' is not a web category; use {', '.join(CATEGORIES)}")
    safesearch = table.get("safesearch", True)
    if not isinstance(safesearch, bool):
        raise ValueError("safesearch", "must be true or false")
    youtube = table.get("youtube", "moderate")
    if youtube not in YOUTUBE_MODES:
        raise ValueError("youtube", f"must be one of {', '.join(YOUTUBE_MODES)}")
    sites = {}
    for key in ("allow", "block"):
        sites[key] = _names(table.get(key, []), key)
        for site in sites[key]:
            if not normalize(site) or normalize(site) != site.lower().rstrip("."):
                raise ValueError(key, f"'{site}' is not a site name")
    return WebRules(
        categories=categories,
        safesearch=safesearch,
        youtube=str(youtube),
        allow=sites["allow"],
        block=sites["block"],
    )


def _names(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 10_000:
        raise ValueError(key, "must be a list of text")
    return tuple(dict.fromkeys(value))


def web_table(rules: WebRules) -> dict[str, object]:
    """The family file's ``web`` table for ``rules`` (inverse of :func:`check_web_table`)."""
    return {
        "categories": list(rules.categories),
        "safesearch": rules.safesearch,
        "youtube": rules.youtube,
        "allow": list(rules.allow),
        "block": list(rules.block),
    }
