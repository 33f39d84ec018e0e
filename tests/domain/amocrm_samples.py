"""amoCRM export files as amoCRM writes them, written by the tests: the real header set and its quirks."""
from __future__ import annotations

import csv
import io
from pathlib import Path

LEADS_HEADER = [
    "ID", "Название сделки", "Бюджет ", "Ответственный", "Дата создания сделки", "Кем создана сделка",
    "Дата редактирования", "Кем редактирована", "Дата закрытия", "Теги", "Примечание", "Примечание 2",
    "Примечание 3", "Примечание 4", "Примечание 5", "Этап сделки", "Воронка", "Полное имя контакта",
    "Компания контакта", "Ответственный за контакт", "Рабочий телефон", "Мобильный телефон",
    "Домашний телефон", "Другой телефон", "Рабочий email", "Личный email", "Другой email", "Город", "Адрес",
    "Источник", "Товар", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_source",
    "Размер кровати",
]
CONTACTS_HEADER = [
    "ID", "Тип", "Полное имя контакта", "Имя", "Фамилия", "Название компании", "Ответственный",
    "Дата создания контакта", "Сделки", "Теги", "Примечание 1", "Примечание 2", "Рабочий телефон",
    "Мобильный телефон", "Рабочий email", "Личный email", "Адрес", "Город",
]
PIPELINE = "Воронка"


def lead(amo_id="", name="", budget="", responsible="Татьяна", created="31.05.2017 13:04:00",
         updated="01.06.2017 10:00:00", closed="", tags="", notes=(), stage="Неразобранное",
         contact="", company="", work_phone="", mobile="", email="", city="", address="", source="",
         product="", utm="", extra="") -> list[str]:
    """One row of the leads file in the order of ``LEADS_HEADER``."""
    notes = list(notes) + [""] * (5 - len(notes))
    return [str(amo_id), name, budget, responsible, created, "Робот", updated, "Робот", closed, tags,
            *notes, stage, PIPELINE, contact, company, responsible, work_phone, mobile, "", "", email, "", "",
            city, address, source, product, utm, "cpc", "", "", "", utm, extra]


def contact_row(amo_id="", name="", responsible="Татьяна", created="30-05-2017 12:00:00", phone="",
                mobile="", email="", address="", city="", kind="контакт", notes=()) -> list[str]:
    """One row of the contacts file in the order of ``CONTACTS_HEADER`` (two note columns)."""
    first, *rest = name.split() or [""]
    notes = list(notes) + [""] * (2 - len(notes))
    return [str(amo_id), kind, name, " ".join(rest), first, "", responsible, created, "", "", *notes,
            phone, mobile, email, "", address, city]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig",
              delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def shop_leads() -> list[list[str]]:
    """The leads of the main test file: quirks and all (line numbers 2…)."""
    return [
        lead(101, "Краева Ольга (МИА)", "32 000,00", tags="инд, срочно", notes=["Звонила", "Хочет МИА белую"],
             stage="Первичный контакт", contact="Краева Ольга", work_phone="8 (912) 345-67-89",
             email="Kraeva@Mail.ru", city="Санкт-Петербург", source="Сайт", product="МИА", utm="yandex"),
        lead(102, "Краева Ольга (Ярус)", "45000", stage="успешно  реализовано", closed="10.06.2017 18:30:00",
             contact="Краева О.", mobile="+7 912 345 67 89"),  # the same person: phone in another form
        lead(103, "Петров (Замок)", "abc", stage="Первичный контакт", contact="Петров Иван"),  # broken budget
        lead(104, "Сидорова (Остров)", "15000", stage="Замер", contact="Сидорова Анна"),  # unknown stage
        [""] * len(LEADS_HEADER),  # an empty row
        lead(105, "Иванова (Маяк)", "60 000", responsible="Пётр Незнакомый", stage="Счёт выставлен",
             contact="Иванова Мария", mobile="89001112233", email="kraeva@mail.ru"),
        lead(106, "Смирнов (Чердак)", "32000.5", stage="Раскрой", contact="Смирнов Олег",
             work_phone="+79213334455"),
    ]
