"""The system print dialog answered in tests: «Печать» into a PDF file instead of a printer."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter


def print_dialog_to(target: Path):
    """A stand-in for ``ask_print(parent, printer)`` that accepts and points the printer at ``target``."""
    def ask_print(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(72)
        return True
    return ask_print
