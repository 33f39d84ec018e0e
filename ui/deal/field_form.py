"""A form of deal fields with the domain's Russian message beside each field, shown while typing.

The form holds the deal's state (``deal_fields.current_values``) and the keys the user touched; on
every keystroke it asks the domain (``deal_fields.check``) what is wrong with the typed values
over that state, so messages, gates and rules between fields are those the services enforce.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from app.domain import validation
from app.domain.errors import FieldProblem
from app.domain.money import format_rub
from app.services import deal_fields, permissions

TEXT, AMOUNT, DATE, CHOICE, CHECK, LIST, LONG = "text", "amount", "date", "choice", "check", "list", "long"
ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #9a6700;"  # a value stored with a caveat (a phone kept as typed)
PLACEHOLDERS = {DATE: "дд.мм.гггг", AMOUNT: "0 руб", LIST: "через запятую"}
BLANK_ZERO = {"budget"}  # a budget of 0 means «not set yet» (its gate treats it so): shown empty


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: str = TEXT
    hint: str = ""  # placeholder text


def display(kind: str, value: Any) -> Any:
    """A stored value as the editor shows it (text, a choice's data, or a bool)."""
    if kind == AMOUNT:
        return format_rub(value, with_unit=False) if value is not None else ""
    if kind == DATE:
        return value.strftime("%d.%m.%Y") if isinstance(value, date) else ""
    if kind == LIST:
        return ", ".join(validation.format_phone(v) if v.startswith("+") else v for v in value or [])
    if kind in (CHOICE, CHECK):
        return value
    return value or ""


def editor_key(key: str) -> str:
    """The objectName of a field's editor (tests find fields by it)."""
    return f"field:{key}"


def message_key(key: str) -> str:
    return f"message:{key}"


class FieldForm(QWidget):
    """Label | editor | message rows for ``specs``; ``edited`` fires on every user change."""

    edited = Signal()

    def __init__(self, specs: list[FieldSpec], *, gate: tuple[str, ...] = (),
                 choices: dict[str, list[tuple[Any, str]]] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.specs = {spec.key: spec for spec in specs}
        self.gate = gate  # the fields the move being prepared needs (marked *)
        self.state: dict[str, Any] = {}
        self.touched: set[str] = set()
        self.locked: set[str] = set()
        self.forbidden: set[str] = set()  # shown, but the user has no right to change them
        self._filling = False  # True while the program (not the user) fills an editor
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.values_source = self.values  # a card points its tabs' forms at all of their values
        layout = QGridLayout(self)
        layout.setColumnStretch(1, 3)
        layout.setColumnStretch(2, 2)
        layout.setVerticalSpacing(6)
        for row, spec in enumerate(specs):
            required = spec.key in gate
            label = QLabel(deal_fields.label(spec.key) + (" *" if required else ""))
            editor = self._make_editor(spec, (choices or {}).get(spec.key, []))
            editor.setObjectName(editor_key(spec.key))
            message = QLabel(objectName=message_key(spec.key), wordWrap=True)
            message.setStyleSheet(ERROR_STYLE)
            message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            label.setBuddy(editor)
            vertical = Qt.AlignmentFlag.AlignTop if spec.kind == LONG else Qt.AlignmentFlag.AlignVCenter
            layout.addWidget(label, row, 0, vertical | Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(editor, row, 1)
            layout.addWidget(message, row, 2, Qt.AlignmentFlag.AlignVCenter)
            self.editors[spec.key], self.messages[spec.key], self.labels[spec.key] = editor, message, label
        layout.setRowStretch(len(specs), 1)

    # --- editors -------------------------------------------------------------------------------
    def _make_editor(self, spec: FieldSpec, options: list[tuple[Any, str]]) -> QWidget:
        def touched(*_):
            self._touch(spec.key)

        if spec.kind == CHOICE:
            editor = QComboBox()
            for data, text in options:
                editor.addItem(text, data)
            editor.activated.connect(touched)
        elif spec.kind == CHECK:
            editor = QCheckBox()
            editor.clicked.connect(touched)
        elif spec.kind == LONG:
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 14)
            editor.textChanged.connect(lambda: None if self._filling else touched())
        else:
            editor = QLineEdit(placeholderText=spec.hint or PLACEHOLDERS.get(spec.kind, ""))
            editor.textEdited.connect(touched)
        return editor

    def raw(self, key: str) -> Any:
        """What the user typed or chose in field ``key``, as the domain reads it."""
        editor, kind = self.editors[key], self.specs[key].kind
        if kind == CHOICE:
            return editor.currentData()
        if kind == CHECK:
            return editor.isChecked()
        if kind == LONG:
            return editor.toPlainText()
        if kind == LIST:
            return [part.strip() for part in editor.text().split(",") if part.strip()]
        return editor.text()

    def _set_editor(self, key: str, value: Any) -> None:
        editor, kind = self.editors[key], self.specs[key].kind
        shown = "" if key in BLANK_ZERO and value == 0 else display(kind, value)
        self._filling = True
        try:
            if kind == CHOICE:
                index = editor.findData(shown)
                editor.setCurrentIndex(max(index, 0))
            elif kind == CHECK:
                editor.setChecked(bool(shown))
            elif kind == LONG:
                editor.setPlainText(shown)
            else:
                editor.setText(shown)
                editor.setCursorPosition(0)
        finally:
            self._filling = False

    # --- state -----------------------------------------------------------------------------------
    def load(self, state: dict[str, Any], *, keep_touched: bool = False) -> None:
        """Show the deal's ``state``; with ``keep_touched`` the user's unsaved edits stay."""
        self.state = dict(state)
        if not keep_touched:
            self.touched.clear()
        for key in self.specs:
            if key not in self.touched and key not in self.locked:
                self._set_editor(key, state.get(key))
        self.revalidate()

    def type_values(self, values: dict[str, Any]) -> None:
        """Show ``values`` as if the user had typed them (e.g. a form asked again)."""
        for key, value in values.items():
            if key in self.specs and key not in self.locked:
                self._filling = True
                try:
                    editor = self.editors[key]
                    if self.specs[key].kind == CHOICE:
                        editor.setCurrentIndex(max(editor.findData(value), 0))
                    elif self.specs[key].kind in (TEXT, AMOUNT, DATE) and isinstance(value, str):
                        editor.setText(value)
                    else:
                        self._set_editor(key, value)
                finally:
                    self._filling = False
                self.touched.add(key)
        self.revalidate()

    def lock(self, key: str, shown: str, reason: str) -> None:
        """Make ``key`` read-only showing ``shown`` (e.g. a masked passport); never sent."""
        self.locked.add(key)
        self.touched.discard(key)
        editor = self.editors[key]
        editor.setText(shown)
        editor.setReadOnly(True)
        editor.setToolTip(reason)

    def forbid_without_rights(self, user) -> None:
        """Make read-only the fields ``user`` has no right to change (budget, payments, passport)."""
        for key, action in permissions.FIELD_ACTIONS.items():
            if key in self.specs and not permissions.allowed(user, action):
                self.forbidden.add(key)
                self.touched.discard(key)
                editor = self.editors[key]
                if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                    editor.setReadOnly(True)
                else:
                    editor.setEnabled(False)
                editor.setToolTip(f"Недостаточно прав: {permissions.ACTION_NAMES[action].lower()}")

    def values(self) -> dict[str, Any]:
        """The touched fields' typed values (what a save or a move sends to the domain)."""
        return {key: self.raw(key) for key in self.touched}

    def is_dirty(self) -> bool:
        return bool(self.touched)

    def _touch(self, key: str) -> None:
        if key in self.locked or key in self.forbidden or self._filling:
            return
        self.touched.add(key)
        self.revalidate()
        self.edited.emit()

    def problems(self) -> list[FieldProblem]:
        """What the domain says about the typed values now."""
        _, _, problems = deal_fields.check(self.state, self.values_source(), self.gate)
        return problems

    def merged(self) -> dict[str, Any]:
        """The deal's state with the typed values applied (e.g. the debt computed while typing)."""
        _, merged, _ = deal_fields.check(self.state, self.values_source())
        return merged

    def revalidate(self) -> list[FieldProblem]:
        """Show the domain's messages beside the fields; returns the problems."""
        problems = self.problems() if self.state else []
        self.show_problems(problems)
        return problems

    def show_problems(self, problems: list[FieldProblem]) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            if problem.field in self.specs and problem.message not in by_field.get(problem.field, []):
                by_field.setdefault(problem.field, []).append(problem.message)
        for key, label in self.messages.items():
            shown = by_field.get(key, [])
            warning = None if shown or key != "contact.phone" else validation.phone_warning(str(self.raw(key) or ""))
            label.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
            label.setText("; ".join(shown) or warning or "")

    def set_auto(self, key: str, value: Any) -> None:
        """Show a computed value in an untouched field (e.g. the debt from budget and prepayment)."""
        if key in self.specs and key not in self.touched:
            self._set_editor(key, value)

    def message(self, key: str) -> str:
        return self.messages[key].text()
