"""«Настройки → Кромка…»: the shop's edge banding types (name, thickness, overhang, whether the part
is cut smaller, in use), which the specifications' edges Д1 Д2 Ш1 Ш2 offer. Each button is one
service of app.services.banding_types; a type a specification names can only be taken out of use."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.domain.banding import BandingType
from app.domain.specs import format_decimal
from app.services import banding_types
from ui.common.list_table_model import ListTableModel

TITLE = "Кромка"
INACTIVE = QColor("#8a8a8a")


class BandingModel(ListTableModel):
    """Rows: (BandingType, used by a specification)."""

    HEADERS = ("Название", "Толщина, мм", "Припуск, мм", "Уменьшать деталь", "Используется", "В спецификациях")

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index)
        if row is None:
            return None
        banding, used = row
        if role == Qt.ItemDataRole.DisplayRole:
            return (banding.name, format_decimal(banding.thickness), str(banding.overhang),
                    "да" if banding.compensate else "нет", "да" if banding.active else "нет",
                    "есть" if used else "нет")[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column():
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and not banding.active:
            return QBrush(INACTIVE)
        return None

    def row_of(self, code: str) -> int:
        return next((n for n, (banding, _) in enumerate(self.rows) if banding.code == code), -1)


class BandingTypesDialog(QDialog):
    """The list above, the selected type's fields below; «Добавить» adds the fields as a new type."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("bandingTypesDialog")
        self.setWindowTitle("Кромка — типы кромки магазина")
        self.resize(820, 520)
        self.model = BandingModel(self)
        self.view = QTableView(objectName="bandingTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.name = QLineEdit(objectName="bandingName", placeholderText="ПВХ 2, ABS 1 …")
        self.name.setMaxLength(60)
        self.thickness = QLineEdit(objectName="bandingThickness", placeholderText="от 0,1 до 10")
        self.overhang = QLineEdit(objectName="bandingOverhang", placeholderText="от 0 до 50")
        self.compensate = QCheckBox("деталь пилится меньше на толщину кромки с каждой кромкованной стороны",
                                    objectName="bandingCompensate")
        self.active = QCheckBox("предлагать в спецификациях", objectName="bandingActive")
        fields = QGroupBox("Выбранная кромка")
        form = QFormLayout(fields)
        form.addRow("Название:", self.name)
        form.addRow("Толщина, мм:", self.thickness)
        form.addRow("Припуск на каждую кромку, мм:", self.overhang)
        form.addRow("", self.compensate)
        form.addRow("Используется:", self.active)
        self.add_button = QPushButton("Добавить как новую", objectName="addBandingButton")
        self.save_button = QPushButton("Сохранить изменения", objectName="saveBandingButton")
        self.toggle_button = QPushButton("Не использовать", objectName="toggleBandingButton")
        self.delete_button = QPushButton("Удалить", objectName="deleteBandingButton")
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.toggle_button.clicked.connect(self.toggle)
        self.delete_button.clicked.connect(self.delete)
        actions = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.toggle_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        hint = QLabel("Метры кромки в листе раскроя — длины кромкованных сторон плюс припуск на каждую. "
                      "Кромку, указанную в спецификациях, удалить нельзя: снимите «Используется», и её не "
                      "будет в списке для новых строк (старые строки её сохранят).", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(fields)
        layout.addLayout(actions)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.reload()

    # ---- showing ----------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read the list again, selecting the type ``select`` (else the first)."""
        used = banding_types.used_codes()
        self.model.set_rows([(banding, banding.code in used) for banding in banding_types.banding_list().values()])
        row = self.model.row_of(select) if select else 0
        if self.model.rowCount():
            self.view.selectRow(max(row, 0))
        self._show_selected()

    def selected(self) -> tuple[BandingType, bool] | None:
        """The selected type and whether a specification names it."""
        return self.model.row_at(self.view.currentIndex())

    def _show_selected(self) -> None:
        row = self.selected()
        banding = row[0] if row else BandingType("", "", 0, 20)  # nothing selected: a new type's defaults
        self.name.setText(banding.name)
        self.thickness.setText(format_decimal(banding.thickness) if row else "")
        self.overhang.setText(str(banding.overhang))
        self.compensate.setChecked(banding.compensate)
        self.active.setChecked(banding.active)
        for button in (self.save_button, self.toggle_button, self.delete_button):
            button.setEnabled(row is not None)
        self.toggle_button.setText("Не использовать" if banding.active else "Снова использовать")
        used = bool(row and row[1])
        self.delete_button.setEnabled(row is not None and not used)
        self.delete_button.setToolTip("Кромка указана в спецификациях — её можно только не использовать"
                                      if used else "")

    def values(self) -> dict:
        return {"name": self.name.text(), "thickness": self.thickness.text(), "overhang": self.overhang.text(),
                "compensate": self.compensate.isChecked(), "active": self.active.isChecked()}

    # ---- actions ----------------------------------------------------------------------------
    def _run(self, action) -> None:
        done = self.window_.action_runner.run(self, TITLE, action)
        if done is not None:
            self.reload(done.value.code)

    def add(self) -> None:
        values = self.values()
        self._run(lambda: banding_types.add_banding_type(self.window_.user, values))

    def save(self) -> None:
        row, values = self.selected(), self.values()
        if row is not None:
            self._run(lambda: banding_types.edit_banding_type(self.window_.user, row[0].code, values))

    def toggle(self) -> None:
        row = self.selected()
        if row is not None:
            self._run(lambda: banding_types.set_banding_active(self.window_.user, row[0].code, not row[0].active))

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        done = self.window_.action_runner.run(
            self, TITLE, lambda: banding_types.delete_banding_type(self.window_.user, row[0].code))
        if done is not None:
            self.reload()
