"""The terminal's in-screen question «move this order on?»: a large bar with the order, the move
(«Распил» → «Фрезеровка») and two big buttons — no modal dialog, so a tap, Enter (yes) or Esc (no)
answers it, and a scanner that starts typing a number cancels it and goes on into the scan field."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.queries.workstation_queues import OrderRow

BUTTON_HEIGHT = 72


class ConfirmBar(QFrame):
    """Asks about one order at a time; ``row`` is the order asked about (None: nothing asked)."""

    accepted = Signal(object)  # the OrderRow to move on
    rejected = Signal()
    typed = Signal(str)  # text typed while asking (a scanner): the question is dropped

    def __init__(self, point_size: int) -> None:
        super().__init__(objectName="workshopConfirmBar")
        self.row: OrderRow | None = None
        self.setStyleSheet("#workshopConfirmBar { background: #dcebfb; border: 2px solid #1565c0;"
                           " border-radius: 10px; }")
        self.order = QLabel(objectName="workshopConfirmOrder")
        self.order.setFont(QFont(self.font().family(), point_size + 2, QFont.Weight.Bold))
        self.step = QLabel(objectName="workshopConfirmStep")
        self.step.setFont(QFont(self.font().family(), point_size + 2))
        self.yes = QPushButton("Да, перевести", objectName="workshopConfirmYes")
        self.no = QPushButton("Нет", objectName="workshopConfirmNo")
        self.yes.setStyleSheet("QPushButton { background: #2e7d32; color: white; font-weight: bold;"
                               " border-radius: 8px; padding: 0 24px; }")
        self.no.setStyleSheet("QPushButton { background: #eceff1; border: 1px solid #90a4ae;"
                              " border-radius: 8px; padding: 0 24px; }")
        for button, width in ((self.yes, 300), (self.no, 180)):
            button.setFont(QFont(self.font().family(), point_size))  # not inherited inside a styled frame
            button.setMinimumSize(width, BUTTON_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.yes.clicked.connect(self.accept)
        self.no.clicked.connect(self.reject)
        texts = QVBoxLayout()
        texts.addWidget(self.order)
        texts.addWidget(self.step)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(16)
        layout.addLayout(texts, 1)
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        self.hide()

    def ask(self, row: OrderRow) -> None:
        """Show the question about ``row`` (replacing one not yet answered); «Да» takes the focus."""
        self.row = row
        self.order.setText(f"Заказ №{row.order_no} · {row.surname}")
        self.step.setText(f"«{row.stage_name}» → «{row.next_stage.name}»: перевести?")
        self.show()
        self.yes.setFocus()

    def accept(self) -> None:
        row = self.drop()
        if row is not None:
            self.accepted.emit(row)

    def reject(self) -> None:
        if self.drop() is not None:
            self.rejected.emit()

    def drop(self) -> OrderRow | None:
        """Hide the question without an answer; the order it was about, if any."""
        row, self.row = self.row, None
        self.hide()
        return row

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter — yes, Esc — no (whichever button has the focus); typing — a scan, not an answer."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
        elif event.key() == Qt.Key.Key_Escape:
            self.reject()
        elif event.text().strip():
            self.drop()
            self.typed.emit(event.text())
        else:
            super().keyPressEvent(event)
