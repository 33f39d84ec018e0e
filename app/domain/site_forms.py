"""The fixed fields of the site's order form in a letter («Имя: … Телефон: … Модель: … Сообщение: …»)
and phones written anywhere in a letter's text. Every pattern the mail intake reads lives here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.validation import FieldError, clean_email, clean_phone

# field → the labels the site's forms use for it (compared case-insensitively)
LABELS: dict[str, tuple[str, ...]] = {
    "name": ("Имя", "Ваше имя", "ФИО", "Имя клиента", "Name"),
    "phone": ("Телефон", "Ваш телефон", "Тел", "Тел.", "Номер телефона", "Phone"),
    "email": ("E-mail", "Email", "Эл. почта", "Почта", "Ваш e-mail"),
    "model": ("Модель", "Кровать", "Товар", "Модель кровати"),
    "message": ("Сообщение", "Комментарий", "Вопрос", "Текст сообщения", "Message"),
}
MIN_FIELDS = 2  # a letter is the form's when at least two of its fields are there

_LABEL_OF = {label.lower().rstrip("."): field for field, labels in LABELS.items() for label in labels}
_LINE = re.compile(r"^\s*(?P<label>[^:\n]{1,30}?)\s*:\s*(?P<value>.*)$")
# a Russian phone in any usual writing: +7 912 345-67-89, 8(912)3456789, 7-912-345-67-89, 912 345 67 89
PHONE_CANDIDATE = re.compile(
    r"(?<![\d+])(?:\+7|8|7)?[\s\-–(]{0,3}\d{3}[\s\-–)]{0,3}\d{3}[\s\-–]{0,2}\d{2}[\s\-–]{0,2}\d{2}(?!\d)")


@dataclass(frozen=True)
class SiteForm:
    """The fields of a site form's letter ("" where the form left one out)."""

    name: str = ""
    phone: str = ""  # E.164 when it could be read, else as written
    email: str = ""
    model: str = ""
    message: str = ""


def _field_of(label: str) -> str | None:
    return _LABEL_OF.get(" ".join(label.split()).lower().rstrip("."))


def read_site_form(text: str) -> SiteForm | None:
    """The form's fields in a letter's ``text``, or None when it is not a form's letter. The
    message may run over several lines, up to the next field."""
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _LINE.match(line)
        field = _field_of(match["label"]) if match else None
        if field is not None and field not in values:
            current = field
            values[field] = [match["value"].strip()]
        elif current == "message":
            values[current].append(line.strip())
        else:
            current = None
    if len(values) < MIN_FIELDS:
        return None
    joined = {field: "\n".join(lines).strip() for field, lines in values.items()}
    phone = joined.get("phone", "")
    email = joined.get("email", "")
    try:
        email = clean_email(email) if email else ""
    except FieldError:
        email = ""
    return SiteForm(name=" ".join(joined.get("name", "").split()), phone=find_phone(phone) or phone,
                    email=email, model=" ".join(joined.get("model", "").split()),
                    message=joined.get("message", ""))


def find_phone(text: str) -> str | None:
    """The first valid phone written in ``text``, as E.164 (+79123456789), else None."""
    for match in PHONE_CANDIDATE.finditer(text or ""):
        try:
            return clean_phone(match.group(0))
        except FieldError:
            continue
    return None
