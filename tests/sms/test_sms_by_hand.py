"""A manager's SMS by hand on the deal card, and the administrator's SMS settings and templates."""
from __future__ import annotations

import pytest

from app.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from app.domain.sms_rules import SmsSettings
from app.domain.sms_status import SmsState
from app.integrations.sms_gateways import configured_gateway
from app.queries import sms_outbox
from app.services import sms, sms_manual, sms_settings
from app.services.sms_outbox import send_due
from app.store.models import OutboxSms, TimelineEntry
from tests.domain.helpers import complete_deal
from tests.sms.conftest import queue


def test_one_off_sms_goes_and_shows_on_the_deal(smsru, staff):
    deal = complete_deal(staff["manager"])
    done = sms_manual.write_sms(deal.id, staff["manager"], "Добрый день! Кровать готова.")
    assert done.changes.sms and deal.id in done.changes.deal_ids
    assert send_due(configured_gateway()).sent == 1
    (line,) = sms_outbox.deal_sms(deal.id)
    assert line.status_name == "отправлено" and line.title == "Сообщение"
    assert TimelineEntry.get(TimelineEntry.sms == line.id).text.startswith("СМС отправлено 02.06 12:00: Добрый")


def test_empty_or_too_long_text_is_refused(db, staff, counts):
    deal = complete_deal(staff["manager"])
    before = counts()
    with pytest.raises(ServiceError, match="Текст СМС: не заполнено"):
        sms_manual.write_sms(deal.id, staff["manager"], "  ")
    with pytest.raises(ServiceError, match="слишком длинный — 9 СМС"):
        sms_manual.write_sms(deal.id, staff["manager"], "я" * 67 * 9)
    assert counts() == before


def test_shipped_tk_sms_asks_for_the_transport_company_and_waybill(smsru, staff):
    deal = complete_deal(staff["manager"], delivery_type="Транспортная компания")
    with pytest.raises(ServiceError, match="Транспортная компания, Номер накладной"):
        sms_manual.send_template(deal.id, staff["manager"], "Отгружено ТК")
    done = sms_manual.send_template(deal.id, staff["manager"], "Отгружено ТК",
                                    {"transport_company": "СДЭК", "waybill_no": "1234567"})
    assert "СДЭК, накладная 1234567" in done.value.text


def test_queued_tk_sms_waits_for_its_fields(smsru, staff):
    (sms_id,) = queue(staff, template="Отгружено ТК")
    assert "нужно заполнить: Транспортная компания, Номер накладной" in TimelineEntry.get(
        TimelineEntry.sms == sms_id).text
    assert send_due(configured_gateway()).as_json()["skipped"] == 1 and smsru.sends == 0
    sms_manual.complete_fields(sms_id, staff["manager"], {"transport_company": "ПЭК", "waybill_no": "77"})
    assert send_due(configured_gateway()).sent == 1
    assert "ПЭК, накладная 77" in next(iter(smsru.sent))


def test_cancel_and_resend(smsru, staff):
    (sms_id,) = queue(staff)
    sms_manual.cancel(sms_id, staff["manager"])
    assert OutboxSms.get_by_id(sms_id).status == SmsState.CANCELLED
    assert "отменено 02.06 12:00" in TimelineEntry.get(TimelineEntry.sms == sms_id).text
    assert send_due(configured_gateway()).sent == 0
    with pytest.raises(ServiceError, match="отменить нельзя"):
        sms_manual.cancel(sms_id, staff["manager"])
    again = sms_manual.resend(sms_id, staff["manager"]).value
    assert again.id != sms_id and send_due(configured_gateway()).sent == 1 and smsru.sends == 1
    with pytest.raises(ServiceError, match="повторно отправляют только"):
        sms_manual.resend(again.id, staff["manager"])


def test_send_now_skips_the_retry_pause(smsru, staff):
    (sms_id,) = queue(staff)
    smsru.plan = [503]
    send_due(configured_gateway())
    assert send_due(configured_gateway()).sent == 0
    sms_manual.send_now(sms_id, staff["manager"])
    assert send_due(configured_gateway()).sent == 1


def test_settings_and_key_are_kept_apart(db, staff, memory_secrets):
    settings = SmsSettings(gateway="smsc", login="manya", sender="Manya", quiet_from="22:00", quiet_to="08:00")
    with pytest.raises(PermissionDeniedError):
        sms_settings.save_settings(staff["manager"], settings, "secret")
    sms_settings.save_settings(staff["admin"], settings, "secret")
    assert sms.settings() == settings and memory_secrets.get("sms:smsc") == "secret"
    assert "secret" not in str(settings.to_dict())
    with pytest.raises(ValidationError, match="Тихие часы с: время в виде ЧЧ:ММ"):
        sms_settings.save_settings(staff["admin"], SmsSettings(quiet_from="25"))
    with pytest.raises(ValidationError, match="Имя отправителя"):
        sms_settings.save_settings(staff["admin"], SmsSettings(sender="Детские кровати"))


def test_edited_template_is_used_and_can_go_back(db, staff):
    sms_settings.save_template(staff["admin"], "Оплачено", "{name}, оплата получена, заказ №{order_no}. {shop_phone}")
    deal = complete_deal(staff["manager"])
    assert sms.fill("Оплачено", deal) == f"Тест Тестович, оплата получена, заказ №{deal.order_no}. +7 812 000-00-00"
    with pytest.raises(ServiceError, match="Неизвестная подстановка"):
        sms_settings.save_template(staff["admin"], "Оплачено", "{клиент}")
    sms_settings.reset_template(staff["admin"], "Оплачено")
    assert sms.templates()["Оплачено"] == sms.default_templates()["Оплачено"]


def test_outbox_counts(smsru, staff):
    queue(staff, 2)
    smsru.plan = [smsru.error(202)]
    send_due(configured_gateway())
    assert sms_outbox.counts() == sms_outbox.OutboxCounts(queued=0, failed=1)
    assert [line.status for line in sms_outbox.outbox(sms_outbox.FAILED)] == [SmsState.FAILED]


@pytest.mark.parametrize("junk", [0, -1, 2**70, "1", None, 1.5])
def test_an_id_that_is_no_sms_finds_nothing(db, staff, junk, counts):
    before = counts()
    for action in (sms_manual.cancel, sms_manual.resend, sms_manual.send_now):
        with pytest.raises(ServiceError, match="СМС не найдено"):
            action(junk, staff["manager"])
    assert counts() == before
