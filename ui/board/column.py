"""One board column: a header (colour strip, name, totals) over a list view of cards."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QFont, QKeyEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.domain import board_text, pipeline
from ui.board.column_model import ColumnModel, Roles

GROUP_COLOURS = {pipeline.SALES: "#3b82f6", pipeline.PRODUCTION: "#f59e0b"}
NEW_COLOUR, WON_COLOUR, LOST_COLOUR, GATE_COLOUR = "#94a3b8", "#16a34a", "#dc2626", "#8b5cf6"


def stage_colour(code: str) -> QColor:
    """The colour strip of a stage's header: grey for new leads, blue sales, violet gates,
    amber production, green won, red lost."""
    stage = pipeline.stage(code)
    if stage.won:
        return QColor(WON_COLOUR)
    if stage.lost:
        return QColor(LOST_COLOUR)
    if code == pipeline.FIRST_STAGE.code:
        return QColor(NEW_COLOUR)
    if stage.gate:
        return QColor(GATE_COLOUR)
    return QColor(GROUP_COLOURS.get(stage.group, NEW_COLOUR))


class ColumnHeader(QWidget):
    """Name and totals of a column, painted under a colour strip; a fold button when foldable."""

    fold_clicked = Signal()
    menu_requested = Signal(QPoint)
    HEIGHT = 58

    def __init__(self, title: str, colour: QColor, parent: QWidget | None = None, foldable: str = "") -> None:
        super().__init__(parent)
        self.title, self.colour = title, colour
        self.totals_text = ""
        self.setFixedHeight(self.HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self.menu_requested)
        self.fold_button: QToolButton | None = None
        if foldable:
            self.fold_button = QToolButton(self, objectName="foldButton", text=foldable, autoRaise=True)
            self.fold_button.setToolTip("Свернуть или развернуть этапы цеха в одну колонку «Производство»")
            self.fold_button.clicked.connect(self.fold_clicked)

    def set_totals(self, count: int, budget: int) -> None:
        self.totals_text = board_text.column_totals(count, budget)
        self.setToolTip(f"{self.title}\n{self.totals_text}")
        self.update()

    def resizeEvent(self, event) -> None:
        if self.fold_button is not None:
            self.fold_button.move(self.width() - self.fold_button.sizeHint().width() - 4, 10)
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.rect().adjusted(6, 4, -6, -4)
        painter.setPen(QColor("#dde2e8"))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        painter.drawRoundedRect(QRect(box.left(), box.top(), box.width(), 4), 2, 2)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setCapitalization(QFont.Capitalization.AllUppercase)
        title_font.setPointSizeF(self.font().pointSizeF() * 0.92)
        painter.setFont(title_font)
        painter.setPen(QColor("#1f2d3d"))
        reserve = self.fold_button.sizeHint().width() + 4 if self.fold_button else 0
        title_rect = QRect(box.left() + 10, box.top() + 9, box.width() - 20 - reserve, 20)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                          title_rect.width()))
        painter.setFont(self.font())
        painter.setPen(QColor("#7a8694"))
        painter.drawText(QRect(box.left() + 10, box.top() + 29, box.width() - 20, 18),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.totals_text)


class CardListView(QListView):
    """A column's cards: extended selection, drag and drop of deal ids, keyboard moves.

    ``startDrag`` is ours so that Qt never removes a card after a MoveAction drop; the cards
    move when the board refreshes from the database.
    """

    open_requested = Signal(int)  # deal id
    step_requested = Signal(int)  # -1 / +1: move the selected cards one column left / right
    menu_requested = Signal(QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.customContextMenuRequested.connect(self.menu_requested)
        self.doubleClicked.connect(self._open_index)

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        return [self.model().index(row).data(Roles.DEAL_ID) for row in rows]

    def select_ids(self, deal_ids: list[int], current: int | None) -> None:
        """Select the cards of ``deal_ids`` that are still in the column."""
        model: ColumnModel = self.model()
        selection = self.selectionModel()
        selection.clearSelection()
        for deal_id in deal_ids:
            row = model.row_of(deal_id)
            if row is not None:
                selection.select(model.index(row), QItemSelectionModel.SelectionFlag.Select)
        row = model.row_of(current) if current is not None else None
        if row is not None:
            selection.setCurrentIndex(model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)

    def _open_index(self, index) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(Roles.DEAL_ID))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
        elif ctrl and event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            self.step_requested.emit(1 if event.key() == Qt.Key.Key_Right else -1)
        else:
            super().keyPressEvent(event)

    def startDrag(self, supported: Qt.DropAction) -> None:
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.setPixmap(self._drag_pixmap(len(indexes)))
        drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)  # nothing is removed here

    def _drag_pixmap(self, count: int) -> QPixmap:
        index = self.currentIndex() if self.currentIndex().isValid() else self.selectionModel().selectedIndexes()[0]
        rect = self.visualRect(index)
        pixmap = self.viewport().grab(rect)
        if count > 1:
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QColor("#3b82f6"))
            painter.setPen(Qt.PenStyle.NoPen)
            badge = QRect(pixmap.width() - 34, 4, 28, 20)
            painter.drawRoundedRect(badge, 10, 10)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count))
            painter.end()
        return pixmap


class ColumnWidget(QFrame):
    """Header + cards of one stage (or of the folded «Производство» group, key ``production_group``)."""

    def __init__(self, key: str, title: str, model: ColumnModel, delegate, colour: QColor,
                 parent: QWidget | None = None, foldable: str = "", top: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"column_{key}")
        self.model = model
        self.header = ColumnHeader(title, colour, self, foldable)
        self.view = CardListView(self)
        self.view.setObjectName(f"cards_{key}")
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        if top is not None:
            layout.addWidget(top)
        layout.addWidget(self.view, 1)

    @property
    def stages(self) -> tuple[str, ...]:
        return self.model.stages

    def refresh(self, changed: frozenset[int] | None = None, read=None) -> None:
        """Re-read the cards (card data of ``changed`` deals, all when None), keeping the scroll
        position and the selected cards; ``read``: what the board read for it (ColumnModel.refresh)."""
        selected, current = self.view.selected_ids(), self.view.currentIndex().data(Roles.DEAL_ID)
        scroll = self.view.verticalScrollBar().value()
        if self.model.refresh(changed, read):
            self.view.select_ids(selected, current)
            self.view.doItemsLayout()  # the scroll range first, then the old position
            self.view.verticalScrollBar().setValue(scroll)

    def sizeHint(self) -> QSize:
        return QSize(270, 600)
