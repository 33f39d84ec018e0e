"""The deal's feed: a list model over ``timeline.feed`` and a delegate that draws each line
(time, who, what) with a thumbnail for attached pictures; newest at the bottom."""
from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QWidget

from app.domain import clock
from app.services.timeline import FeedLine, feed
from app.store import files
from app.store.models import TimelineEntry
from ui.common.list_table_model import ListTableModel
from ui.deal.thumbnails import thumbnail, thumbnail_size

THUMB = 120
PAD = 8
KIND_NAMES = {
    TimelineEntry.STAGE: ("Этап", "#1565c0"),
    TimelineEntry.DEAL_CREATED: ("Сделка", "#6a1b9a"),
    TimelineEntry.CONTACT_CREATED: ("Контакт", "#6a1b9a"),
    TimelineEntry.TASK_CREATED: ("Задача", "#ef6c00"),
    TimelineEntry.TASK_DONE: ("Задача выполнена", "#2e7d32"),
    TimelineEntry.NOTE: ("Примечание", "#455a64"),
    TimelineEntry.FILE: ("Файл", "#00838f"),
    TimelineEntry.SMS: ("СМС", "#ad1457"),
    TimelineEntry.CHANGE: ("Изменение", "#757575"),
    TimelineEntry.MAIL_IN: ("Входящее письмо", "#0277bd"),
    TimelineEntry.MAIL_OUT: ("Письмо отправлено", "#283593"),
}


class Role(IntEnum):
    HEADER = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    PICTURE = Qt.ItemDataRole.UserRole + 3  # stored name of an attached image, or None
    ID = Qt.ItemDataRole.UserRole + 4
    LETTER = Qt.ItemDataRole.UserRole + 5  # an incoming letter's row id (it can be answered), or None
    UNCONFIRMED = Qt.ItemDataRole.UserRole + 6  # a written letter left «sending», or None


def header_of(line: FeedLine) -> str:
    """«02.06.2025 12:00 · Татьяна · Этап»."""
    when = clock.to_local(line.at).strftime("%d.%m.%Y %H:%M")
    return f"{when} · {line.user_name} · {KIND_NAMES.get(line.kind, (line.kind,))[0]}"


class FeedModel(ListTableModel):
    HEADERS = ("Событие",)

    def load(self, deal_id: int) -> None:
        self.set_rows(feed(deal_id))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        line: FeedLine | None = self.row_at(index)
        if line is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line.text
        if role == Role.HEADER:
            return header_of(line)
        if role == Role.KIND:
            return line.kind
        if role == Role.ID:
            return line.id
        if role == Role.LETTER:
            return line.letter_id
        if role == Role.UNCONFIRMED:
            return line.unconfirmed_id
        if role == Role.PICTURE:
            return line.stored_name if line.file_name and files.is_image(line.file_name) else None
        return None


class FeedDelegate(QStyledItemDelegate):
    """Header line in the kind's colour, the text wrapped, a thumbnail below for pictures."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        # (line id, width, text) -> height: a letter's line changes once, from «sending» to «sent»
        self.heights: dict[tuple[int, int, int], int] = {}

    def _fonts(self, option) -> tuple[QFont, QFont]:
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        return small, option.font

    def _text_width(self) -> int:
        return max(self.view.viewport().width() - 2 * PAD - 6, 100)

    def _text_rect(self, option, text: str) -> QRect:
        metrics = option.fontMetrics
        return metrics.boundingRect(QRect(0, 0, self._text_width(), 10_000), Qt.TextFlag.TextWordWrap, text)

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        width = self._text_width()
        key = (index.data(Role.ID), width, hash(index.data()))
        if key not in self.heights:
            height = PAD + option.fontMetrics.height() + 2 + self._text_rect(option, index.data()).height() + PAD
            picture = index.data(Role.PICTURE)
            size = thumbnail_size(picture, THUMB) if picture else None
            if size is not None:
                height += size.height() + PAD
            self.heights[key] = height
        return QSize(width + 2 * PAD, self.heights[key])

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        painter.save()
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, option.palette.color(QPalette.ColorRole.Highlight).lighter(170))
        name, colour = KIND_NAMES.get(index.data(Role.KIND), ("", "#757575"))
        painter.fillRect(QRect(rect.left(), rect.top() + 4, 4, rect.height() - 8), QColor(colour))
        small, normal = self._fonts(option)
        left, top = rect.left() + PAD + 4, rect.top() + PAD
        painter.setFont(small)
        painter.setPen(QColor(colour))
        header_height = option.fontMetrics.height()
        painter.drawText(QRect(left, top, self._text_width(), header_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, index.data(Role.HEADER))
        top += header_height + 2
        painter.setFont(normal)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        text_rect = self._text_rect(option, index.data())
        painter.drawText(QRect(left, top, self._text_width(), text_rect.height()),
                         Qt.TextFlag.TextWordWrap, index.data())
        top += text_rect.height() + PAD
        picture = index.data(Role.PICTURE)
        pixmap = thumbnail(picture, THUMB) if picture else None
        if pixmap is not None:
            painter.drawPixmap(left, top, pixmap)
            painter.setPen(QColor("#cfd8dc"))
            painter.drawRect(QRect(left, top, pixmap.width() - 1, pixmap.height() - 1))
        painter.setPen(QColor("#eceff1"))
        painter.drawLine(rect.left() + PAD, rect.bottom(), rect.right() - PAD, rect.bottom())
        painter.restore()


class FeedView(QListView):
    """The deal's timeline; ``show_deal`` reloads it and keeps the latest line in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dealTimeline")
        self.feed_model = FeedModel(self)
        self.setModel(self.feed_model)
        self.setItemDelegate(FeedDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.stick_to_latest = True

    def show_deal(self, deal_id: int) -> None:
        """Reload; the latest line stays in view unless the user scrolled up to read older ones."""
        bar = self.verticalScrollBar()
        position = bar.value()
        if self.feed_model.rowCount() == 0:
            self.stick_to_latest = True
        self.feed_model.load(deal_id)
        if not self.isVisible():
            return  # laid out (at its real width) and scrolled when shown
        self.doItemsLayout()
        if self.stick_to_latest:
            self.scrollToBottom()
        else:
            bar.setValue(position)

    stick_to_latest = True

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        bar = self.verticalScrollBar()
        self.stick_to_latest = bar.value() >= bar.maximum() - 4

    def updateGeometries(self) -> None:
        """After every layout (new lines, a resize) keep the latest line in view when stuck to it."""
        stick = self.stick_to_latest
        super().updateGeometries()
        if stick:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
            self.stick_to_latest = True

    def is_at_latest(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4
