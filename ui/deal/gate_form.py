"""The form a gated move asks for («Счет выставлен», «Оплачено»): the gate's fields with the
domain's message beside each one while typing; «Перевести» moves the deal through the service.

The card's stage selector uses ``GateForm(window, deal_id, to_code)``, then ``open()`` (not modal for
the rest of the program); ``moved`` fires after the move. A caller that moves the deal itself (the
board's drop) calls ``ask_gate_values``, which returns the typed values once the domain has no
objection, or None.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.domain import pipeline
from app.domain.errors import FieldProblem, GateError
from app.services import deal_fields, deals, personal_data
from ui.deal.choices import field_choices
from ui.deal.field_form import AMOUNT, CHOICE, DATE, FieldForm, FieldSpec

KINDS = {"budget": AMOUNT, "prepayment": AMOUNT, "debt": AMOUNT, "payment_date": DATE,
         "ship_deadline": DATE, "delivery_type": CHOICE}
PASSPORT_KEYS = ("passport.series", "passport.number")
PASSPORT_HIDDEN = "Паспортные данные скрыты: у вашей роли нет права их видеть (152-ФЗ)"


class GateForm(QDialog):
    moved = Signal(object)  # app.services.deals.MoveResult

    def __init__(self, window, deal_id: int, to_code: str, parent: QWidget | None = None,
                 expected_version: int | None = None, *, collect_only: bool = False,
                 keys: list[str] | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.collect_only = collect_only
        self.deal_id, self.stage = deal_id, pipeline.stage(to_code)
        self.expected_version = expected_version
        deal = deals.load_deal(deal_id)
        self.setObjectName("gateForm")
        self.setWindowTitle(f"Перевод в «{self.stage.name}» — заказ №{deal.order_no}")
        intro = QLabel(f"Чтобы перевести сделку «{deal.name}» в этап «{self.stage.name}», "
                       "заполните поля (отмечены *).", wordWrap=True)
        gate = deals.gate_for(deal_id, to_code)
        if keys is None:  # the stage's own fields, and what earlier gates still miss
            keys = [*self.stage.gate, *(problem.field for problem in deals.missing_for(deal_id, to_code))]
        shown = [key for key in gate if key in keys]
        specs = [FieldSpec(key, KINDS.get(key, "text")) for key in shown]
        self.form = FieldForm(specs, gate=gate, choices=field_choices(), parent=self)
        self.form.edited.connect(self._show_debt)
        self.form.forbid_without_rights(window.user)
        state = deal_fields.current_values(deal)
        if any(key in shown for key in PASSPORT_KEYS):
            self._show_passport(deal_id, state)
        self.form.load(state)
        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton("Перевести", QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setObjectName("gateMove")
        self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())

    def _show_passport(self, deal_id: int, state: dict) -> None:
        user = self.window_.user
        if personal_data.can_see_passport(user):
            viewed = personal_data.read_passport(deal_id, user)
            self.window_.announce(viewed.changes)  # the view is in the «Журнал» now
            state["passport.series"], state["passport.number"] = viewed.value.series, viewed.value.number
            return
        masked = personal_data.masked_passport(deal_id)
        for key, value in zip(PASSPORT_KEYS, (masked.series, masked.number)):
            if key not in self.form.specs:
                continue
            if value:
                self.form.lock(key, value, PASSPORT_HIDDEN)
            else:
                state[key] = ""

    def _show_debt(self) -> None:
        self.form.set_auto("debt", self.form.merged()["debt"])

    def submit(self) -> None:
        """Move the deal with the typed values; on refusal the messages stay beside the fields.
        With ``collect_only`` it only closes once the domain finds nothing wrong."""
        if self.collect_only:
            if not [p for p in self.form.revalidate() if p.field in self.form.specs]:
                self.accept()
            return
        result = self.window_.action_runner.run(
            self, "Перевод не выполнен", lambda: deals.move_deal(
                self.deal_id, self.stage.code, self.window_.user, self.form.values(),
                expected_version=self.expected_version),
            refused={GateError: lambda error: self.form.show_problems(error.problems)})
        if result is not None:
            self.moved.emit(result)
            self.accept()


def ask_gate_values(parent: QWidget, deal_id: int, stage_code: str, problems: list[FieldProblem] | None = None,
                    typed: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Ask (modally) for the fields a move the caller will make still needs: those of ``problems``
    (default: what the gate misses now) and the ``typed`` ones, shown again, each problem beside its
    field. Returns the typed values once the domain has no objection, or None on «Отмена»."""
    if problems is None:
        problems = deals.missing_for(deal_id, stage_code)
    keys = [*(typed or {}), *(problem.field for problem in problems)]
    form = GateForm(parent.window(), deal_id, stage_code, parent=parent, collect_only=True, keys=keys)
    form.form.type_values(typed or {})
    form.form.show_problems(problems)
    return form.form.values() if form.exec() == QDialog.DialogCode.Accepted else None
