"""Building a cut sheet's pack in a worker thread (its own database connection), and printing the
PDF: QtPdf is not part of PySide6-Essentials, so pages are rendered with pypdfium2 onto the QPrinter
(QPainter may paint onto a QPrinter from a worker thread)."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from app.documents.pack_data import load_sheet
from app.services.stock_boards import stock_boards
from app.store.db import database

log = logging.getLogger(__name__)

PRINT_DPI = 200


def pack_path(number: int) -> Path:
    """Where this PC keeps the last built pack of sheet ``number``."""
    folder = Path(tempfile.gettempdir()) / "workshop-crm-packs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"Лист раскроя {number}.pdf"


class JobSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # PackResult
    failed = Signal(str)


class PackJob(QRunnable):
    """Read the sheet (own connection in this thread), build its PDF, optionally print it."""

    def __init__(self, number: int, target: Path, printer: QPrinter | None = None) -> None:
        super().__init__()
        self.number, self.target, self.printer = number, target, printer
        self.signals = JobSignals()

    def run(self) -> None:
        # imported at the first pack, not at the program's start (reportlab and pypdf take a second)
        from app.documents.layout_pdf import layouts_hook
        from app.documents.pack_pdf import build_pack

        try:
            database.connect(reuse_if_open=True)
            try:
                sheet = load_sheet(self.number)
                stock = stock_boards()
            finally:
                database.close()
            result = build_pack(sheet, self.target, layouts=layouts_hook(stock), progress=self.signals.progress.emit)
            if self.printer is not None:
                print_pdf(result.path, self.printer, self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - shown to the user, the program goes on
            log.exception("Pack of cut sheet %s failed", self.number)
            self.signals.failed.emit(f"Не удалось подготовить лист раскроя №{self.number}: {error}")
            return
        self.signals.finished.emit(result)


def print_pdf(path: Path, printer: QPrinter, progress=None) -> int:
    """Render every page of the PDF onto ``printer`` (fitted to the printable page, at the printer's
    resolution up to ``PRINT_DPI``); returns the number of pages."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("принтер не готов")
    try:
        count = len(document)
        dpi = min(printer.resolution(), PRINT_DPI)
        for index in range(count):
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=dpi / 72).to_pil()
            image = QImage(bitmap.tobytes(), bitmap.width, bitmap.height, bitmap.width * 3,
                           QImage.Format.Format_RGB888)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
            if progress:
                progress(index + 1, count)
        return count
    finally:
        painter.end()
        document.close()


def start(job: PackJob) -> PackJob:
    """Run ``job`` on the global thread pool."""
    QThreadPool.globalInstance().start(job)
    return job
