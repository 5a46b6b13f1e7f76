"""The console's look: spacing and type scale, light and dark palettes, a small stylesheet, icons.

Every page uses these constants instead of numbers of its own, so spacing stays consistent.
Text never gets a fixed width: Vietnamese strings are about a third longer than English ones.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from guardian.resources import resource_path

# -- spacing (pixels) ----------------------------------------------------------------------------
SPACE_XS = 4
SPACE_S = 8
SPACE_M = 12
SPACE_L = 16
SPACE_XL = 24
SPACE_XXL = 32

# -- type scale (points) -------------------------------------------------------------------------
FONT_SMALL = 9
FONT_BODY = 10
FONT_SUBTITLE = 12
FONT_TITLE = 16
FONT_DISPLAY = 22

RADIUS = 10
ICON_SIZE = 20

ACCENT_LIGHT = "#2563eb"
ACCENT_DARK = "#60a5fa"
ON_ACCENT_LIGHT = "#ffffff"
ON_ACCENT_DARK = "#0b1220"
"""Text and icons drawn on the accent colour (white on the light theme's blue, ink on the dark one's)."""
GOOD = "#16a34a"
WARN = "#d97706"
BAD = "#dc2626"
ERROR_LIGHT = "#b91c1c"
ERROR_DARK = "#f87171"
"""Error text: ``BAD`` is a shade too light for small text on the light window and too dark on the dark one."""
ALERT_LIGHT = ("#fdecea", "#7a1c12")
ALERT_DARK = ("#3f1d1d", "#fecaca")
"""(background, text) of an alert banner such as the guide's hotlines."""
MUTED_LIGHT = "#5b6472"
MUTED_DARK = "#9ca3af"
"""Secondary text (status lines, hints): at least 4.5:1 on the window and on cards."""
CARD_LIGHT = "#ffffff"
CARD_DARK = "#1f2937"
BORDER_LIGHT = "#e5e7eb"
BORDER_DARK = "#374151"
"""Decorative lines (cards, disabled controls): not needed to find or operate anything."""
CONTROL_LIGHT = "#6b7280"
CONTROL_DARK = "#9ca3af"
"""The edge of a check box, radio button or field: at least 3:1 on the window and on fields (WCAG 1.4.11)."""
FOCUS_WIDTH = 2
"""Pixels of the focus ring (the accent colour) around the control that has the keyboard."""


def _palette(colors: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    return palette


def light_palette() -> QPalette:
    role = QPalette.ColorRole
    palette = _palette(
        {
            role.Window: "#f4f6fa",
            role.WindowText: "#1f2937",
            role.Base: "#ffffff",
            role.AlternateBase: "#eef2f7",
            role.Text: "#1f2937",
            role.Button: "#ffffff",
            role.ButtonText: "#1f2937",
            role.Highlight: ACCENT_LIGHT,
            role.HighlightedText: "#ffffff",
            role.ToolTipBase: "#1f2937",
            role.ToolTipText: "#ffffff",
            role.PlaceholderText: "#6b7280",
            role.Link: ACCENT_LIGHT,
            role.Mid: "#d1d5db",
            role.Dark: "#9ca3af",
        }
    )
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#9ca3af"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#9ca3af"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#9ca3af"))
    return palette


def dark_palette() -> QPalette:
    role = QPalette.ColorRole
    palette = _palette(
        {
            role.Window: "#111827",
            role.WindowText: "#e5e7eb",
            role.Base: "#1f2937",
            role.AlternateBase: "#273244",
            role.Text: "#e5e7eb",
            role.Button: "#273244",
            role.ButtonText: "#e5e7eb",
            role.Highlight: ACCENT_DARK,
            role.HighlightedText: "#0b1220",
            role.ToolTipBase: "#e5e7eb",
            role.ToolTipText: "#111827",
            role.PlaceholderText: "#9ca3af",
            role.Link: ACCENT_DARK,
            role.Mid: "#374151",
            role.Dark: "#4b5563",
        }
    )
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#6b7280"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#6b7280"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#6b7280"))
    return palette


def system_prefers_dark(app: QGuiApplication) -> bool:
    """Whether the system asks for a dark look (Qt 6.5+ knows; older Qt: light)."""
    hints = app.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def stylesheet(dark: bool) -> str:
    """Headings, cards and the sidebar; colours come from the palette where Qt allows it."""
    card = CARD_DARK if dark else CARD_LIGHT
    border = BORDER_DARK if dark else BORDER_LIGHT
    muted = MUTED_DARK if dark else MUTED_LIGHT
    control = CONTROL_DARK if dark else CONTROL_LIGHT
    base = (dark_palette() if dark else light_palette()).color(QPalette.ColorRole.Base).name()
    check = (resource_path("icons") / f"check-{'dark' if dark else 'light'}.svg").as_posix()
    accent = ACCENT_DARK if dark else ACCENT_LIGHT
    on_accent = ON_ACCENT_DARK if dark else ON_ACCENT_LIGHT
    error = ERROR_DARK if dark else ERROR_LIGHT
    alert_bg, alert_text = ALERT_DARK if dark else ALERT_LIGHT
    return f"""
QLabel[role="title"] {{ font-size: {FONT_TITLE}pt; font-weight: 600; }}
QLabel[role="display"] {{ font-size: {FONT_DISPLAY}pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ font-size: {FONT_SUBTITLE}pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {muted}; }}
QLabel[role="error"] {{ color: {error}; }}
QLabel[role="alert"] {{ background: {alert_bg}; color: {alert_text}; border-radius: 6px; padding: 10px 14px; }}
QFrame[role="card"] {{ background: {card}; border: 1px solid {border}; border-radius: {RADIUS}px; }}
QFrame[role="card"] QLabel {{ background: transparent; border: none; }}
QListWidget#sidebar {{ border: none; background: transparent; font-size: {FONT_SUBTITLE}pt; }}
QListWidget#sidebar::item {{ padding: {SPACE_S}px {SPACE_M}px; border-radius: 8px; }}
QListWidget#sidebar::item:selected {{ background: {accent}; color: {on_accent}; }}
QPushButton {{ padding: {SPACE_XS + 2}px {SPACE_M}px; }}
QPushButton[role="primary"] {{ background: {accent}; color: {on_accent}; border: none; border-radius: 6px; }}
QPushButton[role="primary"]:disabled {{ background: {border}; color: {muted}; }}
QCheckBox::indicator, QAbstractItemView::indicator {{
    width: 14px; height: 14px; border: 2px solid {control}; border-radius: 3px; background: {base}; }}
QCheckBox::indicator:checked, QAbstractItemView::indicator:checked {{
    background: {accent}; border-color: {accent}; image: url("{check}"); }}
QCheckBox::indicator:disabled, QAbstractItemView::indicator:disabled {{ border-color: {border}; }}
QCheckBox::indicator:focus {{ border-color: {accent}; }}
QRadioButton::indicator {{ width: 14px; height: 14px; border: 2px solid {control}; border-radius: 9px;
    background: {base}; }}
QRadioButton::indicator:checked {{ border-color: {accent}; background: qradialgradient(cx:0.5, cy:0.5,
    radius:0.5, fx:0.5, fy:0.5, stop:0 {accent}, stop:0.55 {accent}, stop:0.65 {base}, stop:1 {base}); }}
QCheckBox:focus, QRadioButton:focus {{ outline: none; }}
QCheckBox:focus::indicator, QRadioButton:focus::indicator {{ border-color: {accent}; }}
QPushButton:focus, QLineEdit:focus, QAbstractSpinBox:focus, QAbstractItemView:focus, QTextBrowser:focus {{
    border: {FOCUS_WIDTH}px solid {accent}; border-radius: 4px; }}
QPushButton[role="primary"]:focus {{ border: {FOCUS_WIDTH}px solid {on_accent}; outline: {FOCUS_WIDTH}px solid {accent}; }}
"""


def apply_theme(app: QApplication, *, dark: bool | None = None) -> bool:
    """Fusion style, the palette matching the system (or ``dark``), and the stylesheet. Returns ``dark``."""
    if dark is None:
        dark = system_prefers_dark(app)
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
    font = app.font()
    font.setPointSize(FONT_BODY)
    app.setFont(font)
    app.setStyleSheet(stylesheet(dark))
    app.setProperty("guardian_dark", dark)
    icon.cache_clear()
    from guardian.ui import accessibility, screen_fit

    screen_fit.install(app)
    accessibility.install()
    return dark


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("guardian_dark"))


def accent() -> str:
    """The accent colour of the current theme, for icons and marks drawn on the window background."""
    return ACCENT_DARK if is_dark() else ACCENT_LIGHT


@cache
def icon(name: str, color: str | None = None) -> QIcon:
    """``resources/icons/NAME.svg`` drawn in ``color``.

    By default it takes the palette's text colour, and the highlighted-text colour where it sits on a
    selection (a selected sidebar row), so it stays visible in both themes.
    """
    path = resource_path("icons") / f"{name}.svg"
    if not path.is_file():
        return QIcon()
    svg = path.read_text(encoding="utf-8")
    result = QIcon()
    if color is not None:
        _add_pixmaps(result, svg, color, QIcon.Mode.Normal)
        return result
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else light_palette()
    _add_pixmaps(result, svg, palette.color(QPalette.ColorRole.WindowText).name(), QIcon.Mode.Normal)
    _add_pixmaps(result, svg, palette.color(QPalette.ColorRole.HighlightedText).name(), QIcon.Mode.Selected)
    return result


def _add_pixmaps(target: QIcon, svg: str, color: str, mode: QIcon.Mode) -> None:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode()))
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target.addPixmap(pixmap, mode)
