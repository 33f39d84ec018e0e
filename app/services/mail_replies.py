"""Letters to the client written on the deal card: «Ответить» on an incoming letter and «Написать
письмо» to the deal's contact, through the shop's SMTP settings (app.services.outgoing_mail).

Sending talks to the outside, so it is recorded around the send: ``prepare_reply``/``prepare_letter``
check what was typed and, in one transaction, record the letter as «sending» with its timeline line
(«… отправка не подтверждена»); a worker thread hands it to the server (``OutgoingLetter.send``);
``record_letter_sent`` completes the line («Ответ на письмо «…» отправлен на …»); a refused send
(``forget_unsent``) removes both, so a failed send leaves nothing. A crash between the send and the
record leaves the «sending» line in view: the letter is never sent again by itself; the person checks
the mailbox's «Отправленные» and says whether it left (``resolve_unconfirmed``).

Drafts: one per user and letter answered (or per deal for a new letter), kept until it is sent.
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from app.domain import clock, mail_reply, validation
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, NotFoundError, ServiceError, ValidationError
from app.domain.mail_letters import excerpt, without_quote
from app.integrations import smtp_mail
from app.integrations.smtp_mail import SmtpSettings
from app.services import deal_fields, outgoing_mail, permissions
from app.services.client_papers import CONTRACT
from app.services.deals import load_deal
from app.services.timeline import add_entry
from app.store import files
from app.store.db import database, note_deal_changed
from app.store.models import Attachment, Deal, MailLetter, TimelineEntry, User

NOT_SENT = "Письмо не отправлено"
LETTER_NOT_FOUND = "Письмо не найдено (возможно, удалено на другом компьютере)"
EXCERPT = 300  # of the letter's own words on its timeline line
UNCONFIRMED_AFTER = timedelta(minutes=2)  # a send takes seconds (30 s at most per answer of the server)


@dataclass(frozen=True)
class LetterForm:
    """What the compose dialog starts with: a reply's quote, a new letter's address, or a saved draft."""

    deal_id: int
    reply_to: int | None  # the incoming letter answered; None for a new letter
    to: str
    subject: str
    body: str
    about: str  # the dialog's heading: «Ответ на письмо «…» от …» or «Новое письмо по заказу №15»
    from_draft: bool = False


@dataclass(frozen=True)
class OutgoingLetter:
    """A letter recorded as «sending» and built, not yet handed to the server (no database needed)."""

    letter_id: int  # its MailLetter row
    deal_id: int
    address: str
    settings: SmtpSettings
    password: str | None
    message: EmailMessage

    def send(self) -> str:
        """Hand the letter to the shop's SMTP server (seconds: a worker thread may call it)."""
        return smtp_mail.send(self.settings, self.password, self.message)


def _changes(deal_id: int) -> Changes:
    return Changes(frozenset({deal_id}), timeline=True)


def _incoming(letter_id: object) -> MailLetter:
    letter = (MailLetter.get_or_none(MailLetter.id == letter_id, MailLetter.direction == MailLetter.INCOMING)
              if validation.is_id(letter_id) else None)
    if letter is None or letter.deal_id is None:
        raise NotFoundError(LETTER_NOT_FOUND)
    return letter


def _sender(letter: MailLetter) -> str:
    if letter.from_name and letter.from_address:
        return f"{letter.from_name} <{letter.from_address}>"
    return letter.from_address or letter.from_name or "неизвестный отправитель"


def _draft(actor: User | None, deal_id: int, reply_to: int | None) -> MailLetter | None:
    query = MailLetter.select().where(MailLetter.status == MailLetter.DRAFT, MailLetter.deal == deal_id,
                                      MailLetter.written_by == (actor.id if actor else None),
                                      (MailLetter.reply_to == reply_to) if reply_to else MailLetter.reply_to.is_null())
    return query.order_by(MailLetter.id.desc()).first()


def _form(actor: User | None, deal_id: int, reply_to: int | None, to: str, subject: str, body: str,
          about: str) -> LetterForm:
    draft = _draft(actor, deal_id, reply_to)
    if draft is not None:
        return LetterForm(deal_id, reply_to, draft.to_addresses, draft.subject, draft.body, about, True)
    return LetterForm(deal_id, reply_to, to, subject, body, about)


def start_reply(letter_id: int, actor: User | None) -> LetterForm:
    """«Ответить»: to the sender, «Re: …», the original quoted below (or the user's draft of it)."""
    permissions.require(actor, permissions.PAPERS)
    letter = _incoming(letter_id)
    sender = _sender(letter)
    return _form(actor, letter.deal_id, letter.id, letter.from_address, mail_reply.reply_subject(letter.subject),
                 mail_reply.quoted(letter.body, sender, letter.sent_at or letter.received_at),
                 f"Ответ на письмо «{letter.subject or mail_reply.NO_SUBJECT}» от {sender}")


def start_letter(deal_id: int, actor: User | None) -> LetterForm:
    """«Написать письмо»: to the deal's contact's e-mail (or the user's draft)."""
    permissions.require(actor, permissions.PAPERS)
    deal = load_deal(deal_id)
    email = deal_fields.current_values(deal)["contact.email"]
    return _form(actor, deal.id, None, email, "", "", f"Новое письмо по заказу №{deal.order_no}")


def _draft_problems(to: object, subject: object, body: object) -> list[FieldProblem]:
    """A draft may be unfinished (no address yet, an empty text) but not junk."""
    problems = []
    for key, value, limit in ((mail_reply.TO, to, validation.DEFAULT_TEXT_LIMIT),
                              (mail_reply.SUBJECT, subject, mail_reply.SUBJECT_LIMIT),
                              (mail_reply.BODY, body, mail_reply.BODY_LIMIT)):
        if not isinstance(value, str):
            problems.append(FieldProblem(key, "нужен текст"))
        elif validation.has_control_characters(value):
            problems.append(FieldProblem(key, "недопустимые (управляющие) символы"))
        elif len(value) > limit:
            problems.append(FieldProblem(key, f"не длиннее {limit} знаков (сейчас {len(value)})"))
    return problems


def _letter_target(deal_id: int, reply_to: int | None) -> tuple[int, int | None]:
    """The deal and the letter answered, checked (a reply's deal is its letter's)."""
    if reply_to is not None:
        letter = _incoming(reply_to)
        return letter.deal_id, letter.id
    return load_deal(deal_id).id, None


def save_draft(deal_id: int, reply_to: int | None, actor: User | None, to: str, subject: str,
               body: str) -> Done[int]:
    """Keep what was typed in the compose dialog (one draft per user and letter); returns its row id."""
    permissions.require(actor, permissions.PAPERS)
    problems = _draft_problems(to, subject, body)
    if problems:
        raise ValidationError(problems, "Черновик не сохранён")
    with database.atomic():
        deal_id, reply_to = _letter_target(deal_id, reply_to)
        draft = _draft(actor, deal_id, reply_to)
        if draft is None:
            draft = MailLetter(message_id=f"draft:{uuid.uuid4().hex}",
                               mailbox="", direction=MailLetter.OUTGOING, deal=deal_id, status=MailLetter.DRAFT,
                               reply_to=reply_to, written_by=actor)
        draft.to_addresses, draft.subject, draft.body, draft.received_at = to.strip(), subject, body, clock.now()
        draft.save()
    return Done(draft.id, Changes())


def drop_draft(deal_id: int, reply_to: int | None, actor: User | None) -> Done[int]:
    """Forget the user's draft of this letter; returns how many were dropped."""
    with database.atomic():
        dropped = 0
        while (draft := _draft(actor, deal_id, reply_to)) is not None:
            dropped += draft.delete_instance()
    return Done(dropped, Changes())


def _deal_file(deal: Deal, attachment_id: object, actor: User | None) -> smtp_mail.Attachment:
    attachment = (Attachment.get_or_none(Attachment.id == attachment_id, Attachment.deal == deal.id)
                  if validation.is_id(attachment_id) else None)
    if attachment is None:
        raise ValidationError([FieldProblem(mail_reply.FILES, "файл сделки не найден (возможно, удалён)")], NOT_SENT)
    if attachment.kind == CONTRACT:  # the contract carries passport data
        permissions.require(actor, permissions.PASSPORT_VIEW)
    return _read(files.path_of(attachment.stored_name), attachment.original_name)


def _read(path: Path, name: str) -> smtp_mail.Attachment:
    try:
        return smtp_mail.Attachment(name, path.read_bytes())
    except OSError as error:
        raise ValidationError([FieldProblem(mail_reply.FILES, f"не удалось прочитать «{name}»: "
                                                              f"{error.strerror or error}")], NOT_SENT) from None


def _disk_file(path: object) -> smtp_mail.Attachment:
    if not isinstance(path, (str, Path)) or not str(path).strip() or "\x00" in str(path):
        raise ValidationError([FieldProblem(mail_reply.FILES, "файл не указан")], NOT_SENT)
    path = Path(path)
    return _read(path, path.name)


def _what(subject: str, reply_to: MailLetter | None) -> str:
    if reply_to is not None:
        return f"Ответ на письмо «{reply_to.subject or mail_reply.NO_SUBJECT}»"
    return f"Письмо «{subject or mail_reply.NO_SUBJECT}»"


def pending_text(subject: str, reply_to: MailLetter | None, address: str) -> str:
    """The timeline's line while the letter is handed to the server (and after a crash in between)."""
    return (f"{_what(subject, reply_to)} на {address}: отправка не подтверждена (если строка так и осталась, "
            f"проверьте папку «Отправленные» почтового ящика)")


def sent_text(subject: str, reply_to: MailLetter | None, address: str, body: str, file_names: Sequence[str]) -> str:
    """«Ответ на письмо «…» отправлен на …» (or «Письмо «…» отправлено на …»), the start of the text
    and the files attached."""
    verb = "отправлен" if reply_to is not None else "отправлено"
    lines = [f"{_what(subject, reply_to)} {verb} на {address}"]
    own = excerpt(without_quote(body), EXCERPT)
    if own:
        lines.append(own)
    if file_names:
        lines.append("Вложения: " + ", ".join(file_names))
    return "\n".join(lines)


def _prepare(deal: Deal, reply_to: MailLetter | None, actor: User | None, to: object, subject: object,
             body: object, deal_files: Sequence[int], disk_files: Sequence[Path | str]) -> Done[OutgoingLetter]:
    if not isinstance(deal_files, (list, tuple)) or not isinstance(disk_files, (list, tuple)):
        raise ValidationError([FieldProblem(mail_reply.FILES, "ожидается список файлов")], NOT_SENT)
    attached = [_deal_file(deal, item, actor) for item in deal_files] + [_disk_file(item) for item in disk_files]
    address, problems = mail_reply.letter_problems(to, subject, body, sum(len(item.data) for item in attached))
    if problems:
        raise ValidationError(problems, NOT_SENT)
    subject = " ".join(subject.split())
    settings = outgoing_mail.mail_settings()
    smtp_mail.require_ready(settings)
    message = smtp_mail.build_message(settings, address, subject, body, attached)
    if reply_to is not None and not reply_to.message_id.startswith("sha256:"):
        message["In-Reply-To"] = message["References"] = f"<{reply_to.message_id}>"
    with database.atomic():
        row = MailLetter.create(
            message_id=message["Message-ID"].strip("<>"), mailbox=settings.sender, direction=MailLetter.OUTGOING,
            deal=deal.id, from_name=settings.sender_name, from_address=settings.sender, to_addresses=address,
            subject=subject, body=body, status=MailLetter.SENDING, reply_to=reply_to, written_by=actor,
            received_at=clock.now(), file_names="\n".join(item.name for item in attached))
        row.entry = add_entry(deal, TimelineEntry.MAIL_OUT, pending_text(subject, reply_to, address), actor)
        row.save()
    outgoing = OutgoingLetter(row.id, deal.id, address, settings, outgoing_mail.mail_password(settings), message)
    return Done(outgoing, _changes(deal.id))


def prepare_reply(letter_id: int, actor: User | None, to: str, subject: str, body: str,
                  deal_files: Sequence[int] = (), disk_files: Sequence[Path | str] = ()) -> Done[OutgoingLetter]:
    """Check a reply to an incoming letter and record it as «sending» (In-Reply-To/References carry
    the original's Message-ID, so the client's mail program threads it)."""
    permissions.require(actor, permissions.PAPERS)
    letter = _incoming(letter_id)
    return _prepare(load_deal(letter.deal_id), letter, actor, to, subject, body, deal_files, disk_files)


def prepare_letter(deal_id: int, actor: User | None, to: str, subject: str, body: str,
                   deal_files: Sequence[int] = (), disk_files: Sequence[Path | str] = ()) -> Done[OutgoingLetter]:
    """Check a new letter about the deal and record it as «sending»."""
    permissions.require(actor, permissions.PAPERS)
    return _prepare(load_deal(deal_id), None, actor, to, subject, body, deal_files, disk_files)


def _sending(letter_id: int) -> MailLetter | None:
    return MailLetter.get_or_none(MailLetter.id == letter_id, MailLetter.direction == MailLetter.OUTGOING,
                                  MailLetter.status == MailLetter.SENDING)


def _complete(row: MailLetter, actor: User | None) -> Done[int]:
    row.status, row.sent_at = MailLetter.SENT, clock.now()
    row.save()
    text = sent_text(row.subject, row.reply_to, row.to_addresses, row.body, row.file_names.splitlines())
    TimelineEntry.update(text=text, at=row.sent_at).where(TimelineEntry.id == row.entry_id).execute()
    note_deal_changed(row.deal_id)
    drop_draft(row.deal_id, row.reply_to_id, actor)
    return Done(row.id, _changes(row.deal_id))


def _forget(row: MailLetter) -> Done[int]:
    if row.entry_id is not None:
        TimelineEntry.delete().where(TimelineEntry.id == row.entry_id).execute()
    row.delete_instance()
    note_deal_changed(row.deal_id)
    return Done(row.id, _changes(row.deal_id))


def record_letter_sent(outgoing: OutgoingLetter, actor: User | None) -> Done[int]:
    """The server took the letter: it is «sent», its line says so, the draft it came from is gone."""
    with database.atomic():
        row = _sending(outgoing.letter_id)
        if row is None:
            raise NotFoundError(LETTER_NOT_FOUND)
        return _complete(row, actor)


def forget_unsent(outgoing: OutgoingLetter) -> Done[int]:
    """The server refused the letter (it was not sent): its row and line go, as if never written."""
    with database.atomic():
        row = _sending(outgoing.letter_id)
        return _forget(row) if row is not None else Done(outgoing.letter_id, _changes(outgoing.deal_id))


def resolve_unconfirmed(letter_id: int, actor: User | None, *, sent: bool) -> Done[int]:
    """A letter left «sending» (the program stopped during its send): the person checked the mailbox's
    «Отправленные» and says whether it left — its line is completed or removed; it is never sent again."""
    permissions.require(actor, permissions.PAPERS)
    if not isinstance(sent, bool):
        raise ServiceError("Укажите, ушло ли письмо")
    with database.atomic():
        row = _sending(letter_id) if validation.is_id(letter_id) else None
        if row is None:
            raise NotFoundError("Письмо уже отмечено (возможно, на другом компьютере)")
        if clock.now() - row.received_at < UNCONFIRMED_AFTER:
            raise ServiceError("Письмо ещё отправляется — подождите пару минут")
        return _complete(row, actor) if sent else _forget(row)


def send_prepared(outgoing: OutgoingLetter, actor: User | None) -> Done[int]:
    """Send a prepared letter and record the outcome (MailError, nothing left, when it was not sent)."""
    try:
        outgoing.send()
    except smtp_mail.MailError:
        forget_unsent(outgoing)
        raise
    return record_letter_sent(outgoing, actor)


def send_reply(letter_id: int, actor: User | None, to: str, subject: str, body: str,
               deal_files: Sequence[int] = (), disk_files: Sequence[Path | str] = ()) -> Done[int]:
    """Answer an incoming letter (prepare, send, record in one call; the card sends from a thread)."""
    return send_prepared(prepare_reply(letter_id, actor, to, subject, body, deal_files, disk_files).value, actor)


def send_letter(deal_id: int, actor: User | None, to: str, subject: str, body: str,
                deal_files: Sequence[int] = (), disk_files: Sequence[Path | str] = ()) -> Done[int]:
    """Write a new letter about the deal (prepare, send, record in one call)."""
    return send_prepared(prepare_letter(deal_id, actor, to, subject, body, deal_files, disk_files).value, actor)
