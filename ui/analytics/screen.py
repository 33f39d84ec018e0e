"""«Аналитика»: the period and filters above, a tab per table of the report — its bar chart beside
the table, and below the deals behind the chosen bar or row (double click opens the card).

The screen reads nothing until it is first shown (and then again only after a change while it is
shown or when it is shown again after one), so it costs the program's start-up nothing.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.codes import OrderKind
from app.domain.errors import ServiceError
from app.queries import analytics
from app.queries.analytics import AnalyticsFilter, Report
from app.queries.analytics_tables import Table, filter_text, tables
from app.store.models import User
from ui.analytics.chart import BarChart
from ui.analytics.models import DealListModel, FigureTableModel
from ui.common import msgbox
from ui.common.compact_combo import make_compact

log = logging.getLogger(__name__)
PERIODS = (("30 дней", 30), ("90 дней", 90), ("Год", 365))
TAB_TITLES = {"funnel": "Воронка", "lost": "Потери", "stage_times": "Время на этапах", "over_now": "Дольше нормы",
              "throughput": "Выпуск", "lead_time": "Сроки отгрузки", "money": "Деньги", "debts": "Задолженность",
              "people": "Сотрудники", "sources": "Источники"}


def _table_view(name: str, model) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view



def _write_pdf(report: Report, target: Path, responsible: str | None) -> Path:
    """The report as PDF (reportlab loads here, at the first save, not with the window)."""
    from app.documents.analytics_pdf import build_report_pdf

    return build_report_pdf(report, target, responsible)


def _write_xlsx(report: Report, target: Path, responsible: str | None) -> Path:
    """The report as an Excel book (openpyxl loads at the first save)."""
    from app.documents.analytics_xlsx import build_report_xlsx

    return build_report_xlsx(report, target, responsible)

class FigurePage(QWidget):
    """One table of the report: chart (when it has one) | table, note, the deals behind a row."""

    def __init__(self, screen: AnalyticsScreen, table: Table) -> None:
        super().__init__(objectName=f"analytics_{table.key}")
        self.setToolTip(table.title)
        self.owner = screen
        self.model = FigureTableModel(self)
        self.view = _table_view(f"analyticsTable_{table.key}", self.model)
        self.note = QLabel(wordWrap=True)
        self.deals_title = QLabel("Выберите столбец графика или строку таблицы — здесь будут её сделки")
        self.deals = DealListModel(self)
        self.deals_view = _table_view(f"analyticsDeals_{table.key}", self.deals)
        self.deals_view.doubleClicked.connect(lambda index: self._open(self.deals.deal_id(index)))
        self.view.doubleClicked.connect(self._open_row)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view, 3)
        column.addWidget(self.note)
        self.deals_box = QWidget()
        deals_column = QVBoxLayout(self.deals_box)
        deals_column.setContentsMargins(0, 0, 0, 0)
        deals_column.addWidget(self.deals_title)
        deals_column.addWidget(self.deals_view)
        column.addWidget(self.deals_box, 2)
        self.chart: BarChart | None = None
        splitter = QSplitter(Qt.Orientation.Horizontal)
        if table.chart is not None:
            self.chart = BarChart()
            self.chart.barClicked.connect(self.select_row)
            splitter.addWidget(self.chart)
        splitter.addWidget(right)
        splitter.setSizes([560, 640] if self.chart else [1200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _: self._show_deals(current.row()))
        self.show_table(table)

    def show_table(self, table: Table) -> None:
        """Show ``table`` (a new report's), forgetting the chosen row."""
        self.table = table
        self.model.show_table(table)
        self.note.setText(table.note)
        self.note.setVisible(bool(table.note))
        self.deals_box.setVisible(any(table.drills))
        self.deals.show_deals([], self.owner.with_money)
        if self.chart is not None:
            self.chart.show_table(table)

    def select_row(self, row: int) -> None:
        """Choose ``row`` of the table (a bar was clicked): its deals are listed below."""
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def _show_deals(self, row: int) -> None:
        drill = self.table.drills[row] if 0 <= row < len(self.table.drills) else None
        if drill is None:
            return
        deals = drill.deals(self.owner.report.flt)
        label = self.table.rows[row][0]
        more = " (показаны первые)" if len(deals) >= analytics.LIST_LIMIT else ""
        self.deals_title.setText(f"Сделки — {label}: {len(deals)}{more}. Двойной щелчок открывает карточку.")
        self.deals.show_deals(deals, self.owner.with_money)

    def _open_row(self, index) -> None:
        if 0 <= index.row() < len(self.table.deal_ids):
            self._open(self.table.deal_ids[index.row()])

    def _open(self, deal_id: int | None) -> None:
        if deal_id is not None:
            self.owner.window_.open_deal(deal_id)


class AnalyticsScreen(QWidget):
    def __init__(self, window) -> None:
        super().__init__(objectName="analyticsScreen")
        self.window_ = window
        self.report: Report | None = None
        self.pages: dict[str, FigurePage] = {}
        self.dirty = True
        today = clock.local_today()
        self.since = QDateEdit(QDate(today - timedelta(days=89)), objectName="analyticsSince", calendarPopup=True)
        self.until = QDateEdit(QDate(today), objectName="analyticsUntil", calendarPopup=True)
        self.period = QComboBox(objectName="analyticsPeriod")
        self.period.addItem("Период…", None)
        for name, days in PERIODS:
            self.period.addItem(name, days)
        self.period.setCurrentIndex(2)
        self.period.activated.connect(self._preset)
        self.responsible = QComboBox(objectName="analyticsResponsible")
        self.kind = QComboBox(objectName="analyticsKind")
        self.kind.addItem("Все виды", None)
        for code, name in OrderKind.NAMES.items():
            self.kind.addItem(name, code)
        self.source = QComboBox(objectName="analyticsSource")
        self._fill_choices()
        make_compact(8, self.responsible, self.kind, self.source, self.period)
        for edit in (self.since, self.until):
            edit.setDateRange(analytics.FIRST_DAY, analytics.LAST_DAY)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(self._dates_changed)
        for combo in (self.responsible, self.kind, self.source):
            combo.currentIndexChanged.connect(self.refresh)
        pdf = QPushButton("PDF…", objectName="analyticsPdf")
        pdf.clicked.connect(lambda: self.save("PDF (*.pdf)", ".pdf", _write_pdf))
        xlsx = QPushButton("XLSX…", objectName="analyticsXlsx")
        xlsx.clicked.connect(lambda: self.save("Книга Excel (*.xlsx)", ".xlsx", _write_xlsx))
        bar = QHBoxLayout()
        for label, widget in (("С", self.since), ("по", self.until), ("", self.period), ("Кто", self.responsible),
                              ("Вид", self.kind), ("Источник", self.source)):
            if label:
                bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(pdf)
        bar.addWidget(xlsx)
        self.tabs = QTabWidget(objectName="analyticsTabs")
        self.tabs.setUsesScrollButtons(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs)
        window.changed.connect(self.on_changed)
        window.user_changed.connect(lambda _user: self.on_changed(None))

    def _fill_choices(self) -> None:
        self.responsible.blockSignals(True)
        self.source.blockSignals(True)
        self.responsible.clear()
        self.responsible.addItem("Все", None)
        for user in User.select().where(User.active == True).order_by(User.full_name):  # noqa: E712
            self.responsible.addItem(user.full_name, user.id)
        self.source.clear()
        self.source.addItem("Все источники", None)
        for name in analytics.source_names():
            self.source.addItem(name or analytics.NO_SOURCE, name)
        self.responsible.blockSignals(False)
        self.source.blockSignals(False)

    @property
    def with_money(self) -> bool:
        return self.report is not None and "money" in self.report.sections

    def current_filter(self) -> AnalyticsFilter:
        return AnalyticsFilter(self.since.date().toPython(), self.until.date().toPython(),
                               self.responsible.currentData(), self.kind.currentData(), self.source.currentData())

    def _preset(self, index: int) -> None:
        days = self.period.itemData(index)
        if days:
            today = clock.local_today()
            self.since.blockSignals(True)
            self.since.setDate(QDate(today - timedelta(days=days - 1)))
            self.until.setDate(QDate(today))
            self.since.blockSignals(False)
            self.refresh()

    def _dates_changed(self) -> None:
        self.period.setCurrentIndex(0)
        self.refresh()

    def on_changed(self, _changes) -> None:
        """Anything may change a figure: read again now if shown, else when next shown."""
        self.dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.dirty:
            self.refresh()

    def refresh(self) -> None:
        """Read the report for the filters and show it (the chosen tab kept)."""
        self.dirty = False
        flt = self.current_filter()
        if flt.date_to < flt.date_from:
            self.window_.statusBar().showMessage("Дата «по» раньше даты «с»", 10_000)
            return
        try:
            self.report = analytics.build_report(self.window_.user, flt)
        except ServiceError as error:
            msgbox.error(self, "Аналитика", str(error))
            return
        current = self.tabs.currentWidget()
        shown = tables(self.report)
        keys = [table.key for table in shown]
        for key in [key for key in self.pages if key not in keys]:
            self.tabs.removeTab(self.tabs.indexOf(self.pages[key]))
            self.pages.pop(key).deleteLater()
        for position, table in enumerate(shown):
            page = self.pages.get(table.key)
            if page is None:
                page = self.pages[table.key] = FigurePage(self, table)
                self.tabs.insertTab(position, page, TAB_TITLES.get(table.key, table.title))
                self.tabs.setTabToolTip(position, table.title)
            else:
                page.show_table(table)
        if current in self.pages.values():
            self.tabs.setCurrentWidget(current)

    def save(self, file_filter: str, suffix: str, writer) -> None:
        """Write the shown report as PDF or XLSX where the user says."""
        if self.report is None:
            return
        flt = self.report.flt
        suggested = Path.home() / f"Аналитика {flt.date_from:%d.%m.%Y}-{flt.date_to:%d.%m.%Y}{suffix}"
        target = msgbox.save_file(self, "Сохранить отчёт", str(suggested), file_filter)
        if target is None:
            return
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        try:
            writer(self.report, target, self.responsible.currentText() if flt.responsible_id else None)
        except OSError as error:
            log.exception("Saving the analytics report failed")
            msgbox.error(self, "Сохранить отчёт", f"Не удалось сохранить {target}: {error}")
            return
        self.window_.statusBar().showMessage(f"Сохранено: {target} ({filter_text(flt)})", 10_000)
