"""Item models of the cut-sheet screen: read-only row lists (orders, sheets) and the editable
specification tables (parts, hardware) that accept a spreadsheet paste."""
from __future__ import annotations

from decimal import Decimal
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from app.domain.specs import EDGE_FIELDS, EDGE_OPTIONS, UNITS, PasteResult, format_decimal

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    ROW_ID = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    """A read-only table of prepared text rows, each with an id (deal id, sheet number …)."""

    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple] = []
        self.ids: list[int] = []

    def set_rows(self, rows: list[tuple], ids: list[int]) -> None:
        self.beginResetModel()
        self.rows, self.ids = rows, ids
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        if role == Role.ROW_ID:
            return self.ids[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def row_of(self, row_id: int) -> int:
        return self.ids.index(row_id) if row_id in self.ids else -1


def display(key: str, value, edges: dict[str, str] = EDGE_OPTIONS) -> str:
    """How a specification value is shown in its cell (an edge by its banding type's name in ``edges``)."""
    if key in EDGE_FIELDS:
        return edges.get(value or "", value or "")
    if key == "may_rotate":
        return "да" if value in (True, "да", "") else ("нет" if value in (False, "нет") else str(value))
    if isinstance(value, (Decimal, float)):
        return format_decimal(value)
    return "" if value is None else str(value)


TEXT_KEYS = {"name", "material", "notes", "item", "article"}
CHOICES: dict[str, list[str]] = {
    **{key: list(EDGE_OPTIONS.values()) for key in EDGE_FIELDS},
    "may_rotate": ["да", "нет"],
    "unit": list(UNITS),
}
WIDTHS = {"name": 190, "material": 140, "item": 320, "article": 140, "notes": 160}


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of the allowed values (edge banding, rotation, unit) for a column."""

    def __init__(self, choices: list[str], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):
        editor = QComboBox(parent)
        editor.addItems(self.choices)
        return editor

    def setEditorData(self, editor, index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or self.choices[0]
        editor.setCurrentIndex(max(editor.findText(value), 0))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentText())


def setup_spec_view(view, model: "SpecTableModel", banding: list[str] | None = None) -> None:
    """Column widths and drop-downs of a specification table; ``banding`` are the names the edge
    columns offer (the shop's types in use; the built-in ones if None)."""
    header = view.horizontalHeader()
    choices = {**CHOICES, **({key: banding for key in EDGE_FIELDS} if banding is not None else {})}
    for column, (key, _) in enumerate(model.columns):
        header.resizeSection(column, WIDTHS.get(key, 74))
        if key in choices:
            view.setItemDelegateForColumn(column, ChoiceDelegate(choices[key], view))
    header.setStretchLastSection(True)


class SpecTableModel(QAbstractTableModel):
    """Editable specification lines (values kept as typed; the service checks them on save)."""

    def __init__(self, columns: tuple[tuple[str, str], ...], parent=None,
                 edges: dict[str, str] = EDGE_OPTIONS) -> None:
        super().__init__(parent)
        self.columns = columns
        self.edges = edges  # banding code → the name an edge cell shows
        self.lines: list[dict] = []
        self.dirty = False

    def _shown(self, line) -> dict:
        return {key: display(key, getattr(line, key), self.edges) for key, _ in self.columns}

    def set_lines(self, lines: list) -> None:
        self.beginResetModel()
        self.lines = [self._shown(line) for line in lines]
        self.dirty = False
        self.endResetModel()

    def values(self) -> list[dict]:
        """The lines as entered, without fully empty ones."""
        return [line for line in self.lines if any(str(v).strip() for v in line.values())]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.columns[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in TEXT_KEYS:
            return Qt.AlignmentFlag.AlignCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return self.lines[index.row()][key]

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self.lines[index.row()][self.columns[index.column()][0]] = str(value)
        self.dirty = True
        self.dataChanged.emit(index, index)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[section][1] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        self.beginInsertRows(parent, row, row + count - 1)
        for _ in range(count):
            self.lines.insert(row, {key: "" for key, _ in self.columns})
        self.endInsertRows()
        self.dirty = True
        return True

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        self.beginRemoveRows(parent, row, row + count - 1)
        del self.lines[row:row + count]
        self.endRemoveRows()
        self.dirty = True
        return True

    def append_pasted(self, result: PasteResult) -> None:
        """Add the lines read from a paste at the end."""
        if not result.lines:
            return
        start = len(self.lines)
        self.beginInsertRows(QModelIndex(), start, start + len(result.lines) - 1)
        self.lines += [self._shown(line) for line in result.lines]
        self.endInsertRows()
        self.dirty = True
