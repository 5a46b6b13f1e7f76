"""The agent link: what the console and the tray ask the running agent, over IPC, beside ``GuardianAPI``.

    link = AgentLink.for_home(home)
    status = link.status()                       # AgentUnreachable when no agent answers in time
    link.lock("An", pin="1234")                  # signs in with the PIN once, then reuses the token
    subscription = link.subscribe(print, on_state=print)   # pushed notices, reconnecting by itself
    ...
    subscription.stop()

Calls block (at most ``timeout`` seconds each) and are safe from any thread: one request connection,
used by one caller at a time, reopened when the agent restarted. UI code runs them off its thread
(``guardian.ui.agent_link_qt.QtAgentLink``). Every failure is a :class:`~guardian.errors.GuardianError`
with a message fit to show: :class:`AgentUnreachable` when the agent is not running, hangs or went away;
``WrongPin``, ``PinLocked``, ``NotAllowed``, ``InvalidInput`` or :class:`AgentRefused` when it said no.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from guardian.core.messages import (
    AuthResult,
    ChildParams,
    LockResult,
    Message,
    PauseParams,
    PauseResult,
    RequestCreated,
    RequestTimeParams,
    SessionReport,
    Status,
    WireError,
)
from guardian.errors import GuardianError, InvalidInput, NotAllowed, PinLocked, WrongPin
from guardian.ipc.client import IpcClient, default_socket_path
from guardian.ipc.protocol import METHODS, AgentNotRunning, IpcError

log = logging.getLogger("guardian.link")

__all__ = [
    "AgentLink",
    "AgentNotAnswering",
    "AgentRefused",
    "AgentUnreachable",
    "LockResult",
    "PauseResult",
    "Subscription",
]

DEFAULT_TIMEOUT = 2.0
"""Seconds one call may take before the agent counts as unreachable (hung)."""
TOKEN_MARGIN = 30.0
"""A token is renewed this many seconds before the agent would expire it."""


class AgentUnreachable(GuardianError):
    """The agent is not running, does not answer in time, or the connection was lost."""


class AgentNotAnswering(AgentUnreachable):
    """The agent took a call but did not answer within the link's time-out (it hangs, or is swamped)."""


class AgentRefused(GuardianError):
    """The agent answered with an error that has no more specific ``GuardianError``."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message or code)


M = TypeVar("M", bound=Message)


def _params(message: Message) -> dict[str, Any]:
    """A message's parameters as sent: absent ones (``None``) left out."""
    return {k: v for k, v in message.to_wire().items() if v is not None}


def _read(answer: type[M], result: dict[str, Any]) -> M:
    """The agent's answer as its typed message (``guardian.core.messages``); ``AgentRefused`` when it is not."""
    try:
        return answer.from_wire(result)
    except WireError as exc:
        raise AgentRefused("internal", f"the agent's answer was not understood ({exc})") from exc


def _translate(exc: IpcError) -> GuardianError:
    """An agent's error reply as the ``GuardianError`` the in-process API raises for the same thing."""
    if exc.code == "wrong_pin":
        return WrongPin(exc.message or "wrong PIN")
    if exc.code == "pin_locked":
        return PinLocked(int(exc.data.get("retry_after", 0) or 0))
    if exc.code == "forbidden":
        return NotAllowed(exc.message)
    if exc.code in ("invalid", "bad_params", "not_found"):
        return InvalidInput(exc.message)
    return AgentRefused(exc.code, exc.message)


ClientFactory = Callable[[Path], IpcClient]


class AgentLink:
    """The running agent at ``address`` (a socket path, or the pipe named after it on Windows).

    ``address`` None means there is never an agent to ask (tests, a console without a home): every call
    raises :class:`AgentUnreachable` at once.
    """

    def __init__(
        self,
        address: Path | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        client_factory: ClientFactory = IpcClient,
    ) -> None:
        self.address = None if address is None else Path(address)
        self.timeout = timeout
        self._factory = client_factory
        self._lock = threading.Lock()
        self._client: IpcClient | None = None
        self._token: tuple[str, str, float] | None = None
        """``(pin, token, renew_at)`` — the last token, for the PIN that got it."""

    @classmethod
    def for_home(cls, home: Path | None, **kwargs: Any) -> AgentLink:
        """The agent serving Guardian's ``home`` (``GUARDIAN_SOCKET`` when set)."""
        return cls(None if home is None else default_socket_path(home), **kwargs)

    # -- plain calls ------------------------------------------------------------------------------

    def supports(self, method: str) -> bool:
        """Whether this version of the wire knows ``method``."""
        return method in METHODS

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One request; reconnects once when the agent restarted since the last call."""
        with self._lock:
            return self._call(method, params or {})

    def status(self) -> Status:
        """The agent's live snapshot (``AgentRefused`` when the answer is not a ``Status``)."""
        return _read(Status, self.call("status"))

    def request_time(self, seconds: int, reason: str, app: str | None = None) -> int:
        """A child's account asks for more time; the request's id."""
        asked = RequestTimeParams(int(seconds), reason, app)
        return _read(RequestCreated, self.call("request_time", _params(asked))).request_id

    def report_session(
        self,
        session_id: str,
        *,
        foreground_pid: int | None = None,
        title: str | None = None,
        idle_s: float | None = None,
        locked: bool | None = None,
    ) -> None:
        """The tray's report of its session: the app in front, idle time, whether the screen is locked.
        ``title`` is used by the agent for matching web apps only, never stored."""
        self.report(SessionReport(session_id, foreground_pid, title, idle_s, locked))

    def report(self, report: SessionReport) -> None:
        """:meth:`report_session` with the report made already."""
        self.call("report_session", _params(report))

    # -- parent calls (PIN → token) --------------------------------------------------------------

    def sign_in(self, pin: str) -> str:
        """A token for ``pin`` (kept and reused until shortly before it expires)."""
        with self._lock:
            return self._token_for(pin)

    def forget(self) -> None:
        """Drop the kept token (the console locked). Does not wait for a call in progress: a token is
        only ever reused for the same PIN."""
        self._token = None

    def parent_call(self, method: str, params: dict[str, Any], pin: str | None) -> dict[str, Any]:
        """Call a parent/caregiver method, signing in with ``pin`` first when one is given.

        Without a PIN the call goes without a token (the agent allows that only before a parent PIN is
        set, to root and its own account). A kept token the agent no longer knows (it restarted) is
        renewed once.
        """
        with self._lock:
            if not pin:
                return self._call(method, params)
            fresh = self._token is None or self._token[0] != pin
            try:
                return self._call(method, {**params, "token": self._token_for(pin)})
            except AgentRefused as exc:
                if exc.code != "unauthorized" or fresh:
                    raise
                self._token = None
                return self._call(method, {**params, "token": self._token_for(pin)})

    def lock(self, child: str, *, pin: str | None = None) -> LockResult:
        """ "Lock now": lock every open session of ``child`` on this computer."""
        return _read(LockResult, self.parent_call("child.lock", _params(ChildParams(child)), pin))

    def pause(self, child: str, resume: bool = False, *, pin: str | None = None) -> PauseResult:
        """Pause ``child`` until tomorrow, or lift today's pause with ``resume``."""
        asked = PauseParams(child, resume=True if resume else None)
        return _read(PauseResult, self.parent_call("child.pause", _params(asked), pin))

    # -- notices ----------------------------------------------------------------------------------

    def subscribe(
        self,
        on_event: Callable[[dict[str, Any]], None],
        *,
        on_state: Callable[[bool, str], None] | None = None,
        pin: str | None = None,
        retry: float = 1.0,
    ) -> Subscription:
        """Receive pushed notices on a thread of their own until :meth:`Subscription.stop`.

        ``on_event(notice)`` gets each ``{"event": ...}``; ``on_state(connected, why)`` is told when the
        subscription connects and when it loses the agent (it retries every ``retry`` seconds). With a
        ``pin``, the subscription also receives what needs a parent/caregiver token (time requests).
        Both callbacks run on the subscription's thread.
        """
        subscription = Subscription(self, on_event, on_state, pin, retry)
        subscription.start()
        return subscription

    def close(self) -> None:
        with self._lock:
            self._drop()

    def retarget(self, address: Path) -> None:
        """Ask the agent at ``address`` from now on (the protected service, once installed)."""
        with self._lock:
            self._drop()
            self._token = None
            self.address = Path(address)

    # -- inside (callers hold self._lock) ---------------------------------------------------------

    def open_client(self) -> IpcClient:
        """A new, connected client; :class:`AgentUnreachable` when there is no agent."""
        if self.address is None:
            raise AgentUnreachable("the Guardian agent is not running")
        client = self._factory(self.address)
        try:
            client.connect()
        except (AgentNotRunning, OSError) as exc:
            client.close()
            raise AgentUnreachable(f"the Guardian agent is not running ({exc})") from exc
        return client

    def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        reused = self._client is not None
        try:
            return self._call_once(method, params)
        except AgentNotAnswering:
            raise  # asking again would only wait as long again
        except AgentUnreachable:
            if not reused:
                raise
            log.info("the agent connection went away; reconnecting for %s", method)
            return self._call_once(method, params)

    def _call_once(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._client is None:
            self._client = self.open_client()
        try:
            return self._client.call(method, params, timeout=self.timeout)
        except IpcError as exc:
            if exc.code == "too_large":
                self._drop()
            raise _translate(exc) from exc
        except TimeoutError as exc:
            self._drop()  # a late reply must not be read as the answer to the next call
            raise AgentNotAnswering(
                f"the Guardian agent did not answer within {self.timeout:g} seconds"
            ) from exc
        except (AgentNotRunning, OSError, ValueError) as exc:
            self._drop()
            raise AgentUnreachable(f"the connection to the Guardian agent was lost ({exc})") from exc

    def _token_for(self, pin: str) -> str:
        now = time.monotonic()
        if self._token is not None and self._token[0] == pin and now < self._token[2]:
            return self._token[1]
        answer = _read(AuthResult, self._call("auth", {"pin": pin}))
        self._token = (pin, answer.token, now + max(0.0, answer.expires_in - TOKEN_MARGIN))
        return answer.token

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class Subscription:
    """A thread holding a subscribed connection to the agent, reconnecting until :meth:`stop`."""

    POLL = 0.2
    """How often the thread looks whether it should stop while no notice comes."""

    def __init__(
        self,
        link: AgentLink,
        on_event: Callable[[dict[str, Any]], None],
        on_state: Callable[[bool, str], None] | None,
        pin: str | None,
        retry: float,
    ) -> None:
        self.link = link
        self.on_event = on_event
        self.on_state = on_state
        self.pin = pin
        self.retry = retry
        self.connected = False
        self._reported: bool | None = None
        self.attempts = 0
        """Connections tried so far."""
        self.role: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="guardian-link-subscription", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = 5.0) -> None:
        """Stop listening: nothing is handed out after this returns. Waits up to ``timeout`` seconds for
        the thread to end (0: not at all; it ends by itself within the link's time-out)."""
        self._stop.set()
        if timeout and self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            why = self._listen()
            if self._stop.is_set():
                break
            self._set_state(False, why)
            self._stop.wait(self.retry)
        if self.connected:
            self._set_state(False, "stopped")

    def _listen(self) -> str:
        """Connect, subscribe and hand out notices until the agent goes away; why it ended."""
        self.attempts += 1
        try:
            client = self.link.open_client()
        except AgentUnreachable as exc:
            return str(exc)
        try:
            token = None
            if self.pin:
                token = str(client.call("auth", {"pin": self.pin}, timeout=self.link.timeout)["token"])
            self.role = client.subscribe(token).get("role")
            self._set_state(True, "")
            while not self._stop.is_set():
                event = client.next_event(timeout=self.POLL)
                if event is not None:
                    self._deliver(event)
            return "stopped"
        except IpcError as exc:
            return str(_translate(exc))
        except TimeoutError:
            return f"the Guardian agent did not answer within {self.link.timeout:g} seconds"
        except (AgentNotRunning, OSError, ValueError) as exc:
            return f"the connection to the Guardian agent was lost ({exc})"
        finally:
            client.close()

    def _deliver(self, event: dict[str, Any]) -> None:
        if self._stop.is_set():
            return
        try:
            self.on_event(event)
        except Exception:  # a broken handler must not end the subscription
            log.exception("handling the agent's notice %r failed", event.get("event"))

    def _set_state(self, connected: bool, why: str) -> None:
        """Tell ``on_state`` when the state changed (and the first time: connected or not)."""
        if self._reported is connected or (self._stop.is_set() and connected):
            return
        self._reported = connected
        self.connected = connected
        if self.on_state is not None:
            try:
                self.on_state(connected, why)
            except Exception:
                log.exception("handling the agent link's state failed")
