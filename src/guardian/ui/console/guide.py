"""The guide for parents: agreeing rules, what to do when something harmful happens, recovery, help.

The text is Markdown in ``resources/guide/guide_{language}.md``; the line ``{{local_hotlines}}`` is
replaced with the family's local hotlines (``settings.hotlines`` besides 111).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from guardian.resources import resource_path
from guardian.ui.console.context import ConsoleContext

NATIONAL_HOTLINE = "111"
EXAMPLE_LOCAL_HOTLINE = "02623.951.567"
PLACEHOLDER = "{{local_hotlines}}"
_LOCAL_INTRO = {
    "en": ("Your local lines:", "For example, Đắk Lắk province's child-protection line is {example}."),
    "vi": (
        "Đường dây nóng tại địa phương của bạn:",
        "Ví dụ: đường dây nóng bảo vệ trẻ em của tỉnh Đắk Lắk là {example}.",
    ),
}


def guide_text(language: str) -> str:
    path = resource_path("guide") / f"guide_{language}.md"
    if not path.is_file():
        path = resource_path("guide") / "guide_en.md"
    return path.read_text(encoding="utf-8")


def local_hotlines_markdown(language: str, hotlines: tuple[str, ...]) -> str:
    """The family's own lines as a list, or the plan's province line as an example."""
    listed, example = _LOCAL_INTRO.get(language, _LOCAL_INTRO["en"])
    local = [line for line in hotlines if line.strip() and line.strip() != NATIONAL_HOTLINE]
    if not local:
        return example.format(example=f"**{EXAMPLE_LOCAL_HOTLINE}**")
    return listed + " " + ", ".join(f"**{line.strip()}**" for line in local)


def guide_markdown(language: str, hotlines: tuple[str, ...]) -> str:
    return guide_text(language).replace(PLACEHOLDER, local_hotlines_markdown(language, hotlines))


class GuidePage(QWidget):
    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.banner = QLabel()
        self.banner.setObjectName("hotlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setProperty("role", "alert")  # colours from the theme, light or dark
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(14)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.browser, 1)
        ctx.language_changed.connect(self._language_changed)
        ctx.data_changed.connect(self.refresh)
        self.hotlines: tuple[str, ...] | None = None
        """The family's local hotlines as last read (``None`` until the first read comes back)."""
        self._reads = 0
        self.refresh()

    @property
    def busy(self) -> bool:
        """A read of the hotlines is out (on the context's reader thread)."""
        return self._reads > 0

    def _language_changed(self, _language: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.banner.setText(
            self.tr(
                "<b>Child protection hotline 111</b>: free, day and night. Call it whenever a child is in danger or you need advice."
            )
        )
        self.banner.setAccessibleName(self.tr("Child protection hotline 111"))
        self.browser.setAccessibleName(self.tr("Guide for parents"))
        if self.hotlines is not None:
            self._show_guide()
        self._reads += 1
        self.ctx.read(
            lambda api: api.rules().settings.hotlines, self._hotlines_read, self._read_failed, context=self
        )

    def _hotlines_read(self, hotlines: tuple[str, ...]) -> None:
        self._reads -= 1
        self.hotlines = tuple(hotlines)
        self._show_guide()

    def _read_failed(self, _exc: BaseException) -> None:
        self._reads -= 1
        if self.hotlines is None:  # the guide still shows, with the national hotlines only
            self.hotlines = ()
            self._show_guide()

    def _show_guide(self) -> None:
        self.browser.setMarkdown(guide_markdown(self.ctx.language, self.hotlines or ()))
