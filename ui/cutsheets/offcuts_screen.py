"""«Остатки»: the store of offcuts (деловые остатки) — number, material, size, area, the sheet it came
from, date and state — with «Печать бирок…» for the selected ones and, for the administrator,
«Списать…» (after a confirmation)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.changes import Changes
from app.domain.errors import ServiceError
from app.domain.offcuts import OFFCUTS, area_text
from app.domain.russian import plural
from app.services import offcuts, permissions
from app.services.label_settings import label_settings
from app.services.offcuts import OffcutRow
from app.store.models import Offcut
from ui.common import msgbox
from ui.common.list_table_model import ListTableModel

NUMBER_ROLE = Qt.ItemDataRole.UserRole


class OffcutsModel(ListTableModel):
    """Rows of app.services.offcuts.list_offcuts."""

    HEADERS = ("№", "Материал", "Размер, мм", "Площадь", "С листа", "Дата", "Состояние")

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row: OffcutRow | None = self.row_at(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.number), row.material, row.size, area_text(row.area),
                    f"№{row.from_sheet}" if row.from_sheet else "—",
                    f"{clock.to_local(row.created_at):%d.%m.%Y}", row.status_name)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == NUMBER_ROLE:
            return row.number
        return None


def save_offcut_labels(parent: QWidget, window, numbers: list[int], target: Path | None = None) -> None:
    """Write the labels of the offcuts ``numbers`` to a PDF the user names (the shop's label format)."""
    if not numbers:
        return
    name = f"Бирки остатков {numbers[0]}" + (f"-{numbers[-1]}" if len(numbers) > 1 else "") + ".pdf"
    target = target or msgbox.save_file(parent, "Бирки остатков", str(Path.home() / name), "PDF (*.pdf)")
    if target is None:
        return
    from app.documents.part_labels import build_offcut_labels, offcut_labels  # reportlab: on use

    try:
        pages = build_offcut_labels(offcut_labels(offcuts.offcut_rows(numbers)), target, settings=label_settings())
    except ServiceError as error:
        msgbox.error(parent, "Бирки остатков", str(error))
        return
    except OSError as error:
        msgbox.error(parent, "Бирки остатков", f"Не удалось сохранить {target}: {error.strerror}")
        return
    window.statusBar().showMessage(f"Бирки остатков: {len(numbers)} шт., {pages} стр. → {target}", 10_000)


class OffcutsScreen(QWidget):
    """The store of offcuts."""

    def __init__(self, window) -> None:
        super().__init__()
        self.setObjectName("offcutsScreen")
        self.window_ = window
        self.model = OffcutsModel(self)
        self.view = QTableView(objectName="offcutsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.setAlternatingRowColors(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.total = QLabel(objectName="offcutsTotal")
        self.show_closed = QCheckBox("показывать использованные и списанные", objectName="offcutsShowClosed")
        self.show_closed.toggled.connect(lambda _: self.refresh())
        self.labels = QPushButton("Печать бирок…", objectName="offcutLabelsButton")
        self.labels.clicked.connect(lambda: save_offcut_labels(self, self.window_, self.selected()))
        self.write_off_button = QPushButton("Списать…", objectName="writeOffButton")
        self.write_off_button.setToolTip("Списать выделенные остатки (только администратор)")
        self.write_off_button.clicked.connect(self.write_off)
        row = QHBoxLayout()
        row.addWidget(self.total, 1)
        row.addWidget(self.show_closed)
        row.addWidget(self.labels)
        row.addWidget(self.write_off_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        window.changed.connect(self.on_changed)
        window.user_changed.connect(lambda _user: self._enable())
        self.refresh()

    def on_changed(self, changes: Changes) -> None:
        if changes.offcuts or changes.cut_sheets:
            self.refresh()

    def refresh(self) -> None:
        """Reload the list, keeping the selection."""
        selected = set(self.selected())
        rows = offcuts.list_offcuts(self.show_closed.isChecked())
        self.model.set_rows(rows)
        selection = self.view.selectionModel()
        for n, row in enumerate(rows):
            if row.number in selected:
                selection.select(self.model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        kept = [row for row in rows if row.status == Offcut.STORED]
        self.total.setText(f"На складе: {len(kept)} {plural(len(kept), OFFCUTS)}, "
                           f"{area_text(sum(row.area for row in kept))}")
        self._enable()

    def selected(self) -> list[int]:
        """Numbers of the selected offcuts, in list order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.rows[row].number for row in rows]

    def _enable(self) -> None:
        some = bool(self.selected())
        self.labels.setEnabled(some)
        self.write_off_button.setVisible(permissions.allowed(self.window_.user, permissions.OFFCUTS_WRITE_OFF))
        self.write_off_button.setEnabled(some)

    def write_off(self) -> None:
        numbers = self.selected()
        if not numbers or not msgbox.ask(
                self, "Списать остатки", "Списать остатки " + ", ".join(f"№{n}" for n in numbers)
                + "? Они уйдут со склада и больше не попадут в раскрой."):
            return
        done = self.window_.action_runner.run(self, "Списать остатки",
                                              lambda: offcuts.write_off(self.window_.user, numbers))
        if done is not None:
            self.window_.statusBar().showMessage(f"Списано остатков: {len(numbers)}", 10_000)
