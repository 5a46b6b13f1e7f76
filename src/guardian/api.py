"""``GuardianAPI``: every operation a client can ask for, over one store and one clock.

The CLI calls it in-process; the agent serves it over IPC; the console uses whichever is available.
It holds the logic between transport and storage: validation, PIN checks, report assembly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardian import pins
from guardian.core import familyfile, policy
from guardian.core.calendar import days_between, logical_day, logical_day_of, resolve_zone
from guardian.core.catalog import Catalog
from guardian.core.clock import Clock
from guardian.core.messages import (
    MAX_GRANT_SECONDS,
    AgentHealth,
    EventKind,
    Report,
    ReportChild,
    RequestAnswer,
    Status,
    WireError,
)
from guardian.core.model import ROLES, Child, Grant, Interval, Rules
from guardian.core.report import ReportDay, assemble_days
from guardian.errors import InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from guardian.resources import builtin_apps
from guardian.store import Store
from guardian.store.errors import StoreError as StoreError  # for clients that must not import store
from guardian.store.retention import BATCH, Progress
from guardian.store.rows import PinRecord, RequestRow, RequestStatus
from guardian.usage_rollup import child_usage

if TYPE_CHECKING:
    from guardian.core.summary import ChildSummary

log = logging.getLogger("guardian.api")

BACKOFF_KEY = "pin_backoff"
"""Wrong-PIN back-off per calling account: ``{caller: {"failures", "until", "totp_failures", "totp_until"}}``."""
TOTP_STEP_KEY = "totp_last_step"
"""The time step of the last authenticator code accepted: a code is never accepted twice."""
TOTP_FREE_FAILURES = 5
AGENT_KEY = "agent_health"
UI_LANGUAGE_KEY = "ui_language"
TOTP_KEY = "totp"
TOTP_USED_KEY = "totp_last_step"
CODE_BACKOFF_KEY = "code_backoff"
"""Wrong authenticator codes back off like wrong PINs, so a child cannot try a million codes."""
"""The last authenticator time step that approved a request: that code and older ones never work again."""
RETENTION_KEY = "retention_done_for"
UI_LANGUAGES = ("vi", "en")
"""Console languages, Vietnamese first (the default)."""
MAX_GRANT = MAX_GRANT_SECONDS
UNDO_GRANT_SECONDS = 60
"""How long a grant given by mistake can be taken back."""
MACHINE_EVENTS = frozenset({EventKind.AGENT_GAP, EventKind.CLOCK_CHANGED})
"""Events about the whole computer that every child's report shows (tamper evidence)."""


@dataclass(frozen=True)
class PendingRequest:
    """A child's unanswered request for more time."""

    id: int
    child: str
    seconds: int
    app: str | None
    reason: str
    ts: int


@dataclass(frozen=True)
class NotableEvent:
    ts: int
    kind: str
    child: str | None
    app: str | None
    data: Mapping[str, Any] | None


@dataclass(frozen=True)
class ImportResult:
    version: int
    rules: Rules
    changed: bool


class GuardianAPI:
    def __init__(self, store: Store, clock: Clock, *, tz: tzinfo | None = None) -> None:
        self.store = store
        self.clock = clock
        self._tz_fallback = tz
        self._rules_cache: tuple[int, Rules] | None = None
        self._catalog_cache: tuple[Rules, Catalog] | None = None

    @classmethod
    def open(cls, path: Path, clock: Clock, *, tz: tzinfo | None = None) -> GuardianAPI:
        """An API on the database file ``path``, created or migrated as needed (``StoreError`` if it cannot)."""
        return cls(Store(path), clock, tz=tz)

    def reader(self, *, writable: bool = False) -> GuardianAPI:
        """Another API on the same database, read-only unless ``writable``, for another thread (a SQLite
        connection stays in the thread that opened it)."""
        return GuardianAPI(Store(self.store.path, readonly=not writable), self.clock, tz=self._tz_fallback)

    def close(self) -> None:
        self.store.close()

    # -- rules -------------------------------------------------------------------------------

    def rules(self) -> Rules:
        current = self.store.rules.current()
        if current is None:
            return Rules()
        version, text = current
        if self._rules_cache is None or self._rules_cache[0] != version:
            self._rules_cache = (version, familyfile.loads(text, source=f"stored rules v{version}"))
        return self._rules_cache[1]

    def rules_version(self) -> int:
        current = self.store.rules.current()
        return 0 if current is None else current[0]

    def catalog(self, rules: Rules | None = None) -> Catalog:
        """The built-in catalog plus the custom apps of ``rules``; built once per rules version."""
        rules = rules if rules is not None else self.rules()
        cached = self._catalog_cache
        if cached is None or (cached[0] is not rules and cached[0].apps != rules.apps):
            self._catalog_cache = cached = (rules, Catalog(builtin_apps(), rules.apps))
        return cached[1]

    def check_rules(self, data: bytes | str, source: str = "") -> Rules:
        """Parse and validate a family file without storing it. Raises ``FamilyFileError``."""
        text = familyfile.decode(data, source) if isinstance(data, bytes) else data
        builtin = Catalog(builtin_apps())
        return familyfile.loads(text, source=source, known_ref=builtin.is_known_ref)

    def import_rules(self, data: bytes | str, source: str = "", *, pin: str | None = None) -> ImportResult:
        """Validate and store a family file as the current rules; nothing changes on any error."""
        rules = self.check_rules(data, source)
        self.require_role("parent", pin)
        return self.save_rules(rules, source or "import")

    def save_rules(self, rules: Rules, source: str) -> ImportResult:
        """Store ``rules`` (already validated and authorised) as a new version.

        Raises ``FamilyFileError`` and stores nothing when the written text would not load back.
        """
        text = familyfile.dumps_checked(rules, source)
        current = self.store.rules.current()
        if current is not None and current[1] == text:
            return ImportResult(current[0], rules, changed=False)
        children = [(c.name, c.age, list(c.accounts)) for c in rules.children]
        version = self.store.rules.save(text, source, children)
        self.store.events.add("rules_changed", ts=int(self.clock.now()), data={"version": version})
        log.info("rules saved as version %s from %s", version, source)
        return ImportResult(version, rules, changed=True)

    def export_rules(self) -> str:
        return familyfile.dumps(self.rules())

    # -- children ------------------------------------------------------------------------------

    def save_child(
        self, child: Child, *, old_name: str | None = None, pin: str | None = None
    ) -> ImportResult:
        """Add ``child``, or put it in place of ``old_name`` (a rename keeps that child's records).

        Parent PIN. The new rules are checked like an imported file (names and accounts unique); on any
        error nothing changes.
        """
        self.require_role("parent", pin)
        rules = self.rules()
        children = list(rules.children)
        old = rules.child(old_name) if old_name is not None else None
        if old_name is not None and old is None:
            raise InvalidInput(f"there is no child named '{old_name}'")
        renamed = old is not None and old.name != child.name
        if old is None or renamed:
            other = rules.child(child.name)
            if other is not None and other is not old:
                raise InvalidInput(f"there is already a child named '{child.name}'")
        if renamed and self.store.children.by_name(child.name) is not None:
            raise InvalidInput(f"'{child.name}' still has records of an earlier child; erase them first")
        if old is None:
            children.append(child)
        else:
            children[children.index(old)] = child
        new_rules = replace(rules, children=tuple(children))
        self.check_rules(familyfile.dumps(new_rules), "console")
        if renamed and old is not None:
            self.store.children.rename(old.name, child.name)
        return self.save_rules(new_rules, "console")

    def remove_child(self, name: str, *, erase: bool = False, pin: str | None = None) -> ImportResult:
        """Take ``name`` out of the rules; their records stay (a report still shows them) unless ``erase``."""
        self.require_role("parent", pin)
        rules = self.rules()
        target = rules.child(name)
        if target is None:
            raise InvalidInput(f"there is no child named '{name}'")
        result = self.save_rules(
            replace(rules, children=tuple(c for c in rules.children if c is not target)), "console"
        )
        if erase:
            child_id = self.store.children.id_for(target.name)
            if child_id is not None:
                removed = self.store.retention.erase_child(child_id)
                self.store.events.add(
                    "child_erased", ts=int(self.clock.now()), data={"rows": sum(removed.values())}
                )
        return result

    # -- time zone and days --------------------------------------------------------------------

    def zone(self, rules: Rules | None = None) -> tzinfo:
        return resolve_zone((rules or self.rules()).settings.timezone, self._tz_fallback)

    def today(self) -> date:
        rules = self.rules()
        return logical_day(self.clock.now(), self.zone(rules), rules.settings.day_starts_at).day

    # -- status --------------------------------------------------------------------------------

    def evaluate(self, name: str | None = None) -> dict[str, policy.ChildStatus]:
        rules = self.rules()
        tz = self.zone(rules)
        now = self.clock.now()
        today = logical_day(now, tz, rules.settings.day_starts_at)
        day, start, end = today.day, today.start, today.end
        usage: dict[str, list[Interval]] = {}
        grants: dict[str, list[Grant]] = {}
        paused: set[str] = set()
        for child in rules.children:
            if name is not None and child.name.casefold() != name.casefold():
                continue
            child_id = self.store.children.id_for(child.name)
            if child_id is None:
                continue
            usage[child.name] = self.store.usage.between(child_id, int(start) - 1, int(end) + 1)
            grants[child.name] = self.store.grants.for_day(child_id, day.isoformat())
            if self.store.pauses.on_day(child_id, day.isoformat()):
                paused.add(child.name)
        catalog = self.catalog(rules)
        out = {}
        for child in rules.children:
            if child.name in usage:
                out[child.name] = policy.evaluate_child(
                    rules,
                    child,
                    usage[child.name],
                    grants[child.name],
                    now,
                    catalog=catalog,
                    tz=tz,
                    paused=child.name in paused,
                )
        return out

    def status(self) -> Status:
        """The record's own evaluation, as the agent's ``status`` would give it (``to_wire()`` for JSON)."""
        statuses = self.evaluate()
        return Status(self.agent_health(), [s.entry() for s in statuses.values()], now=int(self.clock.now()))

    def agent_health(self) -> AgentHealth:
        """The agent's last health record; ``running`` only while it ticked in the last 15 s."""
        stored = self.store.meta.get_json(AGENT_KEY)
        try:
            health = AgentHealth.from_wire(stored)
        except WireError:
            return AgentHealth.stopped()
        seen = float(health.last_tick or 0)
        return replace(health, running=health.running and self.clock.now() - seen < 15)

    # -- reports -------------------------------------------------------------------------------

    def report(self, first: date, last: date, child: str | None = None) -> Report:
        """Per child and logical day: screen time, limit, per-app and per-category seconds, event counts."""
        if last < first:
            raise InvalidInput("the report's end date is before its start date")
        if (last - first).days > 366:
            raise InvalidInput("a report covers at most one year")
        rules = self.rules()
        tz = self.zone(rules)
        catalog = self.catalog(rules)
        rows = self.store.children.all(active_only=False)
        if child is not None:
            rows = [r for r in rows if r.name.casefold() == child.casefold()]
            if not rows:
                raise InvalidInput(f"there is no child named '{child}'")
        spans = [logical_day_of(d, tz, rules.settings.day_starts_at) for d in days_between(first, last)]
        start, end = int(spans[0].start), int(spans[-1].end)
        everyone = self.store.events.kinds_between(start, end)
        out = []
        for row in rows:
            child_rules = rules.child(row.name)
            granted: dict[str, int] = {}
            for g in self.store.grants.between_days(row.id, first.isoformat(), last.isoformat()):
                if g.app is None:
                    granted[g.day] = granted.get(g.day, 0) + g.seconds
            days = [
                ReportDay(
                    s.iso,
                    s.start,
                    s.end,
                    child_rules.screen_time.on(s.weekday) if child_rules else None,
                    granted.get(s.iso, 0),
                )
                for s in spans
            ]
            events = [
                (ts, kind)
                for child_id, ts, kind in everyone
                if child_id == row.id or (child_id is None and kind in MACHINE_EVENTS)
            ]
            usage = child_usage(self.store, row.id, days, catalog.category_of, self.clock.now())
            figures = assemble_days(days, usage, events)
            out.append(ReportChild(row.name, row.active, [f.entry() for f in figures]))
        return Report(first.isoformat(), last.isoformat(), out)

    def keep_finished_days(self, days: int = 7) -> None:
        """Fill the per-day rollup for the last ``days`` finished logical days (the agent, once a day), so
        a report over them reads a few figures per day instead of the rows."""
        today = self.today()
        self.report(today - timedelta(days=days), today - timedelta(days=1))

    # -- PINs ----------------------------------------------------------------------------------

    def has_pin(self, role: str = "parent") -> bool:
        return self.store.parents.get(role) is not None

    def set_pin(self, role: str, new_pin: str, *, current_pin: str | None = None) -> None:
        """Set a role's PIN (normalised: surrounding whitespace and line ends dropped); once a parent PIN
        exists, changing any PIN needs it."""
        if role not in ROLES:
            raise InvalidInput(f"unknown role '{role}'; use parent or caregiver")
        new_pin = pins.normalize_pin(new_pin)
        pins.validate_pin(new_pin)
        if role == "caregiver" and not self.has_pin("parent"):
            raise InvalidInput("set the parent PIN first")
        self.require_role("parent", current_pin)
        hashed = pins.hash_pin(new_pin)
        now = int(self.clock.now())
        record = PinRecord(hashed.hash, hashed.salt, hashed.n, hashed.r, hashed.p, created_at=now)
        self.store.parents.set(role, record)
        self.store.events.add(EventKind.PIN_SET, ts=int(self.clock.now()), data={"role": role})

    def reset_pin_with_code(self, code: str, new_pin: str, *, caller: str | None = None) -> None:
        """A locked-out parent sets a new parent PIN with a code from the enrolled authenticator app
        (checked by :meth:`verify_totp`: never replayed, wrong codes back off). Logged as ``pin_reset``."""
        new_pin = pins.normalize_pin(new_pin)
        pins.validate_pin(new_pin)
        if self.verify_totp(code.replace(" ", ""), caller=caller) != "parent":
            raise NotAllowed("an authenticator code can only set the parent PIN")
        self._store_pin("parent", new_pin, by="authenticator", caller=caller)

    def reset_pin_as_administrator(self, role: str, new_pin: str) -> None:
        """Set ``role``'s PIN without the old one: only for a caller that proved it administers this
        computer (``guardian pin reset`` run as root or an administrator). Logged as ``pin_reset``."""
        if role not in ROLES:
            raise InvalidInput(f"unknown role '{role}'; use parent or caregiver")
        new_pin = pins.normalize_pin(new_pin)
        pins.validate_pin(new_pin)
        self._store_pin(role, new_pin, by="administrator")

    def _store_pin(self, role: str, new_pin: str, *, by: str, caller: str | None = None) -> None:
        hashed = pins.hash_pin(new_pin)
        now = int(self.clock.now())
        self.store.parents.set(
            role, PinRecord(hashed.hash, hashed.salt, hashed.n, hashed.r, hashed.p, created_at=now)
        )
        self._set_backoff(caller or local_caller(), failures=0, until=0)
        self.store.events.add(EventKind.PIN_RESET, ts=now, data={"role": role, "by": by})

    def verify_pin(self, pin: str, *, caller: str | None = None) -> str:
        """Return the role the PIN opens (parent first). Wrong PINs back off: ``PinLocked``.

        The back-off is kept per ``caller`` (the calling account: ``caller_key``; ``None`` is this
        process's own account), so wrong guesses from a child's account never make a parent wait."""
        caller = caller or local_caller()
        now = self.clock.now()
        state = self._backoff(caller)
        wait = float(state.get("until", 0)) - now
        if wait > 0:
            raise PinLocked(int(wait + 0.999))
        for role in ROLES:
            stored = self.store.parents.get(role)
            if stored is not None and pins.pin_matches(pin, stored):
                if state.get("failures"):
                    self._set_backoff(caller, failures=0, until=0)
                return role
        failures = int(state.get("failures", 0)) + 1
        delay = pins.backoff_delay(failures)
        self._set_backoff(caller, failures=failures, until=now + delay)
        self.store.events.add(
            EventKind.PIN_FAILED, ts=int(now), data={"failures": failures, "caller": caller}
        )
        raise WrongPin(
            "that PIN is not right" + (f"; wait {delay} seconds before trying again" if delay else "")
        )

    def verify_totp(self, code: str, *, caller: str | None = None) -> str:
        """Let the parent in with a code from the enrolled authenticator app, even while wrong PINs have
        locked ``caller`` out; clears that PIN back-off. A code is accepted once (never replayed); wrong
        codes back off on their own counter (five free tries). Returns ``"parent"``."""
        from guardian.core import totp
        from guardian.secrets import load_totp_secret

        caller = caller or local_caller()
        now = self.clock.now()
        state = self._backoff(caller)
        wait = float(state.get("totp_until", 0)) - now
        if wait > 0:
            raise PinLocked(int(wait + 0.999))
        secret = load_totp_secret(self.data_dir()) if self.totp_enrolled() else None
        if secret is None:
            raise InvalidInput("no authenticator app is enrolled; use the PIN")
        step = totp.matching_step(secret, code, now)
        last = self.store.meta.get_json(TOTP_STEP_KEY)
        if step is not None and (not isinstance(last, int) or step > last):
            self.store.meta.set_json(TOTP_STEP_KEY, step)
            self._set_backoff(caller, failures=0, until=0, totp_failures=0, totp_until=0)
            self.store.events.add(EventKind.TOTP_USED, ts=int(now), data={"caller": caller})
            return "parent"
        failures = int(state.get("totp_failures", 0)) + 1
        delay = pins.backoff_delay(failures - TOTP_FREE_FAILURES + pins.FREE_FAILURES)
        self._set_backoff(caller, totp_failures=failures, totp_until=now + delay)
        self.store.events.add(
            EventKind.TOTP_FAILED, ts=int(now), data={"failures": failures, "caller": caller}
        )
        used = step is not None
        raise WrongPin(
            ("that code was used already; wait for the next one" if used else "that code is not right")
            + (f"; wait {delay} seconds before trying again" if delay else "")
        )

    def unlock(self, text: str, *, caller: str | None = None) -> str:
        """The role ``text`` opens as a PIN; while wrong PINs lock ``caller`` out, a code from the enrolled
        authenticator app typed in the same place opens the parent role (``verify_totp``)."""
        try:
            return self.verify_pin(text, caller=caller)
        except PinLocked:
            code = text.replace(" ", "").strip()
            if not (self.totp_enrolled() and len(code) == 6 and code.isdigit()):
                raise
            try:
                return self.verify_totp(code, caller=caller)
            except (WrongPin, PinLocked, InvalidInput):
                pass  # counted on the code's own back-off; the caller is still locked out of PINs
            raise

    def pin_wait(self, caller: str | None = None) -> int:
        """Seconds until ``caller`` (default: this process's account) may try a PIN again (0: now)."""
        state = self._backoff(caller or local_caller())
        return max(0, int(float(state.get("until", 0)) - self.clock.now() + 0.999))

    def _backoff(self, caller: str) -> dict[str, Any]:
        every = self.store.meta.get_json(BACKOFF_KEY)
        mine = every.get(caller) if isinstance(every, dict) else None
        return dict(mine) if isinstance(mine, dict) else {}

    def _set_backoff(self, caller: str, **values: float) -> None:
        every = self.store.meta.get_json(BACKOFF_KEY)
        every = {k: v for k, v in every.items() if isinstance(v, dict)} if isinstance(every, dict) else {}
        every[caller] = {**every.get(caller, {}), **values}
        self.store.meta.set_json(BACKOFF_KEY, every)

    def require_role(self, role: str, pin: str | None) -> None:
        """Pass when no parent PIN is set yet, or ``pin`` opens ``role`` (a parent PIN opens every role)."""
        if not self.has_pin("parent"):
            return
        if not pin:
            raise PinRequired("this needs the parent PIN" if role == "parent" else "this needs a PIN")
        got = self.unlock(pin)
        if role == "parent" and got != "parent":
            raise NotAllowed("a caregiver PIN cannot change rules; use the parent PIN")

    # -- web protection ------------------------------------------------------------------------

    def import_web_list(self, category: str, data: bytes, source: str = "", *, pin: str | None = None) -> int:
        """Make a hosts-format or plain domain list the parents' list for ``category``; how many names.

        The agent picks it up within a minute. Nothing changes on any error.
        """
        from guardian import weblists
        from guardian.core.webfilter import CATEGORIES, parse_list

        if category not in CATEGORIES:
            raise InvalidInput(f"'{category}' is not a web category; use one of {', '.join(CATEGORIES)}")
        if len(data) > weblists.MAX_LIST_BYTES:
            raise InvalidInput(f"{source or 'the list'}: larger than {weblists.MAX_LIST_BYTES // 2**20} MB")
        names = parse_list(data.decode("utf-8", errors="replace"))
        if not names:
            raise InvalidInput(f"{source or 'the list'}: no site names in it (one a line, or a hosts file)")
        self.require_role("parent", pin)
        weblists.save_imported(self.store.path.parent, category, names)
        self.store.events.add("web_list_imported", ts=int(self.clock.now()), data={"category": category})
        return len(set(names))

    def web_blocks(self, child: str, first: date, last: date) -> dict[str, int]:
        """Blocked web lookups of ``child`` per category over the logical days ``first``..``last``."""
        child_id = self.store.children.id_for(child)
        if child_id is None:
            raise InvalidInput(f"there is no child named '{child}'")
        return self.store.web_blocks.counts(child_id, first.isoformat(), last.isoformat())

    # -- grants --------------------------------------------------------------------------------

    def grant(
        self,
        child: str,
        seconds: int,
        *,
        app: str | None = None,
        reason: str = "",
        pin: str | None = None,
        role: str = "parent",
        authorized: bool = False,
    ) -> Grant:
        """Give a child extra time today (screen time, or one app or category's limit).

        ``authorized`` means the caller already proved its role (an IPC token), so no PIN is asked.
        """
        return self.give(child, seconds, app=app, reason=reason, pin=pin, role=role, authorized=authorized)[0]

    def give(
        self,
        child: str,
        seconds: int,
        *,
        app: str | None = None,
        reason: str = "",
        pin: str | None = None,
        role: str = "parent",
        authorized: bool = False,
    ) -> tuple[Grant, int]:
        """:meth:`grant`, also returning the grant's id (for :meth:`revoke_grant`)."""
        rules = self.rules()
        if not 0 < seconds <= MAX_GRANT:
            raise InvalidInput("extra time must be between 1 second and 12 hours")
        if app is not None and not self.catalog(rules).is_known_ref(app):
            raise InvalidInput(f"'{app}' is not a known app or category")
        child_id, _name, day = self._child_today(rules, child, "caregiver", pin, authorized)
        grant = Grant(day=day.isoformat(), seconds=seconds, app=app, reason=reason, by=role)
        grant_id = self.store.grants.add(child_id, grant, int(self.clock.now()))
        self.store.events.add(
            "grant", child_id=child_id, ts=int(self.clock.now()), app=app, data={"seconds": seconds}
        )
        return grant, grant_id

    def revoke_grant(self, grant_id: int, *, pin: str | None = None, role: str = "parent") -> Grant:
        """Take back grant ``grant_id`` given by mistake, within ``UNDO_GRANT_SECONDS``; logged.

        A caregiver PIN is enough (whoever may give time may take back what was just given).
        """
        found = self.store.grants.given(grant_id)
        if found is None:
            raise InvalidInput("that extra time was already taken back")
        child_id, ts, grant = found
        if self.clock.now() - ts > UNDO_GRANT_SECONDS:
            raise InvalidInput("extra time can be taken back only in the first minute")
        if pin is not None or self.has_pin("parent"):
            self.require_role("caregiver", pin)
        if not self.store.grants.delete(grant_id):
            raise InvalidInput("that extra time was already taken back")
        self.store.events.add(
            EventKind.GRANT_REVOKED,
            child_id=child_id,
            ts=int(self.clock.now()),
            app=grant.app,
            data={"seconds": grant.seconds, "by": role},
        )
        return grant

    # -- pause until tomorrow -------------------------------------------------------------------

    def pause_today(
        self, child: str, *, pin: str | None = None, role: str = "parent", authorized: bool = False
    ) -> bool:
        """Pause ``child`` until the end of today's logical day (only always-allowed apps stay usable).

        A parent's action: the parent PIN is needed unless ``authorized`` (an IPC parent token).
        Returns False when the child was already paused (pausing twice is harmless).
        """
        child_id, name, day = self._child_today(self.rules(), child, "parent", pin, authorized)
        paused = self.store.pauses.set(child_id, day.isoformat(), role, int(self.clock.now()))
        if paused:
            self.store.events.add("paused", child_id=child_id, ts=int(self.clock.now()), data={"by": role})
            log.info("%s paused until the end of %s", name, day)
        return paused

    def resume_today(
        self, child: str, *, pin: str | None = None, role: str = "parent", authorized: bool = False
    ) -> bool:
        """Lift today's pause of ``child``; False when it was not paused."""
        child_id, name, day = self._child_today(self.rules(), child, "parent", pin, authorized)
        lifted = self.store.pauses.clear(child_id, day.isoformat())
        if lifted:
            self.store.events.add("resumed", child_id=child_id, ts=int(self.clock.now()), data={"by": role})
            log.info("%s's pause lifted", name)
        return lifted

    def is_paused(self, child: str) -> bool:
        """Whether ``child`` is paused today."""
        rules = self.rules()
        target = rules.child(child)
        child_id = self.store.children.id_for(target.name) if target is not None else None
        return child_id is not None and self.store.pauses.on_day(child_id, self.today().isoformat())

    def _child_today(
        self, rules: Rules, child: str, role: str, pin: str | None, authorized: bool
    ) -> tuple[int, str, date]:
        """``child``'s id, name and today's logical day, once the caller proved ``role`` (or better).

        ``authorized``: the caller already proved it (an IPC token). Before any parent PIN exists, no PIN
        is asked (first-run setup).
        """
        target = rules.child(child)
        if target is None:
            raise InvalidInput(f"there is no child named '{child}'")
        if not authorized and (pin is not None or self.has_pin("parent")):
            self.require_role(role, pin)
        child_id = self.store.children.id_for(target.name)
        assert child_id is not None
        day = logical_day(self.clock.now(), self.zone(rules), rules.settings.day_starts_at).day
        return child_id, target.name, day

    # -- requests and notable events -------------------------------------------------------------

    def ask_for_time(self, child_id: int, seconds: int, *, app: str | None, reason: str) -> tuple[int, int]:
        """A child's request for more time, recorded with its event: ``(request id, timestamp)``."""
        now = int(self.clock.now())
        with self.store.atomic():
            request_id = self.store.requests.add(child_id, seconds, ts=now, app=app, reason=reason)
            data = {"request_id": request_id, "seconds": seconds}
            self.store.events.add(EventKind.REQUEST, child_id=child_id, ts=now, app=app, data=data)
        return request_id, now

    def pending_requests(self) -> list[PendingRequest]:
        """Unanswered requests for more time, oldest first."""
        names = _child_names(self)
        return [
            PendingRequest(r.id, names.get(r.child_id, "?"), r.seconds, r.app, r.reason, r.ts)
            for r in self.store.requests.pending()
        ]

    def answer_request(
        self,
        request_id: int,
        *,
        approve: bool,
        seconds: int = 0,
        reason: str = "",
        pin: str | None = None,
        role: str = "parent",
    ) -> Grant | None:
        """Approve (grant ``seconds`` now) or deny a pending request; a parent or caregiver PIN is needed."""
        row = self.store.requests.get(request_id)
        if row is None or row.status != "pending":
            raise InvalidInput("this request was already answered")
        grant = None
        if approve:
            child = _child_names(self)[row.child_id]
            grant = self.grant(child, seconds, app=row.app, reason=reason, pin=pin, role=role)
        else:
            self.require_role("caregiver", pin)
        status: RequestStatus = "approved" if approve else "denied"
        if (
            self.store.requests.answer(
                request_id, status, seconds if approve else 0, role, int(self.clock.now())
            )
            is None
        ):
            raise InvalidInput("this request was already answered")
        self._request_event(row.child_id, request_id, status, seconds if approve else 0, "console")
        return grant

    # -- the child's own requests (the tray) -------------------------------------------------------

    def request_time(self, child: str, seconds: int, reason: str, app: str | None = None) -> int:
        """Store a child's request for ``seconds`` more (and a ``request`` event); returns its id."""
        target = self.rules().child(child)
        child_id = self.store.children.id_for(target.name) if target is not None else None
        if child_id is None:
            raise InvalidInput(f"there is no child named '{child}' in the rules")
        if app is not None and not self.catalog().is_known_ref(app):
            raise InvalidInput(f"'{app}' is not a known app or category")
        request_id, _now = self.ask_for_time(child_id, seconds, app=app, reason=reason)
        return request_id

    def request_answer(self, request_id: int, child: str) -> RequestAnswer:
        """The state of ``child``'s own request (another child's requests are ``not found``)."""
        row = self._own_request(request_id, child)
        seconds = row.answered_seconds or 0
        return RequestAnswer(row.id, row.status, seconds, row.answered_by)

    def approve_with_pin(self, request_id: int, child: str, pin: str) -> RequestAnswer:
        """A parent (or caregiver) typed the PIN on the child's screen: give the time asked for."""
        row = self._own_request(request_id, child, pending=True)
        if not self.has_pin("parent"):
            raise PinRequired("no parent PIN is set on this computer yet, so nobody can approve here")
        role = self.verify_pin(pin)
        return self._approve(row, role, "pin")

    def approve_with_code(
        self, request_id: int, child: str, code: str, *, secret: str | None = None
    ) -> RequestAnswer:
        """Approve with the 6-digit code from the parents' authenticator app (no network needed).

        Each code works once: a time step at or before the last accepted one is refused. At most
        ``remote_approvals`` a child and day (the family file's setting).
        """
        from guardian import secrets as secret_store  # keyring is only needed for this path
        from guardian.core.totp import matching_step

        row = self._own_request(request_id, child, pending=True)
        if self.remote_approvals_left(child) <= 0:
            raise NotAllowed("today's approvals by phone code are used up; ask a parent in person")
        if secret is None:
            secret = secret_store.load_totp_secret(self.data_dir()) if self.totp_enrolled() else None
        if not secret:
            raise InvalidInput("no authenticator app is enrolled; a parent can set one up in the console")
        now = self.clock.now()
        backoff = self.store.meta.get_json(CODE_BACKOFF_KEY) or {"failures": 0, "until": 0}
        if float(backoff.get("until", 0)) > now:
            raise PinLocked(int(float(backoff["until"]) - now + 0.999))
        step = matching_step(secret, code, now)
        if step is None:
            failures = int(backoff.get("failures", 0)) + 1
            until = now + pins.backoff_delay(failures)
            self.store.meta.set_json(CODE_BACKOFF_KEY, {"failures": failures, "until": until})
        elif backoff.get("failures"):
            self.store.meta.set_json(CODE_BACKOFF_KEY, {"failures": 0, "until": 0})
        last = self.store.meta.get_json(TOTP_USED_KEY)
        if step is not None and isinstance(last, int) and step <= last:
            self.store.events.add(
                EventKind.CODE_REPLAYED,
                child_id=row.child_id,
                ts=int(self.clock.now()),
                data={"request_id": row.id},
            )
            raise WrongPin("that code was used already; wait for the next code in the app")
        if step is None:
            self.store.events.add(
                EventKind.CODE_FAILED,
                child_id=row.child_id,
                ts=int(self.clock.now()),
                data={"request_id": row.id},
            )
            raise WrongPin("that code is not right; check it and try again")
        self.store.meta.set_json(TOTP_USED_KEY, step)
        return self._approve(row, "parent", "code")

    def remote_approvals_left(self, child: str) -> int:
        """How many more requests ``child`` may have approved by phone code today."""
        rules = self.rules()
        target = rules.child(child)
        child_id = self.store.children.id_for(target.name) if target is not None else None
        if child_id is None:
            return 0
        span = logical_day(self.clock.now(), self.zone(rules), rules.settings.day_starts_at)
        events = self.store.events.between(child_id, span.start, span.end, kinds=[EventKind.REQUEST_ANSWERED])
        used = sum(1 for e in events if (e.data or {}).get("via") == "code")
        return max(0, rules.settings.remote_approvals - used)

    def _own_request(self, request_id: int, child: str, *, pending: bool = False) -> RequestRow:
        row = self.store.requests.get(request_id)
        target = self.rules().child(child)
        child_id = self.store.children.id_for(target.name) if target is not None else None
        if row is None or child_id is None or row.child_id != child_id:
            raise InvalidInput("there is no such request")
        if pending and row.status != "pending":
            raise InvalidInput("this request was already answered")
        return row

    def _approve(self, row: RequestRow, role: str, via: str) -> RequestAnswer:
        name = _child_names(self)[row.child_id]
        self.grant(name, row.seconds, app=row.app, reason=row.reason, role=role, authorized=True)
        if self.store.requests.answer(row.id, "approved", row.seconds, role, int(self.clock.now())) is None:
            raise InvalidInput("this request was already answered")
        self._request_event(row.child_id, row.id, "approved", row.seconds, via)
        return RequestAnswer(row.id, "approved", row.seconds, role)

    def _request_event(self, child_id: int, request_id: int, status: str, seconds: int, via: str) -> None:
        data = {"request_id": request_id, "status": status, "seconds": seconds, "via": via}
        self.store.events.add(
            EventKind.REQUEST_ANSWERED, child_id=child_id, ts=int(self.clock.now()), data=data
        )

    def notable_events(self, since: float, kinds: Collection[str]) -> list[NotableEvent]:
        """Events of ``kinds`` since ``since``, oldest first, with the child's name."""
        names = _child_names(self)
        rows = self.store.events.between(None, since, self.clock.now() + 1, kinds=list(kinds))
        return [
            NotableEvent(
                r.ts, r.kind, names.get(r.child_id) if r.child_id is not None else None, r.app, r.data
            )
            for r in rows
        ]

    # -- console preferences and enrolment ----------------------------------------------------------

    def ui_language(self) -> str | None:
        """The console language the parents chose (a code in ``UI_LANGUAGES``), or ``None`` when unset."""
        code = self.store.meta.get(UI_LANGUAGE_KEY)
        return code if code in UI_LANGUAGES else None

    def set_ui_language(self, code: str) -> None:
        """Remember the console language; ``InvalidInput`` for a code not in ``UI_LANGUAGES``."""
        if code not in UI_LANGUAGES:
            raise InvalidInput(f"'{code}' is not a supported language; use {' or '.join(UI_LANGUAGES)}")
        self.store.meta.set(UI_LANGUAGE_KEY, code)

    def totp_enrolled(self) -> bool:
        """Whether an authenticator app is enrolled (the secret itself lives in ``guardian.secrets``)."""
        value = self.store.meta.get_json(TOTP_KEY)
        return isinstance(value, dict) and value.get("enrolled") is True

    def set_totp_enrolled(self, enrolled: bool) -> None:
        """Record that an authenticator app is enrolled, or forget that one was."""
        if enrolled:
            self.store.meta.set_json(TOTP_KEY, {"enrolled": True})
        else:
            self.store.meta.delete(TOTP_KEY)

    def data_dir(self) -> Path:
        """The folder holding the database: where the secret's fallback file is kept."""
        return self.store.path.parent

    # -- weekly summaries, retention and a child's data rights ------------------------------------

    def last_full_week(self) -> str:
        """The ISO week (``2026-W48``) before the one holding today's logical day."""
        year, week, _ = (self.today() - timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"

    def recent_weeks(self, count: int = 8) -> list[tuple[str, date, date]]:
        """The last ``count`` full ISO weeks, newest first: ``(2026-W48, Monday, Sunday)``."""
        monday = week_range(self.last_full_week())[0]
        weeks = []
        for n in range(count):
            first = monday - timedelta(days=7 * n)
            year, week, _ = first.isocalendar()
            weeks.append((f"{year}-W{week:02d}", first, first + timedelta(days=6)))
        return weeks

    def summary(
        self,
        child: str | None = None,
        week: str | None = None,
        *,
        first: date | None = None,
        last: date | None = None,
        admin_accounts: Mapping[str, Collection[str]] | None = None,
    ) -> list[ChildSummary]:
        """Weekly summaries (``week`` like ``2026-W48``, default the last full week) or of ``first``…``last``.

        ``admin_accounts``: child name → accounts the platform reports as administrators (the agent also
        logs them as events, which count too). The period before, of the same length, gives the change.
        """
        if first is None or last is None:
            first, last = week_range(week or self.last_full_week())
        from guardian import summaries  # imported on use: status and most commands never need it

        return summaries.build(self, first, last, child, admin_accounts or {})

    def retention_cutoff(self, now: float | None = None) -> int:
        """Unix seconds before which records are older than the rules' ``retention_days``."""
        now = self.clock.now() if now is None else now
        return int(now) - self.rules().settings.retention_days * 86_400

    def apply_retention(
        self,
        *,
        now: float | None = None,
        force: bool = False,
        batch: int = BATCH,
        progress: Progress | None = None,
    ) -> dict[str, int] | None:
        """Delete records older than ``retention_days``, once a logical day unless ``force``.

        ``now``: the agent passes its trusted time, so a clock set years ahead deletes nothing early.
        Returns rows removed per table, or None when it already ran today. Batches of ``batch`` rows,
        one short transaction each; the day is marked done only after the last batch, so a pass killed
        midway runs again. Logged as a ``retention`` event when anything went.
        """
        now = self.clock.now() if now is None else now
        rules = self.rules()
        today = logical_day(now, self.zone(rules), rules.settings.day_starts_at).iso
        if not force and self.store.meta.get(RETENTION_KEY) == today:
            return None
        cutoff = self.retention_cutoff(now)
        removed = self.store.retention.purge_before(cutoff, batch=batch, progress=progress)
        self.store.meta.set(RETENTION_KEY, today)
        if any(removed.values()):
            self.store.events.add("retention", ts=int(now), data=removed)
            log.info("retention removed %s", removed)
        return removed

    def erase_child_records(self, child: str, *, pin: str | None = None) -> dict[str, int]:
        """Delete every record of ``child`` (parent PIN); the rules keep naming them. Logged without the name."""
        child_id = self._child_id_for_rights(child, pin)
        removed = self.store.retention.erase_child(child_id)
        self.store.events.add("child_erased", ts=int(self.clock.now()), data={"rows": sum(removed.values())})
        return removed

    def export_child_records(self, child: str, *, pin: str | None = None) -> dict[str, Any]:
        """Every record of ``child`` as JSON-ready data (parent PIN), with app names; logged."""
        child_id = self._child_id_for_rights(child, pin)
        records = self.store.retention.child_records(child_id)
        row = next(r for r in self.store.children.all(active_only=False) if r.id == child_id)
        catalog = self.catalog()
        names = {}
        for table in ("usage", "events", "requests", "grants"):
            for rec in records[table]:
                app = rec.get("app")
                if app and app not in names:
                    known = catalog.get(app)
                    names[app] = known.name if known is not None else app
        self.store.events.add("child_exported", child_id=child_id, ts=int(self.clock.now()))
        return {
            "child": row.name,
            "age": row.age,
            "accounts": list(row.accounts),
            "exported_at": int(self.clock.now()),
            "app_names": names,
            "records": records,
        }

    def _child_id_for_rights(self, child: str, pin: str | None) -> int:
        rows = [
            r for r in self.store.children.all(active_only=False) if r.name.casefold() == child.casefold()
        ]
        if not rows:
            raise InvalidInput(f"there is no child named '{child}'")
        self.require_role("parent", pin)
        return rows[0].id


def local_caller() -> str:
    """The back-off key of this process's own account (the CLI and the console call the API in-process)."""
    getuid = getattr(os, "getuid", None)
    return f"uid:{getuid()}" if getuid is not None else "local"


def caller_key(uid: int | None, user: str | None) -> str:
    """The back-off key of an IPC caller: its uid, else its user name (Windows pipes), else "unknown"."""
    if uid is not None:
        return f"uid:{uid}"
    return f"user:{user}" if user else "unknown"


def _child_names(api: GuardianAPI) -> dict[int, str]:
    return {row.id: row.name for row in api.store.children.all(active_only=False)}


def week_range(iso_week: str) -> tuple[date, date]:
    """``2026-W48`` → (Monday, Sunday)."""
    try:
        monday = date.fromisoformat(f"{iso_week}-1") if "W" in iso_week else None
    except ValueError:
        monday = None
    if monday is None:
        raise InvalidInput(f"'{iso_week}' is not an ISO week such as 2026-W48")
    return monday, monday + timedelta(days=6)
