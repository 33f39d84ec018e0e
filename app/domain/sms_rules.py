"""The shop's SMS rules: its gateway settings, quiet hours and how failed sends are retried."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, time, timedelta

from app.domain import clock

SETTINGS_KEY = "sms.settings"  # setting_values key of SmsSettings
TEMPLATES_KEY = "sms.templates"  # the administrator's edited templates, by name
GATEWAY_NAMES = {"smsru": "SMS.ru", "smsc": "SMSC.ru"}
MAX_ATTEMPTS = 6  # network trouble and 5xx: this many sends in all, then «ошибка»
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# an SMS in «отправляется» longer than this was left by a program that stopped mid-send
STUCK_AFTER = timedelta(minutes=2)
# how often a sent SMS's delivery is asked, and for how long
STATUS_EVERY = timedelta(minutes=2)
STATUS_FOR = timedelta(days=3)


@dataclass(frozen=True)
class SmsSettings:
    """Shop-wide SMS settings (the gateway's key or password is not here: it is in the keyring)."""

    gateway: str = "smsru"
    login: str = ""  # SMSC.ru's login (SMS.ru needs only the key)
    sender: str = ""  # the sender name agreed with the gateway; empty: the gateway's default
    test_mode: bool = False  # SMS.ru's test=1: the gateway answers, nothing is sent or charged
    quiet_from: str = "21:00"  # no SMS from this local time …
    quiet_to: str = "09:00"  # … until this one (Europe/Moscow)
    shop_phone: str = "+7 812 000-00-00"
    auto_send: bool = True  # the program sends in the background; off: only «send-sms» and by hand
    base_url: str = ""  # another address of the gateway's API (CRM_SMS_BASE_URL overrides it)

    @classmethod
    def from_dict(cls, data: dict | None) -> SmsSettings:
        """Settings from their stored JSON (unknown keys ignored, missing ones default)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def gateway_name(self) -> str:
        return GATEWAY_NAMES.get(self.gateway, self.gateway)

    @property
    def secret_key(self) -> str:
        """The keyring entry holding this gateway's API key or password."""
        return f"sms:{self.gateway}"


def parse_hhmm(text: str) -> time:
    """«09:00» → time(9, 0); ValueError for anything else."""
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, quiet_from: str, quiet_to: str) -> datetime | None:
    """When the quiet hours around ``now`` (naive UTC) end, as naive UTC; None when SMS may go now."""
    start, end = parse_hhmm(quiet_from), parse_hhmm(quiet_to)
    if start == end:
        return None
    local = clock.to_local(now).replace(tzinfo=None)
    at = local.time()
    quiet = (start <= at or at < end) if start > end else (start <= at < end)
    if not quiet:
        return None
    day = local.date() if at < end else local.date() + timedelta(days=1)
    return clock.from_local(datetime.combine(day, end))


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed send: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)
