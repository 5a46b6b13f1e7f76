"""The filtering resolver in-process, against the test's own upstream on loopback: answers and counts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from guardian.agent.webresolver import WebResolver, parse_upstream, system_upstream
from guardian.core.webfilter import ChildFilter, DomainLists, WebRules
from tests.dns_upstream import serve


@pytest.fixture
def upstream() -> Iterator[tuple[str, int]]:
    socks = serve("127.0.0.1", 0)
    yield ("127.0.0.1", socks[0].getsockname()[1])
    for sock in socks:
        sock.close()


@pytest.fixture
def resolver(upstream: tuple[str, int]) -> Iterator[tuple[WebResolver, list[tuple[str, str]]]]:
    blocked: list[tuple[str, str]] = []
    res = WebResolver([upstream], lambda child, category: blocked.append((child, category)))
    res.set_lists(DomainLists({"adult": ["pornhub.com"], "gambling": ["fb88.com"]}))
    yield res, blocked
    res.close()


def ask(port: int, name: str, *, tcp: bool = False) -> dns.message.Message:
    query = dns.message.make_query(name, "A")
    if tcp:
        return dns.query.tcp(query, "127.0.0.1", port=port, timeout=5)
    return dns.query.udp(query, "127.0.0.1", port=port, timeout=5)


def test_child_port_blocks_rewrites_and_forwards(resolver: tuple[WebResolver, list[tuple[str, str]]]) -> None:
    res, blocked = resolver
    port = res.configure({"An": ChildFilter.of(WebRules(categories=("adult",)))})["An"]
    assert ask(port, "www.pornhub.com").rcode() == dns.rcode.NXDOMAIN
    allowed = ask(port, "allowed.example", tcp=True)
    assert allowed.rcode() == dns.rcode.NOERROR
    assert allowed.answer[0][0].to_text() == "10.9.0.1"
    assert ask(port, "fb88.com").answer[0][0].to_text() == "10.9.0.3"  # gambling not blocked for An
    google = ask(port, "google.com")
    types = [(r.rdtype, r[0].to_text()) for r in google.answer]
    assert types == [(dns.rdatatype.CNAME, "forcesafesearch.google.com."), (dns.rdatatype.A, "10.9.0.5")]
    assert blocked == [("An", "adult")]


def test_lists_and_children_change_without_restart(
    resolver: tuple[WebResolver, list[tuple[str, str]]],
) -> None:
    res, blocked = resolver
    ports = res.configure({"An": ChildFilter.of(WebRules(categories=("gambling",)))})
    assert ask(ports["An"], "fb88.com").rcode() == dns.rcode.NXDOMAIN
    res.set_lists(DomainLists({"gambling": []}))
    assert ask(ports["An"], "fb88.com").rcode() == dns.rcode.NOERROR
    again = res.configure(
        {"An": ChildFilter.of(WebRules()), "Binh": ChildFilter.of(WebRules(block=("fb88.com",)))}
    )
    assert again["An"] == ports["An"]  # the same port while the child stays
    assert ask(again["Binh"], "www.fb88.com").rcode() == dns.rcode.NXDOMAIN
    assert blocked == [("An", "gambling"), ("Binh", "custom")]
    res.configure({})
    with pytest.raises((OSError, dns.exception.Timeout)):
        ask(again["Binh"], "fb88.com", tcp=True)


def test_garbage_gets_no_answer_and_the_resolver_keeps_serving(
    resolver: tuple[WebResolver, list[tuple[str, str]]],
) -> None:
    res, _ = resolver
    port = res.configure({"An": ChildFilter.of(WebRules())})["An"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"\x00\x01not dns", ("127.0.0.1", port))
    assert ask(port, "allowed.example").rcode() == dns.rcode.NOERROR


def test_upstream_down_is_servfail() -> None:
    res = WebResolver([("127.0.0.1", 9)])
    try:
        reply = res.answer("An", dns.message.make_query("allowed.example", "A").to_wire(), tcp=True)
        assert reply is not None and dns.message.from_wire(reply).rcode() == dns.rcode.SERVFAIL
    finally:
        res.close()


def test_upstream_from_resolv_conf_and_text(tmp_path: Path) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text("# x\nnameserver 127.0.0.53\nsearch lan\nnameserver fe80::1%eth0\n")
    assert system_upstream(conf) == [("127.0.0.53", 53), ("fe80::1%eth0", 53)]  # the scope says which link
    assert parse_upstream("127.0.0.2:5300, ::1, [fd00::2]:5300") == [
        ("127.0.0.2", 5300),
        ("::1", 53),
        ("fd00::2", 5300),
    ]


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="needs IPv6 on loopback (::1)")
def test_a_childs_port_answers_on_ipv6_loopback_and_forwards_to_an_ipv6_upstream() -> None:
    socks = serve("::1", 0)
    res = WebResolver([("::1", socks[0].getsockname()[1])])
    try:
        port = res.configure({"An": ChildFilter.of(WebRules(categories=("adult",)))})["An"]
        query = dns.message.make_query("allowed.example", "A")
        for reply in (
            dns.query.udp(query, "::1", port=port, timeout=5),  # where the OS redirects IPv6 DNS
            dns.query.tcp(query, "::1", port=port, timeout=5),
            dns.query.udp(query, "127.0.0.1", port=port, timeout=5),  # the same port on IPv4
        ):
            assert reply.answer[0][0].to_text() == "10.9.0.1"
    finally:
        res.close()
        for sock in socks:
            sock.close()
