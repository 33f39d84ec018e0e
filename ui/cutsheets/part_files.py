"""Importing a parts list from a CSV or XLSX file into the parts table of «Документы заказа»: files of
the cutting programs import at once; a spreadsheet of the shop's own layout first asks which column
holds which field (with a preview of its first rows), and the choice is remembered for the next file
with the same headers. The report lists the rows taken, refused and to check, as for a paste."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import part_import
from app.domain.banding import BandingType
from app.domain.changes import Changes, Done
from app.domain.errors import ServiceError
from app.domain.part_import import FIELDS, REQUIRED, PartsTable
from app.domain.specs import PasteResult, report_text
from app.services import part_import as part_import_service
from app.services.banding_types import banding_list
from ui.common import msgbox
from ui.common.dialog_buttons import dialog_buttons

log = logging.getLogger(__name__)

TITLE = "Импорт деталей"
BACKGROUND_BYTES = 1_000_000  # a file this big is read in a worker thread (10 000 XLSX rows take seconds)
FILE_FILTER = "Таблицы (*.csv *.xlsx *.txt);;Все файлы (*)"
PREVIEW_ROWS = 8
RECOUNT_ROWS = 1000  # the live count of a choice reads this many rows (10 000 take half a second)
NO_COLUMN = {"quantity": "— (по 1 шт.)", "thickness": "— (из названия материала)"}


class ColumnMappingDialog(QDialog):
    """«Столбцы файла»: for each field of a part, the file's column that holds it, over a preview of
    the file's first rows; «Запомнить» keeps the choice for files with the same headers."""

    def __init__(self, parent: QWidget | None, table: PartsTable, columns: dict[str, int],
                 may_remember: bool = True, banding: dict[str, BandingType] | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.banding = banding  # the shop's banding types by code (the live count reads the edges by them)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(f"Столбцы файла «{table.file_name}»")
        self.resize(1000, 600)
        known = "Этот файл не из известной программы раскроя." if table.kind == "таблица" else \
            f"Файл {table.kind}: столбцы найдены по заголовкам, измените выбор, если нужно."
        intro = QLabel(known + " Укажите, в каком столбце что записано (поля со звёздочкой обязательны). "
                       "Поворот: «да» — деталь можно повернуть; «нет», пусто или «по текстуре» — нельзя. "
                       "Кромки — название из списка «Настройки → Кромка…» («ПВХ 2»), толщина в мм "
                       "(«2», «0,4») или пусто.")
        intro.setWordWrap(True)
        self.preview = QTableWidget(objectName="mappingPreview")
        self._fill_preview()
        self.boxes: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for n, (key, label) in enumerate(FIELDS):
            box = QComboBox(objectName=f"column_{key}")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)  # long headers do not widen the dialog past a small screen
            box.addItem(NO_COLUMN.get(key, "—"), None)
            for column in range(len(table.header)):
                box.addItem(part_import.column_title(table, column), column)
            if key in columns:
                box.setCurrentIndex(box.findData(columns[key]))
            box.currentIndexChanged.connect(self._update)
            self.boxes[key] = box
            row, pair = divmod(n, 2)
            grid.addWidget(QLabel(label + (" *" if key in REQUIRED else "")), row, pair * 2)
            grid.addWidget(box, row, pair * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.remember = QCheckBox("Запомнить для файлов с такими же заголовками", objectName="rememberColumns")
        self.remember.setChecked(True)
        if not may_remember:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.remember.setToolTip("Запоминать столбцы для всей мастерской может конструктор или администратор")
        self.status = QLabel(objectName="mappingStatus")
        self.status.setWordWrap(True)
        self.buttons = dialog_buttons("Импортировать", "Отмена", self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(f"Первые строки файла (всего строк: {len(table.rows)}):"))
        layout.addWidget(self.preview, 1)
        layout.addLayout(grid)
        layout.addWidget(self.remember)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._update()

    def _fill_preview(self) -> None:
        rows = self.table.preview(PREVIEW_ROWS)
        self.preview.setColumnCount(len(self.table.header))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(
            [part_import.column_title(self.table, n) for n in range(len(self.table.header))])
        self.preview.setVerticalHeaderLabels([str(number) for number, _ in self.table.rows[:PREVIEW_ROWS]])
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.preview.setItem(r, c, item)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.verticalHeader().setDefaultSectionSize(22)

    def columns(self) -> dict[str, int]:
        """The columns chosen, by field."""
        return {key: box.currentData() for key, box in self.boxes.items() if box.currentData() is not None}

    def _update(self) -> None:
        problems = part_import.check_columns(self.table, self.columns())
        ok = not problems
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(ok)
        if ok:
            sample = replace(self.table, rows=self.table.rows[:RECOUNT_ROWS])  # each choice re-counts at once
            result = part_import.read_parts(sample, self.columns(), self.banding)
            counted = f"из {len(sample.rows)}" if len(sample.rows) == len(self.table.rows) else \
                f"из первых {len(sample.rows)}"
            self.status.setText(f"Будет взято строк: {len(result.lines)} {counted}"
                                + (f"; не взяты: {len(result.problems)}" if result.problems else "") + ".")
        else:
            self.status.setText("; ".join(f"{part_import.FIELD_LABELS[key]}: {message}" for key, message in problems))


class ReadSignals(QObject):
    finished = Signal(object)  # PartsTable
    failed = Signal(str)


class ReadJob(QRunnable):
    """Read a big parts file in a worker thread (no database: the columns are found after it)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = ReadSignals()

    def run(self) -> None:
        try:
            table = part_import_service.read_parts_file(self.path)
        except ServiceError as error:
            self.signals.failed.emit(str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, the program goes on
            log.exception("Reading parts file %s failed", self.path)
            self.signals.failed.emit(f"Файл «{self.path.name}» не импортирован: {error}. Ничего не добавлено.")
            return
        self.signals.finished.emit(table)


class PartsFileImport:
    """One import into a parts editor: read the file (a big one in a worker thread: ``job``), ask for
    the columns when needed (without blocking: ``dialog`` is open until the user answers), then add
    the lines and show the report."""

    def __init__(self, editor, window) -> None:
        self.editor, self.window_ = editor, window
        self.dialog: ColumnMappingDialog | None = None
        self.job: ReadJob | None = None
        self.table: PartsTable | None = None
        self.ask = False

    def start(self, path: Path | None = None, ask: bool = False) -> None:
        """Import ``path`` (asked for when None); ``ask``: show the columns even for a known layout,
        and remember the new choice."""
        path = path or msgbox.open_file(self.editor, TITLE, FILE_FILTER)
        if path is None:
            return
        self.ask = ask
        try:
            big = Path(path).stat().st_size >= BACKGROUND_BYTES
        except (OSError, ValueError):
            big = False  # the service says what is wrong with it
        if not big:
            table = self.window_.action_runner.run(
                self.editor, TITLE, lambda: Done(part_import_service.read_parts_file(path), Changes()))
            if table is not None:
                self._read(table.value)
            return
        self.job = ReadJob(Path(path))
        self.job.signals.finished.connect(self._read, Qt.ConnectionType.QueuedConnection)
        self.job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.window_.statusBar().showMessage(f"Читается файл «{Path(path).name}»…")
        QThreadPool.globalInstance().start(self.job)

    def _failed(self, message: str) -> None:
        self.job = None
        self.window_.statusBar().clearMessage()
        msgbox.error(self.editor, TITLE, message)

    def _read(self, table: PartsTable) -> None:
        if self.job is not None:
            self.job = None
            self.window_.statusBar().clearMessage()
        opened = self.window_.action_runner.run(self.editor, TITLE, lambda: part_import_service.columns_for(table))
        if opened is None:
            return
        self.table = table
        if opened.value.columns is not None and not self.ask:
            self._finish(part_import_service.read_parts(table, opened.value.columns), opened.value)
            return
        shown = opened.value.columns or part_import.guess_columns(table.header)
        self.dialog = ColumnMappingDialog(self.editor, table, shown,
                                          part_import_service.may_remember(self.window_.user), banding_list())
        self.dialog.accepted.connect(self._mapped)
        self.dialog.open()

    def _mapped(self) -> None:
        dialog, self.dialog = self.dialog, None
        dialog.deleteLater()
        columns = dialog.columns()
        columns |= {key: n for key, n in self.table.columns.items()  # a program's «Type», «Banding»
                    if key in part_import.PROGRAM_FIELDS and n not in columns.values()}
        if dialog.remember.isChecked():
            stored = self.window_.action_runner.run(self.editor, TITLE, lambda: part_import_service.remember_columns(
                self.window_.user, self.table, columns))
            if stored is None:
                return
        result = self.window_.action_runner.run(self.editor, TITLE, lambda: Done(
            part_import_service.read_parts(self.table, columns), Changes()))
        if result is not None:
            self._finish(result.value)

    def _finish(self, result: PasteResult, opened=None) -> None:
        self.editor.model.append_pasted(result)
        source = f"«{self.table.file_name}»" + ("" if self.table.kind == "таблица" else f" ({self.table.kind})")
        if opened is not None and opened.remembered:
            source += ", столбцы как в прошлый раз"
        text = f"Файл {source}.\n" + report_text(result)
        (msgbox.error if result.problems else msgbox.info)(self.editor, TITLE, text)
