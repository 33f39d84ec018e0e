"""``python main.py print-cutsheet N -o FILE.pdf [--db URL | --demo]``: the pack without a display."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import ServiceError

if TYPE_CHECKING:  # reportlab and pypdf take a second to load, which a window's start must not wait for
    from app.cutting import Board
    from app.documents.pack_data import SheetData


def sheet_and_stock(number: int) -> tuple[SheetData, list[Board]] | None:
    """Cut sheet ``number`` (the stored offcuts its layouts take reserved for it, as the program's
    screen does) and the stock boards; None (the error on stderr) if there is no such sheet."""
    from app.services.sheet_plans import planned_sheet

    try:
        planned = planned_sheet(number)
        return planned.sheet, planned.stock
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return None


def add_sheet_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str,
                      help_text: str, description: str, run) -> argparse.ArgumentParser:
    """A subcommand taking a cut sheet number and ``-o FILE.pdf``."""
    command = commands.add_parser(name, parents=[common], help=help_text, description=description)
    command.add_argument("number", type=int, metavar="N", help="номер листа раскроя")
    command.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="куда сохранить PDF")
    command.set_defaults(run=run)
    return command


def print_cutsheet(args: argparse.Namespace) -> int:
    """Write the pack of cut sheet ``args.number`` to ``args.output``; warnings go to stderr."""
    from app.documents.layout_pdf import layouts_hook
    from app.documents.pack_pdf import build_pack

    found = sheet_and_stock(args.number)
    if found is None:
        return 2
    sheet, stock = found
    result = build_pack(sheet, Path(args.output), layouts=layouts_hook(stock))
    for warning in result.warnings:
        print(f"Внимание: {warning}", file=sys.stderr)
    print(f"Лист раскроя №{sheet.number}: {result.pages} стр., заказов {len(sheet.orders)} → {result.path}")
    return 0


def add_print_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-cutsheet`` on the program's subcommands."""
    add_sheet_command(commands, common, "print-cutsheet", "напечатать лист раскроя в PDF",
                      "Лист раскроя с пакетами заказов в один PDF (A4)", print_cutsheet)
