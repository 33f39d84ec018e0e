"""A settings dialog of labelled fields, each with its problem shown beside it while typing, and an
optional preview; «Сохранить» runs the service through the window's action runner and stores nothing
unless every field is right. Used for the shop's requisites, the papers' templates and the mailbox."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldProblem, ValidationError
from app.domain.labels import label
from ui.common.dialog_buttons import dialog_buttons

LINE, PASSWORD, CHOICE, NUMBER, LONG = "line", "password", "choice", "number", "long"
PROBLEM_STYLE = "color: #c62828;"


@dataclass(frozen=True)
class Field:
    key: str  # its label is app.domain.labels' «<prefix><key>»
    kind: str = LINE
    hint: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # CHOICE: value → shown text
    limits: tuple[int, int] = (0, 65535)  # NUMBER


class SettingsForm(QDialog):
    """``check(values)`` lists the problems of typed values (their fields named «<prefix><key>»);
    ``save(values)`` is the service call."""

    def __init__(self, window, title: str, prefix: str, fields: list[Field], values: dict, *,
                 check: Callable[[dict], list[FieldProblem]], save: Callable[[dict], object],
                 preview: Callable[[dict], str] | None = None, note: str = "") -> None:
        super().__init__(window)
        self.window_, self.check, self.save_call, self.preview_call = window, check, save, preview
        self.prefix = prefix
        self.setWindowTitle(title)
        self.editors: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        self.saved = None
        form = QFormLayout()
        for spec in fields:
            editor = self._editor(spec, values.get(spec.key))
            editor.setObjectName(f"field:{spec.key}")
            problem = QLabel(objectName=f"problem:{spec.key}", wordWrap=True)
            problem.setStyleSheet(PROBLEM_STYLE)
            problem.hide()
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(editor)
            column.addWidget(problem)
            form.addRow(label(prefix + spec.key) + ":", column)
            self.editors[spec.key], self.problems[spec.key] = editor, problem
        self.preview = QPlainTextEdit(objectName="settingsPreview", readOnly=True) if preview else None
        body = QHBoxLayout()
        left = QVBoxLayout()
        if note:
            left.addWidget(QLabel(note, wordWrap=True, objectName="settingsNote"))
        left.addLayout(form)
        left.addStretch(1)
        body.addLayout(left, 3)
        if self.preview is not None:
            right = QVBoxLayout()
            right.addWidget(QLabel("<b>Предпросмотр</b>"))
            right.addWidget(self.preview, 1)
            body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        self.buttons = dialog_buttons("Сохранить", "Отмена", self.save, self.reject)
        layout.addWidget(self.buttons)
        self.refresh()

    def _editor(self, spec: Field, value) -> QWidget:
        if spec.kind == CHOICE:
            editor = QComboBox()
            for code, text in spec.choices.items():
                editor.addItem(text, code)
            editor.setCurrentIndex(max(editor.findData(value), 0))
            editor.currentIndexChanged.connect(self.refresh)
        elif spec.kind == NUMBER:
            editor = QSpinBox(minimum=spec.limits[0], maximum=spec.limits[1])
            editor.setValue(int(value or 0))
            editor.valueChanged.connect(self.refresh)
        elif spec.kind == LONG:
            editor = QPlainTextEdit(plainText=str(value or ""))
            editor.setMinimumHeight(120)
            editor.textChanged.connect(self.refresh)
        else:
            editor = QLineEdit(str(value or ""), placeholderText=spec.hint)
            if spec.kind == PASSWORD:
                editor.setEchoMode(QLineEdit.EchoMode.Password)
            editor.textChanged.connect(self.refresh)
        if spec.hint:
            editor.setToolTip(spec.hint)
        return editor

    def values(self) -> dict:
        """What is typed, by field key."""
        found = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                found[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                found[key] = editor.value()
            elif isinstance(editor, QPlainTextEdit):
                found[key] = editor.toPlainText()
            else:
                found[key] = editor.text()
        return found

    def show_problems(self, problems: list[FieldProblem]) -> None:
        by_key = {}
        for problem in problems:
            by_key.setdefault(problem.field.removeprefix(self.prefix), problem.message)
        for key, shown in self.problems.items():
            shown.setText(by_key.get(key, ""))
            shown.setVisible(key in by_key)

    def refresh(self) -> None:
        """Problems beside the fields and the preview, as typed."""
        values = self.values()
        self.show_problems(self.check(values))
        if self.preview is not None:
            self.preview.setPlainText(self.preview_call(values))

    def _refused(self, error: ValidationError) -> None:
        self.show_problems(error.problems)

    def save(self) -> None:
        """Store through the service; the dialog closes only when it was stored."""
        done = self.window_.action_runner.run(self, "Не сохранено", lambda: self.save_call(self.values()),
                                              refused={ValidationError: self._refused})
        if done is not None:
            self.saved = done
            self.accept()
