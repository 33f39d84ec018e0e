"""The shop's mailbox as the program reaches it: server, port, protection, login, folder."""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import unquote, urlparse

SSL, STARTTLS, PLAIN = "ssl", "starttls", "plain"
SECURITY_NAMES = {SSL: "SSL/TLS", STARTTLS: "STARTTLS", PLAIN: "без шифрования"}
DEFAULT_PORTS = {SSL: 993, STARTTLS: 143, PLAIN: 143}
URL_SCHEMES = {"imaps": SSL, "imap": PLAIN, "imap+starttls": STARTTLS}


class MailAccountError(ValueError):
    """An address of a mailbox that cannot be used; ``str(error)`` is the Russian message."""


@dataclass(frozen=True)
class MailAccount:
    host: str
    port: int = 993
    security: str = SSL
    login: str = ""
    password: str = ""
    folder: str = "INBOX"

    @property
    def mailbox(self) -> str:
        """The name the cards show («импорт krovatispb@gmail.com»): the login, else the server."""
        return self.login or self.host

    @property
    def folder_key(self) -> str:
        """Which folder of which account: «login@host/INBOX» (where the reading got to is kept under it)."""
        return f"{self.login}@{self.host}/{self.folder}"

    def with_password(self, password: str) -> MailAccount:
        return replace(self, password=password)

    def __repr__(self) -> str:  # never a password in a log
        return (f"MailAccount({self.host}:{self.port} {self.security} login={self.login!r} "
                f"folder={self.folder!r})")

    @classmethod
    def from_url(cls, url: str) -> MailAccount:
        """``imaps://USER:PASSWORD@HOST:PORT/FOLDER`` (``imap://`` unencrypted, ``imap+starttls://``)."""
        parsed = urlparse(url)
        security = URL_SCHEMES.get(parsed.scheme.lower())
        if security is None or not parsed.hostname:
            raise MailAccountError("Неверный адрес почтового ящика: нужен imaps://ЛОГИН:ПАРОЛЬ@СЕРВЕР:ПОРТ/ПАПКА")
        try:
            port = parsed.port or DEFAULT_PORTS[security]
        except ValueError:
            raise MailAccountError("Неверный порт в адресе почтового ящика") from None
        return cls(host=parsed.hostname, port=port, security=security, login=unquote(parsed.username or ""),
                   password=unquote(parsed.password or ""), folder=unquote(parsed.path.lstrip("/")) or "INBOX")
