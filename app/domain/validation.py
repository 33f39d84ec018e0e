"""Checks and normalisation of what people type, with Russian messages.

Each ``clean_*`` function returns the normalised value or raises ``FieldError``.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import phonenumbers

from app.domain import clock
from app.domain.errors import FieldProblem, ValidationError
from app.domain.money import MoneyError, parse_rub

DEFAULT_REGION = "RU"


class FieldError(ValueError):
    """A value that cannot be stored; ``str(error)`` is the Russian message for the user."""


_PHONE_AS_TYPED = re.compile(r"^\+?[\d\s().\-]+(?:\s*(?:доб\.?|ext\.?|#)\s*\d+)?$", re.IGNORECASE)


def clean_phone(text: str, *, lenient: bool = False) -> str:
    """A phone in any usual form («8 (912) 345-67-89») as E.164 (+79123456789).

    ``lenient``: a number the phone library cannot validate but that looks like a phone (digits,
    spaces, brackets, dashes; 5 to 20 digits) is kept as typed — the counter never has to invent
    digits; ``phone_warning`` says so beside the field."""
    raw = " ".join((text or "").split())
    if not raw:
        raise FieldError("Телефон не указан")
    number = _parsed_phone(raw)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if lenient and _PHONE_AS_TYPED.match(raw) and 5 <= len(re.sub(r"\D", "", raw)) <= 20:
        return raw
    raise FieldError(f"«{raw[:40]}» — не номер телефона; пример: +7 912 345-67-89")


def _parsed_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def phone_warning(text: str) -> str | None:
    """The warning beside a phone stored as typed (None for a number the library validates)."""
    raw = " ".join((text or "").split())
    if not raw or _parsed_phone(raw) is not None:
        return None
    return "номер не удалось проверить — сохранится как введён"


def format_phone(e164: str) -> str:
    """A stored E.164 phone as the shop writes it: «+7 912 345-67-89»."""
    number = _parsed_phone(e164)
    if number is None:  # kept as typed
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


def clean_amount(value: str | int | float | Decimal | None) -> int | None:
    """An amount ≥ 0 in kopecks from roubles typed or passed («32 000», 32000); see ``money.parse_rub``."""
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
    today = today or clock.local_today()
    if not isinstance(value, str):
        raise FieldError(f"не дата; пример: 14.07.{today.year}")
    text = " ".join(value.split())
    if not text:
        return None
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


# One length limit per field, the same on SQLite and PostgreSQL (the store's VARCHARs hold 255).
TEXT_LIMITS: dict[str, int] = {
    "name": 200, "contact.full_name": 200, "contact.company": 200, "contact.address": 500, "tags": 250,
    "products": 2000, "source": 100, "delivery_city": 100, "transport_company": 100, "waybill_no": 60,
    "note": 20_000, "comment": 500, "task.text": 1000, "task.result": 2000, "full_name": 100,
    "sms.text": 1000, "sms.template": 100, "sms.template_text": 1000, "sms.login": 100, "sms.shop_phone": 40,
}
DEFAULT_TEXT_LIMIT = 255
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_ID = 2**63 - 1


def clean_text(value: str | None, *, required: bool = False, key: str = "",
               multiline: bool = False) -> str:
    """Typed text with its spaces tidied (line breaks kept when ``multiline``); refused when it is not
    text, holds control characters or exceeds the field's limit (``TEXT_LIMITS[key]``)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError("нужен текст")
    if _CONTROL.search(value):
        raise FieldError("недопустимые (управляющие) символы")
    if multiline:
        lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        text = "\n".join(lines).strip()
    else:
        text = " ".join(value.split())
    if required and not text:
        raise FieldError("не заполнено")
    limit = TEXT_LIMITS.get(key, DEFAULT_TEXT_LIMIT)
    if len(text) > limit:
        raise FieldError(f"не длиннее {limit} знаков (сейчас {len(text)})")
    return text


def checked_text(value: object, key: str, *, required: bool = False, multiline: bool = True) -> str:
    """``clean_text`` for a service's argument: a refusal is the services' ValidationError naming
    the field ``key`` by its Russian label."""
    try:
        return clean_text(value, key=key, required=required, multiline=multiline)
    except FieldError as error:
        raise ValidationError([FieldProblem(key, str(error))]) from None


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def is_id(value: object) -> bool:
    """Whether ``value`` can be a row id (an int within a bigint, not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def checked_ids(values: object, key: str) -> list[int]:
    """A list of row ids from a screen's selection; ValidationError naming ``key`` otherwise."""
    if not isinstance(values, (list, tuple, set, frozenset)) or not all(is_id(value) for value in values):
        raise ValidationError([FieldProblem(key, "неверный выбор — обновите список и выберите снова")])
    return list(dict.fromkeys(values))
