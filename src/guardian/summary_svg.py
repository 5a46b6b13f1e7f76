"""Weekly summary charts as self-contained SVG (no fonts, images or links fetched from anywhere).

Used inline by the HTML export and drawn by ``QSvgRenderer`` into the PDF, so both show the same charts.
"""

from __future__ import annotations

from html import escape

from guardian import summary_text as words
from guardian.core.summary import LATE_HOURS, ChildSummary

COLORS = {
    "games": "#d9534f",
    "emulators": "#b3476f",
    "video": "#f0ad4e",
    "social": "#5b8def",
    "music": "#9b6fd6",
    "browsers": "#3fa7b5",
    "education": "#4caf50",
    "creative": "#8bc34a",
    "office": "#607d8b",
    "utilities": "#9e9e9e",
    "other": "#bdbdbd",
}
LIMIT_COLOR = "#222222"
APP_BAR = "#2f6fd0"
TEXT = "#333333"
FONT = "font-family='sans-serif'"


def color(category: str) -> str:
    return COLORS.get(category, COLORS["other"])


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'"
        f" viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title, quote=True)}'>"
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(
    x: float, y: float, text: str, *, size: int = 11, anchor: str = "middle", weight: str = "normal"
) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' {FONT} font-size='{size}' fill='{TEXT}'"
        f" text-anchor='{anchor}' font-weight='{weight}'>{escape(text)}</text>"
    )


def days_chart(s: ChildSummary, lang: str, *, width: int = 560, height: int = 240) -> str:
    """Stacked bars per day by category, with each day's limit (plus extra time) drawn as a line."""
    left, right, top, bottom = 44, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(
        [d.screen_s for d in s.days]
        + [sum(d.categories.values()) for d in s.days]
        + [d.allowance_s or 0 for d in s.days]
        + [3600]
    )
    hours = -(-peak // 3600)
    scale = plot_h / (hours * 3600)
    body: list[str] = []
    for h in range(hours + 1):
        y = top + plot_h - h * 3600 * scale
        body.append(f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e4e4e4'/>")
        body.append(_text(left - 6, y + 4, f"{h}h" if lang != "vi" else f"{h} giờ", size=10, anchor="end"))
    slot = plot_w / max(1, len(s.days))
    bar = slot * 0.6
    for i, d in enumerate(s.days):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for cat, secs in reversed(list(d.categories.items())):
            h_px = secs * scale
            y -= h_px
            tip = f"{words.category(cat, lang)}: {words.duration(secs, lang)}"
            body.append(
                f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h_px:.1f}' fill='{color(cat)}'>"
                f"<title>{escape(tip)}</title></rect>"
            )
        if d.allowance_s is not None:
            ly = top + plot_h - d.allowance_s * scale
            body.append(
                f"<line x1='{x - 4:.1f}' x2='{x + bar + 4:.1f}' y1='{ly:.1f}' y2='{ly:.1f}'"
                f" stroke='{LIMIT_COLOR}' stroke-width='2' stroke-dasharray='5,3'/>"
            )
        body.append(_text(x + bar / 2, height - 10, words.weekday(d.weekday, lang, short=True)))
    return _svg(width, height, body, words.label("screen_time", lang))


def legend(s: ChildSummary, lang: str, *, width: int = 560) -> str:
    """The categories in the days chart, plus the limit line."""
    items = [(words.category(c, lang), color(c)) for c in s.categories]
    body: list[str] = []
    x, y = 4.0, 14.0
    for name, fill in items:
        w = 22 + len(name) * 6.2
        if x + w > width:
            x, y = 4.0, y + 18
        body.append(f"<rect x='{x:.1f}' y='{y - 9:.1f}' width='10' height='10' fill='{fill}'/>")
        body.append(_text(x + 14, y, name, size=10, anchor="start"))
        x += w + 10
    limit = words.label("limit", lang)
    if x + 40 + len(limit) * 6.2 > width:
        x, y = 4.0, y + 18
    body.append(
        f"<line x1='{x:.1f}' x2='{x + 18:.1f}' y1='{y - 4:.1f}' y2='{y - 4:.1f}' stroke='{LIMIT_COLOR}' stroke-width='2' stroke-dasharray='5,3'/>"
    )
    body.append(_text(x + 22, y, limit, size=10, anchor="start"))
    return _svg(width, int(y + 8), body, words.label("categories", lang))


def hours_strip(s: ChildSummary, lang: str, *, width: int = 560, height: int = 56) -> str:
    """Screen time per hour of day as a strip of cells; late-night hours in red."""
    left, top = 4, 4
    cell = (width - 2 * left) / 24
    peak = max(max(s.hours), 1)
    body: list[str] = []
    for hour, secs in enumerate(s.hours):
        x = left + hour * cell
        strength = secs / peak
        base = (200, 40, 40) if hour in LATE_HOURS else (40, 90, 200)
        r, g, b = (int(255 - (255 - c) * strength) for c in base)
        tip = f"{hour:02d}:00–{hour + 1:02d}:00: {words.duration(secs, lang)}"
        body.append(
            f"<rect x='{x:.1f}' y='{top}' width='{cell - 1:.1f}' height='30' fill='rgb({r},{g},{b})'"
            f" stroke='#dddddd'><title>{escape(tip)}</title></rect>"
        )
        if hour % 3 == 0:
            body.append(_text(x + 1, top + 46, f"{hour:02d}", size=10, anchor="start"))
    return _svg(width, height, body, words.label("hours", lang))


def apps_chart(s: ChildSummary, lang: str, *, width: int = 560, n: int = 5) -> str:
    """Horizontal bars for the top apps, by name."""
    top = s.top_apps(n)
    row = 22
    height = max(row, row * len(top)) + 4
    label_w = 190
    peak = max([a.seconds for a in top] + [1])
    body: list[str] = []
    for i, app in enumerate(top):
        y = 2 + i * row
        w = (width - label_w - 90) * app.seconds / peak
        name = app.name if len(app.name) <= 30 else app.name[:29] + "…"
        body.append(_text(label_w - 8, y + 15, name, anchor="end"))
        body.append(
            f"<rect x='{label_w}' y='{y + 4}' width='{w:.1f}' height='16' fill='{color(app.category)}'/>"
        )
        body.append(_text(label_w + w + 6, y + 15, words.duration(app.seconds, lang), anchor="start"))
    return _svg(width, height, body, words.label("top_apps", lang))
