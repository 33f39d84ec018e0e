"""«Журнал»: the administrator's view of the audit log (passport views, changes and exports,
sign-ins, user and rights changes), filtered by user, action, order number and period."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.errors import ServiceError
from app.queries.workstation_queues import parse_order_no
from app.services import audit_log
from app.store.models import User
from ui.common.list_table_model import ListTableModel


class JournalModel(ListTableModel):
    HEADERS = ("Когда", "Кто", "Действие", "Сделка", "Подробности")

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole or not 0 <= index.row() < len(self.rows):
            return None
        entry = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return clock.to_local(entry.at).strftime("%d.%m.%Y %H:%M:%S")
        if column == 1:
            return entry.user.full_name if entry.user_id else "Система"
        if column == 2:
            return audit_log.action_name(entry.action)
        if column == 3:
            return f"№{entry.deal.order_no} {entry.deal.name}" if entry.deal_id and entry.deal else ""
        return entry.details


class JournalScreen(QWidget):
    """The filters above, the journal below (newest first)."""

    def __init__(self, window) -> None:
        super().__init__(objectName="journalScreen")
        self.window_ = window
        self.who = QComboBox(objectName="journalUser")
        self.what = QComboBox(objectName="journalAction")
        self.what.addItem("Все действия", None)
        for code, name in audit_log.ACTION_NAMES.items():
            self.what.addItem(name, code)
        self.order = QLineEdit(objectName="journalOrder", placeholderText="№ заказа")
        today = clock.local_today()
        self.since = QDateEdit(QDate(today - timedelta(days=30)), objectName="journalSince", calendarPopup=True)
        self.until = QDateEdit(QDate(today), objectName="journalUntil", calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(self.refresh)
        self.who.currentIndexChanged.connect(self.refresh)
        self.what.currentIndexChanged.connect(self.refresh)
        self.order.textChanged.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in (("Кто", self.who), ("Действие", self.what), ("Сделка", self.order),
                              ("С", self.since), ("по", self.until)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.model = JournalModel(self)
        self.table = QTableView(objectName="journalTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel(objectName="journalCount")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self._fill_users()
        window.changed.connect(lambda changes: changes.audit and self.refresh())
        self.refresh()

    def _fill_users(self) -> None:
        self.who.blockSignals(True)
        self.who.addItem("Все", None)
        for user in User.select().order_by(User.full_name):
            self.who.addItem(user.full_name, user.id)
        self.who.blockSignals(False)

    def current_filter(self) -> audit_log.AuditFilter:
        since = clock.from_local(datetime.combine(self.since.date().toPython(), time()))
        last_day = self.until.date().toPython()
        # «по сегодня» stays open-ended, so a program left running past midnight still shows new rows
        until = None if last_day >= clock.local_today() else clock.from_local(
            datetime.combine(last_day + timedelta(days=1), time()))
        return audit_log.AuditFilter(user_id=self.who.currentData(), action=self.what.currentData(),
                                     order_no=parse_order_no(self.order.text()), since=since, until=until)

    def refresh(self) -> None:
        try:
            rows = audit_log.entries(self.window_.user, self.current_filter())
        except ServiceError as error:
            rows = []
            self.count.setText(str(error))
        else:
            self.count.setText(f"Записей: {len(rows)}")
        self.model.set_rows(rows)
