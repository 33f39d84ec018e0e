"""Item models of «Аналитика»: one analytics table as the screen shows it, and the deals behind a bar."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from app.domain.money import format_rub
from app.queries.analytics import DealRow
from app.queries.analytics_tables import Days, Table, cell_text
from ui.common.list_table_model import ListTableModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FigureTableModel(ListTableModel):
    """The rows of one ``Table`` (texts exactly as in the PDF and XLSX; numbers to the right)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, headers=())
        self.table: Table | None = None

    def show_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table, self.headers, self.rows = table, table.headers, table.rows
        self.endResetModel()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        value = self.row_at(index)
        if value is None:
            return None
        cell = value[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole and not isinstance(cell, str) and index.column() > 0:
            return RIGHT
        return None


class DealListModel(ListTableModel):
    """Deals behind a bar or a row: number, name, stage, budget (with the money right) and the
    figure's own days or amount."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, headers=())
        self.with_money = False

    def show_deals(self, deals: list[DealRow], with_money: bool) -> None:
        self.beginResetModel()
        self.with_money = with_money
        self.headers = ["№", "Сделка", "Этап"] + (["Бюджет"] if with_money else []) + ["Дни / сумма"]
        self.rows = deals
        self.endResetModel()

    def deal_id(self, index: QModelIndex) -> int | None:
        deal = self.row_at(index)
        return deal.deal_id if deal is not None else None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        deal: DealRow | None = self.row_at(index)
        if deal is None:
            return None
        header = self.headers[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and header in ("№", "Бюджет", "Дни / сумма"):
            return RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if header == "№":
            return str(deal.order_no)
        if header == "Сделка":
            return deal.name
        if header == "Этап":
            return deal.stage_name
        if header == "Бюджет":
            return format_rub(deal.budget)
        if deal.amount is not None:
            return format_rub(deal.amount) if self.with_money else ""
        return cell_text(Days(deal.days)) if deal.days is not None else ""
