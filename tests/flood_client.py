"""Run as a child's account: open many connections to the agent's socket and hold them.

    python flood_client.py SOCKET COUNT [--idle] [--partial] [--subscribe]

Connections are opened as fast as the kernel lets them and held until standard input closes. The first line
printed is JSON: ``{"opened": n, "failed": n}`` once every connect has been made. Only the standard library: it
runs from any account.
"""

from __future__ import annotations

import json
import resource
import socket
import sys


def raise_file_limit(want: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, want + 64), hard))


def main(argv: list[str]) -> int:
    path, count = argv[0], int(argv[1])
    flags = set(argv[2:])
    raise_file_limit(count)
    held: list[socket.socket] = []
    failed = 0
    for _ in range(count):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(2.0)
        try:
            sock.connect(path)
        except OSError:
            failed += 1
            sock.close()
            continue
        if "--partial" in flags:
            sock.sendall(b'{"id": 1, "method": "sta')
        elif "--subscribe" in flags:
            sock.sendall(b'{"id": 1, "method": "subscribe"}\n')
        held.append(sock)
    print(json.dumps({"opened": len(held), "failed": failed}), flush=True)
    sys.stdin.read()
    for sock in held:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
