"""The small gate form the board opens when a move hits a gated stage («Счет выставлен»,
«Оплачено»): it asks for exactly the missing fields, pre-filled with what is known, and shows
each field's problem beside it.

``ask_gate_values`` is the one seam the board calls (tests patch it; the deal card's richer
gate forms may replace it): it returns the typed values, or None when the user cancels.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app import pipeline
from app.services import deal_fields, deals
from app.services.errors import FieldProblem
from app.validation import format_phone

PLACEHOLDERS = {
    "budget": "например 32 000", "prepayment": "например 16 000",
    "debt": "пусто — посчитается из бюджета и предоплаты",
    "payment_date": "дд.мм.гггг", "ship_deadline": "дд.мм.гггг",
    "contact.phone": "+7 912 345-67-89", "contact.email": "ivanova@mail.ru",
    "passport.series": "4 цифры", "passport.number": "6 цифр",
}
ERROR_STYLE = "color: #d93025;"


def known_text(key: str, value: Any) -> str:
    """A stored value as the user would type it."""
    if value is None or value == "" or value == []:
        return ""
    if key in deal_fields.DEAL_AMOUNTS:
        rub, kop = divmod(value, 100)
        return f"{rub},{kop:02d}" if kop else str(rub)
    if key in deal_fields.DEAL_DATES:
        return value.strftime("%d.%m.%Y")
    if key == "contact.phone":
        return format_phone(value)
    return str(value)


class GateDialog(QDialog):
    """Fields ``keys`` of deal ``deal_id`` needed to enter ``stage_code``."""

    def __init__(self, parent: QWidget | None, deal_id: int, stage_code: str, problems: list[FieldProblem],
                 typed: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gateDialog")
        stage = pipeline.stage(stage_code)
        deal = deals.load_deal(deal_id)
        self.setWindowTitle(f"Перевод в «{stage.name}»")
        typed = dict(typed or {})
        keys = list(dict.fromkeys([*typed, *(p.field for p in problems)]))
        keys.sort(key=lambda key: stage.gate.index(key) if key in stage.gate else len(stage.gate))
        known = deal_fields.current_values(deal)
        messages = {problem.field: problem.message for problem in problems}
        layout = QVBoxLayout(self)
        intro = QLabel(f"Сделка №{deal.order_no} «{deal.name}».\n"
                       f"Для этапа «{stage.name}» заполните поля:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        for key in keys:
            text = str(typed[key]) if key in typed else known_text(key, known.get(key))
            editor = self._editor(key, text)
            error = QLabel(messages.get(key, ""), objectName=f"gateError_{key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setVisible(key in messages)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            form.addRow(deal_fields.label(key) + ":", box)
            self.editors[key], self.errors[key] = editor, error
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить и перевести")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first = next((self.editors[k] for k in keys if k in messages), None)
        if first is not None:
            first.setFocus()
        self.setMinimumWidth(460)

    def _editor(self, key: str, text: str) -> QLineEdit | QComboBox:
        if key == "delivery_type":
            combo = QComboBox(objectName=f"gate_{key}")
            combo.addItem("— выберите —", "")
            for name in pipeline.DELIVERY_TYPES:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(text), 0))
            return combo
        line = QLineEdit(text, objectName=f"gate_{key}")
        line.setPlaceholderText(PLACEHOLDERS.get(key, ""))
        return line

    def values(self) -> dict[str, str]:
        """What the user typed, by field key."""
        return {key: editor.currentData() if isinstance(editor, QComboBox) else editor.text()
                for key, editor in self.editors.items()}


def ask_gate_values(parent: QWidget | None, deal_id: int, stage_code: str,
                    problems: list[FieldProblem] | None = None,
                    typed: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Ask for the fields of ``problems`` (default: what the gate misses now) and keep the
    ``typed`` ones; returns the values, or None when the user cancels."""
    if problems is None:
        problems = deals.missing_for(deal_id, stage_code)
    dialog = GateDialog(parent, deal_id, stage_code, problems, typed)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
