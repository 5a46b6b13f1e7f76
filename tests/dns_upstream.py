"""A test's own upstream DNS server (dnspython): fixed A records on UDP and TCP, NXDOMAIN for the rest.

Run as ``python tests/dns_upstream.py HOST PORT [--dot-port N]`` inside a test's network namespace, or
start in-process with :func:`serve`. HOST may be an IPv6 address. It also listens on ``--dot-port`` (TCP, no TLS) so a test can see a
DNS-over-TLS connection refused or accepted. Prints ``ready`` when listening.
"""

from __future__ import annotations

import socket
import sys
import threading

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset

RECORDS: dict[str, str] = {
    "allowed.example": "10.9.0.1",
    "www.allowed.example": "10.9.0.1",
    "pornhub.com": "10.9.0.2",
    "www.pornhub.com": "10.9.0.2",
    "fb88.com": "10.9.0.3",
    "google.com": "10.9.0.4",
    "www.google.com": "10.9.0.4",
    "forcesafesearch.google.com": "10.9.0.5",
    "youtube.com": "10.9.0.6",
    "restrictmoderate.youtube.com": "10.9.0.7",
    "restrict.youtube.com": "10.9.0.8",
}


def reply_for(data: bytes) -> bytes:
    query = dns.message.from_wire(data)
    reply = dns.message.make_response(query)
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True).lower()
    address = RECORDS.get(name)
    if address is None:
        reply.set_rcode(dns.rcode.NXDOMAIN)
    elif question.rdtype == dns.rdatatype.A:
        reply.answer.append(dns.rrset.from_text(question.name, 60, "IN", "A", address))
    return reply.to_wire()


def serve(host: str, port: int, dot_port: int = 0) -> list[socket.socket]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    udp = socket.socket(family, socket.SOCK_DGRAM)
    udp.bind((host, port))
    tcp = socket.socket(family, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((host, udp.getsockname()[1]))
    tcp.listen(16)
    socks = [udp, tcp]

    def udp_loop() -> None:
        while True:
            try:
                data, addr = udp.recvfrom(4096)
                udp.sendto(reply_for(data), addr)
            except OSError:
                return

    def tcp_loop(listener: socket.socket, dns_: bool) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                if dns_:
                    try:
                        query, _ = dns.query.receive_tcp(conn)
                        dns.query.send_tcp(conn, reply_for(query.to_wire()))
                    except Exception:  # a test server: drop a bad client
                        pass

    threading.Thread(target=udp_loop, daemon=True).start()
    threading.Thread(target=tcp_loop, args=(tcp, True), daemon=True).start()
    if dot_port:
        dot = socket.socket(family, socket.SOCK_STREAM)
        dot.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        dot.bind((host, dot_port))
        dot.listen(16)
        socks.append(dot)
        threading.Thread(target=tcp_loop, args=(dot, False), daemon=True).start()
    return socks


if __name__ == "__main__":
    args = sys.argv[1:]
    dot_port = int(args[args.index("--dot-port") + 1]) if "--dot-port" in args else 0
    serve(args[0], int(args[1]), dot_port)
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin
