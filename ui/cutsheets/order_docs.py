"""One order's documents at «Раскрой»: the production order form, the parts and hardware
specifications (tables; Ctrl+V pastes rows from a spreadsheet) and the attached drawings."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.banding import edge_choices, offered
from app.domain.bed_models import BED_MODELS
from app.domain.specs import (
    EDGE_FIELDS,
    EDGE_OPTIONS,
    HARDWARE_COLUMNS,
    PART_COLUMNS,
    parse_hardware,
    parse_parts,
    report_text,
)
from app.services import specs
from app.services.banding_types import banding_list
from app.store.models import Attachment, Deal
from ui.common import msgbox
from ui.common.dialog_buttons import dialog_buttons
from ui.cutsheets.models import SpecTableModel, setup_spec_view
from ui.cutsheets.part_files import PartsFileImport

DRAWING_FILTER = "Чертежи (*.pdf *.jpg *.jpeg *.png)"


class SpecEditor(QWidget):
    """A specification table with add/remove rows and Ctrl+V paste of tab-separated rows."""

    def __init__(self, columns, parse, parent=None, window=None, edges: dict[str, str] = EDGE_OPTIONS,
                 offered_names: list[str] | None = None) -> None:
        super().__init__(parent)
        self.parse = parse
        self.window_ = window  # given for the parts: their import from files runs services through it
        self.file_import: PartsFileImport | None = None  # the last import (its column dialog may be open)
        self.model = SpecTableModel(columns, self, edges)  # edges: banding code → name shown
        self.view = QTableView(objectName="specTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setDefaultSectionSize(24)
        setup_spec_view(self.view, self.model, offered_names)
        paste = QAction("Вставить из таблицы", self, shortcut=QKeySequence.StandardKey.Paste)
        paste.triggered.connect(self.paste)
        self.view.addAction(paste)
        add, remove, paste_button = QPushButton("Добавить строку"), QPushButton("Удалить строки"), \
            QPushButton("Вставить из Excel (Ctrl+V)")
        add.clicked.connect(lambda: self.model.insertRows(self.model.rowCount(), 1))
        remove.clicked.connect(self.remove_selected)
        paste_button.clicked.connect(self.paste)
        self.buttons = QHBoxLayout()
        for button in (add, remove, paste_button):
            self.buttons.addWidget(button)
        if window is not None:
            import_button = QPushButton("Импорт из файла…", objectName="importPartsButton")
            import_button.setToolTip("CSV или XLSX из MaxCut, CutList Plus, optiCutter или своей таблицы: "
                                     "столбцы узнаются по заголовкам, свои выбираются один раз")
            import_button.clicked.connect(lambda: self.import_file())
            choose_button = QPushButton("Импорт с выбором столбцов…", objectName="importPartsColumnsButton")
            choose_button.setToolTip("Показать столбцы файла и выбрать, где что записано (выбор запомнится)")
            choose_button.clicked.connect(lambda: self.import_file(ask=True))
            self.buttons.addWidget(import_button)
            self.buttons.addWidget(choose_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view)

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.view.selectionModel().selectedRows()}, reverse=True):
            self.model.removeRows(row, 1)

    def paste(self, text: str | None = None) -> None:
        """Add the rows of the clipboard; rows that cannot be read are listed, nothing is lost."""
        text = text if isinstance(text, str) else QApplication.clipboard().text()
        self._append(self.parse(text), "Вставка из таблицы")

    def import_file(self, path: Path | None = None, ask: bool = False) -> None:
        """Add the parts of a CSV or XLSX file (``ask``: pick its columns even when they are known);
        the report lists the rows as for a paste."""
        self.file_import = PartsFileImport(self, self.window_)
        self.file_import.start(path, ask)

    def _append(self, result, title: str) -> None:
        self.model.append_pasted(result)
        if result.problems or result.warnings:
            msgbox.error(self, title, report_text(result))


class OrderDocsDialog(QDialog):
    """«Документы заказа №N»: form, parts, hardware, drawings; «Сохранить» writes all three."""

    def __init__(self, window, deal_id: int) -> None:
        super().__init__(window)
        self.window_, self.deal_id = window, deal_id
        deal = Deal.get_by_id(deal_id)
        self.order_no = deal.order_no
        self.setObjectName("orderDocsDialog")
        self.setWindowTitle(f"Документы заказа №{deal.order_no} — {deal.name}")
        self.resize(1100, 640)
        self.tabs = QTabWidget()
        form = specs.form_of(deal)
        self.model_box = QComboBox(objectName="bedModel", editable=True)
        self.model_box.addItems(["", *BED_MODELS])
        self.model_box.setCurrentText(form.bed_model)
        self.fields = {key: QLineEdit(getattr(form, key)) for key in ("dimensions", "colour")}
        self.options = QPlainTextEdit(form.options)
        form_page = QWidget()
        form_layout = QFormLayout(form_page)
        editors = {"bed_model": self.model_box, **self.fields, "options": self.options}
        for key, label in specs.FORM_FIELDS.items():
            form_layout.addRow(label, editors[key])
        form_layout.addRow(QLabel("Номер, даты, клиент (фамилия и инициалы) и ответственный берутся из сделки; "
                                  "телефон и паспорт в документы для производства не попадают."))
        banding = banding_list()
        parts = specs.parts_of(deal_id)
        edges = edge_choices(banding)
        own = {getattr(line, key) for line in parts for key in EDGE_FIELDS}
        # a paste takes the types in use (and the order's own); a type out of use is refused by name
        pasted = {code: name for code, name in edges.items() if not code or banding[code].active or code in own}
        retired = {code: name for code, name in edges.items() if code and code not in pasted}
        self.parts = SpecEditor(PART_COLUMNS, lambda text: parse_parts(text, pasted, retired), window=window,
                                edges=edges, offered_names=offered(banding, *own))
        self.parts.model.set_lines(parts)
        copy = QPushButton("Скопировать из заказа той же модели…", objectName="copyPartsButton")
        copy.clicked.connect(self.copy_parts)
        self.parts.buttons.addWidget(copy)
        self.hardware = SpecEditor(HARDWARE_COLUMNS, parse_hardware)
        self.hardware.model.set_lines(specs.hardware_of(deal_id))
        self.tabs.addTab(form_page, "Бланк заказа")
        self.tabs.addTab(self.parts, "Детали")
        self.tabs.addTab(self.hardware, "Фурнитура")
        self.tabs.addTab(self._drawings_page(), "Чертежи")
        buttons = dialog_buttons("Сохранить", "Закрыть", self.save, self.reject,
                                 accept_button=QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.saved = self._state()  # what is stored: closing with anything else asks

    def _state(self) -> dict:
        return {"form": (self.model_box.currentText(), *(edit.text() for edit in self.fields.values()),
                         self.options.toPlainText()),
                "parts": self.parts.model.values(), "hardware": self.hardware.model.values()}

    def is_dirty(self) -> bool:
        return self._state() != self.saved

    def reject(self) -> None:
        """«Закрыть», Esc or the window's close button: unsaved edits (a pasted part list) ask first."""
        if not self.is_dirty():
            super().reject()
            return
        answer = msgbox.ask_save(self, "Несохранённые изменения",
                                 f"В документах заказа №{self.order_no} есть несохранённые изменения.")
        if answer == msgbox.SAVE:
            self.save()
        elif answer == msgbox.DISCARD:
            super().reject()

    def _drawings_page(self) -> QWidget:
        page = QWidget()
        self.drawings = QListWidget(objectName="drawingsList")
        attach = QPushButton("Приложить чертеж…")
        attach.clicked.connect(lambda: self.attach("drawing"))
        attach_assembly = QPushButton("Приложить сборочный чертеж…")
        attach_assembly.clicked.connect(lambda: self.attach("assembly_drawing"))
        row = QHBoxLayout()
        row.addWidget(attach)
        row.addWidget(attach_assembly)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("JPG, PNG или PDF; PDF печатается постранично в пакете заказа."))
        layout.addLayout(row)
        layout.addWidget(self.drawings)
        self._fill_drawings()
        return page

    def _fill_drawings(self) -> None:
        self.drawings.clear()
        query = Attachment.select().where(Attachment.deal == self.deal_id,
                                          Attachment.kind.in_(("drawing", "assembly_drawing"))).order_by(Attachment.id)
        for attachment in query:
            self.drawings.addItem(f"{Attachment.KINDS[attachment.kind]}: {attachment.original_name}")

    def attach(self, kind: str) -> None:
        path = msgbox.open_file(self, "Приложить " + Attachment.KINDS[kind].lower(), DRAWING_FILTER)
        if path is not None and self.window_.action_runner.run(
                self, "Чертеж", lambda: specs.attach_drawing(self.deal_id, self.window_.user, path, kind)) is not None:
            self._fill_drawings()

    def copy_parts(self) -> None:
        others = specs.same_model_orders(self.deal_id)
        if not others:
            msgbox.info(self, "Копирование", "Нет других заказов этой модели со спецификацией деталей.")
            return
        picked = msgbox.choose(self, "Копировать детали", "Из заказа:",
                               [f"№{deal.order_no} — {deal.name}" for deal in others])
        if picked is not None:
            self.copy_from(others[picked].id)

    def copy_from(self, source_id: int) -> None:
        if self.parts.model.values() and not msgbox.ask(self, "Копирование", "Заменить детали этого заказа?"):
            return
        copied = self.window_.action_runner.run(
            self, "Копирование", lambda: specs.copy_parts_from(self.deal_id, source_id, self.window_.user))
        if copied is not None:
            self.parts.model.set_lines(copied.value)
            self.saved["parts"] = self.parts.model.values()  # stored by the copy

    def save(self) -> None:
        form = specs.FormValues(bed_model=self.model_box.currentText(),
                                **{key: edit.text() for key, edit in self.fields.items()},
                                options=self.options.toPlainText())
        parts, hardware = self.parts.model.values(), self.hardware.model.values()
        if self.window_.action_runner.run(self, "Документы заказа", lambda: specs.save_all(
                self.deal_id, self.window_.user, form, parts, hardware)) is not None:
            self.saved = self._state()
            self.accept()
