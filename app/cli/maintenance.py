"""The command-line commands for the shop's database, run without a display:
``migrate-to URL`` (SQLite → PostgreSQL) and ``restore FILE`` (a backup zip)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.store import backups
from app.store.db import masked_url, sqlite_path
from app.store.session import configured_url, files_dir_for
from app.store.transfer import TransferError, migrate_to


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the commands to main.py's sub-command parser."""
    migrate = commands.add_parser(
        "migrate-to", parents=[common], help="скопировать базу SQLite в пустую базу PostgreSQL",
        description="Копирует всю базу (--db или базу этого компьютера) в пустую базу PostgreSQL "
                    "и сверяет количество строк и суммы.")
    migrate.add_argument("target", metavar="URL", help="postgresql://пользователь:пароль@сервер:5432/база")
    migrate.set_defaults(run_without_db=run_migrate_to)
    restore = commands.add_parser(
        "restore", parents=[common], help="восстановить базу и файлы из резервной копии",
        description="Заменяет базу SQLite (--db или базу этого компьютера) и папку файлов "
                    "содержимым резервной копии; текущее состояние сохраняется рядом.")
    restore.add_argument("backup", metavar="FILE", type=Path, help="файл резервной копии crm-….zip")
    restore.set_defaults(run_without_db=run_restore)


def _source_url(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or configured_url()


def run_migrate_to(args: argparse.Namespace) -> int:
    source = _source_url(args)
    path = sqlite_path(source)
    if path is None or not path.exists():
        print(f"Нет файла базы SQLite для копирования: {source}", file=sys.stderr)
        return 2
    try:
        migrate_to(source, args.target, progress=lambda line: print(line, flush=True))
    except TransferError as error:
        print(f"Ошибка: {str(error).replace(args.target, masked_url(args.target))}", file=sys.stderr)
        return 1
    print("Готово. Теперь запустите программу так: python main.py --db " + masked_url(args.target.split("?")[0])
          + "  (или выберите сервер в «Файл → Подключение…»).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    url = _source_url(args)
    path = sqlite_path(url)
    if path is None:
        print("Команда restore восстанавливает базу SQLite. Копию PostgreSQL восстанавливают "
              "командой pg_restore (см. README).", file=sys.stderr)
        return 2
    try:
        done = backups.restore(args.backup, path, files_dir_for(url))
    except backups.BackupError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 1
    print(f"Восстановлено из {args.backup.name}: база {done.database}, файлов {done.files}.")
    if done.safety_copy:
        print(f"Прежнее состояние сохранено в {done.safety_copy}.")
    return 0
