"""Reading the shop's mailbox over IMAP (imaplib): SSL/TLS, STARTTLS or plain, with timeouts.

``ImapFolder`` opens one folder read-only (letters stay unread for the people who read the mailbox
themselves), lists the UIDs after a given one and fetches letters by UID. Every failure is a
``MailboxError`` whose message says in Russian what is wrong.
"""
from __future__ import annotations

import base64
import imaplib
import re
import socket
import ssl
from datetime import date

from app.domain.errors import ServiceError
from app.domain.mail_account import PLAIN, SSL, STARTTLS, MailAccount

TIMEOUT_S = 20
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # IMAP dates
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)", re.IGNORECASE)


class MailboxError(ServiceError):
    """The mailbox cannot be read; the message says why (in Russian)."""


def _quoted(folder: str) -> str:
    """A folder name as an IMAP string (modified UTF-7 for non-ASCII names)."""
    if folder.isascii():
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + _utf7_imap(folder) + '"'


def _utf7_imap(text: str) -> str:
    """RFC 3501 modified UTF-7 (folder names such as «Заявки»)."""
    out, chunk = [], []

    def flush() -> None:
        if chunk:
            encoded = base64.b64encode("".join(chunk).encode("utf-16-be")).decode().rstrip("=")
            out.append("&" + encoded.replace("/", ",") + "-")
            chunk.clear()

    for char in text:
        if 0x20 <= ord(char) <= 0x7e:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            chunk.append(char)
    flush()
    return "".join(out)


class ImapFolder:
    """One folder of the mailbox, open for reading (a context manager)."""

    def __init__(self, account: MailAccount, timeout: float = TIMEOUT_S) -> None:
        self.account = account
        self.timeout = timeout
        self.uidvalidity = 0
        self.count = 0
        self._client: imaplib.IMAP4 | None = None

    def __enter__(self) -> ImapFolder:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _where(self) -> str:
        return f"{self.account.host}:{self.account.port}"

    def _connect(self) -> imaplib.IMAP4:
        account = self.account
        context = ssl.create_default_context()
        try:
            if account.security == SSL:
                return imaplib.IMAP4_SSL(account.host, account.port, ssl_context=context, timeout=self.timeout)
            client = imaplib.IMAP4(account.host, account.port, timeout=self.timeout)
            if account.security == STARTTLS:
                try:
                    client.starttls(context)
                except imaplib.IMAP4.error:
                    client.shutdown()
                    raise MailboxError(f"Сервер {self._where()} не поддерживает STARTTLS: выберите «SSL/TLS» "
                                       f"(обычно порт 993)") from None
            return client
        except ssl.SSLCertVerificationError as error:
            raise MailboxError(f"Сертификат сервера {account.host} не прошёл проверку ({error.verify_message}): "
                               f"проверьте, что адрес сервера написан так же, как у почтовой службы "
                               f"(например, imap.gmail.com).") from None
        except ssl.SSLError as error:
            raise MailboxError(f"Ошибка TLS при подключении к {self._where()}: проверьте порт и вид защиты "
                               f"(SSL/TLS — обычно порт 993, STARTTLS — 143). ({error.reason or error})") from None
        except socket.gaierror:
            raise MailboxError(f"Сервер {account.host} не найден: проверьте его адрес.") from None
        except (TimeoutError, socket.timeout):
            raise MailboxError(f"Сервер {self._where()} не отвечает: проверьте адрес, порт и "
                               f"подключение к интернету.") from None
        except OSError as error:
            raise MailboxError(f"Сервер {self._where()} недоступен: проверьте адрес, порт и подключение "
                               f"к интернету. ({error.strerror or error})") from None
        except imaplib.IMAP4.error as error:
            raise MailboxError(f"Сервер {self._where()} ответил не как почтовый (IMAP): {error}") from None

    def open(self) -> None:
        """Connect, sign in and open the folder read-only; MailboxError says what failed."""
        account = self.account
        client = self._connect()
        self._client = client
        try:
            if account.security == PLAIN and "LOGINDISABLED" in client.capabilities:
                raise MailboxError(f"Сервер {self._where()} не принимает пароль без шифрования: выберите "
                                   f"«SSL/TLS» или «STARTTLS».")
            try:
                client.login(account.login, account.password)
            except imaplib.IMAP4.error:
                raise MailboxError(f"Неверный логин или пароль: сервер {account.host} не принял "
                                   f"«{account.login}».") from None
            status, data = client.select(_quoted(account.folder), readonly=True)
            if status != "OK":
                raise MailboxError(f"В ящике {account.mailbox} нет папки «{account.folder}».")
            self.count = int(data[0]) if data and data[0] and data[0].isdigit() else 0
            self.uidvalidity = self._read_uidvalidity(client)
        except MailboxError:
            self.close()
            raise
        except (OSError, imaplib.IMAP4.error) as error:
            self.close()
            raise MailboxError(f"Связь с сервером {self._where()} прервалась: {error}") from None

    def _read_uidvalidity(self, client: imaplib.IMAP4) -> int:
        _, data = client.response("UIDVALIDITY")  # sent by the server with the SELECT
        if data and data[0]:
            return int(data[0])
        _, data = client.status(_quoted(self.account.folder), "(UIDVALIDITY)")
        found = _UIDVALIDITY.search(data[0] or b"") if data else None
        return int(found.group(1)) if found else 0

    def uids_after(self, last_uid: int, since: date | None = None) -> list[int]:
        """UIDs of the folder's letters newer than ``last_uid`` (and received on ``since`` or later),
        oldest first."""
        criteria = f"UID {last_uid + 1}:*"
        if since is not None:
            criteria += f" SINCE {since.day}-{MONTHS[since.month - 1]}-{since.year}"
        data = self._command("search", None, criteria)
        uids = sorted(int(uid) for uid in (data[0] or b"").split())
        return [uid for uid in uids if uid > last_uid]  # «N:*» always names the newest, even if older

    def fetch(self, uid: int) -> bytes | None:
        """The letter with ``uid`` as it is on the server (None when it was deleted meanwhile)."""
        data = self._command("fetch", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1]
        return None

    def _command(self, name: str, *args):
        try:
            status, data = self._client.uid(name, *args)
        except (OSError, imaplib.IMAP4.error) as error:
            raise MailboxError(f"Связь с сервером {self._where()} прервалась: {error}") from None
        if status != "OK":
            raise MailboxError(f"Сервер {self._where()} отказал: {data!r}")
        return data

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def check_account(account: MailAccount, timeout: float = TIMEOUT_S) -> str:
    """«Проверить подключение»: the Russian verdict when the folder opens, else MailboxError."""
    with ImapFolder(account, timeout) as folder:
        return f"Подключение есть: ящик {account.mailbox}, папка «{account.folder}», писем: {folder.count}."
