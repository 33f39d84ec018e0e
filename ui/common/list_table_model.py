"""A read-only table model over a Python list of rows; subclasses say how a cell looks."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """Rows are any objects kept in ``self.rows``; ``HEADERS`` (or ``headers``) name the columns."""

    HEADERS: Sequence[str] = ()

    def __init__(self, parent=None, headers: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.headers: Sequence[str] = headers if headers is not None else self.HEADERS
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        """Show ``rows`` instead of the current ones."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_at(self, index: Index):
        """The row object behind ``index`` (None when the index is not a valid row)."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None
