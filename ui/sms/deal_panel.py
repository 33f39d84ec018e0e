"""The deal card's «СМС» tab: the deal's SMS with their states; send a template (the transport company
and waybill number asked right here when the template needs them), write a one-off SMS, send now,
resend or cancel."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.sms_status import SmsState
from app.domain.sms_text import PLACEHOLDERS, placeholders_used, sms_length
from app.queries import sms_outbox
from app.services import deals, sms, sms_manual
from app.services.sms_manual import MAX_PARTS
from ui.sms.actions import SmsButtons
from ui.sms.models import SmsModel, sms_table


class DealSmsPanel(QWidget):
    def __init__(self, window, deal_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dealSms")
        self.window_, self.deal_id = window, deal_id
        self.model = SmsModel(self)
        self.view = sms_table(self.model, "dealSmsView")
        self.buttons = SmsButtons(window, self, self.current)
        self.complete = QPushButton("Дополнить и отправить", objectName="smsComplete")
        self.complete.setToolTip("Сохранить транспортную компанию и номер накладной в сделке и отправить "
                                 "выбранное СМС")
        self.complete.clicked.connect(self.complete_selected)
        self.buttons.insertWidget(3, self.complete)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.template = QComboBox(objectName="smsTemplate")
        self.template.currentTextChanged.connect(self._template_chosen)
        self.transport_company = QLineEdit(objectName="smsTransportCompany", placeholderText="СДЭК, ПЭК, …")
        self.waybill_no = QLineEdit(objectName="smsWaybillNo")
        self.send_template = QPushButton("Отправить шаблон", objectName="smsSendTemplate")
        self.send_template.clicked.connect(self.queue_template)
        self.tk_form = QWidget()
        tk_layout = QFormLayout(self.tk_form)
        tk_layout.setContentsMargins(0, 0, 0, 0)
        tk_layout.addRow(PLACEHOLDERS["transport_company"].capitalize(), self.transport_company)
        tk_layout.addRow(PLACEHOLDERS["waybill_no"].capitalize(), self.waybill_no)
        template_row = QHBoxLayout()
        template_row.addWidget(QLabel("Шаблон:"))
        template_row.addWidget(self.template, 1)
        template_row.addWidget(self.send_template)

        self.text = QPlainTextEdit(objectName="smsText", placeholderText="Текст СМС клиенту…")
        self.text.setMaximumHeight(90)
        self.text.textChanged.connect(self._count)
        self.counter = QLabel(objectName="smsCounter")
        self.send_text = QPushButton("Отправить СМС", objectName="smsSendText")
        self.send_text.clicked.connect(self.write)
        text_row = QHBoxLayout()
        text_row.addWidget(self.counter, 1)
        text_row.addWidget(self.send_text)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)
        layout.addLayout(template_row)
        layout.addWidget(self.tk_form)
        layout.addWidget(QLabel("Своё сообщение:"))
        layout.addWidget(self.text)
        layout.addLayout(text_row)
        window.changed.connect(self.on_changed)
        self.reload()
        self._count()

    def current(self):
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0]) if rows else None

    def reload(self) -> None:
        self.model.set_rows(sms_outbox.deal_sms(self.deal_id))
        chosen = self.template.currentText()
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItems(list(sms.templates()))
        if chosen:
            self.template.setCurrentText(chosen)
        self.template.blockSignals(False)
        self._template_chosen(self.template.currentText())
        self._selection_changed()

    def _needs_transport(self, template: str) -> bool:
        return bool(placeholders_used(sms.templates().get(template, "")) & {"transport_company", "waybill_no"})

    def _selection_changed(self) -> None:
        self.buttons.update_buttons()
        line = self.current()
        waiting = line is not None and line.status == SmsState.PENDING and self._needs_transport(line.template)
        self.complete.setEnabled(waiting)
        if waiting:
            self._show_transport_fields(True)

    def on_changed(self, changes: Changes) -> None:
        if changes.sms or changes.settings or self.deal_id in changes.deal_ids:
            self.reload()

    def _template_chosen(self, name: str) -> None:
        self._show_transport_fields(self._needs_transport(name))

    def _show_transport_fields(self, needs: bool) -> None:
        self.tk_form.setVisible(needs)
        if needs:
            deal = deals.load_deal(self.deal_id)
            self.transport_company.setText(self.transport_company.text() or deal.transport_company)
            self.waybill_no.setText(self.waybill_no.text() or deal.waybill_no)

    def _count(self) -> None:
        self.counter.setText(sms_length(self.text.toPlainText()).describe(MAX_PARTS))

    def _done(self, done) -> None:
        sender = getattr(self.window_, "sms_sender", None)
        if done is not None and sender is not None:
            sender.kick(forced=True)

    def queue_template(self) -> None:
        name = self.template.currentText()
        values = self._transport_values() if self._needs_transport(name) else None
        self._done(self.window_.action_runner.run(
            self, "СМС по шаблону", lambda: sms_manual.send_template(self.deal_id, self.window_.user, name, values)))

    def _transport_values(self) -> dict[str, str]:
        return {"transport_company": self.transport_company.text(), "waybill_no": self.waybill_no.text()}

    def complete_selected(self) -> None:
        line = self.current()
        if line is not None:
            values = self._transport_values()
            self._done(self.window_.action_runner.run(
                self, "Дополнить СМС", lambda: sms_manual.complete_fields(line.id, self.window_.user, values)))

    def write(self) -> None:
        text = self.text.toPlainText()
        done = self.window_.action_runner.run(
            self, "Отправить СМС", lambda: sms_manual.write_sms(self.deal_id, self.window_.user, text))
        if done is not None:
            self.text.clear()
        self._done(done)
