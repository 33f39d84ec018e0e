"""SMS tests: a fake gateway on 127.0.0.1 (CRM_SMS_BASE_URL points at it), keys kept in memory."""
from __future__ import annotations

import pytest

from app.domain.sms_rules import SETTINGS_KEY, SmsSettings
from app.services import sms
from app.store import secrets, setting_values
from app.store.db import database
from tests.domain.helpers import new_deal
from tests.sms.fakes import FakeSmsc, FakeSmsRu


@pytest.fixture(autouse=True)
def memory_secrets():
    """The gateways' keys in memory: no test reaches this PC's keyring."""
    previous = secrets.use(secrets.MemorySecrets({"sms:smsru": "test-key", "sms:smsc": "test-key"}))
    yield secrets.store()
    secrets.use(previous)


@pytest.fixture
def gateway_url(httpserver, monkeypatch):
    monkeypatch.setenv("CRM_SMS_BASE_URL", httpserver.url_for("/").rstrip("/"))
    return httpserver


def use_gateway(code: str, **extra) -> None:
    with database.atomic():
        setting_values.write(SETTINGS_KEY, SmsSettings(gateway=code, login="shop", **extra).to_dict())


@pytest.fixture
def smsru_fake(gateway_url):
    return FakeSmsRu(gateway_url)


@pytest.fixture
def smsc_fake(gateway_url):
    return FakeSmsc(gateway_url)


@pytest.fixture
def smsru(db, smsru_fake):
    """The shop uses SMS.ru, faked on 127.0.0.1."""
    use_gateway("smsru")
    return smsru_fake


@pytest.fixture
def smsc(db, smsc_fake):
    """The shop uses SMSC.ru, faked on 127.0.0.1."""
    use_gateway("smsc")
    return smsc_fake


CLIENT = {"contact.full_name": "Тестов Тест Тестович", "contact.phone": "8 800 800-80-00"}


def queue(staff, count: int = 1, template: str = "Оплачено") -> list[int]:
    """``count`` deals (manager Татьяна), each with one SMS «к отправке»; their SMS ids."""
    ids = []
    for number in range(count):
        deal = new_deal(staff["manager"], name=f"Кровать {number}", **CLIENT)
        with database.atomic():
            ids.append(sms.queue_sms(deal, template, staff["manager"]).id)
    return ids
