"""The demo shop's SMS: SMS.ru in test mode with a test key (kept in memory, never in the keyring), the
older SMS already delivered, a few waiting in the outbox."""
from __future__ import annotations

from datetime import timedelta

from app.domain.sms_rules import SETTINGS_KEY, SmsSettings
from app.domain.sms_status import SmsState
from app.services.sms import show_on_timeline
from app.store import secrets, setting_values
from app.store.models import OutboxSms

DEMO_KEY = "demo-test-key"  # SMS.ru answers a test send (test=1) without sending or charging
WAITING = 3  # the newest SMS stay «к отправке»
# no quiet hours in the demo: «python main.py --demo send-sms» sends at any hour
DEMO_SETTINGS = SmsSettings(gateway="smsru", sender="", test_mode=True, quiet_from="00:00", quiet_to="00:00",
                            auto_send=False)


def use_demo_key() -> None:
    """The demo's gateway key, for this process only."""
    secrets.use(secrets.MemorySecrets({DEMO_SETTINGS.secret_key: DEMO_KEY}))


def add_demo_sms() -> None:
    """Settings, and the SMS history: all but the newest WAITING SMS sent and delivered a minute later."""
    setting_values.write(SETTINGS_KEY, DEMO_SETTINGS.to_dict())
    queued = list(OutboxSms.select().where(OutboxSms.status == SmsState.PENDING).order_by(OutboxSms.created_at,
                                                                                         OutboxSms.id))
    for number, sms in enumerate(queued[:-WAITING] if len(queued) > WAITING else [], start=1):
        sms.status, sms.gateway, sms.gateway_id = SmsState.DELIVERED, "smsru", f"202506-{100000 + number}"
        sms.attempts, sms.cost, sms.parts = 1, 395, 2
        sms.sending_at = sms.sent_at = sms.checked_at = sms.created_at + timedelta(minutes=1)
        sms.delivered_at = sms.created_at + timedelta(minutes=2)
        sms.save()
        show_on_timeline(sms)
