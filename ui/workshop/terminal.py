"""The workshop terminal: a full-screen, large-type, touch-friendly list of the orders in
production. One tap (or Enter) on an order, a confirmation in a large bar on the screen (no
dialog: a tap, Enter or Esc answers it), and the order moves to the next operation after
``UNDO_SECONDS`` seconds unless «Отменить» is pressed; a field takes a typed or scanned order
number + Enter and jumps to that order; a scanned offcut label («OC7») shows that offcut in a bar
on the screen (ui/workshop/offcut_bar.py). No budgets, phones or passport data here.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import pipeline
from app.domain.changes import Changes
from app.domain.errors import NotFoundError
from app.domain.offcuts import parse_offcut_code
from app.queries.workstation_queues import WORKSHOP_QUEUE, OrderRow, parse_order_no, workshop_orders
from app.services import deals, offcuts
from ui.common.production_orders import OrdersModel
from ui.workshop.confirm_bar import ConfirmBar
from ui.workshop.offcut_bar import OffcutBar

UNDO_SECONDS = 5
BASE_POINT_SIZE = 20
PAGE_BUTTON_SIZE = 72  # ▲ ▼ for a finger
COLUMNS = ("order_no", "surname", "model", "stage", "days", "deadline", "next")


@dataclass(frozen=True)
class PendingMove:
    deal_id: int
    order_no: int
    from_stage: str
    to_stage: str
    version: int


class OrdersTable(QTableView):
    """The big list; Enter or Return on a row asks to move it on (as a tap does); typing (the next
    label scanned while the list has the focus) goes into the scan field, not into a search of the list."""

    def __init__(self, terminal: "WorkshopTerminal") -> None:
        super().__init__(objectName="workshopOrders")
        self.terminal = terminal

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.terminal.advance_row(self.currentIndex().row())
            return
        if event.text().strip() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.terminal.start_scan(event.text())
            return
        super().keyPressEvent(event)


class WorkshopTerminal(QWidget):
    """The production chief's screen; ``window`` is the MainWindow (its user, its signal)."""

    def __init__(self, window) -> None:
        super().__init__(objectName="workshopTerminal")
        self.window_ = window
        self.pending: PendingMove | None = None
        self.remaining = 0
        font = self.font()
        font.setPointSize(BASE_POINT_SIZE)
        self.setFont(font)

        self.title = QLabel("Цех: заказы в работе", objectName="workshopTitle")
        self.title.setFont(QFont(font.family(), BASE_POINT_SIZE + 6, QFont.Weight.Bold))
        self.scan = QLineEdit(objectName="workshopScan")
        self.scan.setPlaceholderText("№ заказа или штрихкод, Enter")
        self.scan.setMinimumHeight(64)
        self.scan.returnPressed.connect(self.jump_to_scanned)
        self.switch_button = QPushButton("Сменить пользователя", objectName="workshopSwitchUser")
        self.switch_button.setMinimumHeight(64)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.scan, 1)
        header.addWidget(self.switch_button)

        self.model = OrdersModel(COLUMNS, self)
        self.table = OrdersTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(72)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the bed's name takes what the other columns leave: a surname is short, «Замок с комодом» is not
        self.table.horizontalHeader().setSectionResizeMode(COLUMNS.index("model"), QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)  # a long bed name takes a second line of its row, not «…»
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.horizontalHeader().setMinimumHeight(56)
        header_font = QFont(font)
        header_font.setPointSize(BASE_POINT_SIZE - 4)
        self.table.horizontalHeader().setFont(header_font)
        self.table.clicked.connect(lambda index: self.advance_row(index.row()))
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalScrollBar().setStyleSheet(f"QScrollBar:vertical {{ width: {PAGE_BUTTON_SIZE // 2}px; }}")
        self.page_buttons = {}
        pages = QVBoxLayout()
        for key, text, step in (("up", "▲", -1), ("down", "▼", 1)):
            button = QPushButton(text, objectName=f"workshopPage{key.title()}")
            button.setToolTip("Предыдущие заказы" if step < 0 else "Следующие заказы")
            button.setFixedSize(PAGE_BUTTON_SIZE, PAGE_BUTTON_SIZE * 2)
            button.clicked.connect(lambda _=False, step=step: self.page(step))
            self.page_buttons[key] = button
            pages.addWidget(button)
            if step < 0:
                pages.addStretch(1)
        self.table.verticalScrollBar().valueChanged.connect(lambda _: self._show_page_buttons())
        self.table.verticalScrollBar().rangeChanged.connect(lambda *_: self._show_page_buttons())
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(pages)

        self.confirm_bar = ConfirmBar(BASE_POINT_SIZE)
        self.confirm_bar.accepted.connect(self.schedule_move)
        self.confirm_bar.rejected.connect(self.table.setFocus)
        self.confirm_bar.typed.connect(self.start_scan)
        self.offcut_bar = OffcutBar(BASE_POINT_SIZE)
        self.offcut_bar.typed.connect(self.start_scan)
        self.offcut_bar.closed.connect(self.scan.setFocus)
        self.undo_bar = QFrame(objectName="workshopUndoBar")
        self.undo_bar.setStyleSheet("#workshopUndoBar { background: #fff3c4; border-radius: 8px; }")
        self.undo_label = QLabel(objectName="workshopUndoText")
        self.undo_button = QPushButton("Отменить", objectName="workshopUndo")
        self.undo_button.setMinimumSize(220, 64)
        for widget in (self.undo_label, self.undo_button):
            widget.setFont(font)  # not inherited inside a styled frame
        self.undo_button.clicked.connect(self.cancel_pending)
        bar = QHBoxLayout(self.undo_bar)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.status = QLabel(objectName="workshopStatus")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.confirm_bar)
        layout.addWidget(self.offcut_bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.status)

        # the move commits when undo_timer fires; tick only updates the countdown
        self.undo_timer = QTimer(self, objectName="workshopUndoTimer", singleShot=True,
                                 interval=UNDO_SECONDS * 1000)
        self.undo_timer.timeout.connect(self.commit_pending)
        self.tick = QTimer(self, objectName="workshopUndoTick", interval=1000)
        self.tick.timeout.connect(self._count_down)
        window.changed.connect(self.on_changed)
        self.refresh()

    # --- the list
    def on_changed(self, changes: Changes) -> None:
        if changes.touches(WORKSHOP_QUEUE, (row.deal_id for row in self.model.rows)):
            self.refresh()

    def refresh(self) -> None:
        """Reload the orders, keeping the selected order selected."""
        selected = self.current_row()
        self.model.set_rows(workshop_orders())
        self.status.setText(f"Заказов в работе: {len(self.model.rows)}")
        if selected is not None:
            self.select_deal(selected.deal_id)

    def page(self, step: int) -> None:
        """▲ / ▼: scroll the list by a page (its visible height) up or down."""
        bar = self.table.verticalScrollBar()
        bar.setValue(bar.value() + step * max(bar.pageStep(), 1))
        self._show_page_buttons()

    def _show_page_buttons(self) -> None:
        bar = self.table.verticalScrollBar()
        self.page_buttons["up"].setEnabled(bar.value() > bar.minimum())
        self.page_buttons["down"].setEnabled(bar.value() < bar.maximum())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_page_buttons()

    def current_row(self) -> OrderRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select_deal(self, deal_id: int) -> bool:
        row = self.model.row_of_deal(deal_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def start_scan(self, text: str) -> None:
        """Keys typed outside the field (a scanner while a question is open) go into the field."""
        self.scan.setFocus()
        self.scan.insert(text)

    def jump_to_scanned(self) -> None:
        """Select the order whose number was typed or scanned (the list takes the focus), or show the
        offcut whose label was scanned (the field keeps it, for the next scan)."""
        text = self.scan.text()
        self.scan.clear()
        self.confirm_bar.drop()  # a question about another order is not answered by a scan
        self.offcut_bar.close_bar()
        offcut_no = parse_offcut_code(text)
        if offcut_no is not None:
            self.show_offcut(offcut_no)
            return
        order_no = parse_order_no(text)
        row = self.model.row_of_order(order_no) if order_no is not None else None
        if row is None:
            self.status.setText(f"Заказ «{text.strip()}» не найден среди заказов в работе")
            return
        self.select_deal(self.model.rows[row].deal_id)
        self.table.setFocus()
        self.status.setText(f"Заказ №{order_no}: Enter или касание — следующая операция")

    def show_offcut(self, number: int) -> None:
        """The offcut numbered ``number`` in the bar, or why there is none in the status line."""
        try:
            found = offcuts.scanned_offcut(number)
        except NotFoundError as error:
            self.status.setText(str(error))
            self.scan.setFocus()
            return
        self.offcut_bar.show_offcut(found)
        self.status.setText(f"Остаток №{number}: {self.offcut_bar.state.text()}")
        self.scan.setFocus()

    # --- moving on, with a few seconds to undo
    def advance_row(self, row_index: int) -> None:
        """Ask in the confirmation bar whether the order in ``row_index`` moves to its next operation."""
        if 0 <= row_index < len(self.model.rows) and self.model.rows[row_index].next_stage is not None:
            self.offcut_bar.close_bar()
            self.confirm_bar.ask(self.model.rows[row_index])

    def schedule_move(self, row: OrderRow) -> None:
        """«Да, перевести»: the move of ``row`` waits ``UNDO_SECONDS`` for «Отменить»."""
        self.commit_pending()  # an earlier move still waiting goes through first
        self.pending = PendingMove(row.deal_id, row.order_no, row.stage, row.next_stage.code, row.version)
        self.remaining = UNDO_SECONDS
        self._show_pending()
        self.undo_bar.show()
        self.undo_timer.start()
        self.tick.start()
        self.table.setFocus()

    def _show_pending(self) -> None:
        move = self.pending
        self.undo_label.setText(f"Заказ №{move.order_no} → «{pipeline.stage(move.to_stage).name}» "
                                f"через {self.remaining} с")

    def _count_down(self) -> None:
        if self.pending is not None and self.remaining > 1:
            self.remaining -= 1
            self._show_pending()

    def _stop(self) -> PendingMove | None:
        move, self.pending = self.pending, None
        self.undo_timer.stop()
        self.tick.stop()
        self.undo_bar.hide()
        return move

    def cancel_pending(self) -> None:
        """«Отменить»: the waiting move does not happen."""
        move = self._stop()
        if move is not None:
            self.status.setText(f"Перевод заказа №{move.order_no} отменён")

    def commit_pending(self) -> None:
        """Carry out the waiting move (when the undo time is over, or before another one)."""
        move = self._stop()
        if move is None:
            return
        moved = self.window_.action_runner.run(
            self, "Перевод не выполнен", lambda: deals.move_deal(move.deal_id, move.to_stage, self.window_.user,
                                                                expected_version=move.version))
        if moved is None:
            self.refresh()  # another PC moved it first: show where the orders are now
        else:
            self.status.setText(f"Заказ №{move.order_no}: {pipeline.stage(move.to_stage).name}")

    def hideEvent(self, event) -> None:
        """Closing the window carries out a move still waiting: nothing the chief did is lost."""
        self.commit_pending()
        super().hideEvent(event)
