"""The filtering DNS forwarder: one loopback port (UDP and TCP) per filtered child.

The OS redirects each child's DNS to that child's port (``platform/linux_nft.py``), so the port tells whose
lookup it is. Every question gets :func:`guardian.core.webfilter.decide`: allowed names are forwarded to
the upstream resolver as they are, blocked ones get NXDOMAIN, SafeSearch names a CNAME to the safe host and
that host's addresses. The wire format is dnspython's. Nothing about a lookup is kept except, for a blocked
one, ``on_block(child, category)`` (the caller counts them), and for a web app's name (YouTube's…),
``on_web(child, app_id)`` (the caller notes when, for web time: ``core/webtime.py``); a web app the agent
holds (its limit is reached) gets NXDOMAIN.
"""

from __future__ import annotations

import contextlib
import errno
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
from guardian.core.webtime import web_app_for

log = logging.getLogger("guardian.web")

UPSTREAM_TIMEOUT = 3.0
REWRITE_TTL = 300
MAX_TCP_CLIENTS = 64
_SIBLING_TYPES = frozenset({dns.rdatatype.AAAA, dns.rdatatype.HTTPS})
"""Questions that come beside an ``A`` question for the same name: not counted again."""


def system_upstream(resolv_conf: Path = Path("/etc/resolv.conf")) -> list[tuple[str, int]]:
    """The system's name servers (``nameserver`` lines, IPv4 and IPv6 with any ``%scope``), port 53; empty
    when there are none."""
    servers: list[tuple[str, int]] = []
    try:
        text = resolv_conf.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return servers
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            servers.append((fields[1], 53))
    return servers


def parse_upstream(text: str) -> list[tuple[str, int]]:
    """``"127.0.0.2:5300,::1,[fd00::2]:5300"`` → ``[("127.0.0.2", 5300), ("::1", 53), ("fd00::2", 5300)]``."""
    out = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        if item.startswith("["):
            host, _, port = item[1:].partition("]")
            port = port.removeprefix(":")
        else:
            host, _, port = item.rpartition(":") if item.count(":") == 1 else (item, "", "")
        out.append((host or item, int(port) if port else 53))
    return out


@dataclass
class _Listener:
    """One child's port: a UDP and a TCP socket on each loopback address (IPv4, and IPv6 where it is on)."""

    child: str
    socks: list[tuple[socket.socket, socket.socket]]
    threads: tuple[threading.Thread, ...] = ()

    @property
    def port(self) -> int:
        return int(self.socks[0][0].getsockname()[1])


def _bind_pair(host: str, port: int) -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket on ``host``, both on ``port`` (0: the UDP socket picks); OSError if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    udp = socket.socket(family, socket.SOCK_DGRAM)
    tcp = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            for sock in (udp, tcp):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        udp.bind((host, port))
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind((host, udp.getsockname()[1]))
        tcp.listen(MAX_TCP_CLIENTS)
    except OSError:
        udp.close()
        tcp.close()
        raise
    return udp, tcp


class WebResolver:
    """Listeners per child; ``configure`` and ``set_lists`` take effect for the next lookup."""

    def __init__(
        self,
        upstream: list[tuple[str, int]],
        on_block: Callable[[str, str], None] = lambda child, category: None,
        *,
        on_web: Callable[[str, str], None] = lambda child, app: None,
        hosts: tuple[str, ...] = ("127.0.0.1", "::1"),
        workers: int = 16,
    ) -> None:
        self.upstream = upstream
        self.on_block = on_block
        self.on_web = on_web
        """``on_web(child, app_id)``: a lookup of a web app's name (``core/webtime.py``), for web time."""
        self.held: Mapping[str, frozenset[str]] = {}
        """Per child, the web apps whose names get NXDOMAIN (blocked, or their limit is reached)."""
        self.hosts = hosts
        """Where each child's port is opened: the OS redirects IPv4 DNS to the first, IPv6 DNS to ``::1``."""
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

    def hold(self, held: Mapping[str, frozenset[str]]) -> None:
        self.held = held  # one reference swap, like the lists

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
        """The same port on every loopback address (the redirect names one port per child); an address the
        machine lacks (IPv6 turned off) is skipped, the first one is needed."""
        for _attempt in range(20):
            socks: list[tuple[socket.socket, socket.socket]] = []
            try:
                socks.append(_bind_pair(self.hosts[0], 0))
            except OSError:
                continue
            port = int(socks[0][0].getsockname()[1])
            taken = False
            for host in self.hosts[1:]:
                try:
                    socks.append(_bind_pair(host, port))
                except OSError as exc:
                    if exc.errno == errno.EADDRINUSE:
                        taken = True
                        break
                    log.warning("web resolver: no %s here (%s); lookups sent there fail", host, exc)
            if taken:
                for pair in socks:
                    self._close_pair(pair)
                continue
            listener = _Listener(child, socks)
            threads = []
            for udp, tcp in socks:
                threads += [
                    threading.Thread(
                        target=self._serve_udp, args=(child, udp), name="guardian-dns-udp", daemon=True
                    ),
                    threading.Thread(
                        target=self._serve_tcp, args=(child, tcp), name="guardian-dns-tcp", daemon=True
                    ),
                ]
            listener.threads = tuple(threads)
            for thread in listener.threads:
                thread.start()
            where = ", ".join(udp.getsockname()[0] for udp, _ in socks)
            log.info("web resolver for %s on %s port %d", child, where, listener.port)
            return listener
        raise OSError("no free loopback port for the web resolver")

    @staticmethod
    def _close_pair(pair: tuple[socket.socket, socket.socket]) -> None:
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    @classmethod
    def _close_listener(cls, listener: _Listener) -> None:
        for pair in listener.socks:
            cls._close_pair(pair)

    def _serve_udp(self, child: str, udp: socket.socket) -> None:
        while not self.closed.is_set():
            try:
                data, addr = udp.recvfrom(4096)
            except OSError:
                return
            try:
                self.pool.submit(self._answer_udp, child, udp, data, addr)
            except RuntimeError:  # the pool is shut down: the resolver is closing
                return

    def _answer_udp(self, child: str, udp: socket.socket, data: bytes, addr: tuple[str, int]) -> None:
        reply = self.answer(child, data, tcp=False)
        if reply is not None:
            with contextlib.suppress(OSError):
                udp.sendto(reply, addr)

    def _serve_tcp(self, child: str, tcp: socket.socket) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = tcp.accept()
            except OSError:
                return
            try:
                self.pool.submit(self._answer_tcp, child, conn)
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
        if decision is not None and decision.action == "block":
            if query.question[0].rdtype not in _SIBLING_TYPES:  # one lookup asks A, AAAA and HTTPS at once
                self.on_block(child, decision.category)
            return _nxdomain(query)
        web_app = web_app_for(name) if flt is not None else None
        if web_app is not None:
            if web_app in self.held.get(child, ()):
                return _nxdomain(query)  # its time is up today (or it is blocked): not a category's block
            self.on_web(child, web_app)
        if decision is None or decision.action == "allow":
            return self._forward(query, tcp)
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


def _nxdomain(query: dns.message.Message) -> bytes:
    reply = dns.message.make_response(query)
    reply.set_rcode(dns.rcode.NXDOMAIN)
    return reply.to_wire()


def _refused(query: dns.message.Message) -> bytes:
    reply = dns.message.make_response(query)
    reply.set_rcode(dns.rcode.REFUSED)
    return reply.to_wire()


def _servfail(query: dns.message.Message) -> bytes:
    reply = dns.message.make_response(query)
    reply.set_rcode(dns.rcode.SERVFAIL)
    return reply.to_wire()
