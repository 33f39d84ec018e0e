"""Every service entry point called with generated junk in one argument at a time: only the services'
own error escapes (a Russian message, no SQL, no Python type names), and a refusal writes nothing —
on SQLite and PostgreSQL alike."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.codes import Role
from app.domain.errors import ServiceError
from app.domain.offcuts import NewOffcut
from app.domain.reminder_rules import ReminderSettings
from app.domain.sms_rules import SmsSettings
from app.domain.sms_status import GatewayAnswer, Outcome
from app.integrations.amocrm_files import read_table, write_rows
from app.queries import analytics
from app.services import (
    amocrm_import,
    auth,
    board_moves,
    cutsheets,
    data_export,
    deal_fields,
    deals,
    mail_intake,
    mail_settings,
    my_tasks,
    notes,
    offcuts,
    part_import,
    permissions,
    personal_data,
    reminders,
    sms,
    sms_manual,
    sms_outbox,
    sms_settings,
    specs,
    stale,
    stock_boards,
    tasks,
    users,
)
from app.store import secrets
from app.store.db import database
from app.store.models import ALL_MODELS, Task
from tests.domain import amocrm_samples
from tests.domain.helpers import complete_deal

TRICKY_TEXT = ["", "   ", "\x00", "a\x00b", "\x1b[31m", "x" * 300, "я" * 5000, "NaN", "1e400", "-1", "9" * 40,
               "31.02.2025", "2025-13-45", "'; DROP TABLE deal; --", "🙂" * 80, "\u202e", "nowhere"]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, -1, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(TRICKY_TEXT), st.binary(max_size=8),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
    st.dates(), st.datetimes(), st.times(),
)
LETTER = ("From: Ольга <olga@test.ru>\r\nTo: shop@test.ru\r\nSubject: Кровать\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n\r\nХочу кровать, +7 900 111-22-33\r\n").encode()
FIELD_KEYS = [*deal_fields.DEAL_TEXT, *deal_fields.DEAL_AMOUNTS, *deal_fields.DEAL_DATES, *deal_fields.CONTACT_TEXT,
              *deal_fields.PASSPORT, "contact.phone", "contact.email", "contact.phones", "contact.emails",
              "delivery_type", "kind", "assembly_needed", "responsible", "no.such.field"]
FOREIGN = re.compile(r"SELECT|INSERT|UPDATE |Traceback|NoneType|object has no attribute|invalid literal|"
                     r"is not iterable|unhashable|\bkind:|\bint\(\)|psycopg|sqlite", re.IGNORECASE)


def _entry_points(ctx: dict) -> dict[str, tuple]:
    """name -> (call taking keyword arguments, valid arguments): junk replaces one of them."""
    admin, manager = ctx["admin"], ctx["manager"]
    deal, task, other = ctx["deal"], ctx["task"], ctx["other"]
    return {
        "create_deal": (lambda actor, name, values: deals.create_deal(actor, name=name, values=values),
                        dict(actor=manager, name="Новая сделка", values={"source": "сайт"})),
        "update_deal": (lambda deal_id, values, version: deals.update_deal(deal_id, manager, values, version),
                        dict(deal_id=deal, values={"tags": "инд"}, version=None)),
        "move_deal": (lambda deal_id, to, values: deals.move_deal(deal_id, to, manager, values),
                      dict(deal_id=deal, to="first_contact", values=None)),
        "move_many": (lambda ids, to: board_moves.move_many(ids, to, manager), dict(ids=[deal], to="new")),
        "add_note": (lambda deal_id, text: notes.add_note(deal_id, manager, text),
                     dict(deal_id=deal, text="Позвонить после 18")),
        "attach_file": (lambda deal_id, source, kind, comment: notes.attach_file(deal_id, manager, source, kind,
                                                                                 comment),
                        dict(deal_id=deal, source=ctx["file"], kind="other", comment="")),
        "add_task": (lambda deal_id, text, type, due_at, all_day: tasks.add_task(
            deal_id, manager, text=text, type=type, user=manager, due_at=due_at, all_day=all_day),
            dict(deal_id=deal, text="Перезвонить", type="contact", due_at=None, all_day=False)),
        "complete_task": (lambda task_id, result: tasks.complete_task(task_id, manager, result),
                          dict(task_id=other, result="готово")),
        "reschedule_task": (lambda task_id, due_at, all_day: tasks.reschedule_task(task_id, manager, due_at,
                                                                                  all_day=all_day),
                            dict(task_id=task, due_at=datetime(2025, 6, 3, 10), all_day=False)),
        "move_to": (lambda task_id, day, at: my_tasks.move_to(task_id, manager, day, at),
                    dict(task_id=task, day=date(2025, 6, 4), at=time(11))),
        "plus_hour": (lambda task_id: my_tasks.plus_hour(task_id, manager, ReminderSettings()), dict(task_id=task)),
        "tomorrow": (lambda task_id: my_tasks.tomorrow(task_id, manager), dict(task_id=task)),
        "ask_feasibility": (lambda deal_id, text: tasks.ask_feasibility(deal_id, ctx["designer"], text),
                            dict(deal_id=deal, text="Можно ли так?")),
        "grace": (lambda minutes: tasks.set_new_lead_grace(admin, minutes), dict(minutes=20)),
        "snooze": (lambda ids, minutes: reminders.snooze(ids, manager, minutes), dict(ids=[task], minutes=15)),
        "add_user": (lambda login, full_name, role, secret, groups: users.add_user(
            admin, login, full_name, role, secret, groups),
            dict(login="olga", full_name="Ольга", role=Role.MANAGER, secret="1234", groups=None)),
        "rename_user": (lambda user_id, full_name: users.rename_user(admin, user_id, full_name),
                        dict(user_id=manager.id, full_name="Татьяна")),
        "set_role": (lambda user_id, role: users.set_role(admin, user_id, role),
                     dict(user_id=ctx["designer"].id, role=Role.DESIGNER)),
        "set_groups": (lambda user_id, groups: users.set_groups(admin, user_id, groups),
                       dict(user_id=manager.id, groups=["Магазины"])),
        "reset_password": (lambda user_id, secret: users.reset_password(admin, user_id, secret),
                           dict(user_id=manager.id, secret="5678")),
        "set_active": (lambda user_id, active: users.set_active(admin, user_id, active),
                       dict(user_id=ctx["designer"].id, active=True)),
        "set_roles": (lambda action, roles: permissions.set_roles(admin, action, roles),
                      dict(action=permissions.EXPORT, roles=[Role.MANAGER])),
        "stale_days": (lambda code, days: stale.set_threshold(code, days), dict(code="invoice", days=3)),
        "read_passport": (lambda deal_id: personal_data.read_passport(deal_id, manager), dict(deal_id=deal)),
        "sign_in": (lambda user_id, secret: auth.sign_in(user_id, secret), dict(user_id=admin.id, secret="0000")),
        "save_parts": (lambda deal_id, rows: specs.save_parts(deal_id, ctx["constructor"], rows),
                       dict(deal_id=deal, rows=[{"name": "Бок", "thickness": 18, "length": 1900, "width": 800,
                                                 "quantity": 2}])),
        "cut_sheet": (lambda ids, material: cutsheets.create_cut_sheet(ctx["constructor"], ids, material),
                      dict(ids=[deal], material="")),
        "cancel_sheet": (lambda number, reason: cutsheets.cancel_cut_sheet(number, ctx["constructor"], reason),
                         dict(number=999, reason="")),
        "part_columns": (lambda table, columns: part_import.remember_columns(ctx["constructor"], table, columns),
                         dict(table=ctx["parts_table"], columns={"name": 0, "length": 1, "width": 2})),
        "parts_file": (lambda path: part_import.open_parts_file(path), dict(path=ctx["parts_file"])),
        "stock_boards": (lambda rows: stock_boards.save_stock_boards(ctx["constructor"], rows),
                         dict(rows=[{"material": "Фанера 18", "length": 2750, "width": 1220, "trim": 10, "kerf": 4,
                                     "min_offcut": "600×300"}])),
        "mark_cut": (lambda number, used, new: offcuts.mark_cut(ctx["constructor"], number, used, new),
                     dict(number=999, used=[], new=[NewOffcut("Фанера 18", 600, 300)])),
        "use_offcuts": (lambda number, use: offcuts.set_use_offcuts(ctx["constructor"], number, use),
                        dict(number=999, use=True)),
        "write_off": (lambda numbers: offcuts.write_off(admin, numbers), dict(numbers=[999])),
        "stock_board_row": (lambda material, length, width, trim, kerf, stages, count, cost:
                            stock_boards.save_stock_boards(ctx["constructor"], [dict(
                                material=material, length=length, width=width, trim=trim, kerf=kerf,
                                stages=stages, count=count, cost=cost)]),
                            dict(material="ЛДСП 16", length=2800, width=2070, trim=10, kerf=4, stages=3, count=5,
                                 cost="3 200,50")),
        **_import_export_entry_points(ctx),
        **_analytics_entry_points(ctx),
        **_sms_entry_points(ctx),
        **_mail_entry_points(ctx),
    }


def _import_export_entry_points(ctx: dict) -> dict[str, tuple]:
    """amoCRM's import (files, mappings, options) and the export (its sheets and the file written)."""
    admin = ctx["admin"]

    def import_files(leads, contacts, stage_map, people_map, dry_run, batch_size):
        options = amocrm_import.ImportOptions(stage_map=stage_map, people_map=people_map, dry_run=dry_run,
                                              batch_size=batch_size)
        return amocrm_import.import_tables(read_table(leads), read_table(contacts) if contacts else None,
                                           ctx["manager"], options)

    def export_to(with_passport, path):
        return data_export.export_tables(admin, with_passport=with_passport,
                                         write=lambda sheets: write_rows(path, sheets))

    return {
        "import_amocrm": (import_files, dict(leads=ctx["leads_file"], contacts=ctx["contacts_file"],
                                             stage_map={"Замер": "first_contact"},
                                             people_map={"Пётр Незнакомый": ctx["manager"].id}, dry_run=True,
                                             batch_size=2)),
        "export": (export_to, dict(with_passport=False, path=ctx["export_file"])),
    }


def _analytics_entry_points(ctx: dict) -> dict[str, tuple]:
    """What «Аналитика» and ``report`` call: the report for a filter and the lists behind its bars."""
    def flt(date_from, date_to, responsible_id, kind, source):
        return analytics.AnalyticsFilter(date_from, date_to, responsible_id, kind, source)

    period = dict(date_from=date(2025, 6, 1), date_to=date(2025, 6, 30), responsible_id=ctx["manager"].id,
                  kind="standard", source="сайт")
    return {
        "analytics_report": (lambda **f: analytics.build_report(ctx["admin"], flt(**f)), period),
        "analytics_stay": (lambda stage: analytics.stay_deals(flt(**period), stage), dict(stage="invoice")),
        "analytics_entered": (lambda stages, start, end, from_stage: analytics.entered_deals(
            flt(**period), stages, start, end, from_stage),
            dict(stages=("production", "shipped"), start=datetime(2025, 6, 2), end=datetime(2025, 6, 9),
                 from_stage="paid")),
        "analytics_week": (lambda week: analytics.week_bounds(week), dict(week=date(2025, 6, 2))),
        "analytics_month": (lambda month: analytics.month_bounds(month), dict(month="2025-06")),
        "analytics_source": (lambda source: analytics.source_deals(flt(**period), source), dict(source="сайт")),
        "analytics_over": (lambda stages: analytics.over_now(flt(**period), stages), dict(stages=("invoice",))),
    }


def _sms_entry_points(ctx: dict) -> dict[str, tuple]:
    """A manager's SMS by hand and the administrator's SMS settings and templates."""
    admin, manager, deal, waiting = ctx["admin"], ctx["manager"], ctx["deal"], ctx["sms"]
    return {
        "write_sms": (lambda deal_id, text: sms_manual.write_sms(deal_id, manager, text),
                      dict(deal_id=deal, text="Ваш заказ готов")),
        "send_template": (lambda deal_id, template, values: sms_manual.send_template(deal_id, manager, template,
                                                                                   values),
                          dict(deal_id=deal, template="Оплачено", values=None)),
        "complete_sms": (lambda sms_id, values: sms_manual.complete_fields(sms_id, manager, values),
                         dict(sms_id=waiting, values={"transport_company": "ПЭК"})),
        "sms_now": (lambda sms_id: sms_manual.send_now(sms_id, manager), dict(sms_id=waiting)),
        "sms_resend": (lambda sms_id: sms_manual.resend(sms_id, manager), dict(sms_id=waiting)),
        "sms_cancel": (lambda sms_id: sms_manual.cancel(sms_id, manager), dict(sms_id=-1)),
        "sms_settings": (lambda key, **values: sms_settings.save_settings(admin, SmsSettings(**values), key),
                         dict(gateway="smsc", login="shop", sender="Manya", test_mode=True, quiet_from="21:00",
                              quiet_to="09:00", shop_phone="+7 812 000-00-00", auto_send=False, base_url="",
                              key="test-key")),
        "sms_template": (lambda name, text: sms_settings.save_template(admin, name, text),
                         dict(name="Замер", text="Замерщик приедет завтра")),
        "sms_reset_template": (lambda name: sms_settings.reset_template(admin, name), dict(name="Оплачено")),
        "sms_fill": (lambda template: sms.fill(template, deals.load_deal(deal)), dict(template="Оплачено")),
        "sms_queue": (lambda template: sms.queue_sms(deals.load_deal(deal), template, manager),
                      dict(template="Оплачено")),
        "sms_client_name": (lambda full_name: sms.client_name(full_name), dict(full_name="Тестов Тест Тестович")),
        "sms_send_due": (lambda limit: sms_outbox.send_due(QuietGateway(), limit=limit), dict(limit=5)),
        "sms_claim": (lambda sms_id, code: sms_outbox.claim(sms_id, code), dict(sms_id=waiting, code="smsru")),
    }


class QuietGateway:
    """A gateway that takes every SMS and knows nothing of deliveries (no network)."""

    code, name, max_parts, supports_client_id = "fake", "Тестовый шлюз", 8, True

    def send(self, phone, text, *, client_id):
        return GatewayAnswer(Outcome.ACCEPTED, gateway_id=f"g{client_id}")

    def status(self, phone, *, gateway_id, client_id):
        return GatewayAnswer(Outcome.ACCEPTED, gateway_id=gateway_id)


def _mail_entry_points(ctx: dict) -> dict[str, tuple]:
    """The mailbox settings and the letter-taking entry points the mail screen uses."""
    def save(password, **values):
        return mail_settings.save(ctx["admin"], mail_settings.MailSettings(**values), password)

    account = mail_settings.MailSettings(host="imap.test", login="shop@test.ru").account("secret")

    return {
        "mail_settings": (save, dict(host="imap.test", port=993, security="ssl", login="shop@test.ru",
                                     folder="INBOX", interval_minutes=5, own_address="", enabled=True,
                                     password=None)),
        "mail_letter": (lambda raw: mail_intake.take_letter(raw, account), dict(raw=LETTER)),
    }


def _digest() -> str:
    """A fingerprint of every row of every table."""
    digest = hashlib.sha256()
    for model in ALL_MODELS:
        for row in model.select().order_by(model._meta.primary_key).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def shop(staff, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # junk such as "-1" is a relative path: the export would write it into the checkout
    previous = secrets.use(secrets.MemorySecrets())  # the SMS key never reaches this PC's keyring
    deal = complete_deal(staff["manager"])
    other = tasks.add_task(deal.id, staff["manager"], text="Другая", user=staff["manager"]).value
    file = tmp_path / "фото.jpg"
    file.write_bytes(b"\xff\xd8 not really a picture")
    with database.atomic():
        waiting = sms.queue_sms(deals.load_deal(deal.id), "Оплачено", staff["manager"]).id
    leads = amocrm_samples.write_csv(tmp_path / "leads.csv", amocrm_samples.LEADS_HEADER, amocrm_samples.shop_leads())
    contacts = amocrm_samples.write_csv(tmp_path / "contacts.csv", amocrm_samples.CONTACTS_HEADER, [
        amocrm_samples.contact_row(9001, "Краева Ольга", phone="+7 (912) 345-67-89", notes=["Любит белый"])])
    parts = tmp_path / "детали.csv"
    parts.write_text("Деталь;Длина;Ширина\nПолка;800;300\n", encoding="utf-8")
    yield {**staff, "deal": deal.id, "task": Task.get(Task.deal == deal.id, Task.rule.is_null(False)).id,
           "other": other.id, "file": file, "sms": waiting, "leads_file": leads, "contacts_file": contacts,
           "export_file": tmp_path / "выгрузка.csv", "parts_file": parts,
           "parts_table": part_import.open_parts_file(parts).value.table}
    secrets.use(previous)


ENTRY_NAMES = sorted(_entry_points(defaultdict(lambda: SimpleNamespace(id=0))))


def assert_junk_refused(name: str, call, valid: dict, field_keys: list[str], *, merge_values: bool = False,
                        examples: int = 25) -> None:
    """Call ``call`` with junk in one of its ``valid`` arguments at a time: only a ServiceError with a
    Russian message may escape, and a refusal writes nothing. ``values`` (a field map) gets junk under one
    of ``field_keys`` — alone, or among the valid values when ``merge_values`` — or junk instead of the map."""
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(argument=st.sampled_from(sorted(set(valid) - {"actor"})), junk=JUNK, field=st.sampled_from(field_keys))
    def attempt(argument, junk, field):
        arguments = dict(valid)
        if argument == "values":
            values = {**valid["values"], field: junk} if merge_values else {field: junk}
            arguments[argument] = values if not isinstance(junk, bool) else junk
        else:
            arguments[argument] = junk
        before = _digest()
        try:
            call(**arguments)
        except ServiceError as error:
            assert str(error) and not FOREIGN.search(str(error)), str(error)
            assert _digest() == before, f"{name}({argument}={junk!r}) was refused but wrote: {error}"

    attempt()


# fewer examples where one call costs much (an import, a file written, the whole report): the file stays
# within a minute more on both backends
EXAMPLES = {"import_amocrm": 6, "export": 5, "analytics_report": 8, "mail_letter": 10, "sms_send_due": 10}


@pytest.mark.parametrize("name", ENTRY_NAMES)
def test_junk_gets_the_services_own_error_and_writes_nothing(shop, name):
    call, valid = _entry_points(shop)[name]
    assert_junk_refused(name, call, valid, FIELD_KEYS, examples=EXAMPLES.get(name, 25))

