"""Exec notices for the sampler's tick, from the kernel's process events (``platform/linux_procevents``).

With them the agent learns which pids ``exec``-ed since the last tick without looking at every child
process. This is a thin adapter: the socket, its kernel-side filter (execs of processes only) and the
parser are :class:`~guardian.platform.linux_procevents.ProcEvents`; here the waiting events are read
once a tick on the loop's thread. Listening needs ``CAP_NET_ADMIN`` (the agent running as a service, as
root); where it cannot be opened (personal mode, other systems) ``ExecEvents.open`` returns None and the
sampler looks at every child process instead. Lost events (``ENOBUFS``, more than a tick can take, or a
failed read) make ``drain`` answer None: look at every process once.

When the agent's exec watch (``agent/exec_watch.py``) runs, it reads the same kernel feed on its own
thread and inspects each exec as it happens; the sampler then has no ``ExecEvents`` of its own.
"""

from __future__ import annotations

import logging

from guardian.platform.linux_procevents import ProcEvents, ProcEventsUnavailable

log = logging.getLogger("guardian.agent")

KINDS = frozenset({"exec"})
MAX_DRAIN = 20_000
"""Datagrams read in one drain at most; more waiting means a full listing instead."""


class ExecEvents:
    def __init__(self, source: ProcEvents) -> None:
        self.source = source

    @classmethod
    def open(cls) -> ExecEvents | None:
        try:
            return cls(ProcEvents(KINDS).open())
        except ProcEventsUnavailable as exc:
            log.debug("no process events from the kernel (%s); every child process is checked for exec", exc)
            return None

    def drain(self) -> set[int] | None:
        """Pids (thread group ids) that exec-ed since the last call; None when events were lost."""
        source = self.source
        try:
            events = source.read(MAX_DRAIN)
        except OSError as exc:
            log.warning("reading process events failed (%s); every child process is checked once", exc)
            return None
        if source.lost:  # the buffer overflowed and the kernel dropped events
            source.lost = False
            return None
        if len(events) >= MAX_DRAIN:
            return None  # more than a tick can take: look at every process once instead
        return {event.pid for event in events if event.kind == "exec"}

    def close(self) -> None:
        self.source.close()
