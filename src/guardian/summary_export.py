"""Weekly summaries as text, CSV, JSON and self-contained HTML, in Vietnamese or English.

PDF lives in ``guardian.summary_pdf`` (it needs Qt). Every format names apps, not ids, and words events.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from html import escape
from typing import Any

from guardian import report_format
from guardian import summary_svg as svg
from guardian import summary_text as words
from guardian.core.summary import ChildSummary


@dataclass(frozen=True)
class SummaryReport:
    """What every export needs: the summaries, the family's zone and the language."""

    first: str
    last: str
    children: Sequence[ChildSummary]
    tz: tzinfo
    lang: str


def _average(s: ChildSummary) -> int:
    return s.screen_s // max(1, len(s.days))


def as_text(r: SummaryReport) -> str:
    lang = r.lang
    out = [
        f"Guardian — {words.label('title', lang)}",
        words.label("period", lang, first=r.first, last=r.last),
    ]
    for s in r.children:
        out += ["", s.child, "=" * len(s.child)]
        out += [f"• {line}" for line in words.highlights(s, lang)]
        out += ["", words.label("screen_time", lang)]
        for d in s.days:
            limit = (
                words.label("no_limit", lang)
                if d.limit_s is None
                else f"{words.label('limit', lang).lower()} {words.duration(d.limit_s, lang)}"
            )
            if d.granted_s:
                limit += f" + {words.duration(d.granted_s, lang)}"
            top = ", ".join(
                f"{words.category(c, lang)} {words.duration(v, lang)}"
                for c, v in list(d.categories.items())[:3]
            )
            line = f"  {words.weekday(d.weekday, lang, short=True):<3} {d.date}  {words.duration(d.screen_s, lang):>14}  ({limit})"
            out.append(line + (f"  {top}" if top else ""))
        out.append(
            "  "
            + words.label(
                "total",
                lang,
                total=words.duration(s.screen_s, lang),
                average=words.duration(_average(s), lang),
            )
        )
        if s.previous_screen_s is not None:
            out.append("  " + words.label("previous", lang, total=words.duration(s.previous_screen_s, lang)))
        out += ["", words.label("top_apps", lang)]
        out += [f"  {a.name}: {words.duration(a.seconds, lang)}" for a in s.top_apps()]
        late = s.late_night_s
        busiest = sorted(range(24), key=lambda h: -s.hours[h])[:3]
        out += ["", words.label("hours", lang)]
        out.append(
            "  " + ", ".join(f"{h:02d}:00 {words.duration(s.hours[h], lang)}" for h in busiest if s.hours[h])
        )
        if late:
            out.append(f"  {words.label('late', lang)}: {words.duration(late, lang)}")
        out += ["", words.label("events", lang)]
        counts = words.counts_line(s.counts, lang)
        if counts:
            out.append(f"  {counts}")
        if s.web_blocks:
            out.append(f"  {words.web_line(s.web_blocks, lang)}")
        out += [f"  {words.request_line(q, r.tz, lang)}" for q in s.requests] or [
            f"  {words.label('no_requests', lang)}"
        ]
        out += ["", words.label("tamper", lang)]
        out += [f"  ! {line}" for line in words.tamper_lines(s, r.tz, lang)] or [
            f"  {words.label('no_tamper', lang)}"
        ]
    return "\n".join(out) + "\n"


CSV_HEADER = (
    "child",
    "date",
    "weekday",
    "app",
    "app_id",
    "category",
    "seconds",
    "always_allowed",
    "day_screen_time_s",
    "day_limit_s",
    "day_extra_s",
)


def as_csv(r: SummaryReport) -> str:
    """One row per child, day and app, with a header; names and categories in the report's language."""
    names = {a.app: a for s in r.children for a in s.apps}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for s in r.children:
        for d in s.days:
            for app_id, secs in d.apps.items():
                info = names.get(app_id)
                writer.writerow(
                    [
                        s.child,
                        d.date,
                        words.weekday(d.weekday, r.lang),
                        info.name if info else app_id,
                        app_id,
                        words.category(info.category if info else "other", r.lang),
                        secs,
                        int(bool(info and info.always_allowed)),
                        d.screen_s,
                        "" if d.limit_s is None else d.limit_s,
                        d.granted_s,
                    ]
                )
    return buf.getvalue()


def as_json(r: SummaryReport, report: dict[str, Any]) -> str:
    """The ``GuardianAPI.report`` shape with each child's summary and highlights in words added."""
    by_name = {s.child: s for s in r.children}
    data = dict(report)
    data["language"] = r.lang
    children = []
    for child in report["children"]:
        s = by_name.get(child["name"])
        extra: dict[str, Any] = {}
        if s is not None:
            extra["summary"] = s.to_dict()
            extra["summary"]["highlights_text"] = words.highlights(s, r.lang)
            extra["summary"]["tamper_text"] = words.tamper_lines(s, r.tz, r.lang)
        children.append({**child, **extra})
    data["children"] = children
    return report_format.as_json(data)


_CSS = """
body{font-family:sans-serif;color:#222;max-width:640px;margin:24px auto;padding:0 16px;line-height:1.45}
h1{font-size:22px;margin:0}h2{font-size:19px;margin:28px 0 6px;border-bottom:2px solid #ddd}
h3{font-size:15px;margin:16px 0 6px}.period{color:#555;margin:2px 0 12px}
ul{padding-left:20px;margin:4px 0}.tamper{border:2px solid #c9302c;border-radius:6px;padding:8px 12px;
background:#fdf1f0;margin-top:14px}.tamper.ok{border-color:#4caf50;background:#f1f8f1}
table{border-collapse:collapse;font-size:13px}td,th{padding:2px 10px 2px 0;text-align:left}
.num{text-align:right}.foot{color:#777;font-size:12px;margin-top:28px}
section{page-break-after:always}
"""


def _inline(chart: str) -> str:
    """An SVG for inline HTML: no namespace URL (HTML needs none), so the file names no address at all."""
    return chart.replace(" xmlns='http://www.w3.org/2000/svg'", "")


def as_html(r: SummaryReport) -> str:
    """One self-contained page: inline CSS and SVG charts, no scripts, no link to anything."""
    lang = r.lang
    title = f"{words.label('title', lang)} {r.first} – {r.last}"
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Guardian — {escape(words.label('title', lang))}</h1>",
        f"<p class='period'>{escape(words.label('period', lang, first=r.first, last=r.last))}</p>",
    ]
    for s in r.children:
        parts.append(f"<section><h2>{escape(s.child)}</h2>")
        parts.append(f"<h3>{escape(words.label('highlights', lang))}</h3><ul>")
        parts += [f"<li>{escape(line)}</li>" for line in words.highlights(s, lang)]
        parts.append("</ul>")
        parts.append(_tamper_box(s, r))
        parts.append(f"<h3>{escape(words.label('screen_time', lang))}</h3>")
        parts.append(
            "<p>"
            + escape(
                words.label(
                    "total",
                    lang,
                    total=words.duration(s.screen_s, lang),
                    average=words.duration(_average(s), lang),
                )
            )
            + "</p>"
        )
        parts += [_inline(svg.days_chart(s, lang)), _inline(svg.legend(s, lang))]
        parts.append(_days_table(s, lang))
        parts.append(f"<h3>{escape(words.label('hours', lang))}</h3>{_inline(svg.hours_strip(s, lang))}")
        if s.late_night_s:
            parts.append(
                f"<p>{escape(words.label('late', lang))}: {escape(words.duration(s.late_night_s, lang))}</p>"
            )
        parts.append(f"<h3>{escape(words.label('top_apps', lang))}</h3>{_inline(svg.apps_chart(s, lang))}")
        parts.append(f"<h3>{escape(words.label('events', lang))}</h3>")
        counts = words.counts_line(s.counts, lang)
        if counts:
            parts.append(f"<p>{escape(counts)}</p>")
        lines = [words.request_line(q, r.tz, lang) for q in s.requests] or [words.label("no_requests", lang)]
        parts.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul></section>")
    parts.append(f"<p class='foot'>{escape(words.label('generated', lang))}</p></body></html>\n")
    return "".join(parts)


def _tamper_box(s: ChildSummary, r: SummaryReport) -> str:
    lines = words.tamper_lines(s, r.tz, r.lang)
    head = f"<strong>{escape(words.label('tamper', r.lang))}</strong>"
    if not lines:
        return f"<div class='tamper ok'>{head}<p>{escape(words.label('no_tamper', r.lang))}</p></div>"
    return f"<div class='tamper'>{head}<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul></div>"


def _days_table(s: ChildSummary, lang: str) -> str:
    head = [words.label(k, lang) for k in ("day", "screen_time", "limit", "extra", "always_allowed")]
    rows = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for d in s.days:
        limit = words.label("no_limit", lang) if d.limit_s is None else words.duration(d.limit_s, lang)
        cells = [
            f"{words.weekday(d.weekday, lang)} {d.date[8:]}/{d.date[5:7]}",
            words.duration(d.screen_s, lang),
            limit,
            words.duration(d.granted_s, lang) if d.granted_s else "–",
            words.duration(d.always_allowed_s, lang) if d.always_allowed_s else "–",
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return "".join(rows) + "</table>"
