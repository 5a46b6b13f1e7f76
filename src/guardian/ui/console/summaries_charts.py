"""QtCharts for the Summaries page: days by category with the limit, hour of day, top apps.

Builders take a ``ChildSummary`` and a language and return a ready ``QChartView``; no data access here.
Colours are the export's (``summary_svg.COLORS``), so screen and paper match.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy

from guardian import summary_svg
from guardian import summary_text as words
from guardian.core.summary import LATE_HOURS, ChildSummary

HOUR = 3600.0


def _chart() -> QChart:
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _view(chart: QChart, height: int, name: str) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    view.setAccessibleName(name)
    return view


def days_chart(s: ChildSummary, lang: str) -> QChartView:
    """Stacked bars per day by category (hours), the day's limit plus extra time as a dashed line."""
    chart = _chart()
    series = QStackedBarSeries()
    for category in s.categories:
        bar = QBarSet(words.category(category, lang))
        bar.setColor(QColor(summary_svg.color(category)))
        bar.append([d.categories.get(category, 0) / HOUR for d in s.days])
        series.append(bar)
    chart.addSeries(series)
    days = QBarCategoryAxis()
    days.append([words.weekday(d.weekday, lang, short=True) for d in s.days])
    peak = max([sum(d.categories.values()) for d in s.days] + [d.allowance_s or 0 for d in s.days] + [HOUR])
    hours = QValueAxis()
    hours.setRange(0, -(-peak // HOUR))
    hours.setTickType(QValueAxis.TickType.TicksDynamic)
    hours.setTickAnchor(0)
    hours.setTickInterval(1)
    hours.setLabelFormat("%d")
    hours.setTitleText(QCoreApplication.translate("SummaryCharts", "hours"))
    chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(hours, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(days)
    series.attachAxis(hours)
    pen = QPen(QColor(summary_svg.LIMIT_COLOR), 2, Qt.PenStyle.DashLine)
    first_limit = True
    for i, d in enumerate(s.days):
        if d.allowance_s is None:
            continue
        line = QLineSeries()
        line.setName(words.label("limit", lang))
        line.setPen(pen)
        y = d.allowance_s / HOUR
        line.append([QPointF(i - 0.4, y), QPointF(i + 0.4, y)])
        chart.addSeries(line)
        line.attachAxis(days)
        line.attachAxis(hours)
        if not first_limit:
            for marker in chart.legend().markers(line):
                marker.setVisible(False)
        first_limit = False
    return _view(chart, 260, words.label("screen_time", lang))


def hours_chart(s: ChildSummary, lang: str) -> QChartView:
    """Minutes per hour of day over the week; late-night hours stand out in red."""
    chart = _chart()
    series = QStackedBarSeries()
    day = QBarSet(QCoreApplication.translate("SummaryCharts", "daytime"))
    day.setColor(QColor("#2f6fd0"))
    late = QBarSet(words.label("late", lang))
    late.setColor(QColor("#c9302c"))
    for hour, seconds in enumerate(s.hours):
        minutes = seconds / 60
        day.append(0 if hour in LATE_HOURS else minutes)
        late.append(minutes if hour in LATE_HOURS else 0)
    series.append(day)
    series.append(late)
    series.setBarWidth(0.9)
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append([f"{h:02d}" for h in range(24)])
    values = QValueAxis()
    top = max(60.0, max(s.hours) / 60)
    values.setRange(0, -(-top // 60) * 60)
    values.setTickType(QValueAxis.TickType.TicksDynamic)
    values.setTickAnchor(0)
    values.setTickInterval(60 if top > 120 else 30)
    values.setLabelFormat("%d")
    values.setTitleText(words.label("minutes_axis", lang))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    series.attachAxis(values)
    return _view(chart, 230, words.label("hours", lang))


def _short(name: str, most: int = 26) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def apps_chart(s: ChildSummary, lang: str, n: int = 5) -> QChartView:
    """The top apps by name, longest bar on top (hours)."""
    chart = _chart()
    top = list(reversed(s.top_apps(n)))
    series = QHorizontalBarSeries()
    bar = QBarSet(words.label("top_apps", lang))
    bar.setColor(QColor(summary_svg.APP_BAR))
    bar.append([a.seconds / HOUR for a in top])
    series.append(bar)
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append([f"{_short(a.name)}  {words.duration(a.seconds, lang)}" for a in top] or ["–"])
    values = QValueAxis()
    values.setRange(0, -(-max([a.seconds / HOUR for a in top] + [1.0]) // 1))
    values.setTickType(QValueAxis.TickType.TicksDynamic)
    values.setTickAnchor(0)
    values.setTickInterval(1)
    values.setLabelFormat("%d")
    values.setTitleText(QCoreApplication.translate("SummaryCharts", "hours"))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(values)
    chart.legend().setVisible(False)
    return _view(chart, 60 + 34 * max(1, len(top)), words.label("top_apps", lang))
