"""«СМС»: the shop's outbox — what waits, what failed, everything — with the same actions as the card."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.queries import sms_outbox
from ui.sms.actions import SmsButtons
from ui.sms.models import SmsModel, sms_table

FILTERS = (("Ждут отправки", sms_outbox.QUEUED), ("С ошибкой", sms_outbox.FAILED), ("Все", None))


class OutboxScreen(QWidget):
    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smsOutbox")
        self.window_ = window
        self.filter = QComboBox(objectName="smsOutboxFilter")
        self.filter.addItems([title for title, _ in FILTERS])
        self.filter.currentIndexChanged.connect(lambda *_: self.refresh())
        self.summary = QLabel(objectName="smsOutboxSummary")
        self.model = SmsModel(self, with_deal=True)
        self.view = sms_table(self.model, "smsOutboxView")
        self.view.doubleClicked.connect(lambda *_: self.open_deal())
        self.buttons = SmsButtons(window, self, self.current)
        open_deal = QPushButton("Открыть сделку", objectName="smsOpenDeal")
        open_deal.clicked.connect(self.open_deal)
        self.buttons.insertWidget(0, open_deal)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.buttons.update_buttons())
        top = QHBoxLayout()
        top.addWidget(QLabel("Показать:"))
        top.addWidget(self.filter)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)
        window.changed.connect(self.on_changed)
        self.refresh()

    def current(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def refresh(self) -> None:
        self.model.set_rows(sms_outbox.outbox(FILTERS[self.filter.currentIndex()][1]))
        counts = sms_outbox.counts()
        self.summary.setText(f"ждут отправки: {counts.queued} · с ошибкой: {counts.failed}")
        self.buttons.update_buttons()

    def on_changed(self, changes: Changes) -> None:
        if changes.sms or changes.deal_ids:
            self.refresh()

    def open_deal(self) -> None:
        line = self.current()
        if line is not None:
            self.window_.open_deal(line.deal_id)
