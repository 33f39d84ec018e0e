"""``python main.py report --from DATE --to DATE -o FILE.pdf|FILE.xlsx [--db URL | --demo]``: the
analytics report without a display (run as the system: every part)."""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from app.domain.codes import OrderKind
from app.queries.analytics import AnalyticsFilter, build_report
from app.store.models import User


def _pdf(*args, **kwargs):
    # imported when a report is written: reportlab and openpyxl must not slow every start of the program
    from app.documents.analytics_pdf import build_report_pdf

    return build_report_pdf(*args, **kwargs)


def _xlsx(*args, **kwargs):
    from app.documents.analytics_xlsx import build_report_xlsx

    return build_report_xlsx(*args, **kwargs)


WRITERS = {".pdf": _pdf, ".xlsx": _xlsx}


def parse_day(text: str) -> date:
    """«2025-06-30» or «30.06.2025»."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"«{text}» — не дата; пример: 2025-06-30 или 30.06.2025")


def run_report(args: argparse.Namespace) -> int:
    """Write the report of ``args`` to ``args.output`` (the format from its extension)."""
    target = Path(args.output)
    writer = WRITERS.get(target.suffix.lower())
    if writer is None:
        print("Ошибка: файл отчёта должен быть .pdf или .xlsx", file=sys.stderr)
        return 2
    if args.date_to < args.date_from:
        print("Ошибка: дата «по» раньше даты «с»", file=sys.stderr)
        return 2
    responsible = None
    if args.responsible:
        responsible = User.get_or_none(User.login == args.responsible)
        if responsible is None:
            print(f"Ошибка: нет пользователя с логином «{args.responsible}»", file=sys.stderr)
            return 2
    flt = AnalyticsFilter(args.date_from, args.date_to, responsible.id if responsible else None, args.kind,
                          args.source)
    writer(build_report(None, flt), target, responsible.full_name if responsible else None)
    print(f"Отчёт за {args.date_from:%d.%m.%Y} — {args.date_to:%d.%m.%Y} → {target}")
    return 0


def add_report_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``report`` on the program's subcommands."""
    command = commands.add_parser("report", parents=[common], help="отчёт «Аналитика» в PDF или XLSX",
                                  description="Воронка, время на этапах, выпуск, деньги, сотрудники и "
                                              "источники за период — в PDF (с графиками) или XLSX")
    command.add_argument("--from", dest="date_from", required=True, type=parse_day, metavar="DATE",
                         help="первый день периода (2025-06-01 или 01.06.2025)")
    command.add_argument("--to", dest="date_to", required=True, type=parse_day, metavar="DATE",
                         help="последний день периода (включительно)")
    command.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.xlsx", help="куда сохранить")
    command.add_argument("--responsible", metavar="LOGIN", help="только сделки этого ответственного")
    command.add_argument("--kind", choices=list(OrderKind.NAMES), help="только этот вид заказа")
    command.add_argument("--source", metavar="SOURCE", help="только этот источник («» — без источника)")
    command.set_defaults(run=run_report)
