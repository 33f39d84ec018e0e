"""``python main.py print-invoice ORDER_NO -o FILE.pdf`` and ``print-order-form``: the client's papers
without a display (``--db URL`` or ``--demo``). The invoice gets the next number of the year, like
one made from the card, and both are attached to the deal."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from app.domain.errors import ServiceError
from app.domain.paper_templates import INVOICE, ORDER_FORM
from app.services.deals import deal_id_for_order


def _print(kind: str, args: argparse.Namespace) -> int:
    from app.services import client_papers  # reportlab: loaded when printing, not at every start

    try:
        paper = client_papers.make_paper(kind, deal_id_for_order(args.order_no), None).value
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paper.path, target)
    print(f"{paper.title} (заказ №{paper.order_no}) → {target}")
    return 0


def add_papers_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``print-invoice`` and ``print-order-form`` on the program's subcommands."""
    for name, kind, help_text in (("print-invoice", INVOICE, "выставить счёт на оплату в PDF"),
                                  ("print-order-form", ORDER_FORM, "бланк заказа для клиента в PDF")):
        command = commands.add_parser(name, parents=[common], help=help_text, description=help_text.capitalize())
        command.add_argument("order_no", type=int, metavar="ORDER_NO", help="номер заказа")
        command.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="куда сохранить PDF")
        command.set_defaults(run=lambda args, kind=kind: _print(kind, args))
