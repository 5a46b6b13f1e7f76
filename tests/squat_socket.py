"""Run as a child's account: bind the agent's socket path first and play the agent.

    python squat_socket.py SOCKET

Prints ``ready`` once listening. Every line a client sends is answered with a forged status. When standard
input closes, prints JSON ``{"received": [...lines...]}`` and exits. Only the standard library.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import sys

FORGED = b'{"id": 1, "result": {"forged": true, "agent": {"running": true}, "children": []}}\n'


def main(path: str) -> int:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o666)
    listener.listen(16)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    received: list[str] = []
    print("ready", flush=True)
    while True:
        for key, _mask in selector.select():
            if key.data == "stdin":
                if not sys.stdin.readline():
                    print(json.dumps({"received": received}), flush=True)
                    return 0
            elif key.data == "listener":
                conn, _ = listener.accept()
                selector.register(conn, selectors.EVENT_READ, "client")
            else:
                conn = key.fileobj  # type: ignore[assignment]
                data = conn.recv(65536)
                if not data:
                    selector.unregister(conn)
                    conn.close()
                    continue
                received.extend(line.decode(errors="replace") for line in data.splitlines())
                conn.sendall(FORGED * data.count(b"\n"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
