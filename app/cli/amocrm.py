"""``python main.py import-amocrm LEADS_FILE [--contacts FILE] [--stage-map FILE.json] [--dry-run]
[--report REPORT.csv]``: amoCRM's export files into the database (the last stdout line is one JSON
object); ``python main.py export -o FILE.xlsx|FILE.csv``: the shop's data out, without passports."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.domain.errors import ServiceError
from app.integrations.amocrm_files import contacts_sheet, read_table, write_report, write_rows
from app.services.amocrm_import import ImportOptions, import_tables
from app.services.data_export import CONTACTS_SHEET, DEALS_SHEET, TASKS_SHEET, export_tables
from app.store.models import User


def _json_file(path: Path | None, what: str) -> dict:
    if path is None:
        return {}
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise ServiceError(f"{what} {path}: не читается как JSON ({error})") from None
    if not isinstance(value, dict):
        raise ServiceError(f"{what} {path}: нужен объект {{\"имя в amoCRM\": \"...\"}}")
    return value


def people_map(raw: dict) -> dict[str, int | None]:
    """{"amoCRM name": "login"} as user ids; an unknown login is an error."""
    mapped = {}
    for name, login in raw.items():
        user = User.get_or_none(User.login == login) if login else None
        if login and user is None:
            raise ServiceError(f"Сопоставление людей: нет пользователя с логином «{login}» (для «{name}»)")
        mapped[name] = user.id if user else None
    return mapped


def run_import(args: argparse.Namespace) -> int:
    try:
        leads = read_table(args.leads)
        contacts = read_table(args.contacts) if args.contacts else contacts_sheet(args.leads)
        options = ImportOptions(stage_map=_json_file(args.stage_map, "Сопоставление этапов"),
                                people_map=people_map(_json_file(args.people_map, "Сопоставление людей")),
                                dry_run=args.dry_run)
        report = import_tables(leads, contacts, None, options)
    except (ServiceError, ValueError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    for line in report.refused:
        print(f"{line.file}, строка {line.line}: {line.reason}", file=sys.stderr)
    for name, rows in sorted(report.unknown_stages.items()):
        print(f"Неизвестный этап «{name}»: {rows} строк (укажите его в --stage-map)", file=sys.stderr)
    for name, rows in sorted(report.unknown_people.items()):
        print(f"Неизвестный ответственный «{name}»: {rows} сделок отданы группе «Магазины»", file=sys.stderr)
    if args.report:
        print(f"Отчёт по строкам: {write_report(report.lines, args.report)}")
    print(json.dumps(report.summary(), ensure_ascii=False))
    return 0


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``import-amocrm`` to main.py's sub-commands."""
    command = commands.add_parser(
        "import-amocrm", parents=[common], help="импорт сделок и контактов из файлов выгрузки amoCRM",
        description="Сделки (и контакты) из файлов выгрузки amoCRM (XLSX или CSV). Повторный импорт "
                    "ничего не удваивает. Последняя строка вывода — JSON с итогами.")
    command.add_argument("leads", type=Path, metavar="LEADS_FILE", help="файл сделок (XLSX или CSV)")
    command.add_argument("--contacts", type=Path, metavar="CONTACTS_FILE", help="файл контактов")
    command.add_argument("--stage-map", type=Path, metavar="FILE.json",
                         help='{"этап в amoCRM": "код этапа"} для этапов, которых нет в программе')
    command.add_argument("--people-map", type=Path, metavar="FILE.json",
                         help='{"ответственный в amoCRM": "логин"} для незнакомых имён')
    command.add_argument("--dry-run", action="store_true", help="только проверить: ничего не записывать")
    command.add_argument("--report", type=Path, metavar="REPORT.csv", help="отчёт по строкам (CSV или XLSX)")
    command.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Write the deals, contacts and open tasks (never passport data) to ``args.output``."""
    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".csv"):
        print("Ошибка: файл выгрузки — .xlsx или .csv", file=sys.stderr)
        return 2
    try:
        sheets = export_tables(None, with_passport=False).value
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    written = write_rows(output, sheets)
    counts = {name: len(rows) - 1 for name, rows in sheets.items()}
    print(f"Выгружено: сделок {counts[DEALS_SHEET]}, контактов {counts[CONTACTS_SHEET]}, "
          f"открытых задач {counts[TASKS_SHEET]} → {', '.join(str(path) for path in written)}")
    return 0


def register_export(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``export`` to main.py's sub-commands."""
    command = commands.add_parser(
        "export", parents=[common], help="выгрузить сделки, контакты и задачи в XLSX или CSV",
        description="Сделки (с контактом, этапом, бюджетом, оплатами, датами, тегами, номером заказа), "
                    "контакты и открытые задачи — в XLSX (три листа) или CSV (три файла) под именами "
                    "столбцов amoCRM. Паспортные данные командная строка не выгружает.")
    command.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.csv", help="куда выгрузить")
    command.set_defaults(run=run_export)
