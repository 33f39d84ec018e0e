"""Checks and normalisation of what people type, with Russian messages.

Each ``clean_*`` function returns the normalised value or raises ``FieldError``.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import phonenumbers

from app.domain import clock
from app.domain.money import MoneyError, parse_rub

DEFAULT_REGION = "RU"


class FieldError(ValueError):
    """A value that cannot be stored; ``str(error)`` is the Russian message for the user."""


def clean_phone(text: str) -> str:
    """A phone in any usual form («8 (912) 345-67-89») as E.164 (+79123456789)."""
    raw = (text or "").strip()
    if not raw:
        raise FieldError("Телефон не указан")
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise FieldError(f"«{raw}» — не номер телефона; пример: +7 912 345-67-89") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError(f"Неверный номер телефона «{raw}»; пример: +7 912 345-67-89")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored E.164 phone as the shop writes it: «+7 912 345-67-89»."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(text: str) -> str | None:
    """The digits to look for when a search looks like a phone (None when it does not)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < 5 or re.search(r"[^\d\s()+\-.]", text):
        return None
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    except phonenumbers.NumberParseException:
        pass
    return digits


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def clean_email(text: str) -> str:
    """An e-mail address, trimmed and lower-cased."""
    value = (text or "").strip().lower()
    if not value:
        raise FieldError("E-mail не указан")
    if not _EMAIL.match(value):
        raise FieldError(f"Неверный e-mail «{text.strip()}»; пример: ivanova@mail.ru")
    return value


def clean_passport_series(text: str) -> str:
    value = re.sub(r"\s", "", text or "")
    if not re.fullmatch(r"\d{4}", value):
        raise FieldError("Серия паспорта — 4 цифры, например 4012")
    return value


def clean_passport_number(text: str) -> str:
    value = re.sub(r"\s", "", text or "")
    if not re.fullmatch(r"\d{6}", value):
        raise FieldError("Номер паспорта — 6 цифр, например 123456")
    return value


def clean_amount(value: str | int | None) -> int | None:
    """An amount ≥ 0 in kopecks; ints are taken as kopecks, text as roubles («32 000»)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError("Сумма должна быть числом")
    if isinstance(value, int):
        if value < 0:
            raise FieldError("Сумма не может быть отрицательной")
        return value
    try:
        return parse_rub(value)
    except MoneyError as error:
        raise FieldError(str(error)) from None


WEEKDAYS = {name: number for number, names in enumerate((
    ("пн", "понедельник"), ("вт", "вторник"), ("ср", "среда", "среду"), ("чт", "четверг"),
    ("пт", "пятница", "пятницу"), ("сб", "суббота", "субботу"), ("вс", "воскресенье"))) for name in names}
RELATIVE_DAYS = {"сегодня": 0, "завтра": 1, "послезавтра": 2}
_SHORT_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")


def _spoken_date(text: str, today: date) -> date | None:
    """«завтра», «через 3 дня», «пн» (the next Monday after today); None for anything else."""
    word = text.casefold().rstrip(".")
    if word in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[word])
    if word in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    match = re.fullmatch(r"через (\d{1,3}) (?:день|дня|дней)", word)
    return today + timedelta(days=int(match.group(1))) if match else None


def clean_date(value: str | date | None, today: date | None = None) -> date | None:
    """A date from a date object or text: «14.07.2017», «2017-07-14», the short «2.12», «02.12»
    (this year), «2.12.26», and «сегодня», «завтра», «через 3 дня», «пн» (the next Monday); empty → None."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    text = " ".join(value.split())
    if not text:
        return None
    today = today or clock.local_today()
    spoken = _spoken_date(text, today)
    if spoken is not None:
        return spoken
    short = _SHORT_DATE.match(text)
    try:
        if short:
            day, month, year = short.groups()
            full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
            return date(full_year, int(month), int(day))
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        pass
    raise FieldError(f"«{text}» — не дата; пример: 14.07.{today.year}, 14.07 или «завтра»")


def clean_text(value: str | None, *, required: bool = False, label: str = "Поле") -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise FieldError(f"{label}: не заполнено")
    return text
