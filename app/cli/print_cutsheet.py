"""``python main.py print-cutsheet N -o FILE.pdf [--db URL | --demo]``: the pack without a display."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.domain.errors import ServiceError


def print_cutsheet(args: argparse.Namespace) -> int:
    """Write the pack of cut sheet ``args.number`` to ``args.output``; warnings go to stderr."""
    # imported here: reportlab and pypdf take a second to load, which a window's start must not wait for
    from app.documents.layout_pdf import layouts_hook
    from app.documents.pack_data import load_sheet
    from app.documents.pack_pdf import build_pack
    from app.services.stock_boards import stock_boards

    try:
        sheet = load_sheet(args.number)
        stock = stock_boards()
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    result = build_pack(sheet, Path(args.output), layouts=layouts_hook(stock))
    for warning in result.warnings:
        print(f"Внимание: {warning}", file=sys.stderr)
    print(f"Лист раскроя №{sheet.number}: {result.pages} стр., заказов {len(sheet.orders)} → {result.path}")
    return 0


def add_print_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-cutsheet`` on the program's subcommands."""
    command = commands.add_parser("print-cutsheet", parents=[common], help="напечатать лист раскроя в PDF",
                                  description="Лист раскроя с пакетами заказов в один PDF (A4)")
    command.add_argument("number", type=int, metavar="N", help="номер листа раскроя")
    command.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="куда сохранить PDF")
    command.set_defaults(run=print_cutsheet)
