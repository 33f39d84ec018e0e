"""Benchmark: one round of the mail intake over N new letters in a real Dovecot on 127.0.0.1.
Run by hand: ``nice python tests/bench/bench_mail.py [--letters N] [--db URL]``.

The folder holds N letters (70 % new enquiries, 20 % replies of one client with an open deal, 10 %
auto-replies; every tenth with two attachments). Measured: the round (read, parse, record: deals,
contacts, notes, files, timeline) and, as the baseline, reading the same letters with imaplib alone
(UID SEARCH + one FETCH each, the round's own traffic). Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain import clock  # noqa: E402
from app.integrations.imap_mail import ImapFolder  # noqa: E402
from app.services import deals, mail_intake  # noqa: E402
from app.store import files  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.models import Deal  # noqa: E402
from tests import mail_samples as samples  # noqa: E402
from tests.mail_server import start_dovecot  # noqa: E402


def letters(count: int) -> list[bytes]:
    made = []
    for n in range(count):
        if n % 10 == 9:
            made.append(samples.auto_reply(f"auto-{n}@mail.ru"))
        elif n % 5 == 3:
            made.append(samples.plain(f"reply-{n}@mail.ru", "Ирина <client@yandex.ru>", f"Re: заказ {n}",
                                      "Когда будет готово?"))
        elif n % 10 == 0:
            made.append(samples.with_attachments(f"files-{n}@mail.ru"))
        else:
            made.append(samples.plain(f"lead-{n}@mail.ru", f"Клиент {n} <c{n}@mail.ru>", f"Кровать {n}",
                                      f"Сколько стоит кровать? Телефон 8 912 {n % 1000:03d}-{n % 100:02d}-45"))
    return made


def raw_read(account) -> float:
    start = time.perf_counter()
    with ImapFolder(account) as folder:
        for uid in folder.uids_after(0):
            folder.fetch(uid)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--db", default=None, help="an empty scratch database (default: a new SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    work.chmod(0o755)  # Dovecot reads the mail as its own user
    server = start_dovecot(work / "dovecot")
    try:
        url = args.db or f"sqlite:///{work / 'crm.sqlite3'}"
        open_database(url)
        files.set_files_root(work / "files")
        deals.create_deal(None, name="Кровать Ирине", values={"contact.full_name": "Ирина Петрова",
                                                               "contact.email": "client@yandex.ru"})
        folder = server.new_folder(*letters(args.letters))
        account = server.account(folder)
        baseline = min(raw_read(account) for _ in range(3))
        start = time.perf_counter()
        result = mail_intake.fetch_mail(account, ImapFolder, own_addresses=frozenset({samples.SHOP}))
        elapsed = time.perf_counter() - start
        again = time.perf_counter()
        second = mail_intake.fetch_mail(account, ImapFolder)
        idle = time.perf_counter() - again
        print(json.dumps({
            "letters": args.letters, "backend": url.split(":", 1)[0], **result.as_json(),
            "round_s": round(elapsed, 3), "per_letter_ms": round(elapsed * 1000 / args.letters, 2),
            "raw_imap_read_s": round(baseline, 3), "ratio_to_raw_read": round(elapsed / baseline, 1),
            "round_with_nothing_new_ms": round(idle * 1000, 1), "deals": Deal.select().count(),
            "second_round_letters": second.letters, "at": clock.now().isoformat(),
        }, ensure_ascii=False))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
