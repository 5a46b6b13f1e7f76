"""Small editing widgets of the rules editor: durations, per-weekday times, app lists, app limits, presets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guardian.core.model import App, AppLimit, Rules
from guardian.core.presets import Preset
from guardian.ui.console import rules_model as rm
from guardian.ui.console.app_names import display_name
from guardian.ui.console.app_picker import AppPickerDialog
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.rules_labels import duration_label, label_buttons, ref_label, weekday_label

REF_ROLE = Qt.ItemDataRole.UserRole


class DurationEdit(QWidget):
    """Hours and minutes in two spin boxes; ``changed`` carries seconds."""

    changed = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours = QSpinBox()
        self.hours.setRange(0, 24)
        self.hours.setSuffix(self.tr(" h"))
        self.hours.setAccessibleName(self.tr("{name}, hours").format(name=name))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 59)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setAccessibleName(self.tr("{name}, minutes").format(name=name))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hours)
        layout.addWidget(self.minutes)
        layout.addStretch(1)
        self.hours.valueChanged.connect(self._emit)
        self.minutes.valueChanged.connect(self._emit)

    def value(self) -> int:
        return min(24 * 3600, self.hours.value() * 3600 + self.minutes.value() * 60)

    def set_value(self, seconds: int) -> None:
        hours, minutes = rm.hm(seconds)
        for spin, value in ((self.hours, hours), (self.minutes, minutes)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _emit(self) -> None:
        self.changed.emit(self.value())


class WeekdayTimes(QWidget):
    """A time per weekday, or one for every day; ``changed`` carries seven seconds values."""

    changed = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.same = QCheckBox(self.tr("&Same every day"))
        self.same.setAccessibleName(self.tr("{name}: same every day").format(name=name))
        self.same.toggled.connect(self._same_toggled)
        self.labels = [QLabel(weekday_label(d)) for d in range(7)]
        self.edits = [DurationEdit(f"{name}, {weekday_label(d)}") for d in range(7)]
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for day, (label, edit) in enumerate(zip(self.labels, self.edits, strict=True)):
            label.setBuddy(edit.hours)
            grid.addWidget(label, day, 0)
            grid.addWidget(edit, day, 1)
            edit.changed.connect(lambda _v, d=day: self._edited(d))
        grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.same)
        layout.addLayout(grid)

    def values(self) -> list[int]:
        if self.same.isChecked():
            return [self.edits[0].value()] * 7
        return [edit.value() for edit in self.edits]

    def set_values(self, values: Sequence[int | None]) -> None:
        numbers = [v or 0 for v in values]
        for edit, value in zip(self.edits, numbers, strict=True):
            edit.set_value(value)
        self.same.blockSignals(True)
        self.same.setChecked(len(set(numbers)) == 1)
        self.same.blockSignals(False)
        self._show_rows()

    def _show_rows(self) -> None:
        same = self.same.isChecked()
        self.labels[0].setText(self.tr("Every day") if same else weekday_label(0))
        for day in range(1, 7):
            self.labels[day].setVisible(not same)
            self.edits[day].setVisible(not same)

    def _same_toggled(self, same: bool) -> None:
        if same:
            for edit in self.edits[1:]:
                edit.set_value(self.edits[0].value())
        self._show_rows()
        self.changed.emit(self.values())

    def _edited(self, day: int) -> None:
        del day
        self.changed.emit(self.values())


class RefList(QWidget):
    """A list of app refs with Add… and Remove buttons; the owner handles ``add_clicked``."""

    add_clicked = Signal()
    remove_requested = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName(name)
        self.list.setMinimumHeight(90)
        self.list.setMaximumHeight(160)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setAccessibleName(self.tr("Add to: {name}").format(name=name))
        self.add_button.clicked.connect(self.add_clicked)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove from: {name}").format(name=name))
        self.remove_button.clicked.connect(self._remove)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def set_refs(self, refs: Iterable[str], names: dict[str, str]) -> None:
        self.list.clear()
        for ref in refs:
            item = QListWidgetItem(ref_label(ref, names))
            item.setData(REF_ROLE, ref)
            self.list.addItem(item)

    def refs(self) -> list[str]:
        return [self.list.item(i).data(REF_ROLE) for i in range(self.list.count())]

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.remove_requested.emit(item.data(REF_ROLE))


def limit_text(limit: AppLimit, names: dict[str, str]) -> str:
    """``Games, Roblox — 1 h (Sat 2 h)``: what a limit covers and how long."""
    apps = ", ".join(ref_label(ref, names) for ref in limit.apps)
    values = rm.weekly_to_days(limit.daily)
    counts = {v: values.count(v) for v in values}
    usual = max(values, key=lambda v: counts[v])
    others = [f"{weekday_label(d)} {duration_label(v)}" for d, v in enumerate(values) if v != usual and v]
    text = f"{apps} — {duration_label(usual or 0)}"
    return f"{text} ({', '.join(others)})" if others else text


class AppLimitDialog(QDialog):
    """Add or edit an app limit: which apps (through the app picker) and how long each day."""

    def __init__(
        self,
        ctx: ConsoleContext,
        rules: Rules,
        child: str,
        limit: AppLimit | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rules = rules
        self._child = child
        self._new_apps: list[App] = []
        self.setWindowTitle(self.tr("App limit") if limit else self.tr("New app limit"))
        self.apps = RefList(self.tr("Apps this limit counts together"))
        self.apps.add_clicked.connect(self._pick)
        self.apps.remove_requested.connect(self._remove_ref)
        self.times = WeekdayTimes(self.tr("Daily time for these apps"))
        start: list[int | None] = [limit.daily.on(d) for d in range(7)] if limit else [3600] * 7
        self.times.set_values(start)
        self._refs: list[str] = list(limit.apps) if limit else []
        self.hint = QLabel(self.tr("The apps in one limit share one daily time."))
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        label_buttons(self.buttons, self.tr("OK"), self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Apps")))
        layout.addWidget(self.apps)
        layout.addWidget(self.hint)
        layout.addWidget(QLabel(self.tr("Daily time")))
        layout.addWidget(self.times)
        layout.addWidget(self.buttons)
        self._show_refs()

    def _names(self) -> dict[str, str]:
        return {a.id: display_name(a) for a in (*self.ctx.api.catalog(self._rules).apps(), *self._new_apps)}

    def _show_refs(self) -> None:
        self.apps.set_refs(self._refs, self._names())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._refs))

    def _pick(self) -> None:
        picker = AppPickerDialog(self.ctx, self, rules=self._rules, child=self._child)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.add_refs(picker.selected_refs(), picker.new_apps())

    def add_refs(self, refs: Iterable[str], new_apps: Iterable[App] = ()) -> None:
        self._new_apps.extend(new_apps)
        self._refs = list(dict.fromkeys((*self._refs, *refs)))
        self._show_refs()

    def _remove_ref(self, ref: str) -> None:
        self._refs = [r for r in self._refs if r != ref]
        self._show_refs()

    def limit(self) -> AppLimit:
        return rm.make_limit(self._refs, self.times.values())

    def new_apps(self) -> list[App]:
        return [a for a in self._new_apps if a.id in self._refs]


class PresetDialog(QDialog):
    """Choose an age preset; its summary is shown before anything changes."""

    def __init__(
        self, presets: Sequence[Preset], language: str, age: int | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Apply an age preset"))
        self._presets = list(presets)
        self._language = language if language in ("vi", "en") else "en"
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.tr("Age preset"))
        for preset in self._presets:
            text = self.tr("{name} ({low}–{high} years)").format(
                name=preset.name[self._language], low=preset.min_age, high=preset.max_age
            )
            self.combo.addItem(text, preset.id)
        suited = next((i for i, p in enumerate(self._presets) if age is not None and p.covers(age)), 0)
        self.combo.setCurrentIndex(suited)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setMinimumWidth(380)
        warning = QLabel(
            self.tr("Applying a preset replaces all of this child's rules. You can still undo it.")
        )
        warning.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Apply"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.combo)
        layout.addWidget(self.summary)
        layout.addWidget(warning)
        layout.addWidget(buttons)
        self.combo.currentIndexChanged.connect(self._show_summary)
        self._show_summary()

    def _show_summary(self) -> None:
        self.summary.setText(self.chosen().summary[self._language])

    def chosen(self) -> Preset:
        return self._presets[max(0, self.combo.currentIndex())]
