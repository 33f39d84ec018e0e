"""SMS in the shop's words: the outbox's states, what a gateway answered, and the deal timeline's line.

Gateways (app.integrations.sms_gateways) map their own codes to an ``Outcome``; the outbox
(app.services.sms_outbox) decides from the outcome whether an SMS is done, retried or failed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from app.domain import clock


class SmsState:
    """The outbox's states: к отправке → отправляется → отправлено → доставлено / не доставлено / ошибка."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    NAMES = {PENDING: "к отправке", SENDING: "отправляется", SENT: "отправлено", DELIVERED: "доставлено",
             UNDELIVERED: "не доставлено", FAILED: "ошибка", CANCELLED: "отменено"}
    # what a manager may send again by hand
    RESENDABLE = frozenset({UNDELIVERED, FAILED, CANCELLED})


class Outcome(Enum):
    """What a gateway said about one SMS (or why it could not be asked)."""

    ACCEPTED = "accepted"  # the gateway took it into its queue
    SENT = "sent"  # handed over to the mobile operator
    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"  # the operator gave up (``detail`` says why)
    NOT_FOUND = "not_found"  # the gateway knows no such message
    NO_MONEY = "no_money"
    BAD_NUMBER = "bad_number"
    SENDER_NOT_APPROVED = "sender_not_approved"
    STOP_LIST = "stop_list"
    TOO_LONG = "too_long"
    BAD_TEXT = "bad_text"  # empty or forbidden text
    BAD_KEY = "bad_key"  # the API key or login was refused: the gateway's settings, not this SMS
    LIMITS = "limits"  # a daily or per-number limit: later
    TEMPORARY = "temporary"  # the gateway's own trouble (5xx, «сервис временно недоступен»)
    NETWORK = "network"  # no answer: no connection, a timeout


OUTCOME_TEXTS = {
    Outcome.ACCEPTED: "принято шлюзом",
    Outcome.SENT: "передано оператору",
    Outcome.DELIVERED: "доставлено",
    Outcome.NOT_DELIVERED: "не доставлено",
    Outcome.NOT_FOUND: "шлюз не знает такого сообщения",
    Outcome.NO_MONEY: "на счёте СМС-шлюза нет денег",
    Outcome.BAD_NUMBER: "неверный номер телефона",
    Outcome.SENDER_NOT_APPROVED: "имя отправителя не согласовано со шлюзом",
    Outcome.STOP_LIST: "номер в стоп-листе",
    Outcome.TOO_LONG: "сообщение слишком длинное",
    Outcome.BAD_TEXT: "текст сообщения не принят шлюзом",
    Outcome.BAD_KEY: "шлюз не принял ключ (логин/пароль) — проверьте «Настройки → СМС…»",
    Outcome.LIMITS: "достигнут лимит отправки шлюза",
    Outcome.TEMPORARY: "шлюз временно недоступен",
    Outcome.NETWORK: "нет связи со шлюзом",
}
PERMANENT = frozenset({Outcome.NO_MONEY, Outcome.BAD_NUMBER, Outcome.SENDER_NOT_APPROVED, Outcome.STOP_LIST,
                       Outcome.TOO_LONG, Outcome.BAD_TEXT})
RETRYABLE = frozenset({Outcome.TEMPORARY, Outcome.NETWORK, Outcome.LIMITS})
# the gateway has the SMS (whatever became of it later)
TAKEN = frozenset({Outcome.ACCEPTED, Outcome.SENT, Outcome.DELIVERED, Outcome.NOT_DELIVERED})


@dataclass(frozen=True)
class GatewayAnswer:
    """One answer of a gateway about one SMS."""

    outcome: Outcome
    gateway_id: str = ""
    cost: int | None = None  # kopecks
    parts: int | None = None
    detail: str = ""  # the gateway's own reason, e.g. why it was not delivered
    code: str = ""  # the gateway's own code, for the log

    @property
    def message(self) -> str:
        """The Russian text a manager reads: «не доставлено (абонент недоступен)»."""
        text = OUTCOME_TEXTS[self.outcome]
        return f"{text} ({self.detail})" if self.detail else text

    @property
    def permanent(self) -> bool:
        return self.outcome in PERMANENT

    @property
    def retryable(self) -> bool:
        return self.outcome in RETRYABLE


@dataclass(frozen=True)
class Balance:
    """The gateway account's balance (kopecks), or the problem that stopped asking."""

    kopecks: int | None
    problem: GatewayAnswer | None = None


class SmsGateway(Protocol):
    """One SMS service (SMS.ru, SMSC.ru …) behind the same four questions."""

    code: str  # "smsru", "smsc"
    name: str  # «SMS.ru»
    max_parts: int  # the longest SMS (in parts) the gateway takes
    supports_client_id: bool  # whether a status can be asked by our own id (no gateway id needed)

    def send(self, phone: str, text: str, *, client_id: int) -> GatewayAnswer: ...

    def status(self, phone: str, *, gateway_id: str, client_id: int) -> GatewayAnswer: ...

    def cost(self, phone: str, text: str) -> GatewayAnswer: ...

    def balance(self) -> Balance: ...


def _moment(at: datetime, since: datetime | None) -> str:
    """«02.06 01:19», or just «01:20» on the same local day as ``since``."""
    local = clock.to_local(at)
    if since is not None and clock.to_local(since).date() == local.date():
        return local.strftime("%H:%M")
    return local.strftime("%d.%m %H:%M")


def timeline_text(template: str, state: str, text: str, *, sent_at: datetime | None = None,
                  delivered_at: datetime | None = None, failed_at: datetime | None = None,
                  cancelled_at: datetime | None = None, error: str = "",
                  next_attempt_at: datetime | None = None) -> str:
    """The deal timeline's one line of an SMS, kept up to date as its state changes:
    «СМС «Оплачено инд» отправлено 02.06 01:19, доставлено 01:20: …текст…»."""
    head = f"СМС «{template}»" if template else "СМС"
    if state == SmsState.PENDING:
        status = "к отправке"
        if error and next_attempt_at is not None:
            status += f" (повтор в {_moment(next_attempt_at, None)}: {error})"
        elif error:
            status += f" ({error})"
    elif state == SmsState.SENDING:
        status = "отправляется"
    elif state == SmsState.CANCELLED:
        status = f"отменено {_moment(cancelled_at, None)}" if cancelled_at else "отменено"
    elif state == SmsState.FAILED:
        status = f"не отправлено: {error}" if error else "не отправлено"
    else:
        status = f"отправлено {_moment(sent_at, None)}" if sent_at else "отправлено"
        if state == SmsState.DELIVERED and delivered_at:
            status += f", доставлено {_moment(delivered_at, sent_at)}"
        elif state == SmsState.UNDELIVERED:
            when = f" {_moment(failed_at, sent_at)}" if failed_at else ""
            status += f", не доставлено{when}" + (f" ({error})" if error else "")
    return f"{head} {status}: {text}"
