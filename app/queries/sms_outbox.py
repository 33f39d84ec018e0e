"""The outbox as screens show it: a deal's SMS, the shop's queued and failed SMS, and their counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from app.domain.sms_status import SmsState
from app.store.models import Deal, OutboxSms

QUEUED = (SmsState.PENDING, SmsState.SENDING)
FAILED = (SmsState.FAILED, SmsState.UNDELIVERED)


@dataclass(frozen=True)
class SmsLine:
    """One SMS (no database object)."""

    id: int
    deal_id: int
    order_no: int
    deal_name: str
    phone: str
    template: str  # "" for a one-off SMS
    text: str
    status: str
    created_at: datetime  # naive UTC
    changed_at: datetime  # the latest of its state times
    attempts: int
    last_error: str
    cost: int | None  # kopecks

    @property
    def status_name(self) -> str:
        return SmsState.NAMES.get(self.status, self.status)

    @property
    def title(self) -> str:
        return self.template or "Сообщение"


@dataclass(frozen=True)
class OutboxCounts:
    queued: int
    failed: int  # «ошибка» and «не доставлено»


def _lines(query) -> list[SmsLine]:
    rows = query.select(OutboxSms, Deal.order_no, Deal.name).join(Deal).order_by(OutboxSms.id.desc())
    return [SmsLine(row.id, row.deal_id, row.deal.order_no, row.deal.name, row.phone, row.template, row.text,
                    row.status, row.created_at,
                    max(t for t in (row.created_at, row.sending_at, row.sent_at, row.delivered_at, row.failed_at,
                                    row.cancelled_at) if t is not None),
                    row.attempts, row.last_error, row.cost) for row in rows]


def deal_sms(deal_id: int) -> list[SmsLine]:
    """Every SMS of the deal, newest first."""
    return _lines(OutboxSms.select().where(OutboxSms.deal == deal_id))


def outbox(states: tuple[str, ...] | None = None, limit: int = 500) -> list[SmsLine]:
    """The shop's SMS in ``states`` (None: all), newest first."""
    query = OutboxSms.select()
    if states:
        query = query.where(OutboxSms.status.in_(states))
    return _lines(query.limit(limit))


def counts() -> OutboxCounts:
    """How many SMS wait and how many failed (one query)."""
    rows = dict(OutboxSms.select(OutboxSms.status, fn.COUNT(OutboxSms.id))
                .where(OutboxSms.status.in_(QUEUED + FAILED)).group_by(OutboxSms.status).tuples())
    return OutboxCounts(sum(rows.get(s, 0) for s in QUEUED), sum(rows.get(s, 0) for s in FAILED))
