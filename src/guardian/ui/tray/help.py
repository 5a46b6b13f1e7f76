"""The help and safety page and "What Guardian records about you", in one window with two tabs."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from guardian.ui.tray.content import HelpContent, load_help
from guardian.ui.tray.windows_common import big, label


def _page(widgets: list[QWidget]) -> QScrollArea:
    inner = QWidget()
    column = QVBoxLayout(inner)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


class HelpWindow(QWidget):
    """Help numbers, how to recognise and report harm, tips for the child's age group, and privacy."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trayHelp")
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(560, 640)
        self.group = "primary"
        self.hotlines: list[str] = ["111"]
        self.retention_days = 365
        self.content: HelpContent | None = None

    def show_page(
        self, language: str, group: str, hotlines: list[str], retention_days: int, *, privacy: bool = False
    ) -> None:
        self.content = load_help(language)
        self.group, self.hotlines, self.retention_days = group, hotlines, retention_days
        self.setWindowTitle(self.content.labels["title"])
        self.tabs.clear()
        self.tabs.addTab(self._help_page(), self.content.labels["title"])
        self.tabs.addTab(self._privacy_page(), self.tr("What Guardian records about you"))
        self.tabs.setCurrentIndex(1 if privacy else 0)
        self.show()
        self.raise_()
        self.activateWindow()

    def tips(self) -> tuple[str, ...]:
        return self.content.groups[self.group].tips if self.content else ()

    def _help_page(self) -> QScrollArea:
        assert self.content is not None
        labels = self.content.labels
        call = big(label(labels["call_111"]), 1.25)
        call.setObjectName("call111")
        own = [n for n in self.hotlines if n.strip() != "111"]
        widgets: list[QWidget] = [call]
        if own:
            widgets.append(label(f"{labels['parents_lines']} <b>{html.escape(', '.join(own))}</b>"))
        emergency = label(labels["emergency"])
        emergency.setObjectName("emergency")
        widgets += [emergency, big(label(labels["topics_title"]), 1.2)]
        for topic in self.content.topics:
            widgets.append(
                label(
                    f"<b>{html.escape(topic.title)}</b><br>{html.escape(topic.signs)}"
                    f"<br><i>{html.escape(topic.todo)}</i>"
                )
            )
        widgets.append(big(label(labels["tips_title"]), 1.2))
        tips = QLabel("<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in self.tips()) + "</ul>")
        tips.setObjectName("tips")
        tips.setWordWrap(True)
        widgets.append(tips)
        return _page(widgets)

    def _privacy_page(self) -> QScrollArea:
        assert self.content is not None
        points = self.content.privacy(self.group, self.retention_days)
        text = QLabel(
            "<ul>"
            + "".join(f"<li style='margin-bottom: 8px'>{html.escape(p)}</li>" for p in points)
            + "</ul>"
        )
        text.setObjectName("privacy")
        text.setWordWrap(True)
        return _page([big(label(self.tr("What Guardian records about you")), 1.2), text])
