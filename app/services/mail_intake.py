"""Leads that arrive by themselves: one round of reading the shop's mailbox.

One PC at a time reads a folder (a lease on its ``MailFolder`` row, taken and released in short
transactions). Each letter is recorded by its key (the Message-ID, or the hash of its headers) in the
same transaction as the lead or the timeline line it makes, and the folder's last UID advances in it
too: a crash between reading and recording re-reads the letter and finds it handled; two PCs that
somehow read the same letter make one lead (the key is unique; the second transaction is refused).

A letter from an address or phone of an open deal's contact goes onto that deal's timeline
(«Входящее письмо»); any other letter becomes a deal in «Неразобранное» with its automatic task, a
contact, the body as the first note and the attachments as files. Automatic letters (auto-replies,
bounces, delivery reports) and the shop's own letters are skipped.
"""
from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Callable, Protocol

import peewee

from app.domain import clock, pipeline, validation
from app.domain.changes import Changes
from app.domain.errors import ConnectionLostError, FieldProblem, ServiceError, ValidationError
from app.domain.mail_account import MailAccount
from app.domain.mail_letters import Letter, LetterFile, excerpt, parse_letter, without_quote
from app.domain.site_forms import SiteForm, find_phone, read_site_form
from app.services import deals, notes
from app.services.timeline import add_entry
from app.store import files
from app.store.db import database
from app.store.models import ContactChannel, Deal, MailFolder, MailLetter, TimelineEntry

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a PC that died while reading blocks the others this long at most
# a mailbox set up today brings the letters of the last week, not its whole history, into «Неразобранное»
HISTORY = timedelta(days=7)
SOURCE = "e-mail"
EXCERPT = 300  # a new lead's letter on its timeline (the whole text is its first note)
REPLY_LIMIT = 3000  # a client's letter on their deal's timeline
OPEN_STAGES = tuple(stage.code for stage in pipeline.STAGES if not stage.is_closed)
DUPLICATE = "письмо уже получено (тот же Message-ID)"
OWN = "письмо с адреса магазина"


class MailSource(Protocol):
    """An open mailbox folder (app.integrations.imap_mail.ImapFolder; tests may pass their own)."""

    uidvalidity: int

    def uids_after(self, last_uid: int, since: date | None = None) -> list[int]: ...

    def fetch(self, uid: int) -> bytes | None: ...


OpenFolder = Callable[[MailAccount], AbstractContextManager[MailSource]]


@dataclass
class IntakeResult:
    """What a round did; ``error`` says in Russian why it stopped early, ``busy`` that another PC reads."""

    letters: int = 0
    leads_created: int = 0
    attached_to_deals: int = 0
    skipped: int = 0
    failed: int = 0
    busy: bool = False
    error: str = ""
    checked_at: datetime | None = None
    deal_ids: set[int] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)

    def as_json(self) -> dict:
        """The command line's line: letters, leads_created, attached_to_deals, skipped, failed (+ error)."""
        found = {key: getattr(self, key) for key in ("letters", "leads_created", "attached_to_deals",
                                                      "skipped", "failed")}
        if self.busy:
            found["busy"] = True
        if self.error:
            found["error"] = self.error
        return found

    @property
    def changes(self) -> Changes:
        if not self.deal_ids:
            return Changes()
        return Changes(frozenset(self.deal_ids), frozenset(self.stages), tasks=bool(self.leads_created),
                       timeline=True, files=True)

    def count(self, status: str, deal: Deal | None) -> None:
        self.letters += 1
        attribute = {MailLetter.LEAD_CREATED: "leads_created", MailLetter.ATTACHED: "attached_to_deals",
                     MailLetter.SKIPPED: "skipped", MailLetter.FAILED: "failed"}[status]
        setattr(self, attribute, getattr(self, attribute) + 1)
        if deal is not None:
            self.deal_ids.add(deal.id)
            self.stages.add(deal.stage)


def holder_name() -> str:
    """Who reads: this PC, process and thread (two windows or threads never share a lease)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(folder_key: str, holder: str, now: datetime | None = None) -> bool:
    """Take the folder's lease for ``holder``; False when another PC holds it and it has not run out."""
    now = now or clock.now()
    with database.atomic():
        MailFolder.insert(name=folder_key, since=(now - HISTORY).date()).on_conflict_ignore().execute()
        taken = (MailFolder.update(holder=holder, held_until=now + LEASE)
                 .where(MailFolder.name == folder_key,
                        (MailFolder.holder == holder) | (MailFolder.holder == "") | MailFolder.held_until.is_null()
                        | (MailFolder.held_until < now))
                 .execute())
    return taken == 1


def release(folder_key: str, holder: str, error: str = "") -> None:
    """Give the lease back and note when the folder was checked (and what failed)."""
    with database.atomic():
        MailFolder.update(checked_at=clock.now(), last_error=error).where(MailFolder.name == folder_key).execute()
        MailFolder.update(holder="", held_until=None).where(
            MailFolder.name == folder_key, MailFolder.holder == holder).execute()


def last_check(account: MailAccount) -> tuple[datetime | None, str]:
    """When the folder was last checked (by any PC) and what failed then ("" — nothing)."""
    row = MailFolder.get_or_none(MailFolder.name == account.folder_key)
    return (row.checked_at, row.last_error) if row else (None, "")


def _start_from(folder_key: str, uidvalidity: int) -> tuple[int, date | None]:
    """The last UID handled in this folder and the first day read; a new UIDVALIDITY starts again
    from UID 0 (the keys of the letters already taken keep them from being handled twice)."""
    row = MailFolder.get_by_id(folder_key)
    if row.uidvalidity != uidvalidity:
        MailFolder.update(uidvalidity=uidvalidity, last_uid=0).where(MailFolder.name == folder_key).execute()
        return 0, row.since
    return row.last_uid, row.since


def fetch_mail(account: MailAccount, open_folder: OpenFolder, *, own_addresses: frozenset[str] = frozenset(),
               holder: str | None = None) -> IntakeResult:
    """One round: read the folder's new letters and handle each exactly once (see the module)."""
    holder = holder or holder_name()
    result = IntakeResult()
    if not claim(account.folder_key, holder):
        result.busy = True
        result.checked_at, _ = last_check(account)
        return result
    try:
        with open_folder(account) as folder:
            last_uid, since = _start_from(account.folder_key, folder.uidvalidity)
            for uid in folder.uids_after(last_uid, since):
                raw = folder.fetch(uid)
                if raw is None:
                    continue
                status, deal = take_letter(raw, account, uid, uidvalidity=folder.uidvalidity,
                                           own_addresses=own_addresses, holder=holder)
                result.count(status, deal)
    except ConnectionLostError:
        raise  # the database, not the mailbox: the caller says so
    except ServiceError as error:  # the mailbox: unreachable, refused, gone in the middle
        result.error = str(error)
    finally:
        release(account.folder_key, holder, result.error)
        result.checked_at = clock.now()
    return result


def take_letter(raw: bytes, account: MailAccount, uid: int | None = None, *, uidvalidity: int | None = None,
                own_addresses: frozenset[str] = frozenset(), holder: str = "") -> tuple[str, Deal | None]:
    """Handle one letter (one transaction): (its status, the deal it made or joined)."""
    if not isinstance(raw, (bytes, bytearray)):
        raise ValidationError([FieldProblem("mail.letter", "сервер прислал не письмо")], "Письмо не прочитано")
    letter = parse_letter(bytes(raw))
    with database.atomic():
        if uid is not None:
            _advance(account.folder_key, uid, holder)
        try:
            with database.atomic():
                row = MailLetter.create(
                    message_id=letter.key, mailbox=account.mailbox, folder=account.folder, uidvalidity=uidvalidity,
                    uid=uid, from_name=letter.from_name[:255], from_address=letter.from_address[:255],
                    to_addresses=", ".join(letter.to_addresses), subject=letter.subject, body=letter.text,
                    sent_at=letter.sent_at, received_at=clock.now(), status=MailLetter.FAILED,
                    reason="; ".join(letter.problems))
        except peewee.IntegrityError:
            return MailLetter.SKIPPED, None
        try:
            with database.atomic():
                row.status, row.deal, reason = _handle(row, letter, raw, account, own_addresses)
        except (peewee.OperationalError, peewee.InterfaceError, ConnectionLostError):
            raise  # the database is away: nothing is recorded, the letter is read again next round
        except Exception as error:  # noqa: BLE001 - one bad letter never stops the mailbox
            log.exception("Letter %s could not be handled", letter.key)
            row.status, row.deal, row.entry = MailLetter.FAILED, None, None  # its lines were rolled back
            reason = str(error) if isinstance(error, ServiceError) else f"ошибка программы: {error!r}"
        row.reason = "; ".join(part for part in (reason, row.reason) if part)
        row.save()
        return row.status, row.deal


def _advance(folder_key: str, uid: int, holder: str) -> None:
    MailFolder.update(last_uid=uid).where(MailFolder.name == folder_key, MailFolder.last_uid < uid).execute()
    if holder:
        MailFolder.update(held_until=clock.now() + LEASE).where(
            MailFolder.name == folder_key, MailFolder.holder == holder).execute()


def _handle(row: MailLetter, letter: Letter, raw: bytes, account: MailAccount,
            own_addresses: frozenset[str]) -> tuple[str, Deal | None, str]:
    if letter.automatic:
        return MailLetter.SKIPPED, None, letter.automatic
    form = read_site_form(letter.text)
    if form is None and letter.from_address in own_addresses:
        return MailLetter.SKIPPED, None, OWN
    email = _email_of(letter, form, own_addresses)
    phone = (form.phone if form is not None and form.phone.startswith("+") else None) or find_phone(letter.text)
    deal = open_deal_of(email, phone)
    if deal is not None:  # the timeline is where the client's letter is read: all of it, bar the quote
        _onto_timeline(row, deal, letter, account, REPLY_LIMIT)
        _attach(deal, letter.files)
        return MailLetter.ATTACHED, deal, ""
    return MailLetter.LEAD_CREATED, _new_lead(letter, raw, account, form, email, phone, row), ""


def _email_of(letter: Letter, form: SiteForm | None, own_addresses: frozenset[str]) -> str:
    """The client's address: the form's field in a site form's letter (sent by the site), else the sender."""
    candidate = form.email if form is not None else letter.from_address
    if not candidate or candidate in own_addresses:
        return ""
    try:
        return validation.clean_email(candidate)
    except validation.FieldError:
        return ""


def open_deal_of(email: str, phone: str | None) -> Deal | None:
    """The newest open deal whose contact has this e-mail or phone (None: nobody known)."""
    conditions = [(ContactChannel.kind == kind) & (ContactChannel.value == value)
                  for kind, value in ((ContactChannel.EMAIL, email), (ContactChannel.PHONE, phone)) if value]
    if not conditions:
        return None
    contacts = ContactChannel.select(ContactChannel.contact).where(reduce(or_, conditions))
    return (Deal.select().where(Deal.contact.in_(contacts), Deal.stage.in_(OPEN_STAGES))
            .order_by(Deal.created_at.desc(), Deal.id.desc()).first())


def letter_line(letter: Letter, account: MailAccount, limit: int = EXCERPT) -> str:
    """The timeline's «Входящее письмо»: subject, sender, the mailbox, the text without the quote of
    the earlier letter (its start, ``limit`` characters at most)."""
    head = f"Входящее письмо «{letter.subject or 'без темы'}» от {letter.sender} — импорт {account.mailbox}"
    return f"{head}\n{excerpt(without_quote(letter.text), limit)}" if letter.text else head


def _onto_timeline(row: MailLetter, deal: Deal, letter: Letter, account: MailAccount, limit: int = EXCERPT) -> None:
    """The letter's line on the deal's timeline, remembered on its row (the card answers it from there)."""
    row.entry = add_entry(deal, TimelineEntry.MAIL_IN, letter_line(letter, account, limit))


def _attach(deal: Deal, letter_files: tuple[LetterFile, ...] | list[LetterFile]) -> None:
    """The letter's files as the deal's files (each through «Прикрепить файл»)."""
    if not letter_files:
        return
    with tempfile.TemporaryDirectory(prefix="crm-mail-") as folder:
        for number, item in enumerate(letter_files):
            path = Path(folder) / str(number) / files.sanitize_filename(item.name)
            path.parent.mkdir()
            path.write_bytes(item.data)
            notes.attach_file(deal.id, None, path, comment="из письма")


def _cut(text: str, key: str) -> str:
    """``text`` within the field's length limit (a long letter is never refused for its length)."""
    limit = validation.TEXT_LIMITS.get(key, validation.DEFAULT_TEXT_LIMIT)
    text = text.strip() if key == "note" else " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _new_lead(letter: Letter, raw: bytes, account: MailAccount, form: SiteForm | None, email: str,
              phone: str | None, row: MailLetter) -> Deal:
    sender = letter.from_name or letter.from_address
    name = letter.subject or (f"Письмо от {sender}" if sender else "Письмо без темы")
    full_name = (form.name if form is not None else "") or letter.from_name or email or phone or "Клиент из письма"
    values = {"contact.full_name": _cut(full_name, "contact.full_name"), "source": SOURCE}
    if email:
        values["contact.email"] = email
    if phone:
        values["contact.phone"] = phone
    if form is not None and form.model:
        values["products"] = _cut(form.model, "products")
    deal = deals.create_deal(None, name=_cut(name, "name"), values=values).deal
    _onto_timeline(row, deal, letter, account)
    if letter.text:
        notes.add_note(deal.id, None, _cut(letter.text, "note"))
    attached = list(letter.files)
    if letter.problems:
        notes.add_note(deal.id, None, "Письмо прочитано не полностью: " + "; ".join(letter.problems)
                       + ". Исходное письмо — в файлах сделки (письмо.eml).")
        attached.append(LetterFile("письмо.eml", "message/rfc822", raw))
    _attach(deal, attached)
    return deal
