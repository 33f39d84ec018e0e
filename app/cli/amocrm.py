"""``python main.py import-amocrm LEADS_FILE [--contacts FILE] [--stage-map FILE.json] [--dry-run]
[--report REPORT.csv]``: amoCRM's export files into the database (the last stdout line is one JSON
object); ``python main.py export -o FILE.xlsx|FILE.csv``: the shop's data out, without passports."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.domain.errors import ServiceError
from app.integrations import amocrm_api
from app.integrations.amocrm_files import contacts_sheet, read_table, write_report, write_rows
from app.services.amocrm_import import ImportOptions, import_records, import_tables
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


def _options(args: argparse.Namespace) -> ImportOptions:
    return ImportOptions(stage_map=_json_file(args.stage_map, "Сопоставление этапов"),
                         people_map=people_map(_json_file(args.people_map, "Сопоставление людей")),
                         dry_run=args.dry_run)


def run_import(args: argparse.Namespace) -> int:
    try:
        leads = read_table(args.leads)
        contacts = read_table(args.contacts) if args.contacts else contacts_sheet(args.leads)
        report = import_tables(leads, contacts, None, _options(args))
    except (ServiceError, ValueError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    return _finish(report, args)


def run_import_api(args: argparse.Namespace) -> int:
    """The same import from amoCRM's API v4 (address: --base-url or the shop's setting; token:
    $AMOCRM_TOKEN or the one saved in the keyring)."""
    base = args.base_url or amocrm_api.base_url()
    client = None
    try:
        client = amocrm_api.AmoClient(base, os.environ.get("AMOCRM_TOKEN") or amocrm_api.saved_token(base) or "")
        data = client.read_all(progress=lambda text: print(text, file=sys.stderr, flush=True))
        leads, contacts = amocrm_api.records_from_api(data)
        report = import_records(leads, contacts, None, _options(args),
                                file_names=("amoCRM: сделки", "amoCRM: контакты"))
    except (ServiceError, ValueError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
    return _finish(report, args)


def _finish(report, args: argparse.Namespace) -> int:
    """Print the refused rows and unknown names (stderr), write the report, print the JSON last."""
    for line in report.refused:
        print(f"{line.file}, строка {line.line}: {line.reason}", file=sys.stderr)
    for name, rows in sorted(report.unknown_stages.items()):
        print(f"Неизвестный этап «{name}»: {rows} строк (укажите его в --stage-map)", file=sys.stderr)
    for name, rows in sorted(report.unknown_people.items()):
        print(f"Неизвестный ответственный «{name}»: {rows} сделок отданы группе «Магазины»", file=sys.stderr)
    if args.report:
        try:
            print(f"Отчёт по строкам: {write_report(report.lines, args.report)}")
        except ServiceError as error:
            print(f"Ошибка: {error}", file=sys.stderr)
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
    _import_options(command)
    command.set_defaults(run=run_import)
    api = commands.add_parser(
        "import-amocrm-api", parents=[common], help="импорт из amoCRM через API v4",
        description="Сделки, контакты, открытые задачи и примечания из аккаунта amoCRM. Ключ доступа — "
                    "переменная AMOCRM_TOKEN или сохранённый в программе.")
    api.add_argument("--base-url", metavar="URL", help="адрес аккаунта, например https://manya.amocrm.ru")
    _import_options(api)
    api.set_defaults(run=run_import_api)


def _import_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--stage-map", type=Path, metavar="FILE.json",
                         help='{"этап в amoCRM": "код этапа"} для этапов, которых нет в программе')
    command.add_argument("--people-map", type=Path, metavar="FILE.json",
                         help='{"ответственный в amoCRM": "логин"} для незнакомых имён')
    command.add_argument("--dry-run", action="store_true", help="только проверить: ничего не записывать")
    command.add_argument("--report", type=Path, metavar="REPORT.csv", help="отчёт по строкам (CSV или XLSX)")


def run_export(args: argparse.Namespace) -> int:
    """Write the deals, contacts and open tasks (never passport data) to ``args.output``."""
    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".csv"):
        print("Ошибка: файл выгрузки — .xlsx или .csv", file=sys.stderr)
        return 2
    written: list[Path] = []
    try:
        sheets = export_tables(None, with_passport=False,
                               write=lambda tables: written.extend(write_rows(output, tables))).value
    except ServiceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
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
