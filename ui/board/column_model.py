"""An id-only list model of one board column, paged from the database with fetchMore.

The model holds deal ids in display order and, beside them, the card data of the loaded ids
(read in a fixed number of queries per page). Drag and drop carries ids in ``MIME_TYPE``; a drop
asks the board's mover to move the deals through the domain service and never inserts or removes
rows itself: the column refreshes from the database when the move is announced.
"""
from __future__ import annotations

import json
from enum import IntEnum
from typing import Callable

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from app.queries import board as bq
from app.queries.board import BoardFilter, CardData, Cursor

MIME_TYPE = "application/x-manya-deal-ids"
CARD_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
              | Qt.ItemFlag.ItemNeverHasChildren)  # built once: PySide's enum arithmetic is slow Python

Index = QModelIndex | QPersistentModelIndex
Mover = Callable[[list[int], str], bool]  # (deal ids, target stage) -> anything moved


class Roles(IntEnum):
    DEAL_ID = Qt.ItemDataRole.UserRole + 1
    CARD = Qt.ItemDataRole.UserRole + 2


def encode_ids(deal_ids: list[int]) -> QMimeData:
    """Mime data carrying ``deal_ids``."""
    mime = QMimeData()
    mime.setData(MIME_TYPE, QByteArray(json.dumps(deal_ids).encode()))
    return mime


def decode_ids(mime: QMimeData) -> list[int]:
    """The deal ids in ``mime`` (empty when it carries none)."""
    if not mime.hasFormat(MIME_TYPE):
        return []
    try:
        ids = json.loads(bytes(mime.data(MIME_TYPE).data()).decode())
    except ValueError:
        return []
    return [int(deal_id) for deal_id in ids if isinstance(deal_id, int)]


class ColumnModel(QAbstractListModel):
    """The deals of ``stages`` under a filter, newest change first."""

    def __init__(self, stages: tuple[str, ...], mover: Mover | None = None, parent=None,
                 page_size: int = bq.PAGE_SIZE) -> None:
        super().__init__(parent)
        self.stages = stages
        self.mover = mover
        self.page_size = page_size
        self.first_page = page_size  # rows of the first page the board read (what a refresh re-reads at least)
        self.filter = BoardFilter()
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}
        self._cards: dict[int, CardData] = {}
        self._cursor: Cursor | None = None

    @property
    def target_stage(self) -> str:
        """Where a drop on this column moves a deal (the first stage of a folded group)."""
        return self.stages[0]

    # reading ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        deal_id = self._ids[index.row()]
        card = self._cards.get(deal_id)
        if role == Roles.DEAL_ID:
            return deal_id
        if role == Roles.CARD:
            return card
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"№{card.order_no} {card.name}" if card else ""
        if role == Qt.ItemDataRole.ToolTipRole and card is not None:
            return f"{card.contact_name}\n{card.name}" if card.contact_name else card.name
        return None

    def deal_ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, deal_id: int) -> int | None:
        return self._rows.get(deal_id)

    def card(self, deal_id: int) -> CardData | None:
        return self._cards.get(deal_id)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._cursor is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._cursor is None:
            return
        ids, cursor = bq.page(self.stages, self.filter, self._cursor, self.page_size)
        ids = [deal_id for deal_id in ids if deal_id not in self._rows]
        cards = bq.cards(ids)
        self._cursor = cursor
        if not ids:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids += ids
        self._rows.update((deal_id, first + n) for n, deal_id in enumerate(ids))
        self._cards.update(cards)
        self.endInsertRows()

    # reloading -------------------------------------------------------------------------------
    def set_filter(self, flt: BoardFilter) -> None:
        """Show the deals matching ``flt``, from the first page."""
        self.filter = flt
        self.first_page = self.page_size
        self._load(self.page_size)

    def show_page(self, flt: BoardFilter, ids: list[int], cursor: Cursor | None,
                  cards: dict[int, CardData], limit: int | None = None) -> None:
        """Show a first page of ``limit`` rows (default ``page_size``) the board read for all
        columns at once (``bq.first_pages``); more come page by page as the view scrolls."""
        self.filter = flt
        self.first_page = self.page_size if limit is None else limit
        self._replace(ids, cursor, cards)

    def reload(self) -> None:
        """Drop what is loaded and read the first page again."""
        self._load(self.page_size)

    def refresh_request(self) -> tuple[tuple[str, ...], BoardFilter, int]:
        """What ``refresh`` reads: the stages, the filter, as many rows as are loaded."""
        return self.stages, self.filter, max(len(self._ids), self.first_page)

    def stale(self, ids: list[int], changed: set[int] | frozenset[int] | None) -> list[int]:
        """Of a refreshed page's ``ids``, those whose card data must be read again."""
        return [i for i in ids if changed is None or i in changed or i not in self._cards]

    def refresh(self, changed: set[int] | frozenset[int] | None = None,
                read: tuple[list[int], Cursor | None, dict[int, CardData]] | None = None) -> bool:
        """Re-read as many rows as are loaded; card data is re-read for new rows and for the
        ``changed`` deals (all when None). ``read``: the page and the stale cards, when the board
        has read them for several columns at once. Returns True when the rows changed (a reset: the
        view restores scroll and selection), False when only card contents were updated."""
        if read is None:
            stages, flt, wanted = self.refresh_request()
            ids, cursor = bq.page(stages, flt, None, wanted)
            fresh = bq.cards(self.stale(ids, changed))
        else:
            ids, cursor, fresh = read
        stale = self.stale(ids, changed)
        cards = {**{i: self._cards[i] for i in ids if i in self._cards}, **{i: fresh[i] for i in stale if i in fresh}}
        if ids == self._ids:
            self._cursor = cursor
            self._cards = cards
            if ids:
                self.dataChanged.emit(self.index(0), self.index(len(ids) - 1))
            return False
        self._replace(ids, cursor, cards)
        return True

    def _load(self, count: int) -> None:
        ids, cursor = bq.page(self.stages, self.filter, None, count)
        self._replace(ids, cursor, bq.cards(ids))

    def _replace(self, ids: list[int], cursor: Cursor | None, cards: dict[int, CardData]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = {deal_id: row for row, deal_id in enumerate(ids)}
        self._cards = cards
        self._cursor = cursor
        self.endResetModel()

    # drag and drop ---------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        return CARD_FLAGS if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[Index]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return encode_ids([self._ids[row] for row in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def _arriving(self, data: QMimeData) -> list[int]:
        """The dropped deals that are not in this column already (a card dropped back on its own
        column, e.g. «Распил» inside the folded «Производство», must not move)."""
        return [deal_id for deal_id in decode_ids(data)
                if deal_id not in self._cards or self._cards[deal_id].stage not in self.stages]

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self.mover is not None and bool(self._arriving(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        """Move the dropped deals here through the domain; the rows come from the refresh."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        ids = self._arriving(data)
        if self.mover is None or not ids:
            return False
        return self.mover(ids, self.target_stage)

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        """Never: Qt would call this after a MoveAction drop; only the database removes cards."""
        return False
