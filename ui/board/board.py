"""The board: the filter bar over a horizontal strip of stage columns.

Moves (drop, Ctrl+←/→, the context menu) go through ``app.services.board_moves``; a gated stage
asks for the missing fields through ``gate_form.ask_gate_values`` (the deal card's gate form; the one
seam tests patch).
After every announced change only the affected columns re-read, keeping scroll and selection.
Column widths, the folded workshop and hidden closed stages are remembered per PC (QSettings).
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCursor, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMenu, QScrollArea, QVBoxLayout, QWidget

from app.domain import pipeline
from app.domain.changes import Changes
from app.domain.errors import GateError
from app.queries import board as board_queries
from app.queries.board import BoardFilter
from app.services import board_moves, permissions, stale
from app.services.board_moves import MoveRecord
from ui.board.card_delegate import CARD_HEIGHT, CardDelegate
from ui.board.column import ColumnWidget, stage_colour
from ui.board.column_model import ColumnModel
from ui.board.filter_bar import FilterBar
from ui.board.quick_add import QuickAdd
from ui.board.undo_bar import UndoBar, describe_undone
from ui.common import msgbox
from ui.deal import gate_form

GROUP_KEY = "production_group"
PRODUCTION_GROUP = ("production", *pipeline.WORKSHOP_STAGES)
DEFAULT_WIDTH, MIN_WIDTH = 262, 190
REPAINT_MS = 60_000
UNDONE_MESSAGE_MS = 8000  # how long the status bar says what an undo undid
FOLD_TEXT, UNFOLD_TEXT = "◂▸", "▸◂"
BOARD_STYLE = """
#boardStrip, #boardScroll { background: #eef1f5; }
QListView { background: transparent; }
QListView QScrollBar:vertical { background: transparent; width: 8px; margin: 0; }
QListView QScrollBar::handle:vertical { background: #c3cad4; border-radius: 4px; min-height: 32px; }
QListView QScrollBar::add-line:vertical, QListView QScrollBar::sub-line:vertical { height: 0; }
QListView QScrollBar::add-page:vertical, QListView QScrollBar::sub-page:vertical { background: none; }
"""


def column_specs(folded: bool, hide_closed: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, title, stages) of the board's columns in board order."""
    specs = []
    for stage in pipeline.STAGES:
        if hide_closed and stage.is_closed:
            continue
        if folded and stage.code in PRODUCTION_GROUP:
            if stage.code == PRODUCTION_GROUP[0]:
                specs.append((GROUP_KEY, "Производство (цех)", PRODUCTION_GROUP))
            continue
        specs.append((stage.code, stage.name, (stage.code,)))
    return specs


class ColumnGrip(QWidget):
    """The thin handle right of a column: drag it to change the column's width."""

    def __init__(self, column: ColumnWidget, on_resized, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column, self.on_resized = column, on_resized
        self.setObjectName(f"grip_{column.key}")
        self.setFixedWidth(6)
        self.setCursor(Qt.CursorShape.SplitHCursor)
        self._start: tuple[float, int] | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._start = (event.globalPosition().x(), self.column.width())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None:
            x, width = self._start
            self.column.setFixedWidth(max(MIN_WIDTH, int(width + event.globalPosition().x() - x)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._start = None
        self.on_resized(self.column)


class BoardWidget(QWidget):
    """The kanban board of ``window`` (a MainWindow: user, announce, changed, open_deal)."""

    def __init__(self, window, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board")
        self.window_ = window
        self.settings = settings if settings is not None else QSettings()
        self.filter = BoardFilter()
        self.delegate = CardDelegate(self)
        self.columns: dict[str, ColumnWidget] = {}
        self.filters = FilterBar(window.user.id, self)
        self.filters.fold.setChecked(self._setting("fold_production"))
        self.filters.hide_closed.setChecked(self._setting("hide_closed"))
        self.strip = QWidget(objectName="boardStrip")
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(6, 4, 6, 4)
        self.strip_layout.setSpacing(0)
        self.scroll = QScrollArea(objectName="boardScroll", widgetResizable=True)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.strip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.scroll, 1)
        self.setStyleSheet(BOARD_STYLE)
        self.undo_bar = UndoBar(self.undo, self)
        window.statusBar().addWidget(self.undo_bar)
        self.clock_timer = QTimer(self, objectName="boardClock", interval=REPAINT_MS)
        self.clock_timer.timeout.connect(self.repaint_cards)
        self.clock_timer.start()
        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_bar.undo)
        self.filters.filter_changed.connect(self.set_filter)
        self.filters.fold.toggled.connect(self.set_folded)
        self.filters.hide_closed.toggled.connect(self.set_hide_closed)
        window.changed.connect(self.on_changed)
        self.build_columns()

    # settings ----------------------------------------------------------------------------------
    def _setting(self, name: str) -> bool:
        return self.settings.value(f"board/{name}", False, type=bool)

    def _save_width(self, column: ColumnWidget) -> None:
        self.settings.setValue(f"board/width/{column.key}", column.width())

    def set_folded(self, folded: bool) -> None:
        """Fold the workshop stages into one «Производство» column, or unfold them."""
        self.settings.setValue("board/fold_production", folded)
        if self.filters.fold.isChecked() != folded:
            self.filters.fold.setChecked(folded)
        self.build_columns()

    def set_hide_closed(self, hidden: bool) -> None:
        self.settings.setValue("board/hide_closed", hidden)
        self.build_columns()

    # columns -----------------------------------------------------------------------------------
    def build_columns(self) -> None:
        """(Re)create the columns for the current folds, then read them."""
        while self.strip_layout.count():
            item = self.strip_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.columns = {}
        folded = self.filters.fold.isChecked()
        for key, title, stages in column_specs(folded, self.filters.hide_closed.isChecked()):
            model = ColumnModel(stages, self.move_deals)
            foldable = (UNFOLD_TEXT if folded else FOLD_TEXT) if key in (GROUP_KEY, "production") else ""
            top = QuickAdd(self.window_) if key == pipeline.FIRST_STAGE.code else None
            column = ColumnWidget(key, title, model, self.delegate, stage_colour(stages[0]), self.strip,
                                  foldable, top)
            column.header.fold_clicked.connect(lambda: self.set_folded(not self.filters.fold.isChecked()))
            column.setFixedWidth(int(self.settings.value(f"board/width/{key}", DEFAULT_WIDTH)))
            column.view.open_requested.connect(self.open_deal)
            column.view.step_requested.connect(lambda step, c=column: self.step(c, step))
            column.view.menu_requested.connect(lambda pos, c=column: self.show_menu(c, pos))
            column.header.menu_requested.connect(lambda pos, c=column: self.header_menu(c).exec(QCursor.pos()))
            self.strip_layout.addWidget(column)
            self.strip_layout.addWidget(ColumnGrip(column, self._save_width, self.strip))
            self.columns[key] = column
        self.strip_layout.addStretch(1)
        self.reload()

    def visible_columns(self) -> list[ColumnWidget]:
        return list(self.columns.values())

    def column(self, key: str) -> ColumnWidget:
        return self.columns[key]

    def column_of_stage(self, stage_code: str) -> ColumnWidget | None:
        return next((c for c in self.columns.values() if stage_code in c.stages), None)

    def _show_totals(self, columns: list[ColumnWidget]) -> dict[str, board_queries.Totals]:
        stages = tuple(code for column in columns for code in column.stages)
        found = board_queries.totals(stages, self.filter) if stages else {}
        for column in columns:
            parts = [found[code] for code in column.stages]
            column.header.set_totals(sum(p.count for p in parts), sum(p.budget for p in parts))
        return found

    def first_page_rows(self) -> int:
        """Cards a first page reads per column: what the tallest column can show (on this
        screen, or in the board as it is now) and two more; scrolling reads the next pages."""
        height = max(self.screen().availableGeometry().height(), self.scroll.viewport().height())
        return min(board_queries.PAGE_SIZE, height // CARD_HEIGHT + 2)

    def reload(self) -> None:
        """Read every column from the first page (after a filter or fold change)."""
        self.delegate.stale_days = stale.thresholds()
        columns = self.visible_columns()
        found = self._show_totals(columns)
        limit = self.first_page_rows()
        pages = board_queries.first_pages([column.stages for column in columns], self.filter, limit, found=found)
        cards = board_queries.cards([deal_id for ids, _ in pages for deal_id in ids])
        for column, (ids, cursor) in zip(columns, pages):
            column.model.show_page(self.filter, ids, cursor, {i: cards[i] for i in ids if i in cards}, limit)

    def refresh(self, columns: list[ColumnWidget] | None = None, changed: frozenset[int] | None = None) -> None:
        """Re-read ``columns`` (default all; card data of the ``changed`` deals, default all),
        keeping their scroll position and selection."""
        columns = self.visible_columns() if columns is None else columns
        self._show_totals(columns)
        if len(columns) == 1:
            columns[0].refresh(changed)
            return
        # the pages of all of them in one query, their stale cards in one more
        pages = board_queries.pages([column.model.refresh_request() for column in columns])
        stale = [i for column, (ids, _) in zip(columns, pages) for i in column.model.stale(ids, changed)]
        cards = board_queries.cards(list(dict.fromkeys(stale)))
        for column, (ids, cursor) in zip(columns, pages):
            column.refresh(changed, (ids, cursor, cards))

    def set_filter(self, flt: BoardFilter) -> None:
        self.filter = flt
        self.reload()

    def repaint_cards(self) -> None:
        """Card texts depend on the time («Сегодня», overdue): repaint, no query."""
        for column in self.columns.values():
            column.view.viewport().update()

    def on_changed(self, changes: Changes) -> None:
        """Refresh the columns a change touches: those of its stages and of its deals; all of them
        when tasks of cards it does not name changed; the stale marks when the settings did."""
        if changes.settings:
            self.delegate.stale_days = stale.thresholds()
            self.repaint_cards()
        if changes.tasks and (self.filter.overdue_only or not changes.deal_ids):
            self.refresh()  # task states of unknown cards, or the overdue filter's members
            return
        affected = [column for column in self.columns.values()
                    if set(column.stages) & changes.stages
                    or any(column.model.row_of(deal_id) is not None for deal_id in changes.deal_ids)]
        if affected:
            self.refresh(affected, changes.deal_ids or None)

    # actions -----------------------------------------------------------------------------------
    def open_deal(self, deal_id: int) -> None:
        self.window_.open_deal(deal_id)

    def move_deals(self, deal_ids: list[int], stage_code: str) -> bool:
        """Move ``deal_ids`` to ``stage_code``; gated ones go through the gate form one by one.
        Announces the change and offers its undo; True when anything moved."""
        user = self.window_.user
        batch = self.window_.action_runner.run(self, "Перевод не выполнен",
                                               lambda: board_moves.move_many(deal_ids, stage_code, user))
        if batch is None:
            return False
        records = list(batch.records)
        for deal_id, refusal in batch.refused.items():
            record = self._through_gate(deal_id, stage_code, refusal)
            if record is not None:
                records.append(record)
        if batch.errors:
            msgbox.error(self, "Перевод не выполнен", "\n".join(batch.errors))
        if not records:
            return False
        self.undo_bar.offer(records)
        return True

    def _through_gate(self, deal_id: int, stage_code: str, refusal: GateError) -> MoveRecord | None:
        """Ask for the missing fields until the move goes through or the user cancels."""
        problems, typed, again = refusal.problems, None, []
        while True:
            typed = gate_form.ask_gate_values(self, deal_id, stage_code, problems, typed)
            if typed is None:
                return None
            again.clear()
            moved = self.window_.action_runner.run(
                self, "Перевод не выполнен",
                lambda: board_moves.move_recorded(deal_id, stage_code, self.window_.user, values=typed),
                refused={GateError: again.append})
            if not again:
                return None if moved is None else moved.record
            problems = again[0].problems

    def undo(self, records: list[MoveRecord]) -> None:
        """Undo the move and say in the status bar what was undone."""
        if self.window_.action_runner.run(self, "Отменить нельзя",
                                          lambda: board_moves.undo_move(records, self.window_.user)) is not None:
            self.window_.statusBar().showMessage(describe_undone(records), UNDONE_MESSAGE_MS)

    def step(self, column: ColumnWidget, step: int) -> None:
        """Ctrl+→ / Ctrl+←: move the selected cards to the next / previous column."""
        columns = self.visible_columns()
        target_index = columns.index(column) + step
        deal_ids = column.view.selected_ids()
        if not deal_ids or not 0 <= target_index < len(columns):
            return
        target = columns[target_index]
        if self.move_deals(deal_ids, target.model.target_stage):
            target.view.select_ids(deal_ids, deal_ids[0])
            target.view.setFocus()

    def context_menu(self, column: ColumnWidget) -> QMenu:
        """«Открыть сделку», «Перевести на этап…» (every stage) and the undo of the last move."""
        menu = QMenu(self)
        deal_ids = column.view.selected_ids()
        open_action = menu.addAction("Открыть сделку")
        open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        open_action.setEnabled(len(deal_ids) == 1)
        open_action.triggered.connect(lambda: self.open_deal(deal_ids[0]))
        moves = menu.addMenu("Перевести на этап…")
        moves.setEnabled(bool(deal_ids))
        user = self.window_.user
        for stage in pipeline.STAGES:
            action: QAction = moves.addAction(stage.name)
            action.setEnabled((len(column.stages) > 1 or stage.code not in column.stages)
                              and permissions.allowed(user, permissions.move_action(stage.code)))
            action.triggered.connect(lambda _=False, code=stage.code: self.move_deals(deal_ids, code))
        undo = menu.addAction("Отменить последний перевод")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setEnabled(bool(self.undo_bar.records))
        undo.triggered.connect(self.undo_bar.undo)
        return menu

    def header_menu(self, column: ColumnWidget) -> QMenu:
        """A column header's menu: the stage's stale threshold (shop-wide), fold, hide closed."""
        menu = QMenu(self)
        if len(column.stages) == 1:
            code = column.stages[0]
            days = self.delegate.stale_days.get(code, 0)
            shown = f"{days} дн" if days else "не отмечать"
            menu.addAction(f"Срок на этапе: {shown}…", lambda: self.change_stale_days(code))
        menu.addAction(self.filters.fold.text(), self.filters.fold.toggle)
        menu.addAction(self.filters.hide_closed.text(), self.filters.hide_closed.toggle)
        return menu

    def change_stale_days(self, stage_code: str) -> None:
        """Ask for the stage's stale threshold (0: never) and store it for the whole shop."""
        stage = pipeline.stage(stage_code)
        days = msgbox.ask_number(self, "Срок на этапе", f"Сколько дней сделка может быть на этапе «{stage.name}»\n"
                                 f"без отметки (0 — не отмечать):",
                                 self.delegate.stale_days.get(stage_code, stage.normal_days), 0, 365)
        if days is None:
            return
        self.window_.action_runner.run(self, "Срок не изменён", lambda: stale.set_threshold(stage_code, days))

    def show_menu(self, column: ColumnWidget, pos: QPoint) -> None:
        index = column.view.indexAt(pos)
        if index.isValid() and not column.view.selectionModel().isSelected(index):
            column.view.setCurrentIndex(index)
        self.context_menu(column).exec(QCursor.pos())
