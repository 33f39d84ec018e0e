"""The shop's outgoing mail: its SMTP settings (shop-wide, edited by the administrator; the password in
this PC's keyring) and sending a paper of a deal to the client, noted on the deal's timeline."""
from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ServiceError, ValidationError
from app.domain.validation import FieldError, clean_email
from app.integrations import smtp_mail
from app.integrations.smtp_mail import SmtpSettings
from app.services import client_papers, paper_settings, permissions
from app.services.timeline import add_entry, audit
from app.store import setting_values
from app.store.connection_settings import config_dir
from app.store.db import database
from app.store.models import Attachment, Deal, TimelineEntry, User
from app.store.password_store import PasswordStore

SETTING_KEY = "mail.smtp"


def password_store() -> PasswordStore:
    """Where this PC keeps the mailbox password (the system keyring, else a file only the user reads)."""
    return PasswordStore(config_dir() / "secrets.json")


def mail_settings() -> SmtpSettings:
    stored = setting_values.read(SETTING_KEY, {})
    return SmtpSettings.from_dict(stored if isinstance(stored, dict) else {})


def mail_password(settings: SmtpSettings) -> str | None:
    return password_store().get(settings.account) if settings.user else None


def settings_problems(values: dict) -> list[FieldProblem]:
    """Per field, what is wrong with typed SMTP settings."""
    problems = SmtpSettings.from_dict(values).problems()
    return [FieldProblem(smtp_mail.PREFIX + key, text) for key, text in problems.items()]


def save_mail_settings(actor: User | None, values: dict, password: str | None = None) -> Done[str]:
    """The administrator stores the mailbox; returns where the password went (when one was given)."""
    permissions.require(actor, permissions.SETTINGS_MANAGE)
    problems = settings_problems(values)
    if password is not None and not isinstance(password, str):
        problems.append(FieldProblem("mail.password", "ожидается текст"))
    if problems:
        raise ValidationError(problems, "Почта не сохранена")
    settings = SmtpSettings.from_dict(values)
    with database.atomic():
        setting_values.write(SETTING_KEY, settings.as_dict())
        audit(actor, "shop_settings", None, f"Почта для отправки: {settings.sender} через {settings.host}")
    where = password_store().set(settings.account, password) if password else ""
    return Done(where, Changes(settings=True, audit=True))


def check_mail_settings(values: dict, password: str | None) -> None:
    """Connect and sign in with typed settings (MailError says what is wrong)."""
    settings = SmtpSettings.from_dict(values)
    smtp_mail.check(settings, password if password else mail_password(settings))


def _subject_and_body(paper: client_papers.Paper, shop_name: str) -> tuple[str, str]:
    subject = f"{paper.title} — {shop_name}"
    body = (f"Здравствуйте!\n\nВо вложении — {paper.title.lower()[:1] + paper.title[1:]} "
            f"по заказу №{paper.order_no}.\n\nС уважением,\n{shop_name}\n")
    return subject, body


@dataclass(frozen=True)
class OutgoingPaper:
    """A letter with a paper, checked and built, not yet sent (sending needs no database)."""

    paper: client_papers.Paper
    address: str
    settings: SmtpSettings
    password: str | None
    message: EmailMessage

    def send(self) -> str:
        """Hand the letter to the shop's SMTP server (may take seconds: a worker thread may call it)."""
        return smtp_mail.send(self.settings, self.password, self.message)


def prepare_paper_mail(attachment_id: int, actor: User | None, to: str) -> OutgoingPaper:
    """Check the right and the address and build the letter with the paper's PDF attached. A contract
    carries passport data: it needs the right to see it."""
    permissions.require(actor, permissions.PAPERS)
    try:
        if not isinstance(to, str):
            raise FieldError("Укажите адрес e-mail, например ivanova@mail.ru")
        address = clean_email(to)
    except FieldError as error:
        raise ValidationError([FieldProblem("mail.to", str(error))], "Письмо не отправлено") from None
    paper = client_papers.paper_of(attachment_id)
    if paper.kind == client_papers.CONTRACT:
        permissions.require(actor, permissions.PASSPORT_VIEW)
    settings = mail_settings()
    shop = paper_settings.shop_details()
    subject, body = _subject_and_body(paper, shop.name or settings.sender_name or "Магазин")
    pdf = smtp_mail.Attachment(paper.file_name, paper.path.read_bytes(), "application/pdf")
    return OutgoingPaper(paper, address, settings, mail_password(settings),
                         smtp_mail.build_message(settings, address, subject, body, [pdf]))


def record_sent(outgoing: OutgoingPaper, actor: User | None, message_id: str) -> Done[str]:
    """Note a sent paper on the deal's timeline: «Счёт №2026-014 на 32 000 руб отправлен на test@test.ru»;
    a contract's sending is written to the audit log."""
    paper, address = outgoing.paper, outgoing.address
    with database.atomic():
        deal = Deal.get_or_none(Deal.id == paper.deal_id)
        if deal is None:
            raise ServiceError("Сделка не найдена (возможно, удалена на другом компьютере)")
        add_entry(deal, TimelineEntry.MAIL_OUT, client_papers.sent_text(paper, address), actor,
                  attachment=Attachment.get_by_id(paper.attachment_id))
        if paper.kind == client_papers.CONTRACT:
            audit(actor, "passport_export", deal, f"{paper.title} с паспортными данными отправлен на {address}")
    return Done(message_id, Changes(frozenset({paper.deal_id}), timeline=True,
                                    audit=paper.kind == client_papers.CONTRACT))


def send_paper(attachment_id: int, actor: User | None, to: str) -> Done[str]:
    """E-mail a paper attached to a deal (an invoice, contract or order form) to ``to`` and note it on
    the deal's timeline (prepare, send, record in one call; the card sends from a worker thread)."""
    outgoing = prepare_paper_mail(attachment_id, actor, to)
    return record_sent(outgoing, actor, outgoing.send())
