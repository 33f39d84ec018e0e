"""``python main.py fetch-mail [--db URL | --demo] [--imap imaps://USER:PASSWORD@HOST:PORT/FOLDER]``: one
round of reading the shop's mailbox; prints one JSON line (letters, leads_created, attached_to_deals,
skipped, failed)."""
from __future__ import annotations

import argparse
import json
import sys

from app.domain.mail_account import MailAccount, MailAccountError
from app.integrations.imap_mail import ImapFolder
from app.services import mail_intake, mail_settings


def fetch_mail(args: argparse.Namespace) -> int:
    """Read the new letters once (the ``--imap`` URL overrides the settings); 1 when the mailbox failed."""
    settings = mail_settings.load()
    try:
        account = MailAccount.from_url(args.imap) if args.imap else mail_settings.account()
    except MailAccountError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    if account is None:
        print("Почтовый ящик не настроен на этом компьютере: «Настройки → Почта…» или --imap "
              "imaps://ЛОГИН:ПАРОЛЬ@СЕРВЕР:993/INBOX", file=sys.stderr)
        return 2
    own = settings.own_addresses | ({account.login.lower()} if "@" in account.login else set())
    result = mail_intake.fetch_mail(account, ImapFolder, own_addresses=frozenset(own))
    print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    return 1 if result.error else 0


def add_fetch_mail_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``fetch-mail`` on the program's subcommands."""
    command = commands.add_parser("fetch-mail", parents=[common], help="проверить почту магазина один раз",
                                  description="Читает новые письма ящика магазина: заявки становятся "
                                              "сделками в «Неразобранное», письма клиентов — записями "
                                              "в их сделках. Печатает одну строку JSON.")
    command.add_argument("--imap", metavar="URL", default=None,
                         help="imaps://ЛОГИН:ПАРОЛЬ@СЕРВЕР:ПОРТ/ПАПКА (imap:// без шифрования, "
                              "imap+starttls://) вместо настроек")
    command.set_defaults(run=fetch_mail)
