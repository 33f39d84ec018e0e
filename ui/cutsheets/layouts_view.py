"""«Раскрой» on the cut-sheet screen: the sheet's cut layouts computed in a worker thread (with a
busy bar) and each board drawn to scale: parts labelled with their number, order and size,
reusable offcuts hatched; above them how many boards of each material (and which stored offcuts) to
take and whether fewer is impossible. «Материалы…» edits the stock boards; «Не использовать остатки»
keeps the stored offcuts out of the sheet, «Пересчитать» computes it anew with the store as it is now
(the offcuts it held released)."""
from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.documents.cut_plan import SheetPlan, boards_word, percent
from app.documents.layout_picture import BoardPicture, fit_label, picture
from app.documents.pack_data import load_sheet
from app.domain.errors import ServiceError
from app.services import cutsheets, offcuts
from app.services.label_settings import label_settings
from app.services.sheet_plans import planned_sheet
from app.store.db import database
from app.store.models import CutSheet
from ui.common import msgbox

log = logging.getLogger(__name__)

BOARD_COLOUR, PART_COLOUR, OFFCUT_COLOUR = QColor("#d9d9d9"), QColor("#f4efe3"), QColor("#8a8a8a")


class LayoutSignals(QObject):
    finished = Signal(int, object, object)  # sheet number, SheetPlan, Changes (offcuts reserved)
    failed = Signal(int, str)


class LayoutJob(QRunnable):
    """Read the sheet and the stock boards (own connection in this thread), compute the plan and
    reserve the stored offcuts it takes."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.signals = LayoutSignals()

    def run(self) -> None:
        try:
            database.connect(reuse_if_open=True)
            try:
                planned = planned_sheet(self.number)
            finally:
                database.close()
        except Exception as error:  # noqa: BLE001 - shown to the user, the program goes on
            log.exception("Layouts of cut sheet %s failed", self.number)
            self.signals.failed.emit(self.number, f"Не удалось рассчитать раскрой листа №{self.number}: {error}")
            return
        self.signals.finished.emit(self.number, planned.plan, planned.changes)


class BoardWidget(QWidget):
    """One board drawn to scale, as wide as the view."""

    def __init__(self, pic: BoardPicture, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardDrawing")
        self.picture = pic
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumWidth(300)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * self.picture.width / self.picture.length)

    def sizeHint(self) -> QSize:
        return QSize(800, self.heightForWidth(800))

    def paintEvent(self, _event) -> None:
        pic = self.picture
        scale = min((self.width() - 1) / pic.length, (self.height() - 1) / pic.width)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        def rect(x: float, y: float, sx: float, sy: float) -> QRectF:
            return QRectF(x * scale, y * scale, sx * scale, sy * scale)

        painter.setPen(QPen(Qt.GlobalColor.black, 1.2))
        painter.setBrush(BOARD_COLOUR)
        painter.drawRect(rect(0, 0, pic.length, pic.width))
        painter.setPen(QPen(QColor("#555555"), 0.6, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.GlobalColor.white)
        painter.drawRect(rect(pic.trim, pic.trim, pic.length - 2 * pic.trim, pic.width - 2 * pic.trim))
        for x, y, sx, sy in pic.offcuts:
            box = rect(x, y, sx, sy)
            painter.setPen(QPen(OFFCUT_COLOUR, 0.8))
            painter.setBrush(QBrush(OFFCUT_COLOUR, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(box)
            self._label(painter, box, [f"обрезок {sx}×{sy}"], OFFCUT_COLOUR, bold=False)
        for part in pic.parts:
            box = rect(part.x, part.y, part.size_x, part.size_y)
            painter.setPen(QPen(Qt.GlobalColor.black, 0.8))
            painter.setBrush(PART_COLOUR)
            painter.drawRect(box)
            self._label(painter, box, part.lines(), QColor(Qt.GlobalColor.black))
        painter.end()

    def _label(self, painter: QPainter, box: QRectF, lines: list[str], colour: QColor, bold: bool = True) -> None:
        font = QFont(self.font())

        def measure(text: str, size: float) -> float:
            font.setPointSizeF(size)
            font.setBold(bold)
            return QFontMetricsF(font).horizontalAdvance(text)

        leading = 1.2 * self.logicalDpiY() / 72
        lines, size, turned = fit_label(lines, box.width(), box.height(), measure, 9, 6, leading)
        if not lines:
            return
        painter.save()
        painter.translate(box.center())
        if turned:
            painter.rotate(-90)
        w, h = (box.height(), box.width()) if turned else (box.width(), box.height())
        painter.setPen(colour)
        step = size * leading
        top = -step * len(lines) / 2
        for n, line in enumerate(lines):
            font.setPointSizeF(size)
            font.setBold(bold and n == 0)
            painter.setFont(font)
            painter.drawText(QRectF(-w / 2, top + n * step, w, step), Qt.AlignmentFlag.AlignCenter, line)
        painter.restore()


class PlanView(QScrollArea):
    """The boards of a plan one under another, each with its caption."""

    def __init__(self) -> None:
        super().__init__(objectName="layoutScroll", widgetResizable=True)
        self.boards: list[BoardWidget] = []
        self.setWidget(QWidget())

    def show_plan(self, plan: SheetPlan | None) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        self.boards = []
        for m in plan.materials if plan else []:
            for k, board_layout in enumerate(m.layouts):
                caption = QLabel(f"<b>{escape(m.material)}</b> · {m.board_title(k)} · "
                                 f"{board_layout.board.length}×{board_layout.board.width} мм · "
                                 f"использование {percent(board_layout.utilisation)}")
                board = BoardWidget(picture(board_layout))
                self.boards.append(board)
                layout.addWidget(caption)
                layout.addWidget(board)
        layout.addStretch(1)
        self.setWidget(content)  # the previous content is deleted


class LayoutsPanel(QWidget):
    """The cut layouts of the open sheet."""

    def __init__(self, window) -> None:
        super().__init__()
        self.setObjectName("cutLayouts")
        self.window_ = window
        self.number: int | None = None
        self.plan: SheetPlan | None = None
        self.job: LayoutJob | None = None
        self.again = False  # shown again while computing: the parts may have changed
        self.waiting = False  # a sheet to compute when the panel is shown
        self.windows: list[QDialog] = []
        self.summary = QLabel(objectName="layoutSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar(objectName="layoutProgress", visible=False)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Расчёт раскроя…")
        stock = QPushButton("Материалы…", objectName="stockBoardsButton")
        stock.setToolTip("Размеры листов, обрезка кромок и пропил по материалам")
        stock.clicked.connect(self.edit_stock)
        large = QPushButton("В окне…", objectName="layoutsWindowButton")
        large.setToolTip("Схемы раскроя в отдельном большом окне")
        large.clicked.connect(self.open_window)
        labels = QPushButton("Печать бирок…", objectName="printLabelsButton")
        labels.setToolTip("Бирки деталей в PDF: по одной на деталь, со штрихкодом номера заказа")
        labels.clicked.connect(lambda: self.save_labels())
        self.no_offcuts = QCheckBox("Не использовать остатки", objectName="noOffcutsCheck")
        self.no_offcuts.setToolTip("Раскраивать только целые листы, не беря деловые остатки со склада")
        self.no_offcuts.clicked.connect(lambda checked: self.set_use_offcuts(not checked))
        self.recompute = QPushButton("Пересчитать", objectName="recomputeLayoutsButton")
        self.recompute.setToolTip("Рассчитать раскрой заново с остатками, которые сейчас на складе")
        self.recompute.clicked.connect(lambda: self.set_use_offcuts(not self.no_offcuts.isChecked()))
        buttons = QGridLayout()  # three rows, as low as the summary beside them
        buttons.addWidget(large, 0, 0)
        buttons.addWidget(stock, 0, 1)
        buttons.addWidget(labels, 1, 0)
        buttons.addWidget(self.recompute, 1, 1)
        buttons.addWidget(self.no_offcuts, 2, 0, 1, 2)
        buttons.setRowStretch(3, 1)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addLayout(buttons)
        self.view = PlanView()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)

    def save_labels(self, target: Path | None = None) -> None:
        """Write the part labels of the shown layouts to a PDF the user names (shop's format)."""
        if self.plan is None or self.number is None:
            msgbox.error(self, "Печать бирок", "Раскрой ещё не рассчитан")
            return
        target = target or msgbox.save_file(self, "Бирки деталей", str(Path.home() / f"Бирки {self.number}.pdf"),
                                            "PDF (*.pdf)")
        if target is None:
            return
        from app.documents.part_labels import (  # reportlab: on use
            build_labels,
            sheet_labels,
        )

        try:
            labels = sheet_labels(load_sheet(self.number), self.plan)
            pages = build_labels(labels, target, settings=label_settings())
        except ServiceError as error:
            msgbox.error(self, "Печать бирок", str(error))
            return
        except OSError as error:
            msgbox.error(self, "Печать бирок", f"Не удалось сохранить {target}: {error.strerror}")
            return
        self.window_.statusBar().showMessage(f"Бирки: {len(labels)} шт., {pages} стр. → {target}", 10_000)

    def set_use_offcuts(self, use: bool) -> None:
        """«Не использовать остатки» (or use them again) and compute the layouts anew."""
        if self.number is None:
            return
        number = self.number
        done = self.window_.action_runner.run(self, "Раскрой", lambda: offcuts.set_use_offcuts(
            self.window_.user, number, use))
        if done is None:  # refused: the box shows what the sheet has
            self.no_offcuts.setChecked(not cutsheets.get_sheet(number).use_offcuts)

    def show_sheet(self, number: int | None, sheet: CutSheet | None = None) -> None:
        """Compute and show the layouts of sheet `number` (None: nothing); while the panel is
        hidden, only when it is shown. ``sheet`` sets the offcut controls (open ones only)."""
        open_sheet = sheet is not None and sheet.status == CutSheet.ACTIVE
        self.no_offcuts.setChecked(sheet is not None and not sheet.use_offcuts)
        self.no_offcuts.setEnabled(open_sheet)
        self.recompute.setEnabled(open_sheet)
        self.number = number
        if number is None:
            self.plan = None
            self._fill(None)
            return
        self.waiting = True
        if self.isVisible():
            self._compute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.waiting and self.number is not None:
            self._compute()

    def _compute(self) -> None:
        self.waiting = False
        if self.job is None:
            self._start(self.number)
        else:
            self.again = True

    def compute_now(self) -> None:
        """Compute the open sheet's layouts and wait for them (the screenshot mode)."""
        if self.number is not None:
            self._compute()
            QThreadPool.globalInstance().waitForDone()
            QCoreApplication.processEvents()

    def _start(self, number: int) -> None:
        self.progress.setVisible(True)
        job = LayoutJob(number)
        job.signals.finished.connect(self._computed)
        job.signals.failed.connect(self._failed)
        self.job = job
        QThreadPool.globalInstance().start(job)

    def _computed(self, number: int, plan: SheetPlan, changes) -> None:
        self._finished(number)
        if number == self.number:
            self.plan = plan
            self._fill(plan)
        if not changes.is_empty():  # offcuts reserved or released: «Остатки» shows it
            self.window_.announce(changes)

    def _failed(self, number: int, message: str) -> None:
        self._finished(number)
        if number == self.number:
            self.plan = None
            self._fill(None)
            self.summary.setText(message)

    def _finished(self, number: int) -> None:
        self.job = None
        self.progress.setVisible(False)
        if self.number is not None and (self.again or self.number != number):
            self.again = False
            self._start(self.number)

    def _fill(self, plan: SheetPlan | None) -> None:
        self.view.show_plan(plan)
        if plan is None:
            self.summary.setText("")
            return
        lines = [f"<b>{escape(m.material)}</b>: {escape(m.verdict)}"
                 + (f", лист {m.sizes}, использование {percent(m.utilisation)}"
                    if m.result else "") for m in plan.materials]
        taken = ", ".join(f"№{n}" for n in plan.offcuts_used)
        lines.append(f"Взять со склада: <b>{plan.boards_used} {boards_word(plan.boards_used)}</b>"
                     + (f" и остатки <b>{taken}</b>" if taken else "")
                     + (f", использование {percent(plan.utilisation)}" if plan.boards_used else ""))
        self.summary.setText("<br>".join(lines) if plan.materials else "На листе нет деталей.")

    @property
    def boards(self) -> list[BoardWidget]:
        """The drawn boards, in the order shown."""
        return self.view.boards

    def open_window(self) -> None:
        """The layouts in a large window of their own (the panel may be low)."""
        if self.plan is None:
            return
        dialog = QDialog(self.window_, objectName="layoutsWindow")
        dialog.setWindowTitle(f"Схемы раскроя — лист раскроя №{self.number}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = PlanView()
        view.show_plan(self.plan)
        summary = QLabel(self.summary.text(), wordWrap=True)
        layout = QVBoxLayout(dialog)
        layout.addWidget(summary)
        layout.addWidget(view, 1)
        dialog.resize(1200, 900)
        dialog.show()
        self.windows.append(dialog)
        dialog.destroyed.connect(lambda *_: self.windows.remove(dialog) if dialog in self.windows else None)

    def edit_stock(self) -> None:
        from ui.cutsheets.stock_dialog import StockBoardsDialog

        StockBoardsDialog(self.window_).exec()
