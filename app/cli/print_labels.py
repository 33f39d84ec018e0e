"""``python main.py print-labels N -o FILE.pdf [--format a4|roll] [--db URL | --demo]``: the part
labels of cut sheet N, one per physical part, in the format of the shop's settings unless given."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.documents.cut_plan import plan_sheet
from app.documents.pack_data import load_sheet
from app.documents.part_labels import FORMAT_NAMES, FORMATS, build_labels, sheet_labels, shop_format
from app.domain.errors import ServiceError
from app.services.stock_boards import stock_boards


def print_labels(args: argparse.Namespace) -> int:
    """Write the labels of cut sheet ``args.number`` to ``args.output``."""
    try:
        sheet = load_sheet(args.number)
        stock = stock_boards()
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    format_key = args.format or shop_format()
    labels = sheet_labels(sheet, plan_sheet(sheet, stock))
    pages = build_labels(labels, Path(args.output), format_key)
    print(f"Бирки листа раскроя №{sheet.number}: {len(labels)} шт., {FORMAT_NAMES[format_key]}, "
          f"{pages} стр. → {args.output}")
    return 0


def add_labels_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-labels`` on the program's subcommands."""
    command = commands.add_parser("print-labels", parents=[common], help="напечатать бирки деталей в PDF",
                                  description="Бирки деталей листа раскроя: по одной на каждую деталь")
    command.add_argument("number", type=int, metavar="N", help="номер листа раскроя")
    command.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="куда сохранить PDF")
    command.add_argument("--format", choices=sorted(FORMATS), default=None,
                         help="a4 — листы 3×8 бирок 70×37 мм, roll — рулон 58×40 мм (по умолчанию из настроек)")
    command.set_defaults(run=print_labels)
