"""Moving in from amoCRM's export files: headers, dates, budgets, stages, contacts merged, notes, the
task to complete gate data, dry run, idempotence, batches, the command line."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from app.domain import amocrm
from app.domain.amocrm import Header, RowRefused, StageMatcher
from app.integrations.amocrm_files import read_table
from app.services import amocrm_import
from app.services.amocrm_import import COMPLETE_DATA_RULE, ImportOptions, import_tables
from app.store.models import Contact, ContactChannel, Deal, Group, Note, StageHistory, Task, TimelineEntry
from tests.domain import amocrm_samples as samples

IMPORT_TABLES = ("Deal", "Contact", "ContactChannel", "StageHistory", "Note", "TimelineEntry", "Task")


def _leads_file(tmp_path, rows=None, **kwargs):
    return samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, rows or samples.shop_leads(), **kwargs)


def _import(path, contacts=None, **options):
    return import_tables(read_table(path), read_table(contacts) if contacts else None, None,
                         ImportOptions(**options))


@pytest.mark.parametrize("header", ["Бюджет", "Бюджет ", " бюджет ₽", "бюджет, ₽", "БЮДЖЕТ (руб)", "Бюджет руб."])
def test_budget_header_variants(header):
    assert Header.read(["ID", header]).keys == ("id", "budget")


def test_repeated_and_unknown_columns_do_not_break_a_row():
    header = Header.read(["utm_source", "ID", "Примечание 2", "Примечание", "utm_source", "Мобильный телефон",
                          "Рабочий телефон"])
    row = header.row(["", "7", "второе", "первое", "google", "+7 912 345-67-89", "8 800 800-80-00"])
    assert row["id"] == "7" and row["notes"] == ["первое", "второе"]
    assert row["phone"] == ["+7 912 345-67-89", "8 800 800-80-00"]


@pytest.mark.parametrize("text,kopecks", [("32000", 3200000), ("32 000", 3200000), ("32 000,00", 3200000),
                                          ("32000.5", 3200050), ("", None), (32000, 3200000), (1500.5, 150050)])
def test_budgets(text, kopecks):
    assert amocrm.parse_amount(text, "Бюджет") == kopecks


def test_broken_budget_is_refused_with_the_field_named():
    with pytest.raises(RowRefused, match="Бюджет: «32к» — не сумма"):
        amocrm.parse_amount("32к", "Бюджет")


def test_dates_are_moscow_time():
    assert amocrm.parse_moment("31.05.2017 13:04:00", amocrm.DEAL_DATE_FORMATS, "Д") == datetime(2017, 5, 31, 10, 4)
    assert amocrm.parse_moment("30-05-2017 12:00:00", amocrm.CONTACT_DATE_FORMATS, "Д") == datetime(2017, 5, 30, 9)
    with pytest.raises(RowRefused, match="Дата закрытия: «вчера» — не дата"):
        amocrm.parse_moment("вчера", amocrm.DEAL_DATE_FORMATS, "Дата закрытия")


def test_stages_by_name_ignoring_case_spaces_and_yo():
    matcher = StageMatcher({"Воронка/Замер": "first_contact", "Ждём оплату": "invoice"})
    assert matcher.match("СЧЁТ  выставлен") == "invoice"
    assert matcher.match("закрыто и не реализовано") == "lost"
    assert matcher.match("Замер", "Воронка") == "first_contact"
    assert matcher.match("Ждем оплату", "Другая") == "invoice"
    assert matcher.match("Замер", "Другая") is None
    with pytest.raises(ValueError, match="нет такого этапа"):
        StageMatcher({"Замер": "measure"})


def test_import_of_a_cp1251_semicolon_file(staff, tmp_path):
    path = _leads_file(tmp_path, encoding="cp1251", delimiter=";")
    report = _import(path)
    assert (report.deals_created, report.deals_refused, report.contacts_created, report.contacts_merged,
            report.notes, report.tasks_to_complete_data) == (4, 2, 2, 2, 2, 2)
    refused = {line.line: line.reason for line in report.refused}
    assert refused == {4: "Бюджет: «abc» — не сумма; пример: 32 000 или 1500,50",
                       5: "Этап «Замер» воронки «Воронка» не найден в программе: сопоставьте его с этапом"}
    assert report.unknown_stages == {"Воронка/Замер": 1} and report.unknown_people == {"Пётр Незнакомый": 1}

    mia = Deal.get(Deal.amo_id == 101)
    assert (mia.name, mia.stage, mia.budget, mia.tags, mia.products, mia.source, mia.delivery_city) == (
        "Краева Ольга (МИА)", "first_contact", 3200000, "инд срочно", "МИА", "Сайт", "Санкт-Петербург")
    assert mia.created_at == datetime(2017, 5, 31, 10, 4) and mia.updated_at == datetime(2017, 6, 1, 7, 0)
    assert mia.responsible_id == mia.manager_id == staff["manager"].id
    feed = [(e.kind, e.text) for e in TimelineEntry.select().where(TimelineEntry.deal == mia)
            .order_by(TimelineEntry.at, TimelineEntry.id)]
    assert feed == [("deal_created",
                     "Импорт из amoCRM (ID 101): сделка «Краева Ольга (МИА)», этап «Первичный контакт»"),
                    ("note", "Звонила"), ("note", "Хочет МИА белую")]
    assert [h.from_stage for h in StageHistory.select().where(StageHistory.deal == mia)] == [None]

    won = Deal.get(Deal.amo_id == 102)
    assert won.stage == "won" and won.stage_entered_at == datetime(2017, 6, 10, 15, 30)
    assert won.contact_id == mia.contact_id  # the same phone written otherwise
    assert Deal.get(Deal.amo_id == 105).contact_id == mia.contact_id  # the same e-mail, other case
    kraeva = Contact.get_by_id(mia.contact_id)
    assert sorted(c.value for c in kraeva.channels) == ["+79001112233", "+79123456789", "kraeva@mail.ru"]
    assert "9123456789" in won.search_text and "краева" in won.search_text

    # importing is not a move: no automatic task fired; only «Дополнить данные» where a gate lacks fields
    tasks = {task.deal.amo_id: task for task in Task.select()}
    assert set(tasks) == {105, 106} and all(task.rule == COMPLETE_DATA_RULE for task in tasks.values())
    assert tasks[105].text == "Дополнить данные: Серия паспорта, Номер паспорта, Адрес доставки"
    assert tasks[105].assignee_group_id == Group.get(Group.name == "Магазины").id  # unknown responsible
    assert tasks[106].assignee_user_id == staff["manager"].id
    assert "Дата оплаты" in tasks[106].text and "Город доставки" in tasks[106].text


def test_contacts_file_in_xlsx_merges_with_the_leads(staff, tmp_path):
    contacts = samples.write_xlsx(tmp_path / "contacts.xlsx", samples.CONTACTS_HEADER, [
        samples.contact_row(9001, "Краева Ольга", phone="+7 (912) 345-67-89", address="Невский 1"),
        samples.contact_row(9002, "ООО Ромашка", kind="компания"),
        samples.contact_row(9003, "Новикова Вера", mobile="8 921 000-11-22", created="01-02-2016 10:00:00"),
    ])
    report = _import(_leads_file(tmp_path), contacts)
    assert (report.contacts_created, report.contacts_merged) == (3, 3)  # Краева ← 101, 102, 105; Смирнов
    kraeva = Contact.get(Contact.amo_id == 9001)
    assert kraeva.address == "Невский 1" and kraeva.deals.count() == 3
    assert Contact.get(Contact.amo_id == 9003).created_at == datetime(2016, 2, 1, 7, 0)
    assert not Contact.select().where(Contact.full_name == "ООО Ромашка").exists()


def test_dry_run_writes_nothing_and_reports_what_would_happen(staff, tmp_path, counts):
    path = _leads_file(tmp_path)
    before = counts()
    dry = _import(path, dry_run=True)
    assert counts() == before
    real = _import(path)
    assert {**dry.summary(), "dry_run": False} == real.summary()
    assert dry.refused == real.refused


def test_importing_again_adds_nothing_and_updates_what_changed(staff, tmp_path, counts):
    path = _leads_file(tmp_path)
    _import(path)
    before = counts()
    again = _import(path)
    assert (again.deals_created, again.deals_updated, again.contacts_created, again.contacts_merged,
            again.notes, again.tasks_to_complete_data) == (0, 0, 0, 0, 0, 0)
    assert again.deals_unchanged == 4 and counts() == before

    rows = samples.shop_leads()
    rows[0] = samples.lead(101, "Краева Ольга (МИА)", "35 000", notes=["Звонила", "Хочет МИА белую", "Оплатит завтра"],
                           stage="Счет выставлен", contact="Краева Ольга", work_phone="+79123456789")
    changed = _import(_leads_file(tmp_path, rows))
    assert (changed.deals_created, changed.deals_updated, changed.deals_unchanged, changed.notes) == (0, 1, 3, 1)
    mia = Deal.get(Deal.amo_id == 101)
    assert (mia.budget, mia.stage) == (3500000, "invoice")
    assert [(h.from_stage, h.to_stage) for h in mia.history.order_by(StageHistory.id)] == [
        (None, "first_contact"), ("first_contact", "invoice")]
    assert Note.select().where(Note.deal == mia).count() == 3
    assert Task.select().where(Task.deal == mia, Task.rule == COMPLETE_DATA_RULE).count() == 1


def test_rows_without_id_are_matched_by_name_and_phone(staff, tmp_path):
    rows = [samples.lead("", "Орлова (Избушка)", "20000", stage="Первичный контакт", contact="Орлова Анна",
                         mobile="+7 921 555-66-77")]
    _import(_leads_file(tmp_path, rows), )
    rows[0][3] = "Ольга"  # another responsible, the phone written otherwise
    rows[0][21] = "8 (921) 555 66 77"
    again = _import(_leads_file(tmp_path, rows))
    assert (again.deals_created, again.deals_updated) == (0, 1)
    assert Deal.get().responsible_id == staff["manager2"].id


def test_mapped_stages_and_people(staff, tmp_path):
    report = _import(_leads_file(tmp_path), stage_map={"Замер": "first_contact"},
                     people_map={"Пётр Незнакомый": staff["manager2"].id})
    assert report.deals_created == 5 and report.unknown_stages == {} and report.unknown_people == {}
    assert Deal.get(Deal.amo_id == 104).stage == "first_contact"
    assert Deal.get(Deal.amo_id == 105).manager_id == staff["manager2"].id


def test_cancel_between_batches_leaves_whole_batches(staff, tmp_path, monkeypatch):
    presses = iter([False, True])
    report = import_tables(read_table(_leads_file(tmp_path)), None, None, ImportOptions(batch_size=2),
                           cancelled=lambda: next(presses))
    assert report.cancelled and sorted(d.amo_id for d in Deal.select()) == [101, 102]  # the first batch

    def broken(self, deal_id, texts):
        raise RuntimeError("диск отключён")

    Deal.delete().execute()
    monkeypatch.setattr(amocrm_import._Importer, "_notes", broken)
    with pytest.raises(RuntimeError):
        import_tables(read_table(_leads_file(tmp_path)), None, None, ImportOptions(batch_size=2))
    assert Deal.select().count() == 0  # the first row has notes: its batch rolled back whole


def test_command_line_prints_json_last_and_writes_the_report(db_url, db, staff, tmp_path, capsys):
    from main import main

    path = samples.write_xlsx(tmp_path / "leads.xlsx", samples.LEADS_HEADER, samples.shop_leads())
    stage_map = tmp_path / "stages.json"
    stage_map.write_text(json.dumps({"Замер": "first_contact"}, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report.csv"
    assert main(["import-amocrm", str(path), "--dry-run", "--db", db_url]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["deals_created"] == 4
    assert Deal.select().count() == 0
    assert main(["import-amocrm", str(path), "--stage-map", str(stage_map), "--report", str(report),
                 "--db", db_url]) == 0
    out = capsys.readouterr()
    summary = json.loads(out.out.splitlines()[-1])
    assert (summary["deals_created"], summary["deals_refused"], summary["contacts_merged"]) == (5, 1, 2)
    assert "строка 4: Бюджет" in out.err
    lines = read_table(report).rows
    assert [cells[1:3] for _, cells in lines if cells[2] == "отказ"] == [["4", "отказ"]]


def test_phones_that_are_not_phones_are_warned_not_refused(staff, tmp_path):
    rows = [samples.lead(7, "Фомина (МИА)", "1000", contact="Фомина", work_phone="позвонить вечером")]
    report = _import(_leads_file(tmp_path, rows))
    assert report.deals_created == 1
    assert [line.reason for line in report.lines] == ["«позвонить вечером» — не номер телефона, пропущен"]
    assert ContactChannel.select().count() == 0


def test_the_same_deal_twice_in_one_file_is_one_deal(staff, tmp_path):
    rows = [samples.lead(7, "Фомина (МИА)", "1000", contact="Фомина", mobile="+79215550000"),
            samples.lead(7, "Фомина (МИА)", "2000", contact="Фомина", mobile="+79215550000", notes=["Доплата"])]
    report = _import(_leads_file(tmp_path, rows))
    assert (report.deals_created, report.deals_updated, report.contacts_created) == (1, 1, 1)
    deal = Deal.get()
    assert deal.budget == 200000 and [n.text for n in deal.notes] == ["Доплата"]


def _contacts_with_notes(tmp_path, suffix):
    """A contacts file whose notes columns amoCRM names «Примечание», «Примечание 2», «Примечание 3»:
    Краева twice (by phone, then by e-mail: one person), Новикова without deals."""
    header = [name if name != "Примечание 1" else "Примечание" for name in samples.CONTACTS_HEADER]
    header.insert(header.index("Примечание 2") + 1, "Примечание 3")
    rows = [samples.contact_row(9001, "Краева Ольга", phone="+7 (912) 345-67-89", email="kraeva@mail.ru",
                                notes=["Любит белый", ""]),
            samples.contact_row(9004, "Краева О.", email="KRAEVA@mail.ru", notes=["Любит белый", "Скидка 5%"]),
            samples.contact_row(9003, "Новикова Вера", mobile="8 921 000-11-22", notes=["Перезвонит весной"])]
    for row, third in zip(rows, ["Звонить после 18", "", ""]):
        row.insert(header.index("Примечание 3"), third)
    write = samples.write_xlsx if suffix == "xlsx" else samples.write_csv
    return write(tmp_path / f"contacts.{suffix}", header, rows)


def _feed_notes(deal):
    return [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal, TimelineEntry.kind == "note")
            .order_by(TimelineEntry.id)]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_contacts_notes_go_onto_each_of_their_deals_once(staff, tmp_path, counts, suffix):
    contacts = _contacts_with_notes(tmp_path, suffix)
    report = _import(_leads_file(tmp_path), contacts)
    marked = [amocrm.contact_note(text) for text in ("Любит белый", "Звонить после 18", "Скидка 5%")]
    assert marked[0] == "Примечание к контакту (amoCRM): Любит белый"
    for amo_id, own in ((101, ["Звонила", "Хочет МИА белую"]), (102, []), (105, [])):
        deal = Deal.get(Deal.amo_id == amo_id)
        assert _feed_notes(deal) == own + marked  # column order, the merged row's new note after
        assert [n.text for n in Note.select().where(Note.deal == deal).order_by(Note.id)] == own + marked
    assert not Note.select().where(Note.deal == Deal.get(Deal.amo_id == 106), Note.text.contains("контакту")).exists()
    assert (report.contact_notes, report.contact_notes_without_deals, report.notes) == (9, 1, 11)
    kept = [(line.file, line.line, line.outcome, line.reason) for line in report.lines
            if line.outcome == amocrm_import.NOTE_ONLY_HERE]
    assert kept == [(f"contacts.{suffix}", 4, "примечание только в отчёте",
                     "«Новикова Вера»: у контакта нет сделок. Примечание к контакту (amoCRM): Перезвонит весной")]

    before = counts()
    again = _import(_leads_file(tmp_path), contacts)  # by amoCRM ID: nothing twice
    assert (again.notes, again.contact_notes, again.contact_notes_without_deals) == (0, 0, 1)
    assert counts() == before


def test_contacts_notes_dry_run_and_report_file(staff, tmp_path, counts):
    from app.integrations.amocrm_files import write_report

    contacts = _contacts_with_notes(tmp_path, "csv")
    before = counts()
    dry = _import(_leads_file(tmp_path), contacts, dry_run=True)
    assert counts() == before
    real = _import(_leads_file(tmp_path), contacts)
    assert {**dry.summary(), "dry_run": False} == real.summary()
    assert real.summary()["contact_notes"] == 9 and real.summary()["contact_notes_without_deals"] == 1
    rows = read_table(write_report(real.lines, tmp_path / "report.csv")).rows
    assert [cells[1:] for _, cells in rows if cells[2] == "примечание только в отчёте"] == [
        ["4", "примечание только в отчёте",
         "«Новикова Вера»: у контакта нет сделок. Примечание к контакту (amoCRM): Перезвонит весной"]]


def test_contacts_notes_reach_deals_imported_before_or_later(staff, tmp_path):
    contacts = samples.write_csv(tmp_path / "contacts.csv", samples.CONTACTS_HEADER, [
        samples.contact_row(9003, "Новикова Вера", mobile="8 921 000-11-22", notes=["Перезвонит весной"])])
    first = _import(_leads_file(tmp_path), contacts)  # no deal of hers yet: the note is in the report
    assert first.contact_notes_without_deals == 1 and not Note.select().where(Note.text.contains("весной")).exists()
    rows = [samples.lead(301, "Новикова (Маяк)", "1000", stage="Первичный контакт", contact="Новикова Вера",
                         mobile="+79210001122")]
    later = _import(_leads_file(tmp_path, rows), contacts)  # her deal comes: the note goes onto it
    assert (later.contact_notes, later.contact_notes_without_deals) == (1, 0)
    assert _feed_notes(Deal.get(Deal.amo_id == 301)) == ["Примечание к контакту (amoCRM): Перезвонит весной"]
    rows.append(samples.lead(302, "Новикова (Ярус)", "1000", stage="Первичный контакт", contact="Новикова Вера",
                             mobile="+79210001122"))
    third = _import(_leads_file(tmp_path, rows), contacts)  # the second deal gets it; the first not again
    assert third.contact_notes == 1
    assert Note.select().where(Note.text.contains("весной")).count() == 2


def test_a_contacts_note_too_long_refuses_its_row(staff, tmp_path):
    contacts = samples.write_csv(tmp_path / "contacts.csv", samples.CONTACTS_HEADER, [
        samples.contact_row(9003, "Новикова Вера", mobile="8 921 000-11-22", notes=["а" * 20_000])])
    report = _import(_leads_file(tmp_path), contacts)
    assert [line.reason.split(" (")[0] for line in report.refused if line.file == "contacts.csv"] == [
        "Примечание: не длиннее 20000 знаков"]


def test_digits_only_to_str_isdigit_are_refused_not_crashed():
    header = Header.read(["ID", "Название сделки", "Этап сделки", "Номер заказа"])
    for cells, reason in ((["²", "Маяк", "Замер", ""], "ID: «²» — не номер сделки amoCRM"),
                          (["7", "Маяк", "Замер", "١٥"], "Номер заказа: «١٥» — не число")):
        with pytest.raises(RowRefused, match=reason):
            amocrm.lead_record(header.row(cells), 2)
