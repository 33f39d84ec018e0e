"""The demo shop's mail: a client's question on order 15's timeline, to answer from the card
(«Ответить»; the demo has no SMTP settings, so sending says what to set up)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from app.domain import clock
from app.domain.mail_account import MailAccount
from app.services.mail_intake import take_letter

DEMO_MAILBOX = MailAccount("imap.krovati-manya.ru", login="zakaz@krovati-manya.ru")


def add_demo_letters() -> None:
    """Order 15's client asks about the delivery (taken in as the mailbox would)."""
    message = EmailMessage()
    message["From"] = formataddr(("Тестов Тест Тестович", "test@test.ru"))
    message["To"] = DEMO_MAILBOX.login
    message["Subject"] = "Кровать МИА: когда доставка?"
    message["Message-ID"] = "<demo-15-1@test.ru>"
    message["Date"] = format_datetime(clock.to_local(clock.now()))
    message.set_content("Здравствуйте!\n\nПодскажите, пожалуйста, когда привезут кровать и можно ли выбрать "
                        "время доставки — мы дома после 18:00.\n\nТест Тестович\n")
    take_letter(message.as_bytes(), DEMO_MAILBOX)
