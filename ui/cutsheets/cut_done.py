"""«Раскроено»: the dialog that marks a cut sheet cut. It lists the offcuts its layouts leave (those
reaching their material's minimum), each with a checkbox, all checked: the checked ones go to the
store of offcuts, numbered; the stored offcuts the layouts took leave it; «Печать бирок» writes the
new offcuts' labels afterwards."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from app.domain.offcuts import NewOffcut, area_text
from app.services import offcuts
from ui.common.dialog_buttons import dialog_buttons
from ui.cutsheets.offcuts_screen import save_offcut_labels

Index = QModelIndex | QPersistentModelIndex


class ProposedModel(QAbstractTableModel):
    """The proposed offcuts, each checkable (checked: goes to the store)."""

    HEADERS = ("В склад", "Размер, мм", "Площадь", "Материал", "Откуда")

    def __init__(self, proposed: list[NewOffcut], parent=None) -> None:
        super().__init__(parent)
        self.proposed = proposed
        self.checked = [True] * len(proposed)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.proposed)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.proposed):
            return None
        item = self.proposed[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if self.checked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return ("", item.size, area_text(item.area), item.material, item.board)[index.column()]
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.checked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() and index.column() == 0 else flags

    def kept(self) -> list[NewOffcut]:
        return [item for item, keep in zip(self.proposed, self.checked) if keep]


class CutDoneDialog(QDialog):
    """«Раскроено» for sheet ``number`` whose computed layouts leave the offcuts ``proposed`` and
    take the stored offcuts numbered ``used``."""

    def __init__(self, window, number: int, proposed: list[NewOffcut], used: list[int]) -> None:
        super().__init__(window)
        self.window_ = window
        self.number, self.used = number, used
        self.setObjectName("cutDoneDialog")
        self.setWindowTitle(f"Раскроено — лист раскроя №{number}")
        self.resize(760, 420)
        self.model = ProposedModel(proposed, self)
        self.view = QTableView(objectName="proposedOffcuts")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        taken = ", ".join(f"№{n}" for n in used)
        text = (f"Отметьте деловые остатки листа раскроя №{number}, которые кладёте на склад (здесь — "
                "не меньше минимального остатка материала), и нажмите «Раскроено»." if self.model.proposed else
                f"Лист раскроя №{number} не оставляет остатков не меньше минимального размера материала.")
        if taken:
            text += f" Взятые в раскрой остатки {taken} уйдут со склада."
        intro = QLabel(text, wordWrap=True)
        self.print_labels = QCheckBox("Печать бирок", objectName="printOffcutLabels", checked=True)
        self.print_labels.setToolTip("После сохранения — бирки новых остатков в PDF")
        self.print_labels.setEnabled(bool(self.model.proposed))
        buttons = dialog_buttons("Раскроено", "Отмена", self.save, self.reject,
                                 accept_button=QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.print_labels)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Mark the sheet cut with the checked offcuts; then their labels if asked for."""
        kept = self.model.kept()
        done = self.window_.action_runner.run(self, "Раскроено", lambda: offcuts.mark_cut(
            self.window_.user, self.number, self.used, kept))
        if done is None:
            return
        numbers = [o.number for o in done.value]
        self.window_.statusBar().showMessage(
            f"Лист раскроя №{self.number} раскроен; на склад остатков: "
            + (", ".join(f"№{n}" for n in numbers) if numbers else "ничего"), 15_000)
        self.accept()
        if numbers and self.print_labels.isChecked():
            save_offcut_labels(self.window_, self.window_, numbers)
