"""SMS templates (resources/templates/sms.json, edited by the administrator into the shop's settings),
filled with a deal's data and put into the outbox; the timeline line that follows each SMS."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.domain.changes import Changes
from app.domain.errors import FieldProblem, ValidationError
from app.domain.money import format_rub
from app.domain.names import PersonName
from app.domain.sms_rules import SETTINGS_KEY, TEMPLATES_KEY, SmsSettings
from app.domain.sms_status import SmsState, timeline_text
from app.domain.sms_text import fill_template, missing_fields
from app.services.timeline import add_entry
from app.store import setting_values
from app.store.db import note_deal_changed
from app.store.models import ContactChannel, Deal, OutboxSms, TimelineEntry, User

TEMPLATES_FILE = Path(__file__).resolve().parents[2] / "resources" / "templates" / "sms.json"


@cache
def default_templates() -> dict[str, str]:
    """The templates the program comes with: name → text with {placeholders}."""
    return json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))


def templates() -> dict[str, str]:
    """The shop's templates: the program's, as the administrator edited them, and the shop's own."""
    edited = setting_values.read(TEMPLATES_KEY, {})
    return {**default_templates(), **(edited if isinstance(edited, dict) else {})}


def settings() -> SmsSettings:
    """The shop's SMS settings (gateway, sender, quiet hours, shop phone)."""
    return SmsSettings.from_dict(setting_values.read(SETTINGS_KEY))


def client_name(full_name: str) -> str:
    """How an SMS greets the client: «Тест Тестович» from «Тестов Тест Тестович»."""
    if not isinstance(full_name, str):
        return ""
    return PersonName.parse(full_name).address or full_name


def deal_values(deal: Deal, shop_phone: str | None = None) -> dict[str, str]:
    """The placeholders' values for ``deal`` (app.domain.sms_text.PLACEHOLDERS)."""
    contact = deal.contact
    return {
        "name": client_name(contact.full_name) if contact else "",
        "order_no": str(deal.order_no),
        "debt": format_rub(deal.debt) if deal.debt else "0 руб",
        "transport_company": deal.transport_company or "",
        "waybill_no": deal.waybill_no or "",
        "delivery_city": deal.delivery_city or "",
        "shop_phone": settings().shop_phone if shop_phone is None else shop_phone,
    }


def fill(template: str, deal: Deal) -> str:
    """The template's text with the deal's data filled in; ValidationError for a template the shop has not."""
    text = templates().get(template) if isinstance(template, str) else None
    if text is None:
        raise ValidationError([FieldProblem("sms.template", "выберите шаблон из списка")], "СМС не составлено")
    return fill_template(text, deal_values(deal))


def waiting_for(sms: OutboxSms) -> list[str]:
    """Labels of the deal fields this SMS still needs before it may go (e.g. «Отгружено ТК»)."""
    text = templates().get(sms.template, "") if sms.template else ""
    return missing_fields(text, deal_values(sms.deal, shop_phone="")) if text else []


def client_phone(deal: Deal) -> str:
    """The client's first phone (E.164), or ""."""
    if not deal.contact_id:
        return ""
    channel = (deal.contact.channels.where(ContactChannel.kind == ContactChannel.PHONE)
               .order_by(ContactChannel.position).first())
    return channel.value if channel else ""


def line_text(sms: OutboxSms) -> str:
    """The SMS's timeline line for its current state."""
    error = sms.last_error
    if sms.status == SmsState.PENDING and not error:
        needs = waiting_for(sms)
        error = f"нужно заполнить: {', '.join(needs)}" if needs else ""
    return timeline_text(sms.template, sms.status, sms.text, sent_at=sms.sent_at, delivered_at=sms.delivered_at,
                         failed_at=sms.failed_at, cancelled_at=sms.cancelled_at, error=error,
                         next_attempt_at=sms.next_attempt_at)


def show_on_timeline(sms: OutboxSms) -> None:
    """Bring the SMS's one timeline line up to date (inside the caller's transaction)."""
    note_deal_changed(sms.deal_id)
    TimelineEntry.update(text=line_text(sms)).where(TimelineEntry.sms == sms.id,
                                                    TimelineEntry.kind == TimelineEntry.SMS).execute()


def put_in_outbox(deal: Deal, template: str, text: str, user: User | None, phone: str | None = None) -> OutboxSms:
    """An SMS «к отправке» with its timeline line (inside the caller's transaction)."""
    message = OutboxSms.create(deal=deal, phone=client_phone(deal) if phone is None else phone,
                               template=template, text=text, created_by=user)
    add_entry(deal, TimelineEntry.SMS, line_text(message), user, sms=message)
    return message


def queue_sms(deal: Deal, template: str, user: User | None) -> OutboxSms:
    """Draft the template's SMS into the outbox («к отправке») and show it on the deal's timeline."""
    return put_in_outbox(deal, template, fill(template, deal), user)


def sms_changes(*messages: OutboxSms) -> Changes:
    """What a change to ``messages`` touches: the outbox, their deals' feeds."""
    deal_ids = frozenset(message.deal_id for message in messages)
    return Changes(deal_ids, timeline=bool(deal_ids), sms=True)
