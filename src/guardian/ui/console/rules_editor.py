"""``RulesEditorPage``: every rule of one child, edited as a draft with undo, checked as you type.

Slots stay thin: each edit calls a pure function of ``rules_model`` on the current child and pushes
the new draft into the ``History``; saving stores the whole draft as one new rules version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.core.catalog import Catalog
from guardian.core.model import AT_LIMIT_ACTIONS, App, AppLimit, Child, Rules, Weekly
from guardian.core.presets import Preset
from guardian.resources import builtin_apps, builtin_presets
from guardian.ui.console import rules_model as rm
from guardian.ui.console.app_names import display_name
from guardian.ui.console.app_picker import AppPickerDialog
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.hours_grid import HoursGrid
from guardian.ui.console.rules_labels import at_limit_label, weekday_short
from guardian.ui.console.rules_widgets import AppLimitDialog, PresetDialog, RefList, WeekdayTimes, limit_text

ChildEdit = Callable[[Child], Child]


def presets() -> tuple[Preset, ...]:
    return builtin_presets()


@cache
def _known_ref() -> Callable[[str], bool]:
    return Catalog(builtin_apps()).is_known_ref


class RulesEditorPage(QWidget):
    """Edit one child's rules at a time; Save stores every child's changes at once."""

    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.history = rm.History(Rules())
        self._child_name = ""
        self._loading = False
        self._field_errors: dict[str, str] = {}
        self._out = 0
        self.saving = False
        self._build()
        self._shortcuts()
        ctx.data_changed.connect(self._external_change)
        self.content.setEnabled(False)  # until the rules are read
        self._read_rules(self._first_read)

    saved = Signal(bool)
    """A save came back from the writer thread: whether the draft was stored."""

    @property
    def busy(self) -> bool:
        """A read or the save is out on the context's threads."""
        return self._out > 0

    def _read_rules(self, on_done: Callable[[Rules], None]) -> None:
        self._out += 1

        def done(rules: Rules) -> None:
            self._out -= 1
            on_done(rules)

        self.ctx.read(lambda api: api.rules(), done, self._read_failed, context=self)

    def _read_failed(self, exc: BaseException) -> None:
        self._out -= 1
        self.message.setText(self.tr("Could not read the rules: {reason}").format(reason=str(exc)))
        self.message.setVisible(True)

    def _first_read(self, rules: Rules) -> None:
        self.history = rm.History(rules)
        self.content.setEnabled(self.ctx.is_parent)
        self._fill_children()

    # -- layout --

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        outer.addLayout(self._top_bar())
        self.read_only_note = QLabel(
            self.tr(
                "You are signed in as a caregiver: you can see the rules but only a parent can change them."
            )
        )
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(not self.ctx.is_parent)
        outer.addWidget(self.read_only_note)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Problems with the rules"))
        self.message.setProperty("role", "error")  # the theme picks a red readable in light and dark
        outer.addWidget(self.message)
        self.content = QWidget()
        body = QVBoxLayout(self.content)
        body.setSpacing(12)
        for section in (
            self._screen_section(),
            self._hours_section(),
            self._limits_section(),
            self._lists_section(),
            self._at_limit_section(),
            self._warnings_section(),
        ):
            body.addWidget(section)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls; they scroll into view
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.content)
        outer.addWidget(scroll, 1)
        self.content.setEnabled(self.ctx.is_parent)

    def _top_bar(self) -> QHBoxLayout:
        self.child_combo = QComboBox()
        self.child_combo.setAccessibleName(self.tr("Child"))
        self.child_combo.currentIndexChanged.connect(self._child_chosen)
        label = QLabel(self.tr("&Child:"))
        label.setBuddy(self.child_combo)
        self.preset_button = QPushButton(self.tr("Apply age &preset…"))
        self.preset_button.clicked.connect(self._ask_preset)
        self.dirty_label = QLabel()
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.clicked.connect(self.undo)
        self.redo_button = QPushButton(self.tr("&Redo"))
        self.redo_button.clicked.connect(self.redo)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        for widget in (label, self.child_combo, self.preset_button):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (self.dirty_label, self.undo_button, self.redo_button, self.save_button):
            row.addWidget(widget)
        self.preset_button.setEnabled(self.ctx.is_parent)
        return row

    def _section(self, title: str, explanation: str) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        if explanation:
            note = QLabel(explanation)
            note.setWordWrap(True)
            layout.addWidget(note)
        return box, layout

    def _screen_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Screen time"), self.tr("How long the computer can be used each day, in total.")
        )
        self.limit_screen = QCheckBox(self.tr("&Limit daily screen time"))
        self.limit_screen.toggled.connect(self._screen_limit_toggled)
        self.screen_times = WeekdayTimes(self.tr("Screen time"))
        self.screen_times.changed.connect(self._screen_changed)
        layout.addWidget(self.limit_screen)
        layout.addWidget(self.screen_times)
        return box

    def _hours_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Allowed hours"),
            self.tr(
                "Green half hours are allowed. Drag across cells to switch them; with the keyboard, use the arrows and Space."
            ),
        )
        self.hours_grid = HoursGrid()
        self.hours_grid.changed.connect(self._grid_changed)
        allow_all = QPushButton(self.tr("Allow &every hour"))
        allow_all.clicked.connect(lambda: self._grid_changed(rm.ranges_to_rows(Weekly())))
        self.hours_words = QLabel()
        self.hours_words.setWordWrap(True)
        self.hours_words.setAccessibleName(self.tr("Allowed hours in words"))
        self.hours_words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.wake = QTimeEdit(QTime(7, 0))
        self.bedtime = QTimeEdit(QTime(21, 0))
        self.bed_days = QComboBox()
        for text, days in (
            (self.tr("every day"), tuple(range(7))),
            (self.tr("school nights (Sun–Thu)"), (6, 0, 1, 2, 3)),
            (self.tr("Fri and Sat"), (4, 5)),
        ):
            self.bed_days.addItem(text, days)
        for edit, name in ((self.wake, self.tr("Wake-up time")), (self.bedtime, self.tr("Bedtime"))):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(name)
        self.bed_days.setAccessibleName(self.tr("Days the bedtime is for"))
        self.paint_bedtime = QPushButton(self.tr("Set &bedtime"))
        self.paint_bedtime.clicked.connect(self.apply_bedtime)
        quick = QHBoxLayout()
        for text, widget in ((self.tr("&Wake-up:"), self.wake), (self.tr("Bed&time:"), self.bedtime)):
            label = QLabel(text)
            label.setBuddy(widget)
            quick.addWidget(label)
            quick.addWidget(widget)
        quick.addStretch(1)
        quick_days = QHBoxLayout()
        quick_days.addWidget(self.bed_days)
        quick_days.addWidget(self.paint_bedtime)
        quick_days.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(allow_all)
        row.addStretch(1)
        layout.addLayout(quick)
        layout.addLayout(quick_days)
        layout.addWidget(self.hours_grid)
        layout.addWidget(self.hours_words)
        layout.addLayout(row)
        return box

    def apply_bedtime(self) -> None:
        """Allow the chosen days from wake-up to bedtime only (the grid shows it; undo takes it back)."""
        wake, bed = self.wake.time(), self.bedtime.time()
        grid = rm.awake_hours(
            self.hours_grid.grid(),
            self.bed_days.currentData(),
            wake.hour() * 60 + wake.minute(),
            bed.hour() * 60 + bed.minute(),
        )
        self._grid_changed(grid)

    def _describe_hours(self, grid: rm.Grid) -> None:
        self.hours_words.setText(
            rm.describe_hours(
                grid,
                [weekday_short(d) for d in range(7)],
                not_allowed=self.tr("not allowed"),
                any_time=self.tr("at any hour"),
                every_day=self.tr("Every day"),
            )
        )

    def _limits_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("App limits"),
            self.tr("A daily time for some apps or categories, within the screen time."),
        )
        self.limits = QListWidget()
        self.limits.setAccessibleName(self.tr("App limits"))
        self.limits.setMinimumHeight(90)
        self.limits.setMaximumHeight(160)
        self.limits.itemDoubleClicked.connect(lambda _item: self._edit_limit_clicked())
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("&Add limit…"), lambda: self._run_limit_dialog(None)),
            (self.tr("&Edit…"), self._edit_limit_clicked),
            (self.tr("Remove limit"), self._remove_limit_clicked),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.limits)
        layout.addLayout(buttons)
        return box

    def _lists_section(self) -> QGroupBox:
        box, layout = self._section(self.tr("Blocked and always allowed"), "")
        self.blocked = RefList(self.tr("Blocked apps"))
        self.allowed = RefList(self.tr("Always allowed apps"))
        columns = QHBoxLayout()
        for which, title, note, widget in (
            ("blocked", self.tr("Blocked"), self.tr("Closed as soon as they start."), self.blocked),
            (
                "always_allowed",
                self.tr("Always allowed"),
                self.tr("Never counted or closed, even when time is up."),
                self.allowed,
            ),
        ):
            column = QVBoxLayout()
            heading = QLabel(f"<b>{title}</b>")
            column.addWidget(heading)
            explanation = QLabel(note)
            explanation.setWordWrap(True)
            column.addWidget(explanation)
            column.addWidget(widget)
            widget.add_clicked.connect(lambda w=which: self._pick_refs(w))
            widget.remove_requested.connect(
                lambda ref, w=which: self._edit(lambda c: rm.remove_ref(c, w, ref))
            )
            columns.addLayout(column, 1)
        layout.addLayout(columns)
        return box

    def _at_limit_section(self) -> QGroupBox:
        box, layout = self._section(self.tr("When time is up"), "")
        self.at_limit_group = QButtonGroup(self)
        self.at_limit_buttons: dict[str, QRadioButton] = {}
        for action in AT_LIMIT_ACTIONS:
            name, explanation = at_limit_label(action)
            button = QRadioButton(name)
            button.setAccessibleDescription(explanation)
            note = QLabel(explanation)
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 4)
            self.at_limit_group.addButton(button)
            self.at_limit_buttons[action] = button
            button.toggled.connect(lambda on, a=action: self._at_limit_toggled(a, on))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(note)
        return box

    def _warnings_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Warnings"),
            self.tr(
                "Minutes before time is up when the child is warned, separated by commas. For every child."
            ),
        )
        self.warnings = QLineEdit()
        self.warnings.setAccessibleName(self.tr("Warning times in minutes"))
        self.warnings.setPlaceholderText("15, 5, 1")
        self.warnings.textEdited.connect(self._warnings_edited)
        layout.addWidget(self.warnings)
        return box

    def _shortcuts(self) -> None:
        for keys, slot in (("Ctrl+S", self.save), ("Ctrl+Z", self.undo), ("Ctrl+Shift+Z", self.redo)):
            QShortcut(QKeySequence(keys), self, slot)

    # -- the draft --

    def draft(self) -> Rules:
        return self.history.current

    def child(self) -> Child | None:
        return self.draft().child(self._child_name) if self._child_name else None

    def _names(self) -> dict[str, str]:
        return {a.id: display_name(a) for a in self.ctx.api.catalog(self.draft()).apps()}

    def _push(self, rules: Rules) -> None:
        if self._loading or not self.ctx.is_parent:
            return
        self.history.push(rules)
        self._refresh_state()

    def _edit(self, change: ChildEdit, new_apps: Iterable[App] = ()) -> None:
        """Apply ``change`` to the current child (and add any new custom apps) as one undo step."""
        child = self.child()
        if child is None or self._loading:
            return
        rules = self.draft()
        for app in new_apps:
            rules = rm.upsert_app(rules, app)
        self._push(rm.with_child(rules, child.name, change(child)))
        self._show_lists()

    # -- showing --

    def _fill_children(self) -> None:
        names = [c.name for c in self.draft().children]
        self._loading = True
        self.child_combo.clear()
        self.child_combo.addItems(names)
        self._loading = False
        if names:
            self.select_child(self._child_name if self._child_name in names else names[0])
        self._refresh_state()

    def select_child(self, name: str) -> None:
        index = self.child_combo.findText(name)
        if index >= 0:
            self.child_combo.setCurrentIndex(index)
            self._child_chosen(index)

    def _child_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        self._child_name = self.child_combo.itemText(index)
        self._show_draft()

    def _show_draft(self) -> None:
        """Put the current child's draft rules into every widget (without recording edits)."""
        child = self.child()
        if child is None:
            return
        self._loading = True
        try:
            self.limit_screen.setChecked(not child.screen_time.is_empty())
            self.screen_times.set_values([child.screen_time.on(d) for d in range(7)])
            self.screen_times.setEnabled(not child.screen_time.is_empty())
            self.hours_grid.set_grid(rm.ranges_to_rows(child.allowed_hours))
            self._describe_hours(self.hours_grid.grid())
            self.at_limit_buttons[child.at_limit].setChecked(True)
            self.warnings.setText(rm.minutes_text(self.draft().settings.warn_before))
            self._field_errors.pop("warnings", None)
        finally:
            self._loading = False
        self._show_lists()
        self._refresh_state()

    def _show_lists(self) -> None:
        child = self.child()
        if child is None:
            return
        names = self._names()
        self.blocked.set_refs(child.blocked, names)
        self.allowed.set_refs(child.always_allowed, names)
        self.limits.clear()
        for limit in child.app_limits:
            self.limits.addItem(limit_text(limit, names))

    def problem(self) -> str | None:
        """Why the draft cannot be saved now, or None."""
        if self._field_errors:
            return next(iter(self._field_errors.values()))
        detail = rm.validate(self.draft(), _known_ref())
        if detail is None:
            return None
        return self.tr("This cannot be saved yet: {detail}").format(detail=detail)

    def _refresh_state(self) -> None:
        problem = self.problem()
        self.message.setText(problem or "")
        self.message.setVisible(problem is not None)
        dirty = self.history.dirty
        parent = self.ctx.is_parent
        self.dirty_label.setText(self.tr("Unsaved changes") if dirty else "")
        self.save_button.setEnabled(parent and dirty and problem is None and not self.saving)
        self.undo_button.setEnabled(parent and self.history.can_undo)
        self.redo_button.setEnabled(parent and self.history.can_redo)

    # -- edits --

    def _screen_limit_toggled(self, on: bool) -> None:
        self.screen_times.setEnabled(on)
        if on:
            values = self.screen_times.values()
            if not any(values):
                values = [2 * 3600] * 7
                self.screen_times.set_values(values)
            self._edit(lambda c: rm.replace_screen_time(c, values))
        else:
            self._edit(rm.remove_screen_time)

    def _screen_changed(self, values: list[int]) -> None:
        if self.limit_screen.isChecked():
            self._edit(lambda c: rm.replace_screen_time(c, values))

    def _grid_changed(self, grid: rm.Grid) -> None:
        self.hours_grid.set_grid(grid)
        self._describe_hours(grid)
        self._edit(lambda c: rm.set_allowed_hours(c, grid))

    def _at_limit_toggled(self, action: str, on: bool) -> None:
        if on:
            self._edit(lambda c: rm.set_at_limit(c, action))

    def _warnings_edited(self, text: str) -> None:
        leads = rm.parse_minutes(text)
        if leads is None:
            self._field_errors["warnings"] = self.tr(
                "Warnings: write minutes as whole numbers from 1 to 240, separated by commas (for example 15, 5, 1)."
            )
            self._refresh_state()
            return
        self._field_errors.pop("warnings", None)
        if not self._loading:
            self.history.push(rm.set_warnings(self.draft(), leads))
        self._refresh_state()

    def add_refs(self, which: rm.RefList, refs: Iterable[str], new_apps: Iterable[App] = ()) -> None:
        """Block or always allow apps (custom apps created in the picker are added to the rules)."""
        wanted = list(refs)
        if wanted:
            self._edit(lambda c: rm.add_refs(c, which, wanted), new_apps)

    def _pick_refs(self, which: rm.RefList) -> None:
        picker = AppPickerDialog(self.ctx, self, rules=self.draft(), child=self._child_name)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.add_refs(which, picker.selected_refs(), picker.new_apps())

    def limit_dialog(self, index: int | None = None) -> AppLimitDialog:
        child = self.child()
        limit = child.app_limits[index] if child is not None and index is not None else None
        return AppLimitDialog(self.ctx, self.draft(), self._child_name, limit, self)

    def finish_limit_dialog(self, dialog: AppLimitDialog, index: int | None = None) -> None:
        """Store what an accepted limit dialog holds: a new limit, or a replacement for ``index``."""
        limit: AppLimit = dialog.limit()
        if not limit.apps:
            return
        if index is None:
            self._edit(lambda c: rm.add_app_limit(c, limit), dialog.new_apps())
        else:
            self._edit(lambda c: rm.replace_app_limit(c, index, limit), dialog.new_apps())

    def _run_limit_dialog(self, index: int | None) -> None:
        dialog = self.limit_dialog(index)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.finish_limit_dialog(dialog, index)

    def _edit_limit_clicked(self) -> None:
        if self.limits.currentRow() >= 0:
            self._run_limit_dialog(self.limits.currentRow())

    def _remove_limit_clicked(self) -> None:
        row = self.limits.currentRow()
        if row >= 0:
            self._edit(lambda c: rm.remove_app_limit(c, row))

    def apply_preset(self, preset_id: str) -> None:
        preset = next(p for p in presets() if p.id == preset_id)
        self._edit(lambda c: rm.apply_age_preset(c, preset))
        self._show_draft()

    def _ask_preset(self) -> None:
        child = self.child()
        if child is None:
            return
        dialog = PresetDialog(presets(), self.ctx.language, child.age, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_preset(dialog.chosen().id)

    # -- undo, save --

    def undo(self) -> None:
        if self.ctx.is_parent and self.history.can_undo:
            self.history.undo()
            self._show_draft()

    def redo(self) -> None:
        if self.ctx.is_parent and self.history.can_redo:
            self.history.redo()
            self._show_draft()

    def save(self) -> bool:
        """Store the draft as one new rules version on the writer thread; False when it cannot be sent
        (``saved`` tells how a sent one went, with a message when it failed)."""
        if not self.save_button.isEnabled():
            return False
        draft, pin = self.draft(), self.ctx.pin
        self.saving = True
        self._out += 1
        self.save_button.setEnabled(False)
        self.dirty_label.setText(self.tr("Saving…"))

        def store(api: GuardianAPI) -> Rules:
            rm.save(api, draft, pin)
            return api.rules()

        self.ctx.write(store, self._stored, self._store_failed, context=self)
        return True

    def _stored(self, rules: Rules) -> None:
        self.saving = False
        self._out -= 1
        self.history.mark_saved(rules)
        self._refresh_state()
        self.dirty_label.setText(self.tr("Saved"))
        self.ctx.data_changed.emit()
        self.saved.emit(True)

    def _store_failed(self, exc: BaseException) -> None:
        self.saving = False
        self._out -= 1
        self._refresh_state()
        self.message.setText(self.tr("Could not save: {reason}").format(reason=str(exc)))
        self.message.setVisible(True)
        self.saved.emit(False)

    def _external_change(self) -> None:
        """Rules changed elsewhere (another page, an import): reload unless there are unsaved edits."""
        self._read_rules(self._changed_elsewhere)

    def _changed_elsewhere(self, rules: Rules) -> None:
        if not self.history.dirty and rules != self.history.saved:
            self.history = rm.History(rules)
            self._fill_children()
