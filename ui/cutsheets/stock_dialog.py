"""«Материалы»: the stock boards table (material, board length and width, edge trim, saw kerf,
cut depth, count, price, the smallest offcut worth storing) the cut layouts are computed on; saved
through app.services.stock_boards."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.cutting import DEFAULT_BOARDS, Board
from app.domain.money import format_rub
from app.services import stock_boards
from ui.common.dialog_buttons import dialog_buttons

Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Материал", "Длина, мм", "Ширина, мм", "Обрезка кромок, мм", "Пропил, мм", "Этапы резки",
           "На складе, шт", "Цена листа, руб", "Мин. остаток, мм"]


def _row(board: Board) -> dict:
    row = {name: getattr(board, name) for name in stock_boards.FIELDS}
    if row["stages"] is None:
        row["stages"] = stock_boards.ANY_STAGES
    row["count"] = "" if row["count"] is None else row["count"]
    row["cost"] = format_rub(round(row["cost"] * 100), with_unit=False) if row["cost"] else ""
    row["min_offcut"] = stock_boards.min_offcut_text(row["min_offcut"])
    return row


class StockModel(QAbstractTableModel):
    """The editable rows (dicts with stock_boards.FIELDS); numbers are checked when saved."""

    def __init__(self, boards: list[Board], parent=None) -> None:
        super().__init__(parent)
        self.rows = [_row(b) for b in boards]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return str(self.rows[index.row()][stock_boards.FIELDS[index.column()]])
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][stock_boards.FIELDS[index.column()]] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def set_boards(self, boards: list[Board]) -> None:
        self.beginResetModel()
        self.rows = [_row(b) for b in boards]
        self.endResetModel()

    def add(self) -> int:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append({"material": "", "length": "2800", "width": "2070", "trim": "10", "kerf": "4",
                          "stages": stock_boards.ANY_STAGES, "count": "", "cost": "", "min_offcut": ""})
        self.endInsertRows()
        return len(self.rows) - 1

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()


class StockBoardsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("stockBoardsDialog")
        self.setWindowTitle("Материалы — листы для раскроя")
        self.resize(980, 400)
        self.model = StockModel(stock_boards.stock_boards(), self)
        self.view = QTableView(objectName="stockBoardsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        hint = QLabel("Деталь берёт лист своего материала или материала, с которого начинается его название "
                      "(«ЛДСП 16» — для «ЛДСП 16 Белый»); разные цвета раскраиваются на разных листах. "
                      "Этапы резки: «любая» — любые сквозные резы, как на форматно-раскроечном станке, "
                      "или 2, 3, 4 — не больше стольких этапов. У материала может быть несколько "
                      "размеров листов (целые и обрезки): пустое «На складе» — без ограничения; "
                      "раскрой ищет самую низкую стоимость, затем наименьшее число листов. "
                      "Мин. остаток — «длина×ширина»: обрезки не меньше него предлагаются на склад "
                      "деловых остатков (пусто — 300×100).",
                      wordWrap=True)
        add = QPushButton("Добавить", objectName="addStockButton")
        add.clicked.connect(self.add_row)
        remove = QPushButton("Удалить", objectName="removeStockButton")
        remove.clicked.connect(self.remove_row)
        defaults = QPushButton("По умолчанию", objectName="defaultStockButton")
        defaults.clicked.connect(lambda: self.model.set_boards(list(DEFAULT_BOARDS)))
        QShortcut(QKeySequence("Ctrl+N"), self, self.add_row)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view, self.remove_row)
        row = QHBoxLayout()
        for button in (add, remove, defaults):
            row.addWidget(button)
        row.addStretch(1)
        buttons = dialog_buttons("Сохранить", "Отмена", self.save, self.reject,
                                 accept_button=QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def add_row(self) -> None:
        row = self.model.add()
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove_row(self) -> None:
        self.model.remove(self.view.currentIndex().row())

    def save(self) -> None:
        """Store the table; a bad row is named and the dialog stays open (nothing is lost)."""
        saved = self.window_.action_runner.run(
            self, "Материалы", lambda: stock_boards.save_stock_boards(self.window_.user, self.model.rows))
        if saved is not None:
            self.accept()
