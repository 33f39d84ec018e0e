"""``python main.py print-labels N -o FILE.pdf [--format a4|roll] [--db URL | --demo]``: the part
labels of cut sheet N, one per physical part, on the label paper of the shop's settings
(«Настройки → Бирки…»); ``--format`` picks A4 sheets or the roll (each in the settings' size)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.print_cutsheet import add_sheet_command, sheet_and_stock
from app.domain.label_sheet import KINDS


def print_labels(args: argparse.Namespace) -> int:
    """Write the labels of cut sheet ``args.number`` to ``args.output``."""
    # imported here: reportlab takes a second to load, which a window's start must not wait for
    from app.documents.cut_plan import plan_sheet
    from app.documents.part_labels import build_labels, sheet_labels
    from app.services.label_settings import label_settings

    if args.format is not None and args.format not in KINDS:
        print(f"Ошибка: формат бирок «{args.format}» неизвестен; есть: {', '.join(sorted(KINDS))}", file=sys.stderr)
        return 2
    found = sheet_and_stock(args.number)
    if found is None:
        return 2
    sheet, stock = found
    settings = label_settings()
    kind = args.format or settings.kind
    labels = sheet_labels(sheet, plan_sheet(sheet, stock))
    pages = build_labels(labels, Path(args.output), kind, settings)
    print(f"Бирки листа раскроя №{sheet.number}: {len(labels)} шт., {settings.describe(kind)}, "
          f"{pages} стр. → {args.output}")
    return 0


def add_labels_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-labels`` on the program's subcommands."""
    command = add_sheet_command(commands, common, "print-labels", "напечатать бирки деталей в PDF",
                                "Бирки деталей листа раскроя: по одной на каждую деталь", print_labels)
    command.add_argument("--format", default=None, metavar="a4|roll",
                         help="a4 — листы A4, roll — рулон (размеры из «Настройки → Бирки…»; "
                              "по умолчанию — формат из настроек)")
