"""Sending the outbox: claim, send, record — each SMS sent once across PCs and crashes.

A sender claims an SMS by one atomic ``UPDATE … SET status='sending' WHERE id=? AND status='pending'``
and sends only when it changed the row. An SMS found «отправляется» for longer than STUCK_AFTER was left
by a program that stopped between the gateway's answer and recording it: it is resolved by asking the
gateway (by its id, or by ours where the gateway keeps it), never by sending again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from app.domain import clock, pipeline, validation
from app.domain.changes import Changes
from app.domain.codes import TaskType
from app.domain.errors import ServiceError
from app.domain.sms_rules import MAX_ATTEMPTS, STATUS_EVERY, STATUS_FOR, STUCK_AFTER, quiet_until, retry_delay
from app.domain.sms_status import TAKEN, GatewayAnswer, Outcome, SmsGateway, SmsState
from app.services import people
from app.services.sms import settings as sms_settings
from app.services.sms import show_on_timeline, waiting_for
from app.services.tasks import create_task
from app.store.db import database
from app.store.models import OutboxSms

log = logging.getLogger(__name__)

BATCH = 50
MAX_BATCH = 10_000
UNKNOWN_OUTCOME = ("неизвестно, ушло ли СМС: программа остановилась во время отправки — проверьте "
                   "в личном кабинете шлюза и при необходимости отправьте заново")


@dataclass
class SendReport:
    """What one pass over the outbox did (the CLI prints the first four as JSON)."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    delivered: int = 0
    problem: str = ""  # why sending stopped (the gateway refused the key …), Russian
    quiet_until: datetime | None = None  # SMS were due but it is night: they go then (naive UTC)
    deal_ids: set[int] = field(default_factory=set)

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "retried": self.retried, "skipped": self.skipped}

    @property
    def changes(self) -> Changes:
        touched = frozenset(self.deal_ids)
        return Changes(touched, timeline=bool(touched), tasks=bool(touched), sms=bool(touched))


def send_due(gateway: SmsGateway, *, limit: int = BATCH) -> SendReport:
    """One pass: resolve SMS left «отправляется», send what is due (outside quiet hours), then ask
    the gateway about the delivery of what was sent."""
    if not validation.is_id(limit) or limit > MAX_BATCH:
        raise ServiceError(f"Сколько СМС отправить за раз: целое число от 1 до {MAX_BATCH}")
    report = SendReport()
    resolve_stuck(gateway, report)
    now = clock.now()
    due = list(OutboxSms.select(OutboxSms.id).where(
        OutboxSms.status == SmsState.PENDING,
        OutboxSms.next_attempt_at.is_null() | (OutboxSms.next_attempt_at <= now))
        .order_by(OutboxSms.id).limit(limit).tuples())
    shop = sms_settings()
    report.quiet_until = quiet_until(now, shop.quiet_from, shop.quiet_to) if due else None
    if report.quiet_until is not None:
        report.skipped += len(due)
        due = []
    for index, (sms_id,) in enumerate(due):
        sms = OutboxSms.get_or_none(OutboxSms.id == sms_id)
        if sms is None or sms.status != SmsState.PENDING or waiting_for(sms) or not claim(sms_id, gateway.code):
            report.skipped += 1
            continue
        if not sms.phone:
            answer = GatewayAnswer(Outcome.BAD_NUMBER, detail="у клиента нет телефона")
        else:
            answer = gateway.send(sms.phone, sms.text, client_id=sms.id)
        record(sms_id, answer, report)
        if answer.outcome is Outcome.BAD_KEY:
            report.problem = answer.message
            report.skipped += len(due) - index - 1
            break
    check_delivery(gateway, report)
    return report


def claim(sms_id: int, gateway_code: str) -> bool:
    """Take the SMS for sending (pending → sending); False when another sender was first."""
    if not validation.is_id(sms_id):
        return False
    validation.checked_text(gateway_code, "sms.gateway", required=True, multiline=False)
    now = clock.now()
    with database.atomic():
        taken = OutboxSms.update(status=SmsState.SENDING, sending_at=now, attempts=OutboxSms.attempts + 1,
                                 gateway=gateway_code).where(
            OutboxSms.id == sms_id, OutboxSms.status == SmsState.PENDING,
            OutboxSms.next_attempt_at.is_null() | (OutboxSms.next_attempt_at <= now)).execute()
    return taken == 1


def _task_for_manager(sms: OutboxSms, reason: str) -> None:
    """«СМС не отправлено: …» for the deal's manager (or «Магазины»), inside the caller's transaction."""
    user, group = people.addressee(sms.deal, pipeline.TO_MANAGER)
    name = f"«{sms.template}» " if sms.template else ""
    create_task(sms.deal, None, text=f"СМС {name}не отправлено: {reason}", type=TaskType.CONTACT,
                user=user, group=group, due_at=clock.now(), rule="sms.failed")


def _fail(sms: OutboxSms, reason: str, now: datetime, *, state: str = SmsState.FAILED) -> None:
    sms.status, sms.last_error, sms.failed_at, sms.next_attempt_at = state, reason, now, None
    _task_for_manager(sms, reason)


def _taken(sms: OutboxSms, answer: GatewayAnswer, now: datetime) -> None:
    """The gateway has the SMS: sent, and maybe already delivered or not."""
    sms.status = SmsState.SENT
    sms.sent_at = sms.sent_at or now
    sms.gateway_id = answer.gateway_id or sms.gateway_id
    sms.cost = answer.cost if answer.cost is not None else sms.cost
    sms.parts = answer.parts or sms.parts
    sms.last_error, sms.next_attempt_at, sms.checked_at = "", None, now
    if answer.outcome is Outcome.DELIVERED:
        sms.status, sms.delivered_at = SmsState.DELIVERED, now
    elif answer.outcome is Outcome.NOT_DELIVERED:
        _fail(sms, answer.detail or "причина не названа", now, state=SmsState.UNDELIVERED)


def record(sms_id: int, answer: GatewayAnswer, report: SendReport) -> None:
    """Write the gateway's answer to a claimed SMS, its timeline line and (when it failed) the task."""
    now = clock.now()
    with database.atomic():
        sms = OutboxSms.get_by_id(sms_id)
        if answer.outcome in TAKEN:
            _taken(sms, answer, now)
            report.sent += 1
        elif answer.outcome is Outcome.BAD_KEY:  # the settings are wrong, not this SMS: it waits
            sms.status, sms.last_error = SmsState.PENDING, answer.message
            sms.attempts -= 1
            sms.next_attempt_at = now + retry_delay(1)
            report.skipped += 1
        elif answer.retryable and sms.attempts < MAX_ATTEMPTS:
            sms.status, sms.last_error = SmsState.PENDING, answer.message
            sms.next_attempt_at = now + retry_delay(sms.attempts)
            report.retried += 1
        else:
            reason = answer.message if answer.permanent else f"{answer.message}, попыток: {sms.attempts}"
            _fail(sms, reason, now)
            report.failed += 1
        sms.save()
        show_on_timeline(sms)
        report.deal_ids.add(sms.deal_id)
    log.info("SMS %s: %s (%s)", sms_id, answer.outcome.value, answer.code)


def resolve_stuck(gateway: SmsGateway, report: SendReport) -> None:
    """SMS left «отправляется» by a stopped program: ask the gateway what became of each."""
    now = clock.now()
    stuck = list(OutboxSms.select().where(OutboxSms.status == SmsState.SENDING,
                                          OutboxSms.sending_at <= now - STUCK_AFTER).order_by(OutboxSms.id))
    for sms in stuck:
        with database.atomic():  # one resolver per SMS: the one that moves its claim time
            if OutboxSms.update(sending_at=now).where(OutboxSms.id == sms.id, OutboxSms.status == SmsState.SENDING,
                                                      OutboxSms.sending_at == sms.sending_at).execute() != 1:
                continue
        can_ask = sms.gateway == gateway.code and (sms.gateway_id or gateway.supports_client_id)
        answer = gateway.status(sms.phone, gateway_id=sms.gateway_id, client_id=sms.id) if can_ask else None
        if answer is not None and answer.outcome in (Outcome.NETWORK, Outcome.TEMPORARY, Outcome.LIMITS):
            continue  # ask again on a later pass
        with database.atomic():
            sms = OutboxSms.get_by_id(sms.id)
            if answer is not None and answer.outcome in TAKEN:
                _taken(sms, answer, now)
                report.sent += 1
            elif answer is not None and answer.outcome is Outcome.NOT_FOUND and not sms.gateway_id:
                # the gateway never got it (it keeps our id): it may go again
                sms.status, sms.next_attempt_at = SmsState.PENDING, None
                report.retried += 1
            else:
                _fail(sms, UNKNOWN_OUTCOME, now)
                report.failed += 1
            sms.save()
            show_on_timeline(sms)
            report.deal_ids.add(sms.deal_id)


def check_delivery(gateway: SmsGateway, report: SendReport, *, limit: int = BATCH) -> None:
    """Ask the gateway whether SMS sent in the last days were delivered."""
    now = clock.now()
    waiting = list(OutboxSms.select().where(
        OutboxSms.status == SmsState.SENT, OutboxSms.gateway == gateway.code, OutboxSms.gateway_id != "",
        OutboxSms.sent_at >= now - STATUS_FOR,
        OutboxSms.checked_at.is_null() | (OutboxSms.checked_at <= now - STATUS_EVERY))
        .order_by(OutboxSms.id).limit(limit))
    for sms in waiting:
        answer = gateway.status(sms.phone, gateway_id=sms.gateway_id, client_id=sms.id)
        with database.atomic():
            fresh = OutboxSms.get_by_id(sms.id)
            if fresh.status != SmsState.SENT:
                continue
            fresh.checked_at = now
            if answer.outcome in (Outcome.DELIVERED, Outcome.NOT_DELIVERED):
                _taken(fresh, answer, now)
                report.delivered += answer.outcome is Outcome.DELIVERED
                report.failed += answer.outcome is Outcome.NOT_DELIVERED
                show_on_timeline(fresh)
                report.deal_ids.add(fresh.deal_id)
            elif answer.cost is not None:
                fresh.cost = answer.cost
            fresh.save()
