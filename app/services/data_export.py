"""«Выгрузить»: the shop's deals (with contact, stage, budget, payments, dates, tags, order number, notes),
contacts and open tasks as tables under amoCRM's header names, so that the file imports back (here or
into amoCRM). Needs the right «Выгрузка данных»; passport data only when asked and only for a user
who may see it; every export is written to the audit log (one row per deal when passports go out)."""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from peewee import JOIN

from app.domain import clock, pipeline
from app.domain.amocrm import CONTACT_DATE_FORMATS, format_moment
from app.domain.changes import Changes, Done
from app.domain.codes import TaskType
from app.domain.validation import format_phone
from app.services import permissions, personal_data
from app.services.tasks import addressee_name, describe_due
from app.store.db import database
from app.store.models import Contact, ContactChannel, Deal, Note, Passport, Task, User

DEALS_SHEET, CONTACTS_SHEET, TASKS_SHEET = "Сделки", "Контакты", "Задачи"
PIPELINE_NAME = "Детские кровати Маня"
DEAL_HEADER = ["ID", "Номер заказа", "Название сделки", "Бюджет", "Ответственный", "Дата создания сделки",
               "Дата редактирования", "Дата закрытия", "Теги", "Этап сделки", "Воронка", "Полное имя контакта",
               "Компания контакта", "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Личный email",
               "Адрес", "Источник", "Товар", "Дата оплаты", "Сумма предоплаты", "Сумма задолженности",
               "Крайний срок отгрузки", "Тип доставки", "Город доставки"]
CONTACT_HEADER = ["ID", "Тип", "Полное имя контакта", "Название компании", "Дата создания контакта", "Сделки",
                  "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Личный email", "Адрес"]
PASSPORT_HEADER = ["Серия паспорта", "Номер паспорта"]
TASK_HEADER = ["Номер заказа", "Название сделки", "Тип задачи", "Задача", "Кому", "Срок", "Дата создания"]


def _amount(kopecks: int | None) -> Decimal | None:
    return None if kopecks is None else Decimal(kopecks) / 100


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _channels() -> dict[int, tuple[list[str], list[str]]]:
    found: dict[int, tuple[list[str], list[str]]] = {}
    for contact_id, kind, value in ContactChannel.select(ContactChannel.contact, ContactChannel.kind,
                                                         ContactChannel.value).order_by(
            ContactChannel.position, ContactChannel.id).tuples():
        phones, emails = found.setdefault(contact_id, ([], []))
        (phones if kind == ContactChannel.PHONE else emails).append(
            format_phone(value) if kind == ContactChannel.PHONE else value)
    return found


def _split(values: list[str]) -> list[str]:
    """The first value, and the others joined (amoCRM's «Рабочий» and «Мобильный»/«Личный» columns)."""
    return [values[0] if values else "", ", ".join(values[1:])]


def _deal_rows(channels, passports, with_passport: bool) -> tuple[list[list[object]], list[int]]:
    notes: dict[int, list[str]] = {}
    for deal_id, text in Note.select(Note.deal, Note.text).order_by(Note.at, Note.id).tuples():
        notes.setdefault(deal_id, []).append(text)
    most = max((len(texts) for texts in notes.values()), default=0)
    header = DEAL_HEADER + ["Примечание" if n == 0 else f"Примечание {n + 1}" for n in range(most)]
    rows: list[list[object]] = [header + (PASSPORT_HEADER if with_passport else [])]
    ids = []
    query = (Deal.select(Deal, Contact, User).join(Contact, JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id))
             .switch(Deal).join(User, JOIN.LEFT_OUTER, on=(Deal.responsible == User.id)).order_by(Deal.order_no))
    for deal in query:
        contact = deal.contact if deal.contact_id else None
        phones, emails = channels.get(deal.contact_id, ([], []))
        stage = pipeline.stage(deal.stage)
        row = [deal.amo_id or "", deal.order_no, deal.name, _amount(deal.budget),
               deal.responsible.full_name if deal.responsible_id else "", format_moment(deal.created_at),
               format_moment(deal.updated_at), format_moment(deal.stage_entered_at) if stage.is_closed else "",
               ", ".join(deal.tags.split()), stage.name, PIPELINE_NAME, contact.full_name if contact else "",
               contact.company if contact else "", *_split(phones), *_split(emails),
               contact.address if contact else "", deal.source, deal.products, _day(deal.payment_date),
               _amount(deal.prepayment), _amount(deal.debt), _day(deal.ship_deadline), deal.delivery_type,
               deal.delivery_city]
        texts = notes.get(deal.id, [])
        row += texts + [""] * (most - len(texts))
        if with_passport:
            row += list(passports.get(deal.contact_id, ("", "")))
        rows.append(row)
        ids.append(deal.id)
    return rows, ids


def _contact_rows(channels, passports, with_passport: bool) -> list[list[object]]:
    orders: dict[int, list[str]] = {}
    for contact_id, order_no in Deal.select(Deal.contact, Deal.order_no).where(
            Deal.contact.is_null(False)).order_by(Deal.order_no).tuples():
        orders.setdefault(contact_id, []).append(str(order_no))
    rows: list[list[object]] = [CONTACT_HEADER + (PASSPORT_HEADER if with_passport else [])]
    for contact in Contact.select().order_by(Contact.id):
        phones, emails = channels.get(contact.id, ([], []))
        row = [contact.amo_id or "", "контакт", contact.full_name, contact.company,
               clock.to_local(contact.created_at).strftime(CONTACT_DATE_FORMATS[0]) if contact.created_at else "",
               ", ".join(orders.get(contact.id, [])), *_split(phones), *_split(emails), contact.address]
        if with_passport:
            row += list(passports.get(contact.id, ("", "")))
        rows.append(row)
    return rows


def _task_rows() -> list[list[object]]:
    rows: list[list[object]] = [TASK_HEADER]
    for task in (Task.select(Task, Deal).join(Deal, JOIN.LEFT_OUTER, on=(Task.deal == Deal.id))
                 .where(Task.done_at.is_null()).order_by(Task.due_at, Task.id)):
        deal = task.deal if task.deal_id else None
        rows.append([deal.order_no if deal else "", deal.name if deal else "", TaskType.NAMES.get(task.type, task.type),
                     task.text, addressee_name(task), describe_due(task), format_moment(task.created_at)])
    return rows


Sheets = dict[str, list[list[object]]]


def export_tables(actor: User | None, *, with_passport: bool = False,
                  write: Callable[[Sheets], object] | None = None) -> Done[Sheets]:
    """The sheets «Сделки», «Контакты», «Задачи» (each a header row and rows), audited. ``write`` (the
    file the user chose) runs inside the transaction: when it is refused, no journal row says the data left."""
    permissions.require(actor, permissions.EXPORT)
    if with_passport:
        permissions.require(actor, permissions.PASSPORT_VIEW)
    with database.atomic():
        channels = _channels()
        passports = ({contact_id: (series, number) for contact_id, series, number in
                      Passport.select(Passport.contact, Passport.series, Passport.number).tuples()}
                     if with_passport else {})
        deals, deal_ids = _deal_rows(channels, passports, with_passport)
        sheets = {DEALS_SHEET: deals, CONTACTS_SHEET: _contact_rows(channels, passports, with_passport),
                  TASKS_SHEET: _task_rows()}
        what = "сделки, контакты, открытые задачи" + (" с паспортными данными" if with_passport else "")
        if with_passport:  # one journal row per deal whose passport left the program
            deal_ids = [deal_id for deal_id, contact_id in Deal.select(Deal.id, Deal.contact).where(
                Deal.contact.in_(list(passports))).tuples()] if passports else []
        personal_data.record_export(actor, deal_ids, what, with_passport=with_passport)
        if write is not None:
            write(sheets)
    return Done(sheets, Changes(audit=True))
