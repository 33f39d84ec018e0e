"""Letters as they reach the shop's mailbox, built for the mail intake tests (bytes, RFC 5322)."""
from __future__ import annotations

from email.charset import QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

SHOP = "krovatispb@gmail.com"
PDF = b"%PDF-1.4\n% a sketch of the bed\n" + bytes(range(256)) * 4


def _head(message, sender: str, subject: str, message_id: str | None, **headers) -> bytes:
    name, address = parseaddr(sender)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = SHOP
    message["Subject"] = Header(subject, "utf-8").encode() if subject else ""
    message["Date"] = "Mon, 02 Jun 2025 11:40:00 +0300"
    if message_id:
        message["Message-ID"] = f"<{message_id}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message.as_bytes()


def plain(message_id: str = "plain-1@mail.ru", sender: str = "Мальга Ганита <malga.gaganita@gmail.ru>",
          subject: str = "Детские кровати Маня кровать МИА 45-02-17",
          text: str = "Здравствуйте! Сколько стоит кровать МИА 1900×800? Мой телефон 8 (912) 345-67-89.",
          **headers) -> bytes:
    """A person's letter: UTF-8, quoted-printable, a phone in the text."""
    charset = Charset("utf-8")
    charset.body_encoding = QP
    body = MIMEText(text, "plain", charset)
    return _head(body, sender, subject, message_id, **headers)


def in_charset(charset: str, message_id: str, text: str, subject: str,
               address: str = "client@yandex.ru") -> bytes:
    """A letter written in ``charset`` (windows-1251, koi8-r), base64, its subject encoded the same way."""
    body = MIMEText(text, "plain", charset)
    body["From"] = formataddr(("Ирина Петрова", address), charset=charset)
    body["To"] = SHOP
    body["Subject"] = Header(subject, charset).encode()
    body["Message-ID"] = f"<{message_id}>"
    return body.as_bytes()


def html_only(message_id: str = "html-1@mail.ru") -> bytes:
    html = ("<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
            "<p>Добрый день!</p><p>Хочу кровать &laquo;Ярус&raquo;&nbsp;с комодом.<br>Телефон: "
            "+7 921 555-44-33</p><div>Спасибо</div></body></html>")
    return _head(MIMEText(html, "html", "utf-8"), "Олег <oleg@mail.ru>", "Кровать Ярус", message_id)


def with_attachments(message_id: str = "files-1@mail.ru") -> bytes:
    """A letter with a PDF (an RFC 2231 Cyrillic name) and a picture (an encoded-word name)."""
    letter = MIMEMultipart()
    letter.attach(MIMEText("Эскиз во вложении.", "plain", "utf-8"))
    pdf = MIMEApplication(PDF, "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "Эскиз кровати.pdf"))
    letter.attach(pdf)
    picture = MIMEBase("image", "jpeg")
    picture.set_payload(b"\xff\xd8\xff\xe0 a jpeg \xff\xd9")
    __import__("email.encoders").encoders.encode_base64(picture)
    picture.add_header("Content-Disposition", "attachment",
                       filename=Header("Фото комнаты.jpg", "utf-8").encode())
    letter.attach(picture)
    return _head(letter, "Анна Смирнова <anna@yandex.ru>", "Эскиз", message_id)


SITE_FORM_TEXT = """Новая заявка с сайта krovati-manya.ru

Имя: Краева Ольга
Телефон: 8 911 222 33 44
E-mail: Kraeva@Mail.ru
Модель: МИА
Сообщение: Нужна кровать 1900×800,
белая, с ящиками.
"""


def site_form(message_id: str = "form-1@krovati-manya.ru", sender: str = "Сайт <robot@krovati-manya.ru>") -> bytes:
    return plain(message_id, sender, "Заявка с сайта", SITE_FORM_TEXT)


def auto_reply(message_id: str = "auto-1@mail.ru") -> bytes:
    return plain(message_id, "Иван <ivan@mail.ru>", "Автоответ: в отпуске до 10.06", "Я в отпуске.",
                 Auto_Submitted="auto-replied")


def bounce(message_id: str = "bounce-1@gmail.com") -> bytes:
    """A delivery failure report from the sender's mail server (multipart/report)."""
    return (b"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\nTo: " + SHOP.encode() +
            b"\r\nSubject: Delivery Status Notification (Failure)\r\nMessage-ID: <" + message_id.encode() +
            b">\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
            b"--b1\r\nContent-Type: text/plain\r\n\r\nDelivery to nobody@mail.ru failed permanently.\r\n"
            b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; googlemail.com\r\n\r\n"
            b"Final-Recipient: rfc822; nobody@mail.ru\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n")


def broken(message_id: str = "broken-1@mail.ru") -> bytes:
    """A letter in a charset nobody knows, with a header that is not an address."""
    return (b"From: =?x-unknown?q?=C8=E2=E0=ED?= <not an address\r\n"
            b"To: " + SHOP.encode() + b"\r\nSubject: =?x-unknown?b?z/Do4uXy?=\r\n"
            b"Message-ID: <" + message_id.encode() + b">\r\n"
            b"Content-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            b"\xcf\xf0\xe8\xe2\xe5\xf2, \xf2\xe5\xeb\xe5\xf4\xee\xed +7 911 000-11-22\r\n")
