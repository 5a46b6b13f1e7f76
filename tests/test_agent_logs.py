"""Repeated log lines are rate-limited: a burst is written, the rest counted and reported once."""

from __future__ import annotations

import logging

from guardian.agent.logs import RepeatLimit


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_message_repeated_thousands_of_times_is_written_a_few_times_then_counted() -> None:
    now = [0.0]
    handler = Collect()
    handler.addFilter(RepeatLimit(burst=3, window=60.0, clock=lambda: now[0]))
    logger = logging.getLogger("guardian.test.repeats")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for _ in range(26_595):
            logger.warning("cannot accept an IPC client: %s", "[Errno 24] Too many open files")
        logger.warning("something else")
        assert len(handler.lines) == 4
        now[0] = 61.0
        logger.warning("cannot accept an IPC client: %s", "[Errno 24] Too many open files")
        assert handler.lines[-1].endswith("(and 26592 more like it in the last 60 s)")
    finally:
        logger.removeHandler(handler)
