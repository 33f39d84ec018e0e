"""SMS gateways behind one interface (app.domain.sms_status.SmsGateway): SMS.ru and SMSC.ru over httpx.

Each maps its own answer codes to an ``Outcome``. The base URL comes from the environment variable
``CRM_SMS_BASE_URL`` (checks point it at a local fake), else from the settings, else the gateway's own.
The API key or password is read from the keyring (app.store.secrets) and never logged or shown.
"""
from __future__ import annotations

import logging
import os
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from app.domain.sms_rules import SETTINGS_KEY, SmsSettings
from app.domain.sms_status import Balance, GatewayAnswer, Outcome
from app.store import secrets, setting_values

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

BASE_URL_ENV = "CRM_SMS_BASE_URL"
TIMEOUT_S, CONNECT_TIMEOUT_S = 15.0, 5.0


class GatewayNotConfigured(Exception):
    """No gateway can be used on this PC (no key in the keyring, an unknown gateway)."""


def kopecks(value) -> int | None:
    """«1.40» or 1.4 roubles → 140 kopecks (None when absent or unreadable)."""
    if value in (None, ""):
        return None
    try:
        return int((Decimal(str(value)) * 100).quantize(Decimal(1)))
    except InvalidOperation:
        return None


def digits(phone: str) -> str:
    """«+7 912 345-67-89» → «79123456789», as both gateways want it."""
    return re.sub(r"\D", "", phone or "")


class HttpGateway:
    """What both gateways share: one httpx client with timeouts, network errors as outcomes."""

    code = ""
    name = ""
    default_base_url = ""
    balance_path = ""
    max_parts = 8
    supports_client_id = False

    def __init__(self, secret: str, settings: SmsSettings, *, base_url: str | None = None,
                 client: httpx.Client | None = None) -> None:
        self.secret = secret
        self.settings = settings
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        import httpx  # loads at the first SMS, not with the window

        self.client = client or httpx.Client(timeout=httpx.Timeout(TIMEOUT_S, connect=CONNECT_TIMEOUT_S))

    def close(self) -> None:
        self.client.close()

    def _params(self, **extra) -> dict:
        """The request's parameters with the account's credentials."""
        raise NotImplementedError

    def _refusal(self, answer: dict) -> GatewayAnswer | None:
        """The gateway's refusal of the whole request, if its answer is one."""
        raise NotImplementedError

    def balance(self) -> Balance:
        """The account's balance: both gateways answer ``{"balance": "123.45"}``."""
        answer = self._ask(self.balance_path, self._params())
        if isinstance(answer, GatewayAnswer):
            return Balance(None, answer)
        return Balance(kopecks(answer.get("balance")))

    def _ask(self, path: str, params: dict) -> dict | GatewayAnswer:
        """The gateway's JSON answer, or the outcome that stands for no answer or a refusal."""
        answer = self._call(path, params)
        if isinstance(answer, GatewayAnswer):
            return answer
        return self._refusal(answer) or answer

    def _call(self, path: str, params: dict) -> dict | GatewayAnswer:
        """The gateway's JSON answer, or the outcome that stands for not getting one."""
        import httpx

        try:
            response = self.client.post(f"{self.base_url}{path}", data=params)
        except httpx.TimeoutException:
            log.warning("%s: no answer in time from %s", self.name, path)
            return GatewayAnswer(Outcome.NETWORK, detail="шлюз не ответил вовремя")
        except httpx.HTTPError as error:
            log.warning("%s: %s failed: %s", self.name, path, type(error).__name__)
            return GatewayAnswer(Outcome.NETWORK)
        if response.status_code >= 500:
            return GatewayAnswer(Outcome.TEMPORARY, detail=f"HTTP {response.status_code}",
                                 code=str(response.status_code))
        if response.status_code >= 400:
            return GatewayAnswer(Outcome.TEMPORARY if response.status_code == 429 else Outcome.BAD_KEY,
                                 detail=f"HTTP {response.status_code}", code=str(response.status_code))
        try:
            answer = response.json()
        except ValueError:
            return GatewayAnswer(Outcome.TEMPORARY, detail="непонятный ответ шлюза")
        return answer if isinstance(answer, dict) else GatewayAnswer(Outcome.TEMPORARY,
                                                                      detail="непонятный ответ шлюза")


class SmsRu(HttpGateway):
    """SMS.ru (https://sms.ru/api): ``sms/send``, ``sms/status``, ``sms/cost``, ``my/balance``, ``json=1``."""

    code = "smsru"
    name = "SMS.ru"
    default_base_url = "https://sms.ru"
    balance_path = "/my/balance"
    max_parts = 8  # error 205: «сообщение слишком длинное (превышает 8 СМС)»
    supports_client_id = False

    ERRORS = {
        200: Outcome.BAD_KEY, 300: Outcome.BAD_KEY, 301: Outcome.BAD_KEY, 302: Outcome.BAD_KEY,
        201: Outcome.NO_MONEY,
        202: Outcome.BAD_NUMBER, 207: Outcome.BAD_NUMBER,
        203: Outcome.BAD_TEXT, 212: Outcome.BAD_TEXT,
        204: Outcome.SENDER_NOT_APPROVED,
        205: Outcome.TOO_LONG,
        206: Outcome.LIMITS, 230: Outcome.LIMITS, 231: Outcome.LIMITS, 232: Outcome.LIMITS, 233: Outcome.LIMITS,
        209: Outcome.STOP_LIST,
        220: Outcome.TEMPORARY, 500: Outcome.TEMPORARY,
    }
    # sms/status: the message's own state
    STATES = {
        100: (Outcome.ACCEPTED, ""), 101: (Outcome.ACCEPTED, ""), 102: (Outcome.SENT, ""),
        103: (Outcome.DELIVERED, ""), 110: (Outcome.DELIVERED, ""),
        104: (Outcome.NOT_DELIVERED, "истёк срок доставки"), 105: (Outcome.NOT_DELIVERED, "удалено оператором"),
        106: (Outcome.NOT_DELIVERED, "сбой в телефоне"), 107: (Outcome.NOT_DELIVERED, "неизвестная причина"),
        108: (Outcome.NOT_DELIVERED, "отклонено"), 150: (Outcome.NOT_DELIVERED, "нет маршрута до номера"),
        -1: (Outcome.NOT_FOUND, ""),
    }

    def _params(self, **extra) -> dict:
        return {"api_id": self.secret, "json": 1, **extra}

    def _refusal(self, answer: dict) -> GatewayAnswer | None:
        return self._error(answer) if answer.get("status") != "OK" else None

    def _error(self, part: dict) -> GatewayAnswer:
        code = int(part.get("status_code") or 0)
        outcome = self.ERRORS.get(code, Outcome.TEMPORARY)
        detail = "" if outcome is not Outcome.TEMPORARY or code in self.ERRORS else f"код {code}"
        return GatewayAnswer(outcome, detail=detail, code=str(code))

    def send(self, phone: str, text: str, *, client_id: int) -> GatewayAnswer:
        number = digits(phone)
        params = self._params(to=number, msg=text)
        if self.settings.sender:
            params["from"] = self.settings.sender
        if self.settings.test_mode:
            params["test"] = 1
        answer = self._ask("/sms/send", params)
        if isinstance(answer, GatewayAnswer):
            return answer
        part = (answer.get("sms") or {}).get(number) or next(iter((answer.get("sms") or {}).values()), {})
        if part.get("status") != "OK":
            return self._error(part)
        return GatewayAnswer(Outcome.ACCEPTED, gateway_id=str(part.get("sms_id", "")), cost=kopecks(part.get("cost")),
                             parts=part.get("sms"), code=str(part.get("status_code", "")))

    def status(self, phone: str, *, gateway_id: str, client_id: int) -> GatewayAnswer:
        if not gateway_id:
            return GatewayAnswer(Outcome.NOT_FOUND)
        answer = self._ask("/sms/status", self._params(sms_id=gateway_id))
        if isinstance(answer, GatewayAnswer):
            return answer
        part = (answer.get("sms") or {}).get(gateway_id, {})
        code = int(part.get("status_code") or -1)
        if part.get("status") != "OK" and code not in self.STATES:
            return self._error(part)
        outcome, reason = self.STATES.get(code, (Outcome.SENT, ""))
        return GatewayAnswer(outcome, gateway_id=gateway_id, cost=kopecks(part.get("cost")), parts=part.get("sms"),
                             detail=reason, code=str(code))

    def cost(self, phone: str, text: str) -> GatewayAnswer:
        number = digits(phone)
        answer = self._ask("/sms/cost", self._params(to=number, msg=text))
        if isinstance(answer, GatewayAnswer):
            return answer
        part = (answer.get("sms") or {}).get(number, {})
        if part.get("status") != "OK":
            return self._error(part)
        return GatewayAnswer(Outcome.ACCEPTED, cost=kopecks(part.get("cost")), parts=part.get("sms"))



class Smsc(HttpGateway):
    """SMSC.ru (https://smsc.ru/api/http/): ``sys/send.php``, ``status.php``, ``balance.php`` with ``fmt=3``
    (JSON). Our own outbox id goes as the message ``id``, so a status can be asked without the gateway's."""

    code = "smsc"
    name = "SMSC.ru"
    default_base_url = "https://smsc.ru"
    balance_path = "/sys/balance.php"
    max_parts = 8  # the program's own limit for this gateway
    supports_client_id = True

    ERRORS = {
        1: Outcome.BAD_TEXT, 5: Outcome.BAD_TEXT,
        2: Outcome.BAD_KEY,
        3: Outcome.NO_MONEY,
        4: Outcome.LIMITS, 9: Outcome.LIMITS,
        6: Outcome.SENDER_NOT_APPROVED,
        7: Outcome.BAD_NUMBER,
        8: Outcome.STOP_LIST,
    }
    ERROR_DETAILS = {1: "ошибка в параметрах", 4: "адрес временно заблокирован шлюзом",
                     6: "или текст запрещён шлюзом", 8: "или доставка на номер невозможна",
                     9: "слишком частые или одинаковые запросы"}
    STATES = {
        -1: (Outcome.ACCEPTED, ""), 0: (Outcome.SENT, ""), 1: (Outcome.DELIVERED, ""), 2: (Outcome.DELIVERED, ""),
        4: (Outcome.DELIVERED, ""),
        -2: (Outcome.NOT_DELIVERED, "остановлено"), 3: (Outcome.NOT_DELIVERED, "истёк срок доставки"),
        20: (Outcome.NOT_DELIVERED, "невозможно доставить"), 22: (Outcome.NOT_DELIVERED, "неверный номер"),
        23: (Outcome.NOT_DELIVERED, "запрещено"), 24: (Outcome.NOT_DELIVERED, "недостаточно средств"),
        25: (Outcome.NOT_DELIVERED, "номер недоступен"),
        -3: (Outcome.NOT_FOUND, ""),
    }

    def _params(self, **extra) -> dict:
        return {"login": self.settings.login, "psw": self.secret, "fmt": 3, "charset": "utf-8", **extra}

    def _refusal(self, answer: dict) -> GatewayAnswer | None:
        return self._error(answer) if "error_code" in answer or "error" in answer else None

    def _error(self, answer: dict) -> GatewayAnswer:
        code = int(answer.get("error_code") or 0)
        return GatewayAnswer(self.ERRORS.get(code, Outcome.TEMPORARY),
                             detail=self.ERROR_DETAILS.get(code, "" if code in self.ERRORS else f"код {code}"),
                             code=str(code))

    def send(self, phone: str, text: str, *, client_id: int) -> GatewayAnswer:
        params = self._params(phones=digits(phone), mes=text, id=client_id, cost=3)
        if self.settings.sender:
            params["sender"] = self.settings.sender
        answer = self._ask("/sys/send.php", params)
        if isinstance(answer, GatewayAnswer):
            return answer
        return GatewayAnswer(Outcome.ACCEPTED, gateway_id=str(answer.get("id", client_id)),
                             cost=kopecks(answer.get("cost")), parts=answer.get("cnt"))

    def status(self, phone: str, *, gateway_id: str, client_id: int) -> GatewayAnswer:
        answer = self._ask("/sys/status.php", self._params(phone=digits(phone), id=gateway_id or client_id))
        if isinstance(answer, GatewayAnswer):
            return answer
        code = int(answer.get("status", -3))
        outcome, reason = self.STATES.get(code, (Outcome.SENT, ""))
        return GatewayAnswer(outcome, gateway_id=gateway_id or str(client_id), detail=reason, code=str(code),
                             cost=kopecks(answer.get("cost")))

    def cost(self, phone: str, text: str) -> GatewayAnswer:
        answer = self._ask("/sys/send.php", self._params(phones=digits(phone), mes=text, cost=1))
        if isinstance(answer, GatewayAnswer):
            return answer
        return GatewayAnswer(Outcome.ACCEPTED, cost=kopecks(answer.get("cost")), parts=answer.get("cnt"))



GATEWAYS: dict[str, type[HttpGateway]] = {SmsRu.code: SmsRu, Smsc.code: Smsc}


def base_url(settings: SmsSettings) -> str | None:
    """The API address to use: ``CRM_SMS_BASE_URL``, else the settings', else None (the gateway's own)."""
    return os.environ.get(BASE_URL_ENV) or settings.base_url or None


def make_gateway(settings: SmsSettings, secret: str, *, client: httpx.Client | None = None) -> HttpGateway:
    """The gateway the settings choose, with its key."""
    kind = GATEWAYS.get(settings.gateway)
    if kind is None:
        raise GatewayNotConfigured(f"Неизвестный СМС-шлюз «{settings.gateway}»")
    return kind(secret, settings, base_url=base_url(settings), client=client)


def configured_settings() -> SmsSettings:
    """The shop's SMS settings as stored."""
    return SmsSettings.from_dict(setting_values.read(SETTINGS_KEY))


def configured_gateway() -> HttpGateway:
    """The shop's gateway with this PC's key; GatewayNotConfigured (Russian) when it cannot be used."""
    settings = configured_settings()
    secret = secrets.store().get(settings.secret_key)
    if not secret:
        raise GatewayNotConfigured(f"Ключ {settings.gateway_name} не задан на этом компьютере "
                                   f"(«Настройки → СМС…»)")
    return make_gateway(settings, secret)
