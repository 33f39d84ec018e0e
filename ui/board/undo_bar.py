"""«Отменить» in the status bar for a few seconds after a move from the board."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain import pipeline
from app.domain.board_text import deals_count
from app.domain.changes import Changes
from app.services.board_moves import MoveRecord

UNDO_SECONDS = 10


def describe(records: list[MoveRecord]) -> str:
    """«Сделка №15 переведена в «Оплачено»» or «3 сделки переведены в «Раскрой»»."""
    stage = pipeline.stage(records[-1].to_stage).name
    if len(records) == 1:
        return f"Сделка №{records[0].order_no} переведена в «{stage}»"
    return f"{deals_count(len(records))} переведены в «{stage}»"


def describe_undone(records: list[MoveRecord]) -> str:
    """«Перевод отменён: сделка №15 снова в «Счет выставлен»» (the status bar's confirmation)."""
    stage = pipeline.stage(records[-1].from_stage).name
    if len(records) == 1:
        return f"Перевод отменён: сделка №{records[0].order_no} снова в «{stage}»"
    return f"Перевод отменён: {deals_count(len(records))} снова в «{stage}»"


class UndoBar(QWidget):
    """Offers to undo the last move until ``timer`` (named ``undoTimer``) runs out."""

    def __init__(self, undo: Callable[[list[MoveRecord]], Changes | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self._undo = undo
        self.records: list[MoveRecord] = []
        self.label = QLabel()
        self.button = QPushButton("Отменить", objectName="undoButton")
        self.button.setToolTip("Вернуть сделки на прежний этап (Ctrl+Z)")
        self.button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.timer = QTimer(self, objectName="undoTimer", singleShot=True, interval=UNDO_SECONDS * 1000)
        self.timer.timeout.connect(self.forget)
        self.hide()

    def offer(self, records: list[MoveRecord]) -> None:
        """Show the undo for ``records`` (replacing any earlier offer)."""
        self.records = list(records)
        self.label.setText(describe(records))
        self.show()
        self.timer.start()

    def forget(self) -> None:
        self.records = []
        self.timer.stop()
        self.hide()

    def undo(self) -> None:
        """Undo the offered move (the board's callback talks to the service and shows errors)."""
        if not self.records:
            return
        records = self.records
        self.forget()
        self._undo(records)
