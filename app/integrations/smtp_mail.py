"""Sending e-mail through the shop's mailbox (SMTP with STARTTLS or SSL), self-contained so any
feature can send: papers to clients, replies to mail taken in.

``SmtpSettings`` are plain values (kept in the shop's settings); the password is passed in by the
caller, who keeps it in the keyring. Every failure becomes a ``MailError`` with a Russian message
that says what to check; the password never appears in a message or a log.
"""
from __future__ import annotations

import base64
import mimetypes
import smtplib
import socket
import ssl
from dataclasses import asdict, dataclass, fields
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from app.domain.errors import ServiceError
from app.domain.labels import label

STARTTLS, SSL, PLAIN = "starttls", "ssl", "none"
SECURITY_NAMES = {STARTTLS: "STARTTLS (порт 587)", SSL: "SSL/TLS (порт 465)",
                  PLAIN: "Без шифрования (только для проверки)"}
DEFAULT_PORTS = {STARTTLS: 587, SSL: 465, PLAIN: 25}
TIMEOUT = 30  # seconds for connecting and for every answer of the server
PREFIX = "mail."  # the settings' keys in app.domain.labels: «mail.host» is «Сервер»


class MailError(ServiceError):
    """The message was not sent; the text says why in Russian."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = STARTTLS
    user: str = ""  # the login; empty: the server takes mail without signing in
    sender: str = ""  # the From address
    sender_name: str = ""  # shown as the sender: «Детские кровати Маня»

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict | None) -> SmtpSettings:
        known = {f.name for f in fields(cls)}
        clean = {key: value for key, value in (values if isinstance(values, dict) else {}).items() if key in known}
        port = clean.get("port", 587)
        clean["port"] = port if isinstance(port, int) and not isinstance(port, bool) else 0
        return cls(**clean)

    @property
    def account(self) -> str:
        """The key of the password in the keyring: «smtp:user@host:port»."""
        return f"smtp:{self.user}@{self.host}:{self.port}"

    def problems(self) -> dict[str, str]:
        """Per field key, what is wrong (empty: the settings may be used)."""
        found = {key: "ожидается текст" for key in ("host", "security", "user", "sender", "sender_name")
                 if not isinstance(getattr(self, key), str)}
        if found:
            return found
        if not self.host.strip():
            found["host"] = "не заполнено"
        if not 0 < self.port < 65536:  # also what the dialog's spin box allows
            found["port"] = "число от 1 до 65535"
        if self.security not in SECURITY_NAMES:
            found["security"] = "выберите способ защиты"
        if "@" not in self.sender:
            found["sender"] = "адрес отправителя, например zakaz@krovati-manya.ru"
        return found


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime: str = ""


def build_message(settings: SmtpSettings, to: str, subject: str, body: str,
                  attachments: list[Attachment] = ()) -> EmailMessage:
    """A UTF-8 message from the shop's address with the files attached."""
    message = EmailMessage()
    message["From"] = formataddr((settings.sender_name, settings.sender)) if settings.sender_name else settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1] or None)
    message.set_content(body)
    for item in attachments:
        mime = item.mime or mimetypes.guess_type(item.name)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.name)
    return message


def tls_context() -> ssl.SSLContext:
    """The TLS context of every connection: the system's certificates, host names checked."""
    return ssl.create_default_context()


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """Sign in; smtplib encodes logins as ASCII, so a Cyrillic password goes by AUTH PLAIN in UTF-8."""
    if (user + password).isascii():
        server.login(user, password)
        return
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, answer = server.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _connect(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.security == SSL:
            server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT,
                                                    context=tls_context())
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        try:
            server.ehlo()
            if settings.security == STARTTLS:
                server.starttls(context=tls_context())
                server.ehlo()
            if settings.user:
                _login(server, settings.user, password or "")
        except BaseException:
            server.close()
            raise
    except smtplib.SMTPNotSupportedError as error:
        raise MailError(f"Почтовый сервер {where} не поддерживает "
                        f"{'STARTTLS' if settings.security == STARTTLS else 'вход по паролю'} — "
                        f"выберите другой способ защиты или порт.") from error
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(f"Почтовый сервер {where} не принял логин «{settings.user}» или пароль. Для Яндекса "
                        f"и Mail.ru нужен «пароль приложения» из настроек ящика.") from error
    except ssl.SSLError as error:
        raise MailError(f"Не удалось установить защищённое соединение с {where} ({error.reason or error}). "
                        f"Проверьте способ защиты: 465 — SSL/TLS, 587 — STARTTLS.") from error
    except (socket.gaierror, ConnectionError, TimeoutError, OSError, smtplib.SMTPException) as error:
        raise MailError(f"Нет связи с почтовым сервером {where}: {error}. Проверьте адрес сервера, "
                        f"порт и подключение к интернету.") from error
    return server


def require_ready(settings: SmtpSettings) -> None:
    """MailError saying what to fill in when the shop's mailbox is not set up."""
    problems = settings.problems()
    if problems:
        raise MailError("Почта для отправки не настроена («Настройки → Почта для отправки…»): "
                        + "; ".join(f"{label(PREFIX + key)}: {text}" for key, text in problems.items()))


def send(settings: SmtpSettings, password: str | None, message: EmailMessage) -> str:
    """Send ``message``; returns its Message-ID. MailError when it was not sent."""
    require_ready(settings)
    server = _connect(settings, password)
    try:
        refused = server.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise MailError(f"Сервер не принял адрес получателя: {', '.join(error.recipients)}") from error
    except smtplib.SMTPSenderRefused as error:
        raise MailError(f"Сервер не принял адрес отправителя {settings.sender}: "
                        f"{error.smtp_error.decode(errors='replace')}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"Письмо не отправлено: {error}") from error
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    if refused:
        raise MailError(f"Сервер не принял адрес получателя: {', '.join(refused)}")
    return message["Message-ID"]


def check(settings: SmtpSettings, password: str | None) -> None:
    """Connect and sign in without sending anything (the settings dialog's «Проверить»)."""
    problems = settings.problems()
    if problems:
        raise MailError("; ".join(f"{label(PREFIX + key)}: {text}" for key, text in problems.items()))
    server = _connect(settings, password)
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()
