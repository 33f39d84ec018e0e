"""The table of SMS shown by the outbox screen and the deal card's «СМС» tab."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.domain import clock
from app.domain.money import format_rub
from app.domain.sms_status import SmsState
from app.queries.sms_outbox import SmsLine
from ui.common.list_table_model import ListTableModel

STATE_COLOURS = {SmsState.FAILED: "#c62828", SmsState.UNDELIVERED: "#c62828", SmsState.DELIVERED: "#2e7d32",
                 SmsState.CANCELLED: "#757575"}


def _when(line: SmsLine) -> str:
    return clock.to_local(line.changed_at).strftime("%d.%m %H:%M")


class SmsModel(ListTableModel):
    """Rows are ``SmsLine``s; ``with_deal`` adds the order column (the outbox screen)."""

    def __init__(self, parent=None, *, with_deal: bool = False) -> None:
        columns = [("Заказ", lambda line: f"№{line.order_no} {line.deal_name}")] if with_deal else []
        columns += [("Состояние", lambda line: line.status_name), ("Когда", _when),
                    ("СМС", lambda line: line.title), ("Телефон", lambda line: line.phone),
                    ("Текст", lambda line: line.text),
                    ("Ошибка", lambda line: line.last_error),
                    ("Цена", lambda line: format_rub(line.cost) if line.cost is not None else "")]
        super().__init__(parent, [title for title, _ in columns])
        self.columns = [value for _, value in columns]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        line: SmsLine | None = self.row_at(index)
        if line is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()](line)
        if role == Qt.ItemDataRole.ForegroundRole and line.status in STATE_COLOURS:
            return QColor(STATE_COLOURS[line.status])
        if role == Qt.ItemDataRole.UserRole:
            return line
        return None


def sms_table(model: SmsModel, name: str) -> QTableView:
    """A table of SMS: one row chosen at a time, the text column takes the room left."""
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(list(model.headers).index("Текст"), QHeaderView.ResizeMode.Stretch)
    return view
