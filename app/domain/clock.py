"""The program's one source of "now", replaceable in tests.

Times are stored as naive UTC datetimes and shown in the shop's zone (Europe/Moscow).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Europe/Moscow")


class Clock:
    """Wall clock; tests replace it with a FrozenClock via ``set_clock``."""

    def now(self) -> datetime:
        """Current time as a naive UTC datetime (microseconds dropped)."""
        return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


class FrozenClock(Clock):
    """A clock that stays where it is set; ``advance`` moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta) -> None:
        self.at = self.at + delta


_clock: Clock = Clock()


def set_clock(clock: Clock) -> Clock:
    """Install ``clock`` as the program's clock; returns the previous one."""
    global _clock
    previous, _clock = _clock, clock
    return previous


def now() -> datetime:
    """Current naive UTC time from the installed clock."""
    return _clock.now()


def to_local(moment: datetime) -> datetime:
    """A stored naive UTC datetime as an aware datetime in the shop's zone."""
    return moment.replace(tzinfo=timezone.utc).astimezone(SHOP_TZ)


def from_local(moment: datetime) -> datetime:
    """A naive shop-local datetime as naive UTC for storing."""
    return moment.replace(tzinfo=SHOP_TZ).astimezone(timezone.utc).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in the shop's zone."""
    return to_local(now()).date()
