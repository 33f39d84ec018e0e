"""SMS templates from resources/templates/sms.json, filled and put into the outbox."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.domain.names import PersonName
from app.services.timeline import add_entry
from app.store.models import ContactChannel, Deal, OutboxSms, TimelineEntry, User

TEMPLATES_FILE = Path(__file__).resolve().parents[2] / "resources" / "templates" / "sms.json"


@cache
def templates() -> dict[str, str]:
    """Template code → text with {placeholders}."""
    return json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))


def client_name(full_name: str) -> str:
    """How an SMS greets the client: «Тест Тестович» from «Тестов Тест Тестович»."""
    return PersonName.parse(full_name).address or full_name


def fill(template: str, deal: Deal) -> str:
    """The template's text with the deal's data filled in."""
    contact = deal.contact
    return templates()[template].format(
        name=client_name(contact.full_name) if contact else "",
        order_no=deal.order_no,
        transport_company=deal.transport_company or "—",
        waybill_no=deal.waybill_no or "—",
        delivery_city=deal.delivery_city or "—",
    )


def queue_sms(deal: Deal, template: str, user: User | None) -> OutboxSms:
    """Draft the SMS into the outbox («к отправке») and show it on the deal's timeline."""
    phone = ""
    if deal.contact_id:
        channel = (deal.contact.channels.where(ContactChannel.kind == ContactChannel.PHONE)
                   .order_by(ContactChannel.position).first())
        phone = channel.value if channel else ""
    message = OutboxSms.create(deal=deal, phone=phone, template=template, text=fill(template, deal))
    add_entry(deal, TimelineEntry.SMS, f"СМС «{template}» к отправке: {message.text}", user, sms=message)
    return message
