"""The outbox against fake gateways: each SMS leaves once, refusals become the manager's task,
network trouble is retried, a send cut short is resolved by asking the gateway."""
from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.domain.sms_rules import MAX_ATTEMPTS
from app.domain.sms_status import SmsState
from app.integrations.sms_gateways import configured_gateway, configured_settings, make_gateway
from app.services.sms_outbox import send_due
from app.store.models import OutboxSms, Task, TimelineEntry
from tests.domain.helpers import run_together
from tests.sms.conftest import queue


def sms_row(sms_id: int) -> OutboxSms:
    return OutboxSms.get_by_id(sms_id)


def timeline_line(sms_id: int) -> str:
    return TimelineEntry.get(TimelineEntry.sms == sms_id).text


def test_sent_then_delivered_shows_on_the_timeline(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    report = send_due(configured_gateway())
    assert report.as_json() == {"sent": 1, "failed": 0, "retried": 0, "skipped": 0}
    row = sms_row(sms_id)
    assert row.status == SmsState.SENT and row.gateway_id == "000000-00000001" and row.attempts == 1
    assert timeline_line(sms_id).startswith("СМС «Оплачено» отправлено 02.06 12:00: ")
    smsru.states[row.gateway_id] = 103
    fake_clock.advance(timedelta(minutes=3))
    send_due(configured_gateway())
    row = sms_row(sms_id)
    assert row.status == SmsState.DELIVERED and row.cost == 395
    assert timeline_line(sms_id).startswith("СМС «Оплачено» отправлено 02.06 12:00, доставлено 12:03: ")
    assert smsru.sends == 1


def test_not_delivered_says_why_and_tells_the_manager(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    send_due(configured_gateway())
    smsru.states[sms_row(sms_id).gateway_id] = 104
    fake_clock.advance(timedelta(minutes=3))
    send_due(configured_gateway())
    assert sms_row(sms_id).status == SmsState.UNDELIVERED
    assert "не доставлено 12:03 (истёк срок доставки)" in timeline_line(sms_id)
    task = Task.get(Task.rule == "sms.failed")
    assert task.assignee_user_id == staff["manager"].id and "истёк срок доставки" in task.text


def test_refusal_is_not_retried_and_becomes_a_task(smsru, staff):
    (sms_id,) = queue(staff)
    smsru.plan = [smsru.error(201)]
    report = send_due(configured_gateway())
    assert report.as_json() == {"sent": 0, "failed": 1, "retried": 0, "skipped": 0}
    row = sms_row(sms_id)
    expected = "на счёте СМС-шлюза нет денег"
    assert row.status == SmsState.FAILED and row.last_error == expected and row.next_attempt_at is None
    (task,) = Task.select().where(Task.rule == "sms.failed")
    assert task.text == "СМС «Оплачено» не отправлено: " + expected
    assert task.assignee_user_id == staff["manager"].id
    assert f"не отправлено: {expected}" in timeline_line(sms_id)
    send_due(configured_gateway())
    assert smsru.sends == 1


def test_smsc_refusal_is_not_retried(smsc, staff):
    (sms_id,) = queue(staff)
    smsc.plan = [smsc.error(7, "invalid phone")]
    assert send_due(configured_gateway()).failed == 1
    assert sms_row(sms_id).last_error == "неверный номер телефона"
    assert Task.select().where(Task.rule == "sms.failed").count() == 1


def test_server_error_is_retried_with_growing_pauses_then_sent(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    smsru.plan = [502, 503]
    assert send_due(configured_gateway()).as_json() == {"sent": 0, "failed": 0, "retried": 1, "skipped": 0}
    row = sms_row(sms_id)
    assert row.status == SmsState.PENDING and row.next_attempt_at == fake_clock.at + timedelta(minutes=1)
    assert "к отправке (повтор в 02.06 12:01: шлюз временно недоступен (HTTP 502))" in timeline_line(sms_id)
    assert send_due(configured_gateway()).skipped == 0 and smsru.sends == 1  # not due yet
    fake_clock.advance(timedelta(minutes=1))
    send_due(configured_gateway())
    assert sms_row(sms_id).next_attempt_at == fake_clock.at + timedelta(minutes=2)
    fake_clock.advance(timedelta(minutes=2))
    assert send_due(configured_gateway()).sent == 1
    assert sms_row(sms_id).status == SmsState.SENT and smsru.sends == 3 and sum(smsru.sent.values()) == 1


def test_retries_are_bounded(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    smsru.plan = [500] * 10
    for _ in range(MAX_ATTEMPTS):
        send_due(configured_gateway())
        fake_clock.advance(timedelta(hours=1))
    row = sms_row(sms_id)
    assert row.status == SmsState.FAILED and row.attempts == MAX_ATTEMPTS and smsru.sends == MAX_ATTEMPTS
    assert f"попыток: {MAX_ATTEMPTS}" in Task.get(Task.rule == "sms.failed").text


def test_timeout_is_network_trouble_retried(smsru, staff):
    (sms_id,) = queue(staff)
    smsru.plan = ["hang"]
    gateway = make_gateway(configured_settings(), "test-key", client=httpx.Client(timeout=0.2))
    try:
        assert send_due(gateway).retried == 1
    finally:
        smsru.release.set()
    row = sms_row(sms_id)
    assert row.status == SmsState.PENDING and "нет связи со шлюзом (шлюз не ответил вовремя)" in row.last_error


def test_wrong_key_keeps_the_sms_waiting_and_says_so(smsru, staff, memory_secrets):
    ids = queue(staff, 2)
    memory_secrets.set("sms:smsru", "wrong")
    report = send_due(configured_gateway())
    assert report.sent == 0 and report.failed == 0 and "ключ" in report.problem and smsru.sends == 1
    assert {sms_row(i).status for i in ids} == {SmsState.PENDING} and not Task.select().where(
        Task.rule == "sms.failed").exists()


class Killed(BaseException):
    """The program stopped (power cut, killed) right after the gateway's answer."""


def killed_after_send(gateway):
    real_send = gateway.send

    def send(*args, **kwargs):
        real_send(*args, **kwargs)
        raise Killed

    gateway.send = send
    return gateway


def test_killed_after_send_is_resolved_by_its_gateway_id_not_sent_again(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    with pytest.raises(Killed):
        send_due(killed_after_send(configured_gateway()))
    assert sms_row(sms_id).status == SmsState.SENDING
    # the gateway id had been written (as a sender does that records it), the program stopped anyway
    OutboxSms.update(gateway_id="000000-00000001").where(OutboxSms.id == sms_id).execute()
    smsru.states["000000-00000001"] = 103
    assert send_due(configured_gateway()).sent == 0  # just restarted: another PC may still be sending it
    fake_clock.advance(timedelta(minutes=3))
    assert send_due(configured_gateway()).sent == 1
    assert sms_row(sms_id).status == SmsState.DELIVERED and smsru.sends == 1 and smsru.status_asks == 1


def test_killed_smsc_send_is_found_by_our_own_id(smsc, staff, fake_clock):
    (sms_id,) = queue(staff)
    with pytest.raises(Killed):
        send_due(killed_after_send(configured_gateway()))
    row = sms_row(sms_id)
    assert row.status == SmsState.SENDING and row.gateway_id == ""
    smsc.states[str(sms_id)] = 1
    fake_clock.advance(timedelta(minutes=3))
    send_due(configured_gateway())
    assert sms_row(sms_id).status == SmsState.DELIVERED and smsc.sends == 1


def test_killed_smsru_send_without_an_id_is_never_sent_blindly(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    with pytest.raises(Killed):
        send_due(killed_after_send(configured_gateway()))
    fake_clock.advance(timedelta(minutes=3))
    assert send_due(configured_gateway()).failed == 1
    assert sms_row(sms_id).status == SmsState.FAILED and smsru.sends == 1
    assert "неизвестно, ушло ли СМС" in Task.get(Task.rule == "sms.failed").text


def test_two_senders_racing_send_each_sms_exactly_once(smsru, staff):
    ids = queue(staff, 6)
    reports = []
    errors = run_together(*[lambda: reports.append(send_due(configured_gateway())) for _ in range(2)])
    assert errors == []
    assert sum(report.sent for report in reports) == 6 and smsru.sends == 6
    assert set(smsru.sent.values()) == {1} and len(smsru.sent) == 6
    assert {sms_row(i).status for i in ids} == {SmsState.SENT}


def test_quiet_hours_hold_sms_until_the_morning(smsru, staff, fake_clock):
    (sms_id,) = queue(staff)
    fake_clock.advance(timedelta(hours=10))  # 22:00 in Moscow
    night = send_due(configured_gateway())
    assert night.as_json() == {"sent": 0, "failed": 0, "retried": 0, "skipped": 1}
    assert night.quiet_until == fake_clock.at + timedelta(hours=11) and not night.problem
    fake_clock.advance(timedelta(hours=11))  # 09:00
    assert send_due(configured_gateway()).sent == 1 and smsru.sends == 1
