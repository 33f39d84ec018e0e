"""Benchmark: answering a client's letter from the card (checked, recorded as «sending», handed to a
local aiosmtpd server, completed on the timeline) against handing the same letter to the server alone
(smtplib, the baseline). Run by hand: ``nice python tests/bench/bench_mail_reply.py [--count N] [--db URL]``;
the last line is JSON."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain.mail_account import MailAccount  # noqa: E402
from app.integrations import smtp_mail  # noqa: E402
from app.services import deals, mail_intake, mail_replies, outgoing_mail  # noqa: E402
from app.store import files  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.db import close_database  # noqa: E402
from app.store.models import MailLetter  # noqa: E402
from tests import mail_samples  # noqa: E402
from tests.papers import smtp_server  # noqa: E402


def _timed(work, count: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(count):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--db", help="a PostgreSQL URL to an empty database (default: a SQLite file)")
    options = parser.parse_args()
    controller, mailbox = smtp_server.start_server()
    with tempfile.TemporaryDirectory() as folder:
        open_database(options.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        files.set_files_root(Path(folder) / "files")
        try:
            # no login: the local server takes mail without one, so no password reaches a keyring
            settings = {"host": "127.0.0.1", "port": controller.port, "security": smtp_mail.PLAIN,
                        "sender": smtp_server.LOGIN, "sender_name": "Детские кровати Маня"}
            outgoing_mail.save_mail_settings(None, settings)
            deals.create_deal(None, name="Кровать Ирине", values={"contact.full_name": "Ирина Петрова",
                                                                 "contact.email": "client@yandex.ru"})
            mail_intake.take_letter(mail_samples.plain("q-1@yandex.ru", "Ирина <client@yandex.ru>", "Кровать МИА",
                                                       "Когда будет готова кровать?"),
                                    MailAccount("imap.example.ru", login=mail_samples.SHOP))
            letter = MailLetter.get(MailLetter.direction == MailLetter.INCOMING)
            body = "Готова к пятнице." + mail_replies.start_reply(letter.id, None).body
            reply = lambda: mail_replies.send_reply(letter.id, None, "client@yandex.ru", "Re: Кровать МИА", body)  # noqa: E731
            smtp = smtp_mail.SmtpSettings.from_dict(settings)
            raw = lambda: smtp_mail.send(smtp, None, smtp_mail.build_message(  # noqa: E731
                smtp, "client@yandex.ru", "Re: Кровать МИА", body))
            reply(), raw()  # warm
            reply_wall, reply_cpu = _timed(reply, options.count)
            raw_wall, raw_cpu = _timed(raw, options.count)
        finally:
            close_database()
            files.set_files_root(None)
            controller.stop()
    result = {"backend": "postgresql" if options.db else "sqlite", "count": options.count,
              "received": len(mailbox.messages),
              "reply_median_s": round(statistics.median(reply_wall), 4),
              "reply_cpu_median_s": round(statistics.median(reply_cpu), 4),
              "smtp_alone_median_s": round(statistics.median(raw_wall), 4),
              "smtp_alone_cpu_median_s": round(statistics.median(raw_cpu), 4)}
    result["ratio"] = round(result["reply_median_s"] / result["smtp_alone_median_s"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
