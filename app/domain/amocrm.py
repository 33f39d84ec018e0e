"""amoCRM's export files as the shop's data: header names, dates, budgets, stages, one row → one record.

Pure: the readers (app.integrations.amocrm_files) hand rows of cells in; records with a Russian refusal
reason come out. Headers are matched after trimming, lower-casing, е/ё folding and dropping a currency
suffix («Бюджет », «бюджет ₽», «бюджет, ₽» are all «Бюджет»); a repeated column (utm twice) keeps its
first non-empty value. Dates are Moscow time (deals «dd.mm.yyyy HH:MM:SS», contacts «dd-mm-yyyy
HH:MM:SS») and come out as naive UTC.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from app.domain import clock, labels, pipeline, validation
from app.domain.validation import FieldError

# canonical keys of the columns the import reads, with the header names amoCRM (and our export) writes
LEAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "id сделки"),
    "name": ("Название сделки", "Название", "Сделка"),
    "budget": ("Бюджет", "Бюджет сделки", "Сумма"),
    "responsible": ("Ответственный", "Ответственный за сделку"),
    "created_at": ("Дата создания сделки", "Дата создания"),
    "created_by": ("Кем создана сделка", "Кем создана"),
    "updated_at": ("Дата редактирования", "Дата изменения"),
    "closed_at": ("Дата закрытия",),
    "tags": ("Теги", "Теги сделки"),
    "stage": ("Этап сделки", "Этап", "Статус"),
    "pipeline": ("Воронка",),
    "contact.full_name": ("Полное имя контакта", "Основной контакт", "Контакт", "ФИО"),
    "contact.company": ("Компания контакта", "Компания", "Название компании"),
    "contact.address": ("Адрес",),
    "city": ("Город",),
    "source": ("Источник",),
    "products": ("Товар", "Товары"),
    "order_no": ("Номер заказа",),
    # our own export's payment and delivery columns (amoCRM custom fields of the same names also fit)
    "payment_date": ("Дата оплаты",),
    "prepayment": ("Сумма предоплаты", "Предоплата"),
    "debt": ("Сумма задолженности", "Задолженность"),
    "ship_deadline": ("Крайний срок отгрузки",),
    "delivery_type": ("Тип доставки",),
    "delivery_city": ("Город доставки",),
}
CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "id контакта"),
    "type": ("Тип",),
    "contact.full_name": ("Полное имя контакта", "Полное имя", "ФИО"),
    "first_name": ("Имя",),
    "last_name": ("Фамилия",),
    "contact.company": ("Название компании", "Компания контакта", "Компания"),
    "responsible": ("Ответственный",),
    "created_at": ("Дата создания контакта", "Дата создания"),
    "deals": ("Сделки",),
    "tags": ("Теги",),
    "contact.address": ("Адрес",),
    "city": ("Город",),
}
PHONE_COLUMNS = ("Рабочий телефон", "Мобильный телефон", "Домашний телефон", "Другой телефон",
                 "Рабочий прямой телефон", "Факс", "Телефон")
EMAIL_COLUMNS = ("Рабочий email", "Личный email", "Другой email", "Email", "E-mail")
NOTE_HEADER = re.compile(r"^примечание(?:\s*(\d+))?$")
# a contact's own notes have no place of their own in the program: they go onto its deals' timelines marked so
CONTACT_NOTE = "Примечание к контакту (amoCRM)"

DEAL_DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
CONTACT_DATE_FORMATS = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y") + DEAL_DATE_FORMATS
EXPORT_DATE_FORMAT = "%d.%m.%Y %H:%M:%S"

LEAD_LABELS = {key: names[0] for key, names in LEAD_COLUMNS.items()}


def fold(text: str | None) -> str:
    """A name as the import compares it: lower case, е for ё, no spaces at all."""
    return re.sub(r"\s+", "", str(text or "")).lower().replace("ё", "е")


def header_key(header: object) -> str:
    """A header cell as matched: trimmed, folded, without a currency suffix («бюджет, ₽» → «бюджет»)."""
    text = " ".join(str(header or "").split()).lower().replace("ё", "е")
    text = re.sub(r"[\s,]*(₽|руб\.?|rub|\(₽\)|\(руб\.?\))$", "", text)
    return fold(text)


def _lookup(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {header_key(name): key for key, names in columns.items() for name in names}


_LEAD_LOOKUP = _lookup(LEAD_COLUMNS)
_CONTACT_LOOKUP = _lookup(CONTACT_COLUMNS)
_PHONES = {header_key(name) for name in PHONE_COLUMNS}
_EMAILS = {header_key(name) for name in EMAIL_COLUMNS}


@dataclass(frozen=True)
class Header:
    """Which column holds what: ``keys[i]`` is the canonical key of column i ("" when not read)."""

    keys: tuple[str, ...]

    @classmethod
    def read(cls, cells: list[object], *, contacts: bool = False) -> Header:
        lookup = _CONTACT_LOOKUP if contacts else _LEAD_LOOKUP
        keys = []
        for cell in cells:
            key = header_key(cell)
            spaced = " ".join(str(cell or "").split()).lower()
            note = NOTE_HEADER.match(spaced)
            if key in lookup:
                keys.append(lookup[key])
            elif key in _PHONES:
                keys.append("phone")
            elif key in _EMAILS:
                keys.append("email")
            elif note:
                keys.append(f"note:{int(note.group(1) or 1):03d}")
            else:
                keys.append("")
        return cls(tuple(keys))

    def row(self, cells: list[object]) -> dict[str, object]:
        """The row's values by key: phones, e-mails and notes as lists in column order; a repeated
        column keeps its first non-empty value."""
        values: dict[str, object] = {"phone": [], "email": [], "notes": []}
        notes: list[tuple[str, str]] = []
        for key, cell in zip(self.keys, cells):
            if not key or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if key in ("phone", "email"):
                values[key].extend(part for part in re.split(r"[,;]\s*", str(cell)) if part.strip())
            elif key.startswith("note:"):
                notes.append((key, str(cell).strip()))
            elif key not in values:
                values[key] = cell
        values["notes"] = [text for _, text in sorted(notes, key=lambda item: item[0])]
        return values

    def missing(self, *keys: str) -> list[str]:
        return [key for key in keys if key not in self.keys]


@dataclass(frozen=True)
class Table:
    """A sheet of a file: its header cells and its rows as (line number, cells), line 1 = header."""

    name: str
    header: list[object]
    rows: list[tuple[int, list[object]]]


class RowRefused(ValueError):
    """A row the import cannot take; ``str(error)`` is the Russian reason for the report."""


_MOMENT = re.compile(r"^(\d{1,2})([.-])(\d{1,2})\2(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_moment(value: object, formats: tuple[str, ...], label: str) -> datetime | None:
    """A Moscow-time cell (text in ``formats`` or a spreadsheet datetime) as naive UTC; empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return clock.from_local(value.replace(microsecond=0, tzinfo=None))
    if isinstance(value, date):
        return clock.from_local(datetime.combine(value, datetime.min.time()))
    text = " ".join(str(value).split())
    quick = _MOMENT.match(text)  # amoCRM's own forms without strptime (10,000 rows read in a blink)
    if quick and any(pattern[2] == quick.group(2) for pattern in formats):
        day, _, month, year, hour, minute, second = quick.groups()
        try:
            return clock.from_local(datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                             int(second or 0)))
        except ValueError:
            pass
    for pattern in formats:
        try:
            return clock.from_local(datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise RowRefused(f"{label}: «{text}» — не дата; пример: 31.05.2017 13:04:00")


def parse_day(value: object, label: str) -> date | None:
    """A date cell («14.07.2025», a spreadsheet date); empty → None."""
    if isinstance(value, datetime):
        return value.date()
    try:
        return validation.clean_date(value if isinstance(value, date) or value is None else str(value))
    except FieldError as error:
        raise RowRefused(f"{label}: {error}") from None


def parse_amount(value: object, label: str) -> int | None:
    """A budget cell as kopecks: «32000», «32 000», «32 000,00», «32000.5», a spreadsheet number; empty → None."""
    try:
        return validation.clean_amount(value if isinstance(value, (int, float, Decimal)) else str(value or ""))
    except FieldError as error:
        raise RowRefused(f"{label}: {error}") from None


def split_tags(value: object) -> list[str]:
    """amoCRM's comma-separated tags as the shop's space-separated words (inner spaces become «_»)."""
    return [re.sub(r"\s+", "_", tag.strip()) for tag in str(value or "").split(",") if tag.strip()]


def _clean_all(raw: list[str], clean) -> tuple[list[str], list[str]]:
    good, bad = [], []
    for text in raw:
        value = clean(text)
        if value is None:
            bad.append(text.strip())
        elif value not in good:
            good.append(value)
    return good, bad


@lru_cache(maxsize=65536)  # the same phone comes in the contacts file and in each of the person's deals
def _phone(text: str) -> str | None:
    try:
        return validation.clean_phone(text)
    except FieldError:
        return None


def _email(text: str) -> str | None:
    try:
        return validation.clean_email(text)
    except FieldError:
        return None


def clean_phones(raw: list[str]) -> tuple[list[str], list[str]]:
    """(E.164 phones without repeats, the texts that are not phones)."""
    return _clean_all(raw, _phone)


def clean_emails(raw: list[str]) -> tuple[list[str], list[str]]:
    """(lower-cased e-mails without repeats, the texts that are not e-mails)."""
    return _clean_all(raw, _email)


class StageMatcher:
    """Finds the program's stage for amoCRM's (pipeline, stage name): the user's map first (keys
    «Этап» or «Воронка/Этап»), then the 22 stages by name ignoring case, spaces and е/ё."""

    def __init__(self, stage_map: dict[str, str] | None = None) -> None:
        self.by_name = {fold(stage.name): stage.code for stage in pipeline.STAGES}
        self.mapped: dict[str, str] = {}
        for name, code in (stage_map or {}).items():
            if code not in pipeline.STAGE_BY_CODE:
                raise ValueError(f"В сопоставлении этапов «{name}» → «{code}»: нет такого этапа. "
                                 f"Этапы: {', '.join(pipeline.STAGE_CODES)}")
            self.mapped[fold(name)] = code

    def match(self, name: str, pipeline_name: str = "") -> str | None:
        """The stage code, or None when the name stays unknown."""
        for key in (fold(f"{pipeline_name}/{name}"), fold(name)):
            if key in self.mapped:
                return self.mapped[key]
        return self.by_name.get(fold(name))


def _text(values: dict[str, object], key: str) -> str:
    value = values.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(("" if value is None else str(value)).split())


def _checked(values: dict[str, object], key: str, *, limit: str | None = None) -> str:
    """The cell's text within the field's length limit (``validation.TEXT_LIMITS``), else RowRefused."""
    limit = limit or key
    try:
        return validation.clean_text(_text(values, key), key=limit)
    except FieldError as error:
        raise RowRefused(f"{labels.label(limit)}: {error}") from None


def _note(text: str) -> str:
    try:
        return validation.clean_text(text, key="note", multiline=True)
    except FieldError as error:
        raise RowRefused(f"{labels.label('note')}: {error}") from None


def contact_note(text: str) -> str:
    """A contact's note as its deals' timelines show it: marked as the contact's, from amoCRM."""
    return f"{CONTACT_NOTE}: {text}"


def _amo_id(values: dict[str, object]) -> int | None:
    text = _text(values, "id")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise RowRefused(f"ID: «{text}» — не номер сделки amoCRM")
    return int(text)


@dataclass
class ContactRecord:
    """A person as one row describes them."""

    line: int
    full_name: str
    company: str = ""
    address: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    amo_id: int | None = None
    created_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the contact's own notes, marked (``contact_note``)

    @property
    def is_empty(self) -> bool:
        return not (self.full_name or self.phones or self.emails)


@dataclass
class TaskRecord:
    """An open task of a deal in amoCRM (from the API; the export files have none)."""

    amo_id: int
    text: str
    due_at: datetime | None
    responsible: str = ""


@dataclass
class LeadRecord:
    """A deal as one row of the leads file describes it."""

    line: int
    name: str
    stage_name: str
    pipeline_name: str = ""
    stage: str | None = None  # the program's stage code, once matched
    amo_id: int | None = None
    order_no: int | None = None
    budget: int = 0
    responsible: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    products: str = ""
    contact: ContactRecord | None = None
    payment: dict[str, object] = field(default_factory=dict)  # payment and delivery fields present
    tasks: list[TaskRecord] = field(default_factory=list)


def _contact(values: dict[str, object], line: int, formats: tuple[str, ...]) -> ContactRecord:
    phones, bad_phones = clean_phones([str(v) for v in values["phone"]])
    emails, bad_emails = clean_emails([str(v) for v in values["email"]])
    name = _checked(values, "contact.full_name") or " ".join(
        part for part in (_text(values, "last_name"), _text(values, "first_name")) if part)[:200]
    record = ContactRecord(line, name, _checked(values, "contact.company"), _checked(values, "contact.address"),
                           phones, emails, created_at=parse_moment(values.get("created_at"), formats,
                                                                    "Дата создания контакта"))
    record.warnings += [f"«{text}» — не номер телефона, пропущен" for text in bad_phones]
    record.warnings += [f"«{text}» — не e-mail, пропущен" for text in bad_emails]
    return record


def lead_record(values: dict[str, object], line: int) -> LeadRecord | None:
    """The deal a leads row describes (None for an empty row); RowRefused names what is wrong."""
    if not any(values[key] for key in ("phone", "email", "notes")) and not any(
            _text(values, key) for key in values if key not in ("phone", "email", "notes")):
        return None
    contact = _contact(values, line, DEAL_DATE_FORMATS)
    name = _checked(values, "name") or contact.full_name
    if not name:
        raise RowRefused("Нет ни названия сделки, ни имени контакта")
    stage_name = _text(values, "stage")
    if not stage_name:
        raise RowRefused("Этап сделки: не заполнено")
    order_text = _text(values, "order_no")
    if order_text and not (order_text.isascii() and order_text.isdigit()):
        raise RowRefused(f"Номер заказа: «{order_text}» — не число")
    record = LeadRecord(
        line, name, stage_name, _text(values, "pipeline"), amo_id=_amo_id(values),
        order_no=int(order_text) if order_text else None,
        budget=parse_amount(values.get("budget"), "Бюджет") or 0,
        responsible=_text(values, "responsible"),
        created_at=parse_moment(values.get("created_at"), DEAL_DATE_FORMATS, "Дата создания сделки"),
        updated_at=parse_moment(values.get("updated_at"), DEAL_DATE_FORMATS, "Дата редактирования"),
        closed_at=parse_moment(values.get("closed_at"), DEAL_DATE_FORMATS, "Дата закрытия"),
        tags=split_tags(values.get("tags")), notes=[_note(text) for text in values["notes"]],
        source=_checked(values, "source"), products=_checked(values, "products"),
        contact=None if contact.is_empty else contact)
    for key in ("prepayment", "debt"):
        if _text(values, key):
            record.payment[key] = parse_amount(values[key], LEAD_LABELS[key])
    for key in ("payment_date", "ship_deadline"):
        if _text(values, key):
            record.payment[key] = parse_day(values[key], LEAD_LABELS[key])
    for key in ("delivery_type", "delivery_city"):
        if _text(values, key):
            record.payment[key] = _checked(values, key)
    if "delivery_city" not in record.payment and _text(values, "city"):
        record.payment["delivery_city"] = _checked(values, "city", limit="delivery_city")
    if len(" ".join(record.tags)) > validation.TEXT_LIMITS["tags"]:
        raise RowRefused(f"{labels.label('tags')}: не длиннее {validation.TEXT_LIMITS['tags']} знаков")
    if record.payment.get("delivery_type", "") not in ("",) + pipeline.DELIVERY_TYPES:
        raise RowRefused(f"Тип доставки: «{record.payment['delivery_type']}» — выберите из: "
                         + ", ".join(pipeline.DELIVERY_TYPES))
    return record


def contact_record(values: dict[str, object], line: int) -> ContactRecord | None:
    """The person a contacts row describes (None for an empty row or a company row)."""
    if _text(values, "type").lower() in ("компания", "company"):
        return None
    record = _contact(values, line, CONTACT_DATE_FORMATS)
    if record.is_empty:
        return None
    record.amo_id = _amo_id(values)
    record.notes = [_note(contact_note(text)) for text in values["notes"]]
    return record


def format_moment(moment: datetime | None) -> str:
    """A stored naive UTC time as amoCRM writes it: «31.05.2017 13:04:00», Moscow time."""
    return clock.to_local(moment).strftime(EXPORT_DATE_FORMAT) if moment else ""
