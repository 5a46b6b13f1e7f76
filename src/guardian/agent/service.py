"""The IPC methods the agent serves: ``AgentService.dispatch`` is the server's dispatch callback.

It runs in the IPC server's thread. ``GuardianAPI`` is not thread-safe and SQLite connections belong to
one thread, so the service opens its own API with ``api_factory()`` on first use, in that thread.

Who may call what (see ``docs/ipc.md``):

* anyone: ``status`` (a child's account sees only that child), ``subscribe``, ``auth``;
* the tray, for its own OS user only: ``report_session``; a child's account: ``request_time``;
* a parent or caregiver token: ``grant``, ``rules.get``, ``report``; a parent token: ``rules.set``,
  ``child.lock`` (lock the child's sessions now), ``child.pause`` (pause until tomorrow, or lift it).

First-run setup: while no parent PIN is set, ``auth`` refuses every PIN, and a caller running as root
(uid 0) or as the agent's own uid may call parent methods without a token.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import date
from typing import Any, Protocol

from guardian.agent.tokens import TokenStore, principal_of
from guardian.api import GuardianAPI, caller_key
from guardian.core.familyfile import FamilyFileError
from guardian.core.messages import (
    AuthParams,
    AuthResult,
    ChildParams,
    GrantParams,
    GrantResult,
    LockResult,
    Message,
    Notice,
    Ok,
    PauseParams,
    PauseResult,
    Report,
    ReportParams,
    RequestAnswer,
    RequestCreated,
    RequestTimeParams,
    Role,
    RulesSaved,
    RulesSetParams,
    RulesText,
    SessionReport,
    Status,
    Subscribed,
    TimeRequestNotice,
    TrayInfo,
    Viewer,
)
from guardian.errors import InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import (
    BAD_PARAMS,
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    PIN_LOCKED,
    UNAUTHORIZED,
    UNAVAILABLE,
    WRONG_PIN,
    ProtocolError,
    Request,
)
from guardian.ipc.server import Connection
from guardian.store import StoreError

log = logging.getLogger("guardian.agent")

PARENT_ONLY: tuple[Role, ...] = (Role.PARENT,)
ANY_ROLE: tuple[Role, ...] = tuple(Role)

__all__ = ["AgentService", "AgentView", "SessionReport"]  # SessionReport: guardian.core.messages


class AgentView(Protocol):
    """What the running agent offers the service (implemented by the agent)."""

    def live_status(self) -> Status:
        """A thread-safe snapshot of the agent's health and its children's status."""
        ...

    def report_session(self, user: str, report: SessionReport) -> bool | None:
        """False when the report was refused (not a session of ``user``)."""
        ...

    def rules_changed(self) -> None: ...

    def child_for_user(self, user: str) -> str | None:
        """The name of the child an OS account belongs to."""
        ...

    def announce(self, notice: Notice, users: Collection[str] | None = None) -> None: ...

    def lock_child(self, name: str) -> tuple[int, int]:
        """Lock the child's open sessions now: ``(sessions locked, sessions found)``."""
        ...


Handler = Callable[[GuardianAPI, dict[str, Any], Peer, Connection], Message]


class AgentService:
    def __init__(
        self,
        api_factory: Callable[[], GuardianAPI],
        view: AgentView,
        tokens: TokenStore,
        *,
        agent_uid: int | None = None,
    ) -> None:
        self._api_factory = api_factory
        self._api: GuardianAPI | None = None
        self.view = view
        self.tokens = tokens
        self.agent_uid = agent_uid if agent_uid is not None else _own_uid()
        self._handlers: dict[str, Handler] = {
            "status": self.status,
            "subscribe": self.subscribe,
            "report_session": self.report_session,
            "request_time": self.request_time,
            "request.status": self.request_status,
            "request.approve": self.request_approve,
            "tray.info": self.tray_info,
            "auth": self.auth,
            "grant": self.grant,
            "child.lock": self.child_lock,
            "child.pause": self.child_pause,
            "rules.get": self.rules_get,
            "rules.set": self.rules_set,
            "report": self.report,
        }

    @property
    def api(self) -> GuardianAPI:
        """The service's own API, opened on first use in the calling (server) thread."""
        if self._api is None:
            self._api = self._api_factory()
        return self._api

    def close(self) -> None:
        """Close the service's database; pass as the server's ``on_stop`` (it runs in the server thread)."""
        if self._api is not None:
            self._api.store.close()
            self._api = None

    def handle(self, request: Request, peer: Peer, connection: Connection) -> Message:
        """The typed answer to ``request`` (a message from ``guardian.core.messages``)."""
        handler = self._handlers[request.method]
        with translated_errors():
            return handler(self.api, request.params, peer, connection)

    def dispatch(self, request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        """The server's callback: :meth:`handle`'s answer as the JSON object that goes on the wire."""
        return self.handle(request, peer, connection).to_wire()

    # -- authorisation ----------------------------------------------------------------------------

    def _role(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, allowed: Collection[str]) -> str:
        """The caller's role from its token (or first-run setup), refused unless in ``allowed``."""
        token = params.get("token")
        if token is not None:
            role = self.tokens.check(token, principal_of(peer))
            if role is None:
                raise ProtocolError(
                    UNAUTHORIZED, "the token is unknown or expired; sign in with the PIN again"
                )
        elif not api.has_pin("parent"):
            if peer.uid is None or peer.uid not in (0, self.agent_uid):
                raise ProtocolError(
                    UNAUTHORIZED, "no parent PIN is set yet; set one first with 'guardian pin set'"
                )
            role = "parent"
        else:
            raise ProtocolError(UNAUTHORIZED, "this needs a parent or caregiver token from 'auth'")
        if role not in allowed:
            raise ProtocolError(FORBIDDEN, f"a {role} may not do this; it needs the parent PIN")
        return role

    def _child_of(self, peer: Peer) -> str | None:
        return self.view.child_for_user(peer.user) if peer.user else None

    # -- methods -----------------------------------------------------------------------------

    def status(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> Status:
        live = self.view.live_status()
        child = self._child_of(peer)
        if child is not None:
            mine = [c for c in live.children if c.child.casefold() == child.casefold()]
            live = replace(live, children=mine)
        return replace(live, viewer=Viewer(peer.user, child))

    def subscribe(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> Subscribed:
        role = self._role(api, params, peer, ANY_ROLE) if "token" in params else None
        conn.role = role
        conn.subscribed = True
        return Subscribed(True, None if role is None else Role(role))

    def report_session(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> Ok:
        if not peer.user:
            raise ProtocolError(FORBIDDEN, "the agent cannot tell which user you are")
        report = SessionReport.from_wire(params)
        accepted = self.view.report_session(peer.user, report)
        return Ok(accepted is not False)

    def request_time(
        self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection
    ) -> RequestCreated:
        asked = RequestTimeParams.from_wire(params)
        child = self._child_of(peer)
        if child is None:
            raise ProtocolError(FORBIDDEN, "only a child's account can ask for more time")
        child_id = api.store.children.id_for(child)
        if child_id is None:
            raise ProtocolError(NOT_FOUND, f"there is no child named '{child}' in the rules")
        app = asked.app
        if app is not None and not api.catalog().is_known_ref(app):
            raise InvalidInput(f"'{app}' is not a known app or category")
        seconds, reason = asked.seconds, asked.reason
        request_id, now = api.ask_for_time(child_id, seconds, app=app, reason=reason)
        event = TimeRequestNotice(request_id, child, seconds, app, reason, now)
        conn.server.broadcast(event.to_wire(), roles=ANY_ROLE)
        return RequestCreated(request_id)

    def _own_child(self, peer: Peer) -> str:
        child = self._child_of(peer)
        if child is None:
            raise ProtocolError(FORBIDDEN, "only a child's own account can do this")
        return child

    def request_status(
        self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection
    ) -> RequestAnswer:
        return api.request_answer(params["request_id"], self._own_child(peer))

    def request_approve(
        self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection
    ) -> RequestAnswer:
        """A parent approves a child's request on the child's screen: with the PIN or the phone's code."""
        child = self._own_child(peer)
        if ("pin" in params) == ("code" in params):
            raise ProtocolError(INVALID, "give either the parent PIN or the authenticator code")
        if "pin" in params:
            answer = api.approve_with_pin(params["request_id"], child, params["pin"])
        else:
            answer = api.approve_with_code(params["request_id"], child, params["code"])
        self.view.rules_changed()  # the agent re-reads grants at its next tick
        return answer

    def tray_info(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> TrayInfo:
        """What the child's tray shows besides the live status: age, help numbers, what is kept."""
        child = api.rules().child(self._own_child(peer))
        if child is None:
            raise ProtocolError(NOT_FOUND, "this account's child is not in the rules")
        settings = api.rules().settings
        games = sorted(a.id for a in api.catalog().apps() if a.category == "games")
        return TrayInfo(
            child=child.name,
            age=child.age,
            preset=child.preset,
            at_limit=child.at_limit,
            grace=settings.grace,
            warn_lead=max(settings.warn_before, default=0),
            language=api.ui_language() or "vi",
            hotlines=list(settings.hotlines),
            retention_days=settings.retention_days,
            health_reminder=settings.health_reminder,
            remote_approvals_left=api.remote_approvals_left(child.name),
            authenticator=api.totp_enrolled(),
            games=games,
            app_names={app.id: app.name for app in api.rules().apps},
        )

    def auth(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> AuthResult:
        if not api.has_pin("parent"):
            raise ProtocolError(
                UNAUTHORIZED, "no parent PIN is set yet; set one first with 'guardian pin set'"
            )
        asked = AuthParams.from_wire(params)
        pin, code = asked.pin, asked.code
        if (pin is None) == (code is None):
            raise ProtocolError(BAD_PARAMS, "auth takes either 'pin' or 'code' (from the authenticator app)")
        caller = caller_key(peer.uid, peer.user)  # wrong guesses back off for this account only
        role = (
            api.unlock(pin, caller=caller) if pin is not None else api.verify_totp(str(code), caller=caller)
        )
        token = self.tokens.issue(role, principal_of(peer))
        return AuthResult(token, Role(role), int(self.tokens.ttl))

    def grant(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> GrantResult:
        asked = GrantParams.from_wire(params)
        role = self._role(api, params, peer, ANY_ROLE)
        grant = api.grant(
            asked.child,
            asked.seconds,
            app=asked.app,
            reason=asked.reason or "",
            role=role,
            authorized=True,
        )
        child = api.rules().child(asked.child)
        return GrantResult(child=child.name if child else asked.child, **asdict(grant))

    def child_lock(
        self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection
    ) -> LockResult:
        asked = ChildParams.from_wire(params)
        self._role(api, params, peer, PARENT_ONLY)
        child = api.rules().child(asked.child)
        if child is None:
            raise ProtocolError(NOT_FOUND, f"there is no child named '{asked.child}'")
        locked, sessions = self.view.lock_child(child.name)
        return LockResult(child.name, locked, sessions)

    def child_pause(
        self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection
    ) -> PauseResult:
        asked = PauseParams.from_wire(params)
        role = self._role(api, params, peer, PARENT_ONLY)
        name = asked.child
        if asked.resume:
            changed = api.resume_today(name, role=role, authorized=True)
        else:
            changed = api.pause_today(name, role=role, authorized=True)
        self.view.rules_changed()  # the agent re-reads pauses at its next tick
        return PauseResult(name, not asked.resume, changed)

    def rules_get(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> RulesText:
        self._role(api, params, peer, ANY_ROLE)
        return RulesText(api.export_rules(), api.rules_version())

    def rules_set(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> RulesSaved:
        asked = RulesSetParams.from_wire(params)
        self._role(api, params, peer, PARENT_ONLY)
        rules = api.check_rules(asked.text, "rules.set")
        result = api.save_rules(rules, "ipc")
        if result.changed:
            self.view.rules_changed()
        return RulesSaved(result.version, result.changed)

    def report(self, api: GuardianAPI, params: dict[str, Any], peer: Peer, conn: Connection) -> Report:
        asked = ReportParams.from_wire(params)
        self._role(api, params, peer, ANY_ROLE)
        first, last = date.fromisoformat(asked.first), date.fromisoformat(asked.last)
        return api.report(first, last, asked.child)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the API's user errors into protocol errors; bugs pass through (the server logs them)."""
    try:
        yield
    except FamilyFileError as exc:
        raise ProtocolError(INVALID, str(exc)) from exc
    except InvalidInput as exc:
        raise ProtocolError(INVALID, str(exc)) from exc
    except PinLocked as exc:
        raise ProtocolError(PIN_LOCKED, str(exc), {"retry_after": exc.retry_after}) from exc
    except WrongPin as exc:
        raise ProtocolError(WRONG_PIN, str(exc)) from exc
    except PinRequired as exc:
        raise ProtocolError(UNAUTHORIZED, str(exc)) from exc
    except NotAllowed as exc:
        raise ProtocolError(FORBIDDEN, str(exc)) from exc
    except StoreError as exc:
        log.warning("database error in an IPC call: %s", exc)
        raise ProtocolError(UNAVAILABLE, str(exc)) from exc


def _own_uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else None
