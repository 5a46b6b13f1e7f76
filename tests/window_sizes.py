"""Open every console window on a demo family and report its size against the screen (run as a subprocess:
the screen size and QT_SCALE_FACTOR are fixed when Qt starts).

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json QT_SCALE_FACTOR=1.5 python -m tests.window_sizes HOME LANG [SHOTS]

Prints one JSON line per window: its name, the screen's available size, the window's size and minimum size,
and the bottom-right corner of every push button (all in logical pixels). With SHOTS, saves a picture of
each window there.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget


def windows(api) -> Iterator[tuple[str, Callable[[], QWidget]]]:  # type: ignore[no-untyped-def]
    from guardian.resources import builtin_presets
    from guardian.ui.console import app_picker, children_page, pin_help, rules_widgets
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.window import ConsoleWindow, pages_for_role

    ctx = ConsoleContext(api, pin="1234")
    ctx.language = sys.argv[2]

    def console(page: str, role: str = "parent") -> Callable[[], QWidget]:
        def make() -> QWidget:
            win = ConsoleWindow(ctx, first_run=False)
            win.unlock(role, "1234")
            win.show_page(page)
            return win

        return make

    for spec in pages_for_role("parent"):
        yield f"console-{spec.key}", console(spec.key)
    yield "console-caregiver", console("dashboard", "caregiver")

    def wizard(step: int) -> Callable[[], QWidget]:
        def make() -> QWidget:
            win = ConsoleWindow(ctx, first_run=False)
            win.show_wizard()
            assert win.wizard is not None
            for _ in range(step):
                win.wizard.next()  # type: ignore[attr-defined]
            return win

        return make

    for step, name in enumerate(("language", "pins")):
        yield f"wizard-{name}", wizard(step)

    def wizard_children() -> QWidget:
        win = ConsoleWindow(ctx, first_run=False)
        win.show_wizard()
        wiz = win.wizard
        assert wiz is not None
        wiz.next()  # type: ignore[attr-defined]
        wiz.pin_page.parent_pin.setText("135790")  # type: ignore[attr-defined]
        wiz.pin_page.parent_again.setText("135790")  # type: ignore[attr-defined]
        wiz.next()  # type: ignore[attr-defined]
        return win

    yield "wizard-children", wizard_children
    child = api.rules().children[0]
    yield "dialog-app-limit", lambda: rules_widgets.AppLimitDialog(ctx, api.rules(), child.name)
    yield "dialog-app-picker", lambda: app_picker.AppPickerDialog(ctx, child=child.name)
    yield "dialog-preset", lambda: rules_widgets.PresetDialog(builtin_presets(), ctx.language, child.age)
    yield "dialog-remove-child", lambda: children_page.RemoveChildDialog(child.name)
    yield "dialog-forgot-pin", lambda: pin_help.ForgotPinDialog(ctx)


def main() -> None:
    from zoneinfo import ZoneInfo

    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store
    from guardian.ui import i18n, theme

    app = QApplication([])
    theme.apply_theme(app, dark=False)
    i18n.install(sys.argv[2])
    api = GuardianAPI(
        Store(Path(sys.argv[1]) / "guardian.db"),
        FakeClock(now=float(sys.argv[4]) if len(sys.argv) > 4 else 1_796_302_800.0),
        tz=ZoneInfo("Asia/Ho_Chi_Minh"),
    )
    shots = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
    for name, make in windows(api):
        win = make()
        win.show()
        for _ in range(4):
            app.processEvents()
        avail = win.screen().availableGeometry()
        buttons = [
            (b.text(), *_corner(win, b))
            for b in win.findChildren(QPushButton)
            if b.isVisibleTo(win) and not _scrolls(b, win)
        ]
        print(
            json.dumps(
                {
                    "name": name,
                    "screen": [avail.width(), avail.height()],
                    "size": [win.width(), win.height()],
                    "minimum": [win.minimumSize().width(), win.minimumSize().height()],
                    "hint": [win.minimumSizeHint().width(), win.minimumSizeHint().height()],
                    "buttons": buttons,
                }
            ),
            flush=True,
        )
        if shots is not None:
            win.grab().save(str(shots / f"{name}-{sys.argv[2]}.png"))
        win.close()
        win.deleteLater()
        app.processEvents()


def _scrolls(widget: QWidget, top: QWidget) -> bool:
    """Whether ``widget`` sits in a scroll area under ``top`` (it may be scrolled to)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _corner(top: QWidget, button: QPushButton) -> tuple[int, int]:
    corner = button.mapTo(top, button.rect().bottomRight())
    return corner.x(), corner.y()


if __name__ == "__main__":
    main()
