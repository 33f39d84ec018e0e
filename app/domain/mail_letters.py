"""Reading an e-mail letter as the shop needs it: who wrote, the subject, the text, the attached files,
and whether it is an automatic letter (auto-reply, bounce) that must not become a lead.

Pure and forgiving: ``parse_letter`` never raises. Whatever cannot be read is left out and named in
``Letter.problems`` (in Russian, for the note on the lead), so no letter is ever lost.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

MAX_KEY = 250  # longer Message-IDs are kept as their hash (the key column's length)
FALLBACK_CHARSETS = ("utf-8", "cp1251", "koi8-r")
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
AUTO_PRECEDENCE = ("auto_reply", "junk")
REPORT_TYPES = ("delivery-status", "disposition-notification")


@dataclass(frozen=True)
class LetterFile:
    """An attached file of a letter."""

    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Letter:
    """What the shop reads of a letter."""

    key: str  # the Message-ID, or «sha256:…» of the header block when it has none
    from_name: str
    from_address: str  # lower-case, "" when unreadable
    to_addresses: tuple[str, ...]
    subject: str
    text: str
    sent_at: datetime | None  # naive UTC
    files: tuple[LetterFile, ...] = ()
    automatic: str = ""  # why it is an automatic letter (Russian), "" for a person's letter
    problems: tuple[str, ...] = ()  # what could not be read (Russian)

    @property
    def sender(self) -> str:
        """«Имя <адрес>», the address alone, or the name alone."""
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_address or self.from_name or "неизвестный отправитель"


class _TextOfHtml(HTMLParser):
    """Collects the visible text of an HTML document, one line per block element."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
              "blockquote", "pre", "hr", "section", "article", "header", "footer"}
    HIDDEN = {"script", "style", "head", "title", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "td":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML letter: tags, scripts and styles dropped, entities decoded."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken document keeps what was read so far
        pass
    return tidy_text("".join(parser.parts))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # never stored (app.domain.validation)


def printable(text: str) -> str:
    """``text`` without control characters (a letter may carry any; the shop's fields take none)."""
    return _CONTROL.sub(" ", text)


def tidy_text(text: str) -> str:
    """Spaces collapsed within lines, no more than one empty line in a row, no blank ends, no control
    characters."""
    text = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()


def decode_bytes(data: bytes, charset: str | None = None) -> tuple[str, bool]:
    """Text of ``data`` in ``charset`` (else the usual Russian ones); True when it decoded cleanly."""
    for candidate in ((charset,) if charset else ()) + FALLBACK_CHARSETS:
        try:
            return data.decode(candidate), True
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), False


def _part_text(part: Message, problems: list[str]) -> str:
    """The decoded text of a text part (any charset and transfer encoding)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError, AttributeError):
        data = part.get_payload(decode=True) or b""
        text, clean = decode_bytes(data, part.get_content_charset())
        if not clean:
            problems.append("часть текста в неизвестной кодировке, нечитаемые знаки заменены")
        return text


def _header(message: Message, name: str, problems: list[str]) -> str:
    try:
        value = message.get(name)
        return str(value) if value is not None else ""
    except Exception:  # noqa: BLE001 - a malformed header must not lose the letter
        problems.append(f"заголовок {name} не прочитан")
        raw = message.get_all(name, failobj=[""]) if hasattr(message, "get_all") else [""]
        return " ".join(str(item) for item in raw)


def _addresses(value: str) -> list[tuple[str, str]]:
    return [(name.strip(), address.strip().lower()) for name, address in getaddresses([value]) if address]


def automatic_reason(message: Message, from_address: str) -> str:
    """Why ``message`` is an automatic letter (auto-reply, bounce, delivery report), "" if it is not."""
    auto_submitted = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"автоматическое письмо (Auto-Submitted: {auto_submitted})"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "автоответ (X-Autoreply)"
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"автоматическое письмо (Precedence: {precedence})"
    if from_address.split("@", 1)[0] in BOUNCE_SENDERS:
        return f"сообщение почтового сервера ({from_address})"
    if message.get_content_type() == "multipart/report" and (
            message.get_param("report-type", "") or "").lower() in REPORT_TYPES:
        return "отчёт о доставке"
    return ""


def letter_key(raw: bytes, message_id: str) -> str:
    """The letter's Message-ID (without <>), or a hash of its header block when it has none."""
    message_id = message_id.strip().strip("<>").strip()
    if message_id and len(message_id) <= MAX_KEY:
        return message_id
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].replace(b"\r\n", b"\n")
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else head).hexdigest()


def _sent_at(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)


def _is_attachment(part: Message) -> bool:
    if part.is_multipart():
        return False
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or bool(part.get_filename()) or (
        disposition == "inline" and part.get_content_maintype() not in ("text",))


def _files(message: Message, problems: list[str]) -> list[LetterFile]:
    found: list[LetterFile] = []
    for part in message.walk():
        if part is message and not part.is_multipart() and not part.get_filename():
            continue
        if not _is_attachment(part) or part.get_content_type() == "message/delivery-status":
            continue
        try:
            name = part.get_filename() or ""
        except Exception:  # noqa: BLE001
            name = ""
        data = part.get_payload(decode=True)
        if data is None:
            problems.append(f"вложение «{name or 'без имени'}» не прочитано")
            continue
        found.append(LetterFile(name.strip() or f"вложение-{len(found) + 1}", part.get_content_type(), data))
    return found


def _body(message: EmailMessage, problems: list[str]) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        part = None
    if part is None:
        if message.get_content_maintype() == "text":
            part = message
        else:
            return ""
    text = _part_text(part, problems)
    return html_to_text(text) if part.get_content_subtype() == "html" else tidy_text(text)


def parse_letter(raw: bytes) -> Letter:
    """The letter in ``raw`` (RFC 5322 bytes); never raises — what it cannot read is in ``problems``."""
    problems: list[str] = []
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:  # noqa: BLE001 - the parser itself gave up: keep the raw text
        text, _ = decode_bytes(raw)
        return Letter(letter_key(raw, ""), "", "", (), "", tidy_text(text), None,
                      problems=("письмо не удалось разобрать, сохранён его исходный текст",))
    from_name, from_address = parseaddr(_header(message, "From", problems))
    from_address = from_address.strip().lower()
    if "@" not in from_address:
        from_address = ""
        problems.append("адрес отправителя не прочитан")
    to_addresses = tuple(address for _, address in _addresses(
        ", ".join(_header(message, name, problems) for name in ("To", "Cc", "Delivered-To", "X-Original-To"))))
    try:
        text = _body(message, problems)
    except Exception:  # noqa: BLE001
        problems.append("текст письма не удалось прочитать")
        text = ""
    try:
        files = _files(message, problems)
    except Exception:  # noqa: BLE001
        problems.append("вложения не удалось прочитать")
        files = []
    try:
        automatic = automatic_reason(message, from_address)
    except Exception:  # noqa: BLE001
        automatic = ""
    return Letter(
        key=letter_key(raw, _header(message, "Message-ID", problems)),
        from_name=" ".join(printable(from_name).split()),
        from_address=from_address,
        to_addresses=to_addresses,
        subject=" ".join(printable(_header(message, "Subject", problems)).split()),
        text=text,
        sent_at=_sent_at(_header(message, "Date", problems)),
        files=tuple(files),
        automatic=automatic,
        problems=tuple(dict.fromkeys(problems)),
    )


# where a reply's quote of the earlier letter begins: «> …», «On … wrote:», «2 июня … пишет:», Outlook's line
_QUOTE_START = re.compile(r"^\s*(>|-{2,}\s*(Original Message|Исходное сообщение)|.{0,120}\b(wrote|написал\(а\)|"
                          r"написала|написал|пишет):\s*$)", re.IGNORECASE)


def without_quote(text: str) -> str:
    """A reply's own words: the text before the quote of the letter it answers."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if _QUOTE_START.match(line):
            own = lines[:number]
            while own and not own[-1].strip():
                own.pop()
            if own and line.lstrip().startswith(">") and own[-1].rstrip().endswith(":"):
                own.pop()  # the attribution line above the quote: «Пн, 2 июня …, Маня <…>:»
            return tidy_text("\n".join(own)) or text
    return text


def excerpt(text: str, limit: int = 300) -> str:
    """The start of a letter's text for the timeline: one paragraph of at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut[:limit - 1]).rstrip() + "…"
