"""What a manager does with a deal's SMS by hand: write a one-off SMS, send a template (the
«Отгружено ТК» one with the transport company and waybill number), send a waiting SMS now, resend a
failed one, cancel one that has not gone yet."""
from __future__ import annotations

from typing import Any

from app.domain import clock
from app.domain.changes import Done
from app.domain.errors import FieldProblem, ServiceError, ValidationError
from app.domain.sms_status import SmsState
from app.domain.sms_text import REQUIRED_DEAL_FIELDS, missing_fields, sms_length
from app.domain.validation import checked_text
from app.services import deals
from app.services.sms import client_phone, deal_values, fill, put_in_outbox, show_on_timeline, sms_changes, templates
from app.store import lookup
from app.store.db import database
from app.store.models import OutboxSms, User

MAX_PARTS = 8  # what both gateways take (SMS.ru refuses longer ones with error 205)


def _check_text(text: str) -> str:
    text = checked_text(text, "sms.text", required=True)
    parts = sms_length(text).parts
    if parts > MAX_PARTS:
        raise ValidationError([FieldProblem("sms.text", f"слишком длинный — {parts} СМС, шлюз принимает "
                                                        f"не больше {MAX_PARTS}")])
    return text


def _phone(deal) -> str:
    phone = client_phone(deal)
    if not phone:
        raise ServiceError("Телефон: у клиента нет телефона — добавьте его на вкладке «Контакт»")
    return phone


def _get(sms_id: int) -> OutboxSms:
    return lookup.existing(OutboxSms, sms_id, "СМС не найдено (возможно, удалено на другом компьютере)")


def _template(name: object) -> str:
    """A template the shop has, by name."""
    if not isinstance(name, str) or name not in templates():
        raise ValidationError([FieldProblem("sms.template", "выберите шаблон из списка")], "СМС не отправлено")
    return name


def _save_deal_fields(deal_id: int, actor: User | None, values: dict[str, Any] | None) -> None:
    if values is not None and not isinstance(values, dict):
        raise ValidationError([FieldProblem(key, "неверное значение") for key in REQUIRED_DEAL_FIELDS])
    wanted = {key: value for key, value in (values or {}).items() if key in REQUIRED_DEAL_FIELDS}
    if wanted:
        deals.update_deal(deal_id, actor, wanted)


def write_sms(deal_id: int, actor: User | None, text: str) -> Done[OutboxSms]:
    """A one-off SMS to the deal's client, written by hand («к отправке» at once)."""
    with database.atomic():
        deal = deals.load_deal(deal_id)
        message = put_in_outbox(deal, "", _check_text(text), actor, _phone(deal))
        return Done(message, sms_changes(message))


def send_template(deal_id: int, actor: User | None, template: str,
                  values: dict[str, Any] | None = None) -> Done[OutboxSms]:
    """The template's SMS for the deal, queued by hand. A template with the transport company and
    waybill number (``values`` may give them; they are saved on the deal) refuses to go without them."""
    template = _template(template)
    with database.atomic():
        _save_deal_fields(deal_id, actor, values)
        deal = deals.load_deal(deal_id)
        missing = missing_fields(templates()[template], deal_values(deal, shop_phone=""))
        if missing:
            raise ServiceError(f"Для СМС «{template}» заполните: {', '.join(missing)}")
        text = _check_text(fill(template, deal))
        message = put_in_outbox(deal, template, text, actor, _phone(deal))
        return Done(message, sms_changes(message))


def complete_fields(sms_id: int, actor: User | None, values: dict[str, Any]) -> Done[OutboxSms]:
    """Give a waiting SMS the deal fields it needs (transport company, waybill number): they are
    saved on the deal and the SMS's text is filled again."""
    with database.atomic():
        sms = _get(sms_id)
        if sms.status != SmsState.PENDING:
            raise ServiceError("СМС уже не ждёт отправки")
        _save_deal_fields(sms.deal_id, actor, values)
        deal = deals.load_deal(sms.deal_id)
        missing = missing_fields(templates().get(sms.template, ""), deal_values(deal, shop_phone=""))
        if missing:
            raise ServiceError(f"Для СМС «{sms.template}» заполните: {', '.join(missing)}")
        sms.text = _check_text(fill(sms.template, deal))
        sms.save()
        show_on_timeline(sms)
        return Done(sms, sms_changes(sms))


def send_now(sms_id: int, actor: User | None) -> Done[OutboxSms]:
    """A waiting SMS (a retry pausing, a wrong key since fixed) goes at the next pass, attempts anew."""
    with database.atomic():
        sms = _get(sms_id)
        if sms.status != SmsState.PENDING:
            raise ServiceError(f"СМС {SmsState.NAMES.get(sms.status, sms.status)} — отправить можно только "
                               f"то, что ждёт отправки")
        OutboxSms.update(next_attempt_at=None, attempts=0, last_error="").where(
            OutboxSms.id == sms_id, OutboxSms.status == SmsState.PENDING).execute()
        sms = _get(sms_id)
        show_on_timeline(sms)
        return Done(sms, sms_changes(sms))


def resend(sms_id: int, actor: User | None) -> Done[OutboxSms]:
    """Send a failed, undelivered or cancelled SMS again: a new SMS with the same text (to the client's
    phone as it is now); the old one stays as it was."""
    with database.atomic():
        old = _get(sms_id)
        if old.status not in SmsState.RESENDABLE:
            raise ServiceError(f"СМС {SmsState.NAMES.get(old.status, old.status)} — повторно отправляют только "
                               f"неотправленные, недоставленные и отменённые")
        deal = deals.load_deal(old.deal_id)
        message = put_in_outbox(deal, old.template, old.text, actor, _phone(deal))
        return Done(message, sms_changes(old, message))


def cancel(sms_id: int, actor: User | None) -> Done[OutboxSms]:
    """Cancel an SMS that has not gone; refused once a sender took it."""
    with database.atomic():
        _get(sms_id)
        taken = OutboxSms.update(status=SmsState.CANCELLED, cancelled_at=clock.now(), next_attempt_at=None).where(
            OutboxSms.id == sms_id, OutboxSms.status == SmsState.PENDING).execute()
        sms = _get(sms_id)
        if taken != 1:
            raise ServiceError(f"СМС уже {SmsState.NAMES.get(sms.status, sms.status)} — отменить нельзя")
        show_on_timeline(sms)
        return Done(sms, sms_changes(sms))
