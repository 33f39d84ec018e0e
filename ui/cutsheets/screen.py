"""«Листы раскроя»: the constructor's screen. Left: orders at «Раскрой» (select, create a sheet,
edit an order's documents) and the list of sheets; right: the open sheet with «Печать»,
«Открыть PDF», «Сохранить PDF», «Раскроено» (the offcuts it leaves go to the store),
«Передать в производство» and «Аннулировать»."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock, pipeline
from app.domain.changes import Changes
from app.domain.errors import ServiceError
from app.domain.names import PersonName
from app.domain.russian import parts_text
from app.services import cutsheets
from app.store.models import CutSheet
from ui.common import msgbox
from ui.cutsheets import printing
from ui.cutsheets.layouts_view import LayoutsPanel
from ui.cutsheets.models import Role, RowsModel
from ui.cutsheets.order_docs import OrderDocsDialog

if TYPE_CHECKING:
    from app.documents.pack_pdf import PackResult


def ask_print(parent: QWidget, printer: QPrinter) -> bool:
    """The system print dialog (a seam tests replace)."""
    return QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted


def open_in_viewer(path: Path) -> None:
    """Open a file in the system's viewer (a seam tests replace)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _table(model, name: str, stretch: int) -> QTableView:
    """A compact list: every column as wide as its contents but column ``stretch``, which takes (or
    gives back, eliding its text) the rest, so the list never scrolls sideways."""
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setAlternatingRowColors(True)
    return view


def _drawings(kinds: frozenset[str]) -> str:
    """«да», «да + сб.» (an assembly drawing too) or «нет»."""
    if "drawing" not in kinds:
        return "нет" + (" (есть сб.)" if "assembly_drawing" in kinds else "")
    return "да + сб." if "assembly_drawing" in kinds else "да"



def _date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"

class CutSheetsScreen(QWidget):
    def __init__(self, window) -> None:
        super().__init__()
        self.setObjectName("cutSheetsScreen")
        self.window_ = window
        self.current: int | None = None  # number of the open sheet
        self.job: printing.PackJob | None = None
        self.last_result: PackResult | None = None
        self._then = None  # what to do with the PDF once the running job has built it

        self.orders = RowsModel(["Заказ", "Клиент", "Модель", "Отгрузка", "Строк / шт", "Чертеж"], self)
        self.orders_view = _table(self.orders, "cuttingOrders", 1)
        self.orders_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.orders_view.doubleClicked.connect(lambda _: self.edit_documents())
        self.orders_view.selectionModel().selectionChanged.connect(lambda *_: self._fill_materials())
        self.material = QComboBox(objectName="sheetMaterial", editable=True)
        self.material.setMinimumWidth(140)
        create = QPushButton("Создать лист раскроя", objectName="createSheetButton")
        create.clicked.connect(self.create_sheet)
        docs = QPushButton("Документы заказа…", objectName="orderDocsButton")
        docs.clicked.connect(self.edit_documents)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.create_sheet)
        orders_box = QGroupBox("Заказы на этапе «Раскрой»")
        orders_box.setToolTip("Выделите несколько заказов (Ctrl, Shift) и создайте лист раскроя")
        orders_layout = QVBoxLayout(orders_box)
        orders_layout.addWidget(self.orders_view)
        row = QHBoxLayout()
        row.addWidget(QLabel("Материал:"))
        row.addWidget(self.material, 1)
        row.addWidget(create)
        orders_layout.addLayout(row)
        orders_layout.addWidget(docs, 0, Qt.AlignmentFlag.AlignLeft)

        self.sheets = RowsModel(["№", "Дата", "Материал", "Заказы", "Статус"], self)
        self.sheets_view = _table(self.sheets, "cutSheetsList", 3)
        self.sheets_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sheets_view.selectionModel().currentRowChanged.connect(self._sheet_chosen)
        self.show_cancelled = QCheckBox("показывать аннулированные", checked=True)
        self.show_cancelled.toggled.connect(lambda _: self.refresh())
        sheets_box = QGroupBox("Листы раскроя")
        sheets_layout = QVBoxLayout(sheets_box)
        sheets_layout.addWidget(self.sheets_view)
        sheets_layout.addWidget(self.show_cancelled)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(orders_box)
        self.left.addWidget(sheets_box)
        self.left.setStretchFactor(0, 3)  # the orders to put on a sheet before the sheets made
        self.left.setStretchFactor(1, 2)

        self.title = QLabel(objectName="sheetTitle")
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.info = QLabel(objectName="sheetInfo", wordWrap=True)
        self.sheet_orders = RowsModel(["Заказ", "Клиент", "Модель", "Срок отгрузки", "Этап", "Детали"], self)
        self.sheet_orders_view = _table(self.sheet_orders, "sheetOrders", 1)
        self.sheet_orders_view.doubleClicked.connect(
            lambda index: OrderDocsDialog(self.window_, self.sheet_orders.data(index, Role.ROW_ID)).exec())
        self.buttons = {}
        actions = QHBoxLayout()
        for key, text, slot, shortcut in (
                ("print", "Печать", self.print_pack, "Ctrl+P"), ("open", "Открыть PDF", self.open_pdf, None),
                ("save", "Сохранить PDF", self.save_pdf, "Ctrl+S"),
                ("cut", "Раскроено", self.mark_cut, None),
                ("production", "Передать в производство", self.to_production, None),
                ("cancel", "Аннулировать", self.cancel_sheet, None)):
            button = QPushButton(text, objectName=f"{key}SheetButton")
            button.clicked.connect(slot)
            if shortcut:
                QShortcut(QKeySequence(shortcut), self, slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.progress = QProgressBar(objectName="packProgress", visible=False)
        self.warnings = QLabel(objectName="packWarnings", wordWrap=True)
        self.warnings.setStyleSheet("color: #a00000;")
        # the open sheet: two short lines of title and actions, then its layouts take the rest
        right = QWidget(objectName="sheetArea")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.info, 1)
        right_layout.addLayout(heading)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.warnings)
        self.layouts = LayoutsPanel(window)
        self.sheet_tabs = QTabWidget(objectName="sheetTabs")
        self.sheet_tabs.addTab(self.layouts, "Раскрой")
        self.sheet_tabs.addTab(self.sheet_orders_view, "Заказы листа")
        right_layout.addWidget(self.sheet_tabs, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([560, 1040])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        window.changed.connect(self.on_changed)
        self.refresh()

    # ---- showing ----------------------------------------------------------------------------
    def on_changed(self, changes: Changes) -> None:
        """The screen shows the orders at «Раскрой» (parts, drawings), the cut sheets with their orders,
        the open sheet's orders wherever they are now, and its layouts cut from the stock boards."""
        if (changes.cut_sheets or changes.specs or changes.stock_boards or changes.offcuts
                or changes.touches((cutsheets.CUTTING,), [*self.orders.ids, *self.sheet_orders.ids])):
            self.refresh()

    def refresh(self) -> None:
        """Reload both lists and the open sheet, keeping the selection."""
        selected = set(self.selected_deal_ids())
        lines = cutsheets.cutting_queue()
        rows = [(f"№{line.order_no}", PersonName.parse(line.client).short or "—", line.bed_model or "—",
                 _date(line.ship_deadline), f"{line.part_rows} / {line.parts}" if line.parts else "—",
                 _drawings(line.drawing_kinds))
                for line in lines]
        self.orders.set_rows(rows, [line.deal_id for line in lines])
        selection = self.orders_view.selectionModel()
        for row, deal_id in enumerate(self.orders.ids):
            if deal_id in selected:
                selection.select(self.orders.index(row, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)
        sheet_rows = cutsheets.list_sheets(self.show_cancelled.isChecked())
        self.sheets.set_rows([(f"№{r.number}", f"{clock.to_local(r.created_at):%d.%m.%Y}", r.material or "все",
                               ", ".join(f"№{n}" for n in r.order_nos), r.status_name)
                              for r in sheet_rows], [r.number for r in sheet_rows])
        if self.current is not None:
            self.open_sheet(self.current)
        else:
            self._show_sheet(None)

    def _fill_materials(self) -> None:
        text = self.material.currentText()
        self.material.clear()
        self.material.addItems(["", *cutsheets.materials_of(self.selected_deal_ids())])
        self.material.setCurrentText(text)

    def _sheet_chosen(self, current, _previous) -> None:
        if current.isValid():
            self.open_sheet(self.sheets.data(current, Role.ROW_ID))

    def open_sheet(self, number: int) -> None:
        """Show cut sheet ``number`` on the right."""
        try:
            sheet = cutsheets.get_sheet(number)
        except ServiceError:
            self.current = None
            self._show_sheet(None)
            return
        self.current = number
        row = self.sheets.row_of(number)
        if row >= 0 and self.sheets_view.currentIndex().row() != row:
            self.sheets_view.selectRow(row)
        self._show_sheet(sheet)

    def _show_sheet(self, sheet: CutSheet | None) -> None:
        for button in self.buttons.values():
            button.setEnabled(sheet is not None)
        if sheet is None:
            self.title.setText("Лист раскроя не выбран")
            self.info.setText("Выделите заказы слева и нажмите «Создать лист раскроя», или выберите лист в списке.")
            self.sheet_orders.set_rows([], [])
            self.layouts.show_sheet(None)
            return
        cancelled = sheet.status == CutSheet.CANCELLED
        self.title.setText(f"Лист раскроя №{sheet.number}" + (" — АННУЛИРОВАН" if cancelled else "")
                           + (" — раскроен" if sheet.status == CutSheet.CUT else ""))
        self.info.setText(f"Материал: {sheet.material or 'все материалы'} · создан "
                          f"{clock.to_local(sheet.created_at):%d.%m.%Y %H:%M} · "
                          f"{sheet.created_by.full_name if sheet.created_by_id else '—'}"
                          + (f" · причина аннулирования: {sheet.cancel_reason}"
                             if cancelled and sheet.cancel_reason else ""))
        lines = cutsheets.sheet_lines(sheet)
        self.sheet_orders.set_rows(
            [(f"№{line.order_no}", PersonName.parse(line.client).surname or "—", line.bed_model or "—",
              _date(line.ship_deadline), pipeline.stage(line.stage).name, parts_text(line.part_rows, line.parts))
             for line in lines],
            [line.deal_id for line in lines])
        self.buttons["production"].setEnabled(not cancelled and any(line.stage == cutsheets.CUTTING
                                                                    for line in lines))
        self.buttons["cancel"].setEnabled(sheet.status == CutSheet.ACTIVE)
        self.buttons["cut"].setEnabled(sheet.status == CutSheet.ACTIVE)
        self.layouts.show_sheet(sheet.number, sheet)

    def lists_apart(self) -> QWidget:
        """Take the two lists (orders at «Раскрой», the cut sheets) out of this screen, for a host that
        shows them in a column of its own; this screen keeps the open sheet."""
        self.left.setParent(None)
        return self.left

    def set_wide(self, wide: bool) -> None:
        """Side by side (orders | sheets | open sheet) for a wide, low panel; stacked otherwise."""
        self.left.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        self.left.setSizes([560, 440] if wide else [500, 500])
        self.splitter.setSizes([1000, 600] if wide else [700, 800])

    def focus_order(self, deal_id: int) -> None:
        """Select the order ``deal_id`` in the list of orders at «Раскрой» (if it is there)."""
        row = self.orders.row_of(deal_id)
        if row >= 0:
            self.orders_view.selectRow(row)

    def selected_deal_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.orders_view.selectionModel().selectedRows())
        return [self.orders.ids[row] for row in rows]

    # ---- actions ----------------------------------------------------------------------------
    def create_sheet(self) -> None:
        ids, material = self.selected_deal_ids(), self.material.currentText()
        done = self.window_.action_runner.run(self, "Лист раскроя",
                                              lambda: cutsheets.create_cut_sheet(self.window_.user, ids, material))
        if done is not None:
            self.open_sheet(done.value.number)
            self.window_.statusBar().showMessage(f"Создан лист раскроя №{done.value.number}", 10_000)

    def edit_documents(self) -> None:
        ids = self.selected_deal_ids()
        if len(ids) != 1:
            msgbox.info(self, "Документы заказа", "Выделите один заказ.")
            return
        OrderDocsDialog(self.window_, ids[0]).exec()

    def to_production(self) -> None:
        if self.current is None or not msgbox.ask(
                self, "Передать в производство", f"Передать заказы листа раскроя №{self.current} "
                                                 f"в «Производство»?"):
            return
        number = self.current
        result = self.window_.action_runner.run(self, "Передать в производство",
                                                lambda: cutsheets.send_to_production(number, self.window_.user))
        if result is None:
            return
        text = f"В производство передано заказов: {len(result.moved)}"
        if result.skipped:
            text += "; не на этапе «Раскрой»: " + ", ".join(f"№{d.order_no}" for d in result.skipped)
        self.window_.statusBar().showMessage(text, 15_000)

    def mark_cut(self) -> None:
        """«Раскроено»: the dialog offers the offcuts the shown layouts leave for the store."""
        plan = self.layouts.plan
        if self.current is None or plan is None or self.layouts.number != self.current or self.layouts.job:
            msgbox.info(self, "Раскроено", "Дождитесь расчёта раскроя листа.")
            return
        from ui.cutsheets.cut_done import CutDoneDialog

        CutDoneDialog(self.window_, self.current, plan.new_offcuts(), plan.offcuts_used).exec()

    def cancel_sheet(self) -> None:
        if self.current is None:
            return
        number = self.current
        reason = msgbox.ask_text(self, "Аннулировать", f"Причина аннулирования листа №{number}:")
        if reason is not None:
            self.window_.action_runner.run(self, "Аннулировать",
                                           lambda: cutsheets.cancel_cut_sheet(number, self.window_.user, reason))

    # ---- the PDF ----------------------------------------------------------------------------
    def build(self, then, printer: QPrinter | None = None) -> printing.PackJob | None:
        """Build the open sheet's PDF in the thread pool; ``then(result)`` runs when it is ready."""
        if self.current is None or self.job is not None:
            return None
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.warnings.clear()
        for button in self.buttons.values():
            button.setEnabled(False)
        job = printing.PackJob(self.current, printing.pack_path(self.current), printer)
        job.signals.progress.connect(self._progress)
        self._then = then
        # bound methods of this widget: Qt queues the worker's signals to the GUI thread
        job.signals.finished.connect(self._built)
        job.signals.failed.connect(self._failed)
        self.job = job
        return printing.start(job)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.open_sheet(self.current) if self.current is not None else self._show_sheet(None)

    def _built(self, result: PackResult) -> None:
        then, self._then = self._then, None
        self._done()
        self.last_result = result
        if result.warnings:
            self.warnings.setText("Внимание: " + "; ".join(result.warnings))
        then(result)

    def _failed(self, message: str) -> None:
        self._done()
        msgbox.error(self, "Лист раскроя", message)

    def print_pack(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Лист раскроя №{self.current}")
        if self.current is None or not ask_print(self, printer):
            return
        self.build(lambda result: self.window_.statusBar().showMessage(
            f"Отправлено на печать: {result.pages} стр.", 10_000), printer)

    def open_pdf(self) -> None:
        self.build(lambda result: open_in_viewer(result.path))

    def save_pdf(self) -> None:
        if self.current is None:
            return
        target = msgbox.save_file(self, "Сохранить PDF", str(Path.home() / f"Лист раскроя {self.current}.pdf"),
                                  "PDF (*.pdf)")
        if target is not None:
            self.build(lambda result: self._copy(result, target))

    def _copy(self, result: PackResult, target: Path) -> None:
        try:
            shutil.copyfile(result.path, target)
        except OSError as error:
            msgbox.error(self, "Сохранить PDF", f"Не удалось сохранить {target}: {error}")
            return
        self.window_.statusBar().showMessage(f"Сохранено: {target} ({result.pages} стр.)", 10_000)
