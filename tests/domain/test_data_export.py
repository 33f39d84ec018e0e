"""«Выгрузить»: deals, contacts and open tasks out under amoCRM's names; rights, passports, the audit
log; and the round trip: the export imports into an empty database with every deal, contact, stage
and sum equal."""
from __future__ import annotations

import json

import pytest

from app.domain.errors import PermissionDeniedError
from app.integrations.amocrm_files import FileWriteError, contacts_sheet, read_table, write_rows
from app.services import deal_fields
from app.services.amocrm_import import ImportOptions, import_tables
from app.services.data_export import CONTACTS_SHEET, DEALS_SHEET, TASKS_SHEET, export_tables
from app.store.connection import open_database
from app.store.db import close_database, copy_sqlite
from app.store.models import AuditEntry, Contact, Deal, Passport, Role, User

COMPARED = ("name", "budget", "prepayment", "debt", "payment_date", "ship_deadline", "delivery_type",
            "delivery_city", "tags", "products", "source", "contact.full_name", "contact.company",
            "contact.address", "contact.phones", "contact.emails")


def _snapshot() -> dict[int, dict]:
    """Every deal by order number with the fields the round trip must keep, and the contacts."""
    deals = {deal.order_no: {"stage": deal.stage, **{key: deal_fields.current_values(deal)[key] for key in COMPARED}}
             for deal in Deal.select()}
    contacts = sorted(contact.full_name for contact in Contact.select())
    return {"deals": deals, "contacts": contacts, "budgets": sum(d.budget for d in Deal.select())}


def test_export_imports_back_into_an_empty_database(demo_db, tmp_path, migrated_sqlite):
    before = _snapshot()
    sheets = export_tables(None).value
    for suffix in (".xlsx", ".csv"):  # XLSX: three sheets; CSV: three files side by side
        write_rows(tmp_path / f"shop{suffix}", sheets)
    close_database()
    for suffix in (".xlsx", ".csv"):
        path, target = tmp_path / f"shop{suffix}", tmp_path / f"empty{suffix}.sqlite3"
        copy_sqlite(migrated_sqlite, target)
        open_database(f"sqlite:///{target}")
        report = import_tables(read_table(path), contacts_sheet(path), None, ImportOptions())
        assert report.refused == [] and report.deals_created == len(before["deals"])
        assert report.contacts_created == len(before["contacts"])
        after = _snapshot()
        differing = {no: {k: (v, after["deals"][no][k]) for k, v in deal.items() if after["deals"][no][k] != v}
                     for no, deal in before["deals"].items()}
        assert {no: diff for no, diff in differing.items() if diff} == {}, suffix
        assert after == before
        close_database()


def test_passports_only_for_the_right_and_when_asked(demo_db):
    manager = User.get(User.role == Role.MANAGER)
    designer = User.get(User.role == Role.DESIGNER)
    plain = export_tables(manager).value
    assert "Серия паспорта" not in plain[DEALS_SHEET][0] and "Серия паспорта" not in plain[CONTACTS_SHEET][0]
    with_passport = export_tables(manager, with_passport=True).value
    column = with_passport[DEALS_SHEET][0].index("Серия паспорта")
    assert any(row[column] == "3681" for row in with_passport[DEALS_SHEET][1:])
    with pytest.raises(PermissionDeniedError, match="Выгрузка данных"):
        export_tables(designer)
    journal = [entry.action for entry in AuditEntry.select().order_by(AuditEntry.id)]
    passports = Passport.select().count()
    assert journal.count("export") == 1 and journal.count("passport_export") >= passports > 0


def test_open_tasks_are_exported(demo_db):
    tasks = export_tables(None).value[TASKS_SHEET]
    assert tasks[0][:4] == ["Номер заказа", "Название сделки", "Тип задачи", "Задача"] and len(tasks) > 1


def test_export_command_never_writes_passports(demo_db, db_url, tmp_path, capsys):
    from main import main

    path = tmp_path / "out.xlsx"
    assert main(["export", "-o", str(path), "--db", db_url]) == 0
    assert "Выгружено: сделок" in capsys.readouterr().out
    table = read_table(path)
    assert "Серия паспорта" not in table.header and len(table.rows) == Deal.select().count()
    assert contacts_sheet(path).rows and json.dumps(table.header, ensure_ascii=False)


def test_a_file_that_cannot_be_written_leaves_no_journal_row(demo_db, db_url, tmp_path, capsys):
    from main import main

    before = AuditEntry.select().count()
    folder = tmp_path / "занято.csv"
    folder.mkdir()  # a folder where the file should go
    with pytest.raises(FileWriteError, match="Не удалось записать"):
        export_tables(None, write=lambda sheets: write_rows(folder, sheets))
    assert AuditEntry.select().count() == before  # nothing says the data left
    assert main(["export", "-o", str(folder), "--db", db_url]) == 2
    assert "Ошибка: Не удалось записать" in capsys.readouterr().err
    assert AuditEntry.select().count() == before
