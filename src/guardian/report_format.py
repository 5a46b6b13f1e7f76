"""Report data (``GuardianAPI.report``) as JSON for the command line: indented down to one line per day."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guardian.core.messages import Report

SUMMARY_MAX_DAYS = 62
"""Longest range a summary covers; ``guardian report --format json`` over a longer one gives the per-day
figures only."""


def report_json(report: Report, lang: str) -> str:
    """A report without summaries as ``guardian report --format json`` writes it."""
    data = report.to_wire()
    data["language"] = lang
    return as_json(data)


def as_json(report: dict[str, Any]) -> str:
    """Indented JSON down to one line per day: readable, and mostly written by the C encoder (a year in
    ~50 ms; ``indent=2`` throughout takes the pure-Python encoder, ~20 times slower)."""
    return _pretty(report, depth=4, pad="") + "\n"


def _pretty(value: object, *, depth: int, pad: str) -> str:
    if depth == 0 or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    inner = pad + "  "
    if isinstance(value, dict):
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, depth=depth - 1, pad=inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    items = [inner + _pretty(v, depth=depth - 1, pad=inner) for v in value]
    return "[\n" + ",\n".join(items) + f"\n{pad}]"
