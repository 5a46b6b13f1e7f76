"""Exec notices from the Linux kernel's process events connector (``NETLINK_CONNECTOR``, ``CN_IDX_PROC``).

With it the agent learns which pids ``exec``-ed since the last tick without looking at every child
process: one non-blocking ``recv`` per event and one more that finds none. Listening needs
``CAP_NET_ADMIN`` (the agent running as a service, as root); where it cannot be opened (personal mode,
other systems) ``ExecEvents.open`` returns None and the sampler looks at every child process instead.
A full socket buffer (events lost) makes ``drain`` answer None: look at every process once.
"""

from __future__ import annotations

import logging
import os
import socket
import struct

log = logging.getLogger("guardian.agent")

NETLINK_CONNECTOR = 11
CN_IDX_PROC = 1
CN_VAL_PROC = 1
PROC_CN_MCAST_LISTEN = 1
PROC_EVENT_EXEC = 0x00000002
NLMSG_DONE = 3
_HEADER = 16 + 20  # nlmsghdr + cn_msg
_EVENT = _HEADER + 16  # + what, cpu, timestamp
BUFFER = 1 << 20
MAX_DRAIN = 20_000


class ExecEvents:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    @classmethod
    def open(cls) -> ExecEvents | None:
        family = getattr(socket, "AF_NETLINK", None)
        if family is None:
            return None
        try:
            sock = socket.socket(family, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
        except OSError:
            return None
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)
            sock.bind((0, CN_IDX_PROC))
            op = struct.pack("=I", PROC_CN_MCAST_LISTEN)
            msg = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(op), 0) + op
            sock.send(struct.pack("=IHHII", 16 + len(msg), NLMSG_DONE, 0, 0, os.getpid()) + msg)
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            log.debug("no process events from the kernel (%s); every child process is checked for exec", exc)
            return None
        return cls(sock)

    def drain(self) -> set[int] | None:
        """Pids (thread group ids) that exec-ed since the last call; None when events were lost."""
        pids: set[int] = set()
        recv = self.sock.recv
        for _ in range(MAX_DRAIN):
            try:
                data = recv(256)
            except BlockingIOError:
                return pids
            except OSError:  # ENOBUFS: the buffer overflowed and events were dropped
                return None
            if len(data) >= _EVENT + 8 and struct.unpack_from("=I", data, _HEADER)[0] == PROC_EVENT_EXEC:
                pids.add(struct.unpack_from("=I", data, _EVENT + 4)[0])
        return None  # more than a tick can take: look at every process once instead

    def close(self) -> None:
        self.sock.close()
