"""The filtering DNS forwarder: one loopback port (UDP and TCP) per filtered child.

The OS redirects each child's DNS to that child's port (``platform/linux_nft.py``), so the port tells whose
lookup it is. Every question gets :func:`guardian.core.webfilter.decide`: allowed names are forwarded to
the upstream resolver as they are, blocked ones get NXDOMAIN, SafeSearch names a CNAME to the safe host and
that host's addresses. The wire format is dnspython's. Nothing about a lookup is kept except, for a blocked
one, ``on_block(child, category)`` (the caller counts them).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from guardian.core.webfilter import ChildFilter, DomainLists, decide

log = logging.getLogger("guardian.web")

UPSTREAM_TIMEOUT = 3.0
REWRITE_TTL = 300
MAX_TCP_CLIENTS = 64
_SIBLING_TYPES = frozenset({dns.rdatatype.AAAA, dns.rdatatype.HTTPS})
"""Questions that come beside an ``A`` question for the same name: not counted again."""


def system_upstream(resolv_conf: Path = Path("/etc/resolv.conf")) -> list[tuple[str, int]]:
    """The system's name servers (``nameserver`` lines), port 53; empty when there are none."""
    servers: list[tuple[str, int]] = []
    try:
        text = resolv_conf.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return servers
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            servers.append((fields[1].split("%", 1)[0], 53))
    return servers


def parse_upstream(text: str) -> list[tuple[str, int]]:
    """``"127.0.0.2:5300,::1"`` → ``[("127.0.0.2", 5300), ("::1", 53)]``."""
    out = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        host, _, port = item.rpartition(":") if item.count(":") == 1 else (item, "", "")
        out.append((host or item, int(port) if port else 53))
    return out


@dataclass
class _Listener:
    child: str
    udp: socket.socket
    tcp: socket.socket
    threads: tuple[threading.Thread, ...] = ()

    @property
    def port(self) -> int:
        return int(self.udp.getsockname()[1])


class WebResolver:
    """Listeners per child; ``configure`` and ``set_lists`` take effect for the next lookup."""

    def __init__(
        self,
        upstream: list[tuple[str, int]],
        on_block: Callable[[str, str], None] = lambda child, category: None,
        *,
        host: str = "127.0.0.1",
        workers: int = 16,
    ) -> None:
        self.upstream = upstream
        self.on_block = on_block
        self.host = host
        self.lists = DomainLists()
        self.filters: dict[str, ChildFilter] = {}
        self.listeners: dict[str, _Listener] = {}
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="guardian-dns")
        self.closed = threading.Event()
        self.lock = threading.Lock()

    # -- configuration ----------------------------------------------------------------------

    def set_lists(self, lists: DomainLists) -> None:
        self.lists = lists  # one reference swap: lookups in flight keep the old lists

    def configure(self, filters: Mapping[str, ChildFilter]) -> dict[str, int]:
        """Serve exactly these children; returns each child's port (kept while the child stays)."""
        with self.lock:
            self.filters = dict(filters)
            for child in [c for c in self.listeners if c not in filters]:
                self._close_listener(self.listeners.pop(child))
            for child in filters:
                if child not in self.listeners:
                    self.listeners[child] = self._open_listener(child)
            return {child: lst.port for child, lst in self.listeners.items()}

    def ports(self) -> dict[str, int]:
        with self.lock:
            return {child: lst.port for child, lst in self.listeners.items()}

    def close(self) -> None:
        self.closed.set()
        with self.lock:
            for listener in self.listeners.values():
                self._close_listener(listener)
            self.listeners.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)

    # -- sockets ----------------------------------------------------------------------------

    def _open_listener(self, child: str) -> _Listener:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        for _attempt in range(20):
            udp = socket.socket(family, socket.SOCK_DGRAM)
            udp.bind((self.host, 0))
            tcp = socket.socket(family, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind((self.host, udp.getsockname()[1]))
            except OSError:
                udp.close()
                tcp.close()
                continue
            tcp.listen(MAX_TCP_CLIENTS)
            listener = _Listener(child, udp, tcp)
            listener.threads = (
                threading.Thread(
                    target=self._serve_udp, args=(listener,), name="guardian-dns-udp", daemon=True
                ),
                threading.Thread(
                    target=self._serve_tcp, args=(listener,), name="guardian-dns-tcp", daemon=True
                ),
            )
            for thread in listener.threads:
                thread.start()
            log.info("web resolver for %s on %s port %d", child, self.host, listener.port)
            return listener
        raise OSError("no free loopback port for the web resolver")

    @staticmethod
    def _close_listener(listener: _Listener) -> None:
        for sock in (listener.udp, listener.tcp):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _serve_udp(self, listener: _Listener) -> None:
        while not self.closed.is_set():
            try:
                data, addr = listener.udp.recvfrom(4096)
            except OSError:
                return
            try:
                self.pool.submit(self._answer_udp, listener, data, addr)
            except RuntimeError:  # the pool is shut down: the resolver is closing
                return

    def _answer_udp(self, listener: _Listener, data: bytes, addr: tuple[str, int]) -> None:
        reply = self.answer(listener.child, data, tcp=False)
        if reply is not None:
            with contextlib.suppress(OSError):
                listener.udp.sendto(reply, addr)

    def _serve_tcp(self, listener: _Listener) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = listener.tcp.accept()
            except OSError:
                return
            try:
                self.pool.submit(self._answer_tcp, listener.child, conn)
            except RuntimeError:
                conn.close()
                return

    def _answer_tcp(self, child: str, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(UPSTREAM_TIMEOUT)
            try:
                while True:
                    wire, _ = dns.query.receive_tcp(conn, expiration=None)
                    reply = self.answer(child, wire.to_wire(), tcp=True)
                    if reply is None:
                        return
                    conn.sendall(len(reply).to_bytes(2, "big") + reply)
            except (OSError, EOFError, dns.exception.DNSException):
                return

    # -- answers ----------------------------------------------------------------------------

    def answer(self, child: str, data: bytes, *, tcp: bool) -> bytes | None:
        """The reply to one query of ``child``'s, or ``None`` for something that is not a DNS query."""
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return None
        if not query.question:
            return _refused(query)
        flt = self.filters.get(child)
        name = query.question[0].name.to_text(omit_final_dot=True)
        decision = decide(name, flt, self.lists) if flt is not None else None
        if decision is None or decision.action == "allow":
            return self._forward(query, tcp)
        if decision.action == "block":
            if query.question[0].rdtype not in _SIBLING_TYPES:  # one lookup asks A, AAAA and HTTPS at once
                self.on_block(child, decision.category)
            reply = dns.message.make_response(query)
            reply.set_rcode(dns.rcode.NXDOMAIN)
            return reply.to_wire()
        return self._rewrite(query, decision.target, tcp)

    def _forward(self, query: dns.message.Message, tcp: bool) -> bytes:
        for host, port in self.upstream:
            try:
                if tcp:
                    reply = dns.query.tcp(query, host, timeout=UPSTREAM_TIMEOUT, port=port)
                else:
                    reply = dns.query.udp(
                        query, host, timeout=UPSTREAM_TIMEOUT, port=port, ignore_unexpected=True
                    )
                return reply.to_wire()
            except (OSError, dns.exception.DNSException) as exc:
                log.debug("upstream %s:%d failed: %s", host, port, exc)
        return _servfail(query)

    def _rewrite(self, query: dns.message.Message, target: str, tcp: bool) -> bytes:
        """``name CNAME target`` plus the target's records of the asked type, resolved upstream."""
        question = query.question[0]
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.RA
        target_name = dns.name.from_text(target)
        reply.answer.append(
            dns.rrset.from_text(
                question.name, REWRITE_TTL, dns.rdataclass.IN, dns.rdatatype.CNAME, target + "."
            )
        )
        if question.rdtype not in (dns.rdatatype.CNAME,):
            sub = dns.message.make_query(target_name, question.rdtype)
            upstream = dns.message.from_wire(self._forward(sub, tcp))
            reply.answer.extend(rrset for rrset in upstream.answer)
        return reply.to_wire()


def _refused(query: dns.message.Message) -> bytes:
    reply = dns.message.make_response(query)
    reply.set_rcode(dns.rcode.REFUSED)
    return reply.to_wire()


def _servfail(query: dns.message.Message) -> bytes:
    reply = dns.message.make_response(query)
    reply.set_rcode(dns.rcode.SERVFAIL)
    return reply.to_wire()
