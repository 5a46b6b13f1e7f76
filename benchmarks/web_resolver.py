"""The web filter's resolver: added lookup latency and throughput against the upstream alone, and the
memory of the in-memory lists per million domains.

    .venv/bin/python benchmarks/web_resolver.py [--lookups 3000] [--domains 1000000]

Three processes on loopback: the test upstream (``tests/dns_upstream.py``, fixed records), Guardian's
``WebResolver`` serving one child (the bundled lists, SafeSearch on), and this client. Latency: one query at
a time, the same names, straight to the upstream (baseline) and through the resolver. Throughput: 64 queries
in flight over UDP; the resolver's CPU time (``/proc`` via psutil) gives lookups per second of one core. The
upstream is a Python server too, so the wall throughput of both paths is bounded by it; the per-core figure
is the resolver's own cost. Memory: RSS of a fresh process before and after building ``DomainLists`` of
synthetic names, beside a plain ``set`` of the same names, lower-cased (baseline: the same strings, no
categories).
"""

from __future__ import annotations

import argparse
import os
import selectors
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import dns.message
import psutil

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["allowed.example", "www.allowed.example", "google.com", "pornhub.com", "fb88.com", "nothere.example"]
TARGET_ADDED_MS = 1.0
TARGET_PER_CORE = 2000


def start(args: list[str]) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    return proc, int(line[1])


def serve_upstream() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.dns_upstream import serve

    socks = serve("127.0.0.1", 0)
    print("port", socks[0].getsockname()[1], flush=True)
    sys.stdin.read()


def serve_resolver(upstream_port: int) -> None:
    from guardian.agent.webresolver import WebResolver
    from guardian.core.webfilter import CATEGORIES, ChildFilter, WebRules
    from guardian.weblists import load_lists

    res = WebResolver([("127.0.0.1", upstream_port)])
    res.set_lists(load_lists(Path("/nonexistent")))
    port = res.configure({"An": ChildFilter.of(WebRules(categories=CATEGORIES))})["An"]
    print("port", port, flush=True)
    sys.stdin.read()
    res.close()


def latencies(port: int, n: int) -> list[float]:
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        for i in range(n):
            wire = dns.message.make_query(NAMES[i % len(NAMES)], "A").to_wire()
            t0 = time.perf_counter()
            sock.sendto(wire, ("127.0.0.1", port))
            sock.recv(4096)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def throughput(port: int, n: int, window: int = 64) -> float:
    """Answers per second with ``window`` queries in flight."""
    wires = [dns.message.make_query(NAMES[i % len(NAMES)], "A").to_wire() for i in range(n)]
    sel = selectors.DefaultSelector()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)
        sent = done = 0
        t0 = time.perf_counter()
        while done < n:
            while sent < n and sent - done < window:
                sock.sendto(wires[sent], ("127.0.0.1", port))
                sent += 1
            if not sel.select(timeout=5):
                break  # lost packets: stop counting
            while True:
                try:
                    sock.recv(4096)
                    done += 1
                except BlockingIOError:
                    break
        return done / (time.perf_counter() - t0)


def cpu(pid: int) -> float:
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def measure_memory(domains: int) -> None:
    from guardian.core.webfilter import ChildFilter, DomainLists, WebRules, decide

    names = [f"site{i}.example{i % 97}.com" for i in range(domains)]
    proc = psutil.Process()
    base = proc.memory_info().rss
    plain = {n.lower() for n in names}  # new strings, as the lists make them
    set_rss = proc.memory_info().rss - base
    del plain
    base = proc.memory_info().rss
    lists = DomainLists({"adult": names})
    lists_rss = proc.memory_info().rss - base
    kid = ChildFilter.of(WebRules(categories=("adult",)))
    probes = [f"www.site{i * 7}.example{(i * 7) % 97}.com" for i in range(100_000)]
    t0 = time.perf_counter()
    hits = sum(decide(p, kid, lists).action == "block" for p in probes)
    per_s = len(probes) / (time.perf_counter() - t0)
    print(f"{set_rss} {lists_rss} {per_s} {hits}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--domains", type=int, default=1_000_000)
    parser.add_argument("--serve-upstream", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-resolver", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream()
        return 0
    if args.serve_resolver:
        serve_resolver(args.serve_resolver)
        return 0
    if args.memory:
        measure_memory(args.memory)
        return 0
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (uptime)")
    me = [__file__]
    upstream, up_port = start([*me, "--serve-upstream"])
    resolver, res_port = start([*me, "--serve-resolver", str(up_port)])
    try:
        latencies(up_port, 200)
        latencies(res_port, 200)  # warm up both
        direct = latencies(up_port, args.lookups)
        via = latencies(res_port, args.lookups)
        d_med, v_med = statistics.median(direct), statistics.median(via)
        added = v_med - d_med
        print(f"lookup latency, {args.lookups} one at a time (median / p95)")
        print(
            f"  upstream alone (baseline)   {d_med:6.3f} ms / {statistics.quantiles(direct, n=20)[18]:6.3f} ms"
        )
        print(
            f"  through Guardian's resolver {v_med:6.3f} ms / {statistics.quantiles(via, n=20)[18]:6.3f} ms"
        )
        verdict = "ok" if added <= TARGET_ADDED_MS else "OVER TARGET"
        print(f"  added by the resolver       {added:6.3f} ms   target <= {TARGET_ADDED_MS} ms: {verdict}")
        direct_qps = throughput(up_port, args.lookups)
        c0 = cpu(resolver.pid)
        via_qps = throughput(res_port, args.lookups)
        cpu_s = cpu(resolver.pid) - c0
        per_core = args.lookups / cpu_s if cpu_s else float("inf")
        verdict = "ok" if per_core >= TARGET_PER_CORE else "OVER TARGET"
        print(f"throughput, {args.lookups} lookups, 64 in flight")
        print(f"  upstream alone (baseline)   {direct_qps:8.0f} lookups/s")
        print(f"  through Guardian's resolver {via_qps:8.0f} lookups/s   ratio {via_qps / direct_qps:4.2f}")
        print(
            f"  resolver CPU {cpu_s:5.2f} s -> {per_core:8.0f} lookups/s of one core"
            f"   target >= {TARGET_PER_CORE}: {verdict}"
        )
    finally:
        for proc in (resolver, upstream):
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.close()
            proc.wait(timeout=10)
            proc.stdout.close()
    out = subprocess.run(
        [sys.executable, __file__, "--memory", str(args.domains)], capture_output=True, text=True, check=True
    ).stdout.split()
    set_rss, lists_rss, per_s = int(out[0]), int(out[1]), float(out[2])
    scale = 1_000_000 / args.domains
    print(f"lists in memory, {args.domains} synthetic domains")
    print(f"  plain set of the names (baseline)  {set_rss * scale / 2**20:7.1f} MB per million")
    print(
        f"  DomainLists (name -> categories)   {lists_rss * scale / 2**20:7.1f} MB per million"
        f"   ratio {lists_rss / max(set_rss, 1):4.2f}"
    )
    print(f"  decisions (suffix walk) on it      {per_s:9.0f} per second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
