"""Paints board cards of a fixed height from the column model's card data (no widget per card).

The texts are computed at paint time from the shop's clock, so «Сегодня» turns into «Вчера» and
a task turns red without reloading anything: the board only repaints once a minute. A painted card
is kept as a pixmap for the rest of the minute (a search or a move mostly shows cards painted a
keystroke before: drawing a pixmap is 200 times quicker than drawing the card's texts).
"""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.domain import board_text, clock, pipeline
from app.domain.board_text import TaskState
from app.domain.money import format_rub
from app.queries.board import CardData
from ui.board.column_model import Roles

CARD_HEIGHT = 92
MIN_CARD_WIDTH = 160
MARGIN_X, MARGIN_Y, PAD = 6, 3, 9
LINE = 18
PIXMAP_BUDGET = 24 * 1024 * 1024  # bytes of painted cards kept (about 250 cards of a usual width)
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

INK = QColor("#1f2d3d")
MUTED = QColor("#7a8694")
BORDER = QColor("#dde2e8")
SELECTED_FILL = QColor("#e7f0fd")
SELECTED_BORDER = QColor("#3b82f6")
STALE = QColor("#e8912d")
TASK_COLOURS = {TaskState.NONE: QColor("#d98b0b"), TaskState.PLANNED: QColor("#4b8b3b"),
                TaskState.OVERDUE: QColor("#d93025")}


class CardDelegate(QStyledItemDelegate):
    """One shared delegate for every column; ``stale_days`` maps stage codes to thresholds."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.stale_days: dict[str, int] = {}
        self._texts: dict[tuple, dict[str, str]] = {}  # card texts of the current minute
        self._minute = None
        self._fonts: dict[str, tuple[QFont, QFont, QFont]] = {}
        self._pixmaps: OrderedDict[tuple, QPixmap] = OrderedDict()  # painted cards of the current minute
        self._pixmap_bytes = 0

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(MIN_CARD_WIDTH, CARD_HEIGHT)  # the list view stretches cards to its width

    def card_texts(self, card: CardData) -> dict[str, str]:
        """What the card shows, by part (also used by tests); kept for the current minute."""
        now = clock.now()
        minute = now.replace(second=0)
        if minute != self._minute:
            self._texts, self._minute = {}, minute
            self._pixmaps.clear()
            self._pixmap_bytes = 0
        texts = self._texts.get(self._key(card))
        if texts is None:
            texts = self._texts[self._key(card)] = self._compute_texts(card, now)
        return texts

    def _key(self, card: CardData) -> tuple:
        """What a card's texts depend on (besides the minute)."""
        return (card.deal_id, card.version, card.stage, card.stage_entered_at, tuple(card.tasks),
                card.contact_name, card.name, card.imported_from, self.stale_days.get(card.stage, 0))

    def _compute_texts(self, card: CardData, now) -> dict[str, str]:
        state = board_text.task_state(card.tasks, now)
        stale = board_text.stale_days(card.stage_entered_at, self.stale_days.get(card.stage, 0), now)
        return {
            "contact": card.contact_name,
            "name": card.name,
            "budget": format_rub(card.budget),
            "imported": f"импорт {card.imported_from}" if card.imported_from else "",
            "date": board_text.card_date(card.created_at, now),
            "order": f"№{card.order_no}",
            "stage": pipeline.stage(card.stage).name,
            "task": state.text,
            "task_kind": state.kind,
            "stale": board_text.stale_text(stale) if stale is not None else "",
        }

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card = index.data(Roles.CARD)
        if card is None:
            return
        texts = self.card_texts(card)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        folded = len(getattr(index.model(), "stages", ())) > 1  # a group column names the stage
        ratio = painter.device().devicePixelRatioF()
        key = (self._key(card), option.rect.size().toTuple(), selected, folded, option.font.key(), ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(option.rect.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            card_painter = QPainter(pixmap)
            self._paint_card(card_painter, QRect(0, 0, option.rect.width(), option.rect.height()), option.font,
                             texts, selected, folded)
            card_painter.end()
            self._keep(key, pixmap)
        else:
            self._pixmaps.move_to_end(key)
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def _keep(self, key: tuple, pixmap: QPixmap) -> None:
        """Remember a painted card, forgetting the least recently drawn ones over the budget."""
        self._pixmaps[key] = pixmap
        self._pixmap_bytes += pixmap.width() * pixmap.height() * 4
        while self._pixmap_bytes > PIXMAP_BUDGET and len(self._pixmaps) > 1:
            _, old = self._pixmaps.popitem(last=False)
            self._pixmap_bytes -= old.width() * old.height() * 4

    def _paint_card(self, painter: QPainter, rect: QRect, font: QFont, texts: dict[str, str], selected: bool,
                    folded: bool) -> None:
        """Draw a card with ``texts`` into ``rect``."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        painter.setPen(QPen(SELECTED_BORDER if selected else BORDER, 1.5 if selected else 1))
        painter.setBrush(SELECTED_FILL if selected else QColor("white"))
        painter.drawRoundedRect(box, 6, 6)
        if texts["stale"]:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(STALE)
            painter.drawRoundedRect(QRect(box.left(), box.top() + 6, 4, box.height() - 12), 2, 2)
        inner = box.adjusted(PAD, PAD - 3, -PAD, -PAD + 3)
        base, small, bold = self._fonts_for(font)

        def line(number: int) -> QRect:
            return QRect(inner.left(), inner.top() + number * LINE, inner.width(), LINE)

        right_date = self._draw(painter, small, MUTED, line(0), texts["date"], RIGHT)
        self._draw(painter, small, MUTED, line(0).adjusted(0, 0, -right_date - 8, 0), texts["contact"])
        self._draw(painter, bold, INK, line(1), texts["name"])
        order = texts["order"] + (f" · {texts['stage']}" if folded else "")
        right_order = self._draw(painter, small, MUTED, line(2), order, RIGHT)
        budget_line = line(2).adjusted(0, 0, -right_order - 8, 0)
        right_budget = self._draw(painter, base, INK, budget_line, texts["budget"])
        if texts["imported"]:  # «0 руб · импорт krovatispb@gmail.com», as the shop's old CRM showed it
            self._draw(painter, small, MUTED, budget_line.adjusted(right_budget + 6, 0, 0, 0),
                       "· " + texts["imported"])
        task_colour = TASK_COLOURS[texts["task_kind"]]
        dot = QRect(inner.left(), line(3).center().y() - 3, 7, 7)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(task_colour)
        painter.drawEllipse(dot)
        task_font = bold if texts["task_kind"] == TaskState.OVERDUE else small
        task_text = ("Просрочено: " if texts["task_kind"] == TaskState.OVERDUE else "") + texts["task"]
        width = self._draw(painter, task_font, task_colour, line(3).adjusted(12, 0, 0, 0), task_text)
        if texts["stale"]:
            self._draw(painter, small, STALE, line(3).adjusted(12 + width + 8, 0, 0, 0), texts["stale"], RIGHT)

    def _fonts_for(self, font: QFont) -> tuple[QFont, QFont, QFont]:
        """The card's normal, small and bold fonts for the view's ``font`` (made once)."""
        key = font.key()
        if key not in self._fonts:
            base = QFont(font)
            small = QFont(base)
            small.setPointSizeF(base.pointSizeF() * 0.88)
            bold = QFont(base)
            bold.setBold(True)
            self._fonts[key] = (base, small, bold)
        return self._fonts[key]

    @staticmethod
    def _draw(painter: QPainter, font: QFont, colour: QColor, rect: QRect, text: str,
              align: Qt.AlignmentFlag = LEFT) -> int:
        """Draw ``text`` elided into ``rect``; returns the width it took."""
        painter.setFont(font)
        metrics = painter.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(rect.width(), 0))
        painter.setPen(colour)
        painter.drawText(rect, align, shown)
        return metrics.horizontalAdvance(shown)
