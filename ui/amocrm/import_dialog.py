"""«Файл → Импорт из amoCRM…»: choose amoCRM's export files, «Проверить» (a dry run: what would be
created, updated, refused, merged), map the stages and people the program does not know (once per
name), then «Импортировать» with a progress bar and «Отмена», and save the per-row report."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import pipeline
from app.domain.errors import ServiceError
from app.integrations.amocrm_files import contacts_sheet, read_table, write_report
from app.services.amocrm_import import ImportOptions, ImportReport, import_tables
from app.store.db import close_database
from app.store.models import User
from ui.common import msgbox
from ui.common.list_table_model import ListTableModel

log = logging.getLogger(__name__)

FILES = "Файлы amoCRM (*.xlsx *.csv);;Все файлы (*)"
NOT_MAPPED = "— не импортировать эти сделки —"
TO_SHOPS = "— отдать группе «Магазины» —"


def summary_text(report: ImportReport) -> str:
    """What an import did or would do, in a sentence or two."""
    verb = "Будет" if report.dry_run else "Сделано"
    text = (f"{verb}: сделок новых {report.deals_created}, обновлённых {report.deals_updated}, "
            f"без изменений {report.deals_unchanged}, отказ {report.deals_refused}; контактов новых "
            f"{report.contacts_created}, объединено {report.contacts_merged}; примечаний {report.notes}; "
            f"задач «Дополнить данные» {report.tasks_to_complete_data}.")
    if report.contact_notes_without_deals:
        text += (f" Примечаний контактов без сделок: {report.contact_notes_without_deals} — они только в отчёте "
                 "ниже, сохраните его.")
    if report.cancelled:
        text += " Импорт остановлен: записаны только завершённые части."
    return text


class ReportModel(ListTableModel):
    HEADERS = ("Файл", "Строка", "Итог", "Причина")

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        line = self.row_at(index)
        if line is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (line.file, line.line, line.outcome, line.reason)[index.column()]


class ImportSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # ImportReport
    failed = Signal(str)


class ImportDialog(QDialog):
    """The import wizard; ``threaded=False`` runs the import in the caller's thread (tests)."""

    def __init__(self, window, *, threaded: bool = True) -> None:
        super().__init__(window)
        self.window_, self.threaded = window, threaded
        self.setObjectName("amocrmImportDialog")
        self.setWindowTitle("Импорт из amoCRM")
        self.resize(900, 620)
        self.report: ImportReport | None = None
        self.cancel_event = threading.Event()
        self.worker: threading.Thread | None = None
        self.signals = ImportSignals(self)
        self.signals.progress.connect(self._progress)
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self.leads_edit, self.contacts_edit = QLineEdit(objectName="leadsFile"), QLineEdit(objectName="contactsFile")
        files = QFormLayout()
        files.addRow("Файл сделок:", self._file_row(self.leads_edit))
        files.addRow("Файл контактов (необязательно):", self._file_row(self.contacts_edit))
        self.summary = QLabel("Выберите файлы выгрузки amoCRM и нажмите «Проверить».", objectName="importSummary")
        self.summary.setWordWrap(True)
        self.mapping = QGroupBox("Незнакомые этапы и люди — сопоставьте один раз", objectName="importMapping")
        self.mapping_form = QFormLayout(self.mapping)
        self.mapping.setVisible(False)
        self.stage_boxes: dict[str, QComboBox] = {}
        self.people_boxes: dict[str, QComboBox] = {}
        self.model = ReportModel(self)
        self.table = QTableView(objectName="importReport")
        self.table.setModel(self.model)
        for column in range(3):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setVisible(False)
        self.check_button = QPushButton("Проверить", objectName="checkButton")
        self.import_button = QPushButton("Импортировать", objectName="importButton", enabled=False)
        self.cancel_button = QPushButton("Отмена", objectName="cancelImportButton", enabled=False)
        self.save_button = QPushButton("Сохранить отчёт…", objectName="saveReportButton", enabled=False)
        close = QPushButton("Закрыть")
        self.check_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self.cancel_event.set)
        self.save_button.clicked.connect(self.save_report)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.import_button, self.cancel_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(files)
        layout.addWidget(self.summary)
        layout.addWidget(self.mapping)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

    def _file_row(self, edit: QLineEdit) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        pick = QPushButton("Выбрать…")
        pick.clicked.connect(lambda: self._pick(edit))
        edit.textChanged.connect(lambda *_: self.import_button.setEnabled(False))
        box.addWidget(edit, 1)
        box.addWidget(pick)
        return row

    def _pick(self, edit: QLineEdit) -> None:
        path = msgbox.open_file(self, "Файл выгрузки amoCRM", FILES)
        if path is not None:
            edit.setText(str(path))

    # -- mapping ---------------------------------------------------------------------------------
    def options(self, dry_run: bool) -> ImportOptions:
        """The user's choices: each mapped stage and person (unmapped stages stay refused)."""
        stages = {name: box.currentData() for name, box in self.stage_boxes.items() if box.currentData()}
        people = {name: box.currentData() for name, box in self.people_boxes.items()}
        return ImportOptions(stage_map=stages, people_map=people, dry_run=dry_run)

    def _show_mapping(self, report: ImportReport) -> None:
        for name in report.unknown_stages:
            if name not in self.stage_boxes:
                box = QComboBox(objectName=f"stageMap:{name}")
                box.addItem(NOT_MAPPED, None)
                for stage in pipeline.STAGES:
                    box.addItem(stage.name, stage.code)
                self.stage_boxes[name] = box
                self.mapping_form.addRow(f"Этап «{name}» ({report.unknown_stages[name]} сд.):", box)
        for name in report.unknown_people:
            if name not in self.people_boxes:
                box = QComboBox(objectName=f"personMap:{name}")
                box.addItem(TO_SHOPS, None)
                for user in User.select().where(User.active).order_by(User.full_name):
                    box.addItem(user.full_name, user.id)
                self.people_boxes[name] = box
                self.mapping_form.addRow(f"Ответственный «{name}»:", box)
        self.mapping.setVisible(bool(self.stage_boxes or self.people_boxes))

    # -- running ---------------------------------------------------------------------------------
    def start(self, *, dry_run: bool) -> None:
        leads = self.leads_edit.text().strip()
        if not leads:
            msgbox.error(self, "Импорт из amoCRM", "Выберите файл сделок")
            return
        if not dry_run and not msgbox.ask(self, "Импорт из amoCRM", summary_text(self.report)
                                          + "\n\nИмпортировать?"):
            return
        contacts, options = self.contacts_edit.text().strip(), self.options(dry_run)
        self.cancel_event.clear()
        self._busy(True)
        job = (Path(leads), Path(contacts) if contacts else None, options)
        if self.threaded:
            self.worker = threading.Thread(target=self._work, args=job, name="crm-amocrm-import")
            self.worker.start()
        else:
            self._work(*job)

    def _work(self, leads: Path, contacts: Path | None, options: ImportOptions) -> None:
        try:
            report = import_tables(read_table(leads), read_table(contacts) if contacts else contacts_sheet(leads),
                                   self.window_.user, options, progress=self.signals.progress.emit,
                                   cancelled=self.cancel_event.is_set)
        except ServiceError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - logged with its trace, shown in Russian
            log.exception("amoCRM import failed")
            self.signals.failed.emit(f"Импорт не выполнен: {error}. Ничего из незавершённой части не записано.")
        else:
            self.signals.finished.emit(report)
        finally:
            if self.threaded:
                close_database()  # this thread's own connection

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(busy)
        for button in (self.check_button, self.import_button, self.save_button):
            button.setEnabled(not busy and (button is self.check_button or self.report is not None))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, report: ImportReport) -> None:
        self.worker = None
        self.report = report
        self._busy(False)
        self.summary.setText(summary_text(report))
        self.model.set_rows(sorted(report.lines, key=lambda line: (line.file, line.line)))
        self._show_mapping(report)
        if not report.dry_run:
            self.import_button.setEnabled(False)  # done: a new «Проверить» shows what is left
            self.window_.announce(report.changes)

    def _failed(self, message: str) -> None:
        self.worker = None
        self._busy(False)
        msgbox.error(self, "Импорт из amoCRM", message)

    def save_report(self) -> None:
        if self.report is None:
            return
        target = msgbox.save_file(self, "Отчёт импорта", str(Path.home() / "отчёт импорта amoCRM.xlsx"),
                                  "Excel (*.xlsx);;CSV (*.csv)")
        if target is not None:
            try:
                write_report(self.report.lines, target)
            except ServiceError as error:
                msgbox.error(self, "Отчёт импорта", str(error))
                return
            self.window_.statusBar().showMessage(f"Отчёт сохранён: {target}", 10_000)

    def closeEvent(self, event) -> None:
        if self.worker is not None:  # a running import stops after its current batch
            self.cancel_event.set()
            self.worker.join()
        super().closeEvent(event)
