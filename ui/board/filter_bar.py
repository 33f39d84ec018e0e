"""Search and filters above the board, and the column switches (fold production, hide closed)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.domain.codes import OrderKind
from app.queries import board as board_queries
from app.queries.board import BoardFilter
from ui.common.compact_combo import make_compact

SEARCH_DELAY_MS = 200


class SearchEdit(QLineEdit):
    """The search field: Esc clears what was typed (and so the search)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """Emits ``filter_changed`` with a BoardFilter; typing waits ``SEARCH_DELAY_MS`` (``searchTimer``)."""

    filter_changed = Signal(object)

    def __init__(self, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardFilters")
        self.user_id = user_id
        self.search = SearchEdit(objectName="boardSearch", clearButtonEnabled=True)
        self.search.setPlaceholderText("Поиск: имя, сделка, телефон, e-mail, № заказа, теги  (Ctrl+F)")
        self.search.setMinimumWidth(180)
        self.responsible = QComboBox(objectName="filterResponsible")
        self.responsible.addItem("Все ответственные", None)
        for user_id_, name in board_queries.responsible_choices():
            self.responsible.addItem(name, user_id_)
        self.kind = QComboBox(objectName="filterKind")
        self.kind.addItem("Все типы заказа", None)
        for code, name in OrderKind.NAMES.items():
            self.kind.addItem(name, code)
        make_compact(10, self.responsible, self.kind)  # the bar must fit a 1280 px window
        self.mine = QCheckBox("Мои сделки", objectName="filterMine")
        self.overdue = QCheckBox("Просроченные задачи", objectName="filterOverdue")
        self.fold = QToolButton(objectName="foldProduction", text="Свернуть цех", checkable=True)
        self.fold.setToolTip("Показать этапы цеха одной колонкой «Производство»")
        self.hide_closed = QToolButton(objectName="hideClosed", text="Скрыть закрытые", checkable=True)
        self.hide_closed.setToolTip("Скрыть «Успешно реализовано» и «Закрыто и не реализовано»")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        for widget in (self.search, self.responsible, self.kind, self.mine, self.overdue):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.fold)
        layout.addWidget(self.hide_closed)
        self.timer = QTimer(self, objectName="searchTimer", singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.apply)
        self.search.textChanged.connect(self.timer.start)
        self.responsible.currentIndexChanged.connect(self.apply)
        self.kind.currentIndexChanged.connect(self.apply)
        self.mine.toggled.connect(self.apply)
        self.overdue.toggled.connect(self.apply)

    def current(self) -> BoardFilter:
        return BoardFilter(text=self.search.text().strip(), responsible_id=self.responsible.currentData(),
                           kind=self.kind.currentData(), mine_user_id=self.user_id if self.mine.isChecked() else None,
                           overdue_only=self.overdue.isChecked())

    def apply(self) -> None:
        self.timer.stop()
        self.filter_changed.emit(self.current())
