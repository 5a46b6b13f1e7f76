"""Run as a child's account: open many connections to the agent's socket and hold them.

    python flood_client.py SOCKET COUNT [--partial] [--subscribe] [--churn]

Connections are opened as fast as the kernel lets them and held until standard input closes. The first line
printed is JSON: ``{"opened": n, "failed": n}`` once every connect has been made. With ``--churn``, every
connection the agent closes (refused, shed) is opened again at once, until standard input closes; then a
second line ``{"reconnects": n}``. Only the standard library: it runs from any account.
"""

from __future__ import annotations

import json
import resource
import selectors
import socket
import sys
import threading


def raise_file_limit(want: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, want + 64), hard))


def connect(path: str) -> socket.socket | None:
    """A blocking connect: it waits while the agent's accept queue is full, as a real flood would."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def churn(path: str, held: list[socket.socket], stop: threading.Event) -> int:
    """Reopen every connection the agent closes until ``stop``; returns how many were reopened."""
    selector = selectors.DefaultSelector()
    for sock in held:
        selector.register(sock, selectors.EVENT_READ)
    reconnects = 0
    while not stop.is_set():
        for key, _mask in selector.select(timeout=0.2):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if data and b'"busy"' not in data:
                continue
            selector.unregister(sock)
            sock.close()
            again = connect(path)
            if again is not None:
                reconnects += 1
                selector.register(again, selectors.EVENT_READ)
    for key in list(selector.get_map().values()):
        key.fileobj.close()  # type: ignore[union-attr]
    return reconnects


def main(argv: list[str]) -> int:
    path, count = argv[0], int(argv[1])
    flags = set(argv[2:])
    raise_file_limit(count)
    held: list[socket.socket] = []
    failed = 0
    for _ in range(count):
        sock = connect(path)
        if sock is None:
            failed += 1
            continue
        if "--partial" in flags:
            sock.sendall(b'{"id": 1, "method": "sta')
        elif "--subscribe" in flags:
            sock.sendall(b'{"id": 1, "method": "subscribe"}\n')
        held.append(sock)
    print(json.dumps({"opened": len(held), "failed": failed}), flush=True)
    if "--churn" in flags:
        stop = threading.Event()
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
        print(json.dumps({"reconnects": churn(path, held, stop)}), flush=True)
        return 0
    sys.stdin.read()
    for sock in held:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
