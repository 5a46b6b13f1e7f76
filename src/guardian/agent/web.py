"""Web protection in the agent: the resolver, the OS redirect, and the blocked-lookup counts.

``configure`` follows the rules (children with a ``web`` table get a resolver port and a redirect, and the
browsers' managed policies are brought in line: ``agent/webpolicies.py``); ``tick`` runs each minute from
the agent loop: it re-reads the lists if the parents imported one, checks the redirect and the policies are
still in place (restoring them, and saying so, when they are not) and adds the counts of blocked lookups to
the store. ``close`` removes every rule. Only counts per category reach the store.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from guardian.agent.webpolicies import PolicyKeeper
from guardian.agent.webresolver import WebResolver, parse_upstream, system_upstream
from guardian.core.model import Rules
from guardian.core.policy import ChildStatus
from guardian.core.webfilter import ChildFilter
from guardian.core.webtime import WEB_APPS, active
from guardian.platform.web import Route, WebRedirect
from guardian.resources import resource_path
from guardian.store import Store
from guardian.store.errors import StoreError
from guardian.weblists import list_files, load_lists

log = logging.getLogger("guardian.web")

CHECK_EVERY = 60.0
UPSTREAM_ENV = "GUARDIAN_DNS_UPSTREAM"
"""``host[:port],…``: the upstream resolvers, instead of ``/etc/resolv.conf`` (tests)."""


def doh_addresses() -> list[str]:
    text = resource_path("web/doh-ips.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _uid(account: str) -> int | None:
    import pwd  # POSIX only; the redirect that needs uids exists only on Linux

    try:
        return pwd.getpwnam(account).pw_uid
    except KeyError:
        return None


class WebGuard:
    def __init__(
        self,
        home: Path,
        store: Store,
        redirect: WebRedirect | None,
        policies: PolicyKeeper | None = None,
        *,
        mono: Callable[[], float] = time.monotonic,
    ) -> None:
        self.home = home
        self.mono = mono
        self.last_lookup: dict[str, dict[str, float]] = {}
        """Per child, per web app, when it was last looked up (monotonic; memory only): web time."""
        self.policies = policies if policies is not None else PolicyKeeper.for_home(home)
        self.rules = Rules()
        self.store = store
        self.redirect = redirect
        upstream_text = os.environ.get(UPSTREAM_ENV, "")
        upstream = parse_upstream(upstream_text) if upstream_text else system_upstream()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.counts_lock = threading.Lock()
        self.resolver = WebResolver(upstream, self._blocked, on_web=self._web_used)
        self.routes: list[Route] = []
        self.lists_stamp: tuple[tuple[str, float], ...] = ()
        self.checked_at = -1e9
        self.warned = False

    def _blocked(self, child: str, category: str) -> None:
        with self.counts_lock:
            self.counts[(child, category)] += 1

    def _web_used(self, child: str, app: str) -> None:
        at = self.mono()
        with self.counts_lock:
            self.last_lookup.setdefault(child, {})[app] = at

    def web_apps_in_use(self, child: str) -> list[str]:
        """The web apps ``child`` looked up lately (the credit stage counts them while a browser is used)."""
        with self.counts_lock:
            seen = dict(self.last_lookup.get(child, {}))
        return active(seen, self.mono())

    def hold(self, statuses: Iterable[ChildStatus | None]) -> list[tuple[str, str, str]]:
        """Each tick: the web apps a child may not use now (blocked, limit reached) get NXDOMAIN.

        Returns ``(child, app, verdict)`` for each web app newly held while the child was using it (the
        agent tells the child's tray, as for an app it closes)."""
        held: dict[str, frozenset[str]] = {}
        verdicts: dict[tuple[str, str], str] = {}
        for status in statuses:
            if status is None:
                continue
            for web in WEB_APPS:
                verdict = status.app_verdict(web.app.id)
                if verdict in ("blocked", "exhausted"):
                    verdicts[(status.child, web.app.id)] = verdict
            ids = frozenset(app for child, app in verdicts if child == status.child)
            if ids:
                held[status.child] = ids
        before = self.resolver.held
        if held == before:
            return []
        self.resolver.hold(held)
        log.info("web apps held: %s", {c: sorted(a) for c, a in held.items()})
        return [
            (child, app, verdicts[(child, app)])
            for child, apps in held.items()
            for app in sorted(apps - before.get(child, frozenset()))
            if app in self.web_apps_in_use(child)
        ]

    def configure(self, rules: Rules) -> None:
        """Serve and redirect exactly the children whose rules have a ``web`` table."""
        self.rules = rules
        self.policies.apply(rules)
        self._reload_lists()
        filters = {c.name: ChildFilter.of(c.web) for c in rules.children if c.web is not None}
        if filters and self.redirect is None:
            if not self.warned:
                log.warning("web protection is in the rules but not available here (needs root and nftables)")
                self.warned = True
            return
        try:
            ports = self.resolver.configure(filters)
        except OSError as exc:  # no loopback port: keep the rules installed before (fail closed)
            log.error("web resolver could not open its ports: %s; the previous web rules stay", exc)
            return
        routes = []
        for child in rules.children:
            for account in child.accounts if child.name in ports else ():
                uid = _uid(account)
                if uid is not None:
                    routes.append(Route(uid, ports[child.name]))
        self.routes = sorted(routes)
        self._apply()

    def _apply(self) -> None:
        if self.redirect is None:
            return
        try:
            if self.routes:
                self.redirect.install(self.routes, doh_addresses())
            else:
                self.redirect.remove()
        except RuntimeError as exc:
            log.error("web rules could not be installed: %s", exc)

    def _reload_lists(self) -> None:
        files = list_files(self.home)
        stamp = tuple((str(p), p.stat().st_mtime) for p in files)
        if stamp != self.lists_stamp:
            self.lists_stamp = stamp
            lists = load_lists(self.home)
            self.resolver.set_lists(lists)
            log.info("web lists loaded: %d names", len(lists))

    def tick(self, mono: float, day: str, child_ids: dict[str, int]) -> None:
        """Once a minute: reload changed lists, verify the redirect and the policies, store the counts."""
        if mono - self.checked_at < CHECK_EVERY:
            return
        self.checked_at = mono
        self._reload_lists()
        if self.redirect is not None and self.routes and not self.redirect.verify():
            log.warning("web rules were missing or changed: restoring them")
            self._apply()
        self.policies.apply(self.rules)
        self.flush(day, child_ids)

    def flush(self, day: str, child_ids: dict[str, int]) -> None:
        if not day:  # before the agent's first tick: keep counting
            return
        with self.counts_lock:
            counts, self.counts = self.counts, Counter()
        rows = {(child_ids[c], day, cat): n for (c, cat), n in counts.items() if c in child_ids}
        try:
            self.store.web_blocks.add(rows)
        except StoreError as exc:
            log.warning("blocked-lookup counts not stored yet: %s", exc)
            with self.counts_lock:
                self.counts.update(counts)

    def close(self, day: str, child_ids: dict[str, int]) -> None:
        """Remove every rule, stop the resolver, store the last counts."""
        if self.redirect is not None:
            try:
                self.redirect.remove()
            except RuntimeError as exc:
                log.error("web rules could not be removed: %s", exc)
        self.resolver.close()
        self.flush(day, child_ids)
