"""``python main.py print-labels N -o FILE.pdf [--format a4|roll] [--db URL | --demo]``: the part
labels of cut sheet N, one per physical part, in the format of the shop's settings unless given."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.print_cutsheet import add_sheet_command, sheet_and_stock
from app.documents.cut_plan import plan_sheet
from app.documents.part_labels import FORMAT_NAMES, FORMATS, build_labels, sheet_labels, shop_format


def print_labels(args: argparse.Namespace) -> int:
    """Write the labels of cut sheet ``args.number`` to ``args.output``."""
    found = sheet_and_stock(args.number)
    if found is None:
        return 2
    sheet, stock = found
    format_key = args.format or shop_format()
    labels = sheet_labels(sheet, plan_sheet(sheet, stock))
    pages = build_labels(labels, Path(args.output), format_key)
    print(f"Бирки листа раскроя №{sheet.number}: {len(labels)} шт., {FORMAT_NAMES[format_key]}, "
          f"{pages} стр. → {args.output}")
    return 0


def add_labels_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-labels`` on the program's subcommands."""
    command = add_sheet_command(commands, common, "print-labels", "напечатать бирки деталей в PDF",
                                "Бирки деталей листа раскроя: по одной на каждую деталь", print_labels)
    command.add_argument("--format", choices=sorted(FORMATS), default=None,
                         help="a4 — листы 3×8 бирок 70×37 мм, roll — рулон 58×40 мм (по умолчанию из настроек)")
