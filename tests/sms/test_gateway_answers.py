"""Each gateway's answers and codes, as the fakes on 127.0.0.1 give them, mapped to what the shop reads
(no database: the gateways only talk HTTP)."""
from __future__ import annotations

import pytest

from app.domain.sms_rules import SmsSettings
from app.domain.sms_status import Outcome
from app.integrations.sms_gateways import make_gateway

SMSRU = SmsSettings(gateway="smsru")
SMSC = SmsSettings(gateway="smsc", login="shop")


@pytest.mark.parametrize("code,outcome,text", [
    (201, Outcome.NO_MONEY, "на счёте СМС-шлюза нет денег"),
    (202, Outcome.BAD_NUMBER, "неверный номер телефона"),
    (204, Outcome.SENDER_NOT_APPROVED, "имя отправителя не согласовано со шлюзом"),
    (205, Outcome.TOO_LONG, "сообщение слишком длинное"),
    (206, Outcome.LIMITS, "достигнут лимит отправки шлюза"),
    (209, Outcome.STOP_LIST, "номер в стоп-листе"),
    (220, Outcome.TEMPORARY, "шлюз временно недоступен"),
    (299, Outcome.TEMPORARY, "шлюз временно недоступен (код 299)"),
])
def test_smsru_codes(smsru_fake, code, outcome, text):
    smsru_fake.plan = [smsru_fake.error(code)]
    answer = make_gateway(SMSRU, "test-key").send("+78008008000", "Привет", client_id=1)
    assert (answer.outcome, answer.message) == (outcome, text)
    assert answer.permanent == (outcome not in (Outcome.LIMITS, Outcome.TEMPORARY))


@pytest.mark.parametrize("code,outcome", [(3, Outcome.NO_MONEY), (6, Outcome.SENDER_NOT_APPROVED),
                                          (7, Outcome.BAD_NUMBER), (8, Outcome.STOP_LIST), (9, Outcome.LIMITS),
                                          (2, Outcome.BAD_KEY)])
def test_smsc_codes(smsc_fake, code, outcome):
    smsc_fake.plan = [smsc_fake.error(code)]
    assert make_gateway(SMSC, "test-key").send("+78008008000", "Привет", client_id=1).outcome is outcome


@pytest.mark.parametrize("state,outcome,reason", [(100, Outcome.ACCEPTED, ""), (102, Outcome.SENT, ""),
                                                  (103, Outcome.DELIVERED, ""),
                                                  (104, Outcome.NOT_DELIVERED, "истёк срок доставки"),
                                                  (150, Outcome.NOT_DELIVERED, "нет маршрута до номера")])
def test_smsru_status(smsru_fake, state, outcome, reason):
    smsru_fake.states["000000-00000001"] = state
    answer = make_gateway(SMSRU, "test-key").status("+78008008000", gateway_id="000000-00000001", client_id=1)
    assert (answer.outcome, answer.detail) == (outcome, reason)
    unknown = make_gateway(SMSRU, "test-key").status("+78008008000", gateway_id="000000-99", client_id=1)
    assert unknown.outcome is Outcome.NOT_FOUND


def test_smsc_status_by_our_own_id(smsc_fake):
    smsc_fake.states["42"] = 20
    answer = make_gateway(SMSC, "test-key").status("+78008008000", gateway_id="", client_id=42)
    assert (answer.outcome, answer.message) == (Outcome.NOT_DELIVERED, "не доставлено (невозможно доставить)")
    assert make_gateway(SMSC, "test-key").status("+7800", gateway_id="", client_id=43).outcome is Outcome.NOT_FOUND


def test_accepted_send_carries_the_gateways_id_and_cost(smsru_fake, smsc_fake):
    smsru = make_gateway(SMSRU, "test-key").send("+7 800 800-80-00", "Привет", client_id=5)
    assert (smsru.outcome, smsru.gateway_id) == (Outcome.ACCEPTED, "000000-00000001")
    smsc = make_gateway(SMSC, "test-key").send("+7 800 800-80-00", "Привет", client_id=5)
    assert (smsc.outcome, smsc.gateway_id, smsc.cost, smsc.parts) == (Outcome.ACCEPTED, "5", 340, 2)
    sends = [request.form for request, _ in smsc_fake.server.log if request.path == "/sys/send.php"]
    assert sends[0]["phones"] == "78008008000" and sends[0]["fmt"] == "3" and sends[0]["id"] == "5"


def test_balance_and_cost(smsru_fake, smsc_fake):
    gateway = make_gateway(SMSRU, "test-key")
    assert gateway.balance().kopecks == 412256
    answer = gateway.cost("+78008008000", "Привет")
    assert answer.cost == 395 and answer.parts == 2
    bad = make_gateway(SMSRU, "wrong").balance()
    assert bad.kopecks is None and "ключ" in bad.problem.message
    assert make_gateway(SMSC, "test-key").balance().kopecks == 9660
    assert make_gateway(SMSC, "wrong").balance().problem.outcome is Outcome.BAD_KEY
