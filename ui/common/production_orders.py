"""The table model of orders on the production screens (workshop terminal, constructor's queue).

Rows are ``app.queries.workstation_queues.OrderRow``: order number, client surname, bed model, operation,
days in it, shipping deadline (red when near) and the next operation — never money, phones or
passport data.
"""
from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain import clock
from app.queries.workstation_queues import OrderRow
from ui.common.list_table_model import ListTableModel

NEAR_BACKGROUND = QColor("#ffd9d6")
NEAR_TEXT = QColor("#a40000")


class Roles(IntEnum):
    DEAL_ID = Qt.ItemDataRole.UserRole + 1
    ORDER_NO = Qt.ItemDataRole.UserRole + 2


class OrdersModel(ListTableModel):
    """Orders as rows; ``columns`` picks and orders the columns shown."""

    TITLES = {
        "order_no": "№ заказа",
        "surname": "Клиент",
        "model": "Кровать",
        "stage": "Операция",
        "days": "Дней",
        "deadline": "Отгрузка до",
        "next": "Дальше",
    }

    def __init__(self, columns: tuple[str, ...], parent=None) -> None:
        super().__init__(parent, [self.TITLES[column] for column in columns])
        self.columns = columns
        self.today = clock.local_today()

    def set_rows(self, rows: list[OrderRow]) -> None:
        self.today = clock.local_today()
        super().set_rows(rows)

    def row_of_order(self, order_no: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.order_no == order_no), None)

    def row_of_deal(self, deal_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.deal_id == deal_id), None)

    def _text(self, row: OrderRow, column: str) -> str:
        if column == "order_no":
            return str(row.order_no)
        if column == "surname":
            return row.surname
        if column == "model":
            return row.model
        if column == "stage":
            return row.stage_name
        if column == "days":
            return str(row.days_in_stage)
        if column == "deadline":
            return row.ship_deadline.strftime("%d.%m.%Y") if row.ship_deadline else "—"
        following = row.next_stage
        return f"→ {following.name}" if following else ""

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Roles.DEAL_ID:
            return row.deal_id
        if role == Roles.ORDER_NO:
            return row.order_no
        near = row.deadline_near(self.today)
        if role == Qt.ItemDataRole.BackgroundRole and near:
            return QBrush(NEAR_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and near:
            return QBrush(NEAR_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("order_no", "days"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and near:
            return "Срок отгрузки прошёл или наступит в ближайшие 3 дня"
        return None
