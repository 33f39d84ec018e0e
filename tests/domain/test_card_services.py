"""The domain pieces behind the deal card: live field checks, passport visibility with its audit,
the ordered feed, the deal's files and open tasks, «Подтвердить получение заказа»."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import clock, validation
from app.domain.codes import TaskType
from app.domain.errors import PermissionDeniedError, ServiceError
from app.domain.pipeline import stage
from app.services import deal_fields, deals, notes, personal_data, tasks, timeline
from app.store.models import AuditEntry, Deal
from tests.domain.helpers import INVOICE_VALUES, complete_deal, new_deal


@pytest.mark.parametrize("key, value, message", [
    ("contact.phone", "позвонить вечером", "номер телефона"),
    ("contact.phone", "12-34", "номер телефона"),
    ("contact.email", "test@", "e-mail"),
    ("passport.series", "36a1", "4 цифры"),
    ("prepayment", "сто", "не сумма"),
    ("payment_date", "31.02.2025", "не дата"),
])
def test_check_field_gives_the_message_without_a_database(key, value, message):
    assert message in deal_fields.check_field(key, value)


def test_check_field_accepts_good_values_and_marks_empty_required_ones():
    assert deal_fields.check_field("contact.phone", "8 800 800-80-00") is None
    assert deal_fields.check_field("budget", "32 000", required=True) is None
    assert deal_fields.check_field("delivery_city", "", required=True) == "не заполнено"
    assert deal_fields.check_field("delivery_city", "") is None


def test_check_over_state_reports_gate_and_cross_field_problems(staff):
    deal = new_deal(staff["manager"], budget="10 000")
    state = deal_fields.current_values(deal)
    _, merged, problems = deal_fields.check(state, {"prepayment": "20 000"}, stage("paid").gate)
    fields = {p.field for p in problems}
    assert "prepayment" in fields and {"payment_date", "ship_deadline", "delivery_type"} <= fields
    assert deal_fields.has_no_debt(0) and not deal_fields.has_no_debt(None) and not deal_fields.has_no_debt(5)


def test_passport_visible_to_manager_with_audit_and_refused_to_designer(staff):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    assert personal_data.can_see_passport(staff["manager"]) and personal_data.can_see_passport(staff["admin"])
    assert not personal_data.can_see_passport(staff["designer"])
    before = AuditEntry.select().where(AuditEntry.action == "passport_view").count()
    shown = personal_data.read_passport(deal.id, staff["manager"]).value
    assert (shown.series, shown.number) == ("3681", "543578")
    row = AuditEntry.select().where(AuditEntry.action == "passport_view").order_by(AuditEntry.id.desc()).get()
    assert (row.user_id, row.deal_id) == (staff["manager"].id, deal.id)
    assert AuditEntry.select().where(AuditEntry.action == "passport_view").count() == before + 1
    with pytest.raises(PermissionDeniedError):
        personal_data.read_passport(deal.id, staff["designer"])
    assert personal_data.masked_passport(deal.id).series == "••••"
    assert personal_data.masked_passport(new_deal(staff["manager"], name="Без паспорта").id).series == ""


def test_feed_is_in_order_and_carries_the_attached_file(staff, tmp_path, fake_clock):
    deal = new_deal(staff["manager"])
    fake_clock.advance(timedelta(minutes=5))
    picture = tmp_path / "bed.jpg"
    picture.write_bytes(b"\xff\xd8\xff")
    notes.attach_file(deal.id, staff["designer"], picture, "design")
    fake_clock.advance(timedelta(minutes=5))
    notes.add_note(deal.id, staff["manager"], "Клиент перезвонит")
    lines = timeline.feed(deal.id)
    assert [line.at for line in lines] == sorted(line.at for line in lines)
    assert lines[-1].text == "Клиент перезвонит" and lines[-1].user_name == "Татьяна"
    file_line = next(line for line in lines if line.kind == "file")
    assert file_line.file_name == "bed.jpg" and file_line.stored_name
    files = notes.attachments_of(deal.id)
    assert [(f.kind_name, f.name, f.is_image) for f in files] == [("Дизайн", "bed.jpg", True)]


def test_feasibility_question_carries_the_latest_design_picture(staff, tmp_path):
    deal = new_deal(staff["manager"])
    picture = tmp_path / "izba.png"
    picture.write_bytes(b"png")
    attachment = notes.attach_file(deal.id, staff["designer"], picture, "design").value
    question = tasks.ask_feasibility(deal.id, staff["designer"]).value
    assert question.text.endswith("(рисунок: izba.png)") and tasks.is_feasibility_question(question)
    line = timeline.feed(deal.id)[-1]
    assert line.kind == "task_created" and line.stored_name == attachment.stored_name
    assert tasks.can_ask_feasibility(staff["designer"]) and not tasks.can_ask_feasibility(staff["constructor"])
    assert tasks.can_answer_feasibility(staff["constructor"]) and not tasks.can_answer_feasibility(staff["manager"])


def test_confirm_receipt_is_due_the_day_after_planned_delivery(staff):
    deal = complete_deal(staff["manager"], planned_delivery_date=date(2025, 7, 20))
    deals.move_deal(deal.id, "invoice", staff["manager"])
    deals.move_deal(deal.id, "paid", staff["manager"])
    assert not tasks.offers_confirm_receipt(deal.id)
    deals.move_deal(deal.id, "shipped", staff["chief"])
    assert tasks.offers_confirm_receipt(deal.id)
    task = tasks.confirm_receipt(deal.id, staff["manager"]).value
    assert (task.text, task.type, task.assignee_user_id, task.all_day) == (
        tasks.CONFIRM_RECEIPT, TaskType.CONTACT, staff["manager"].id, True)
    assert clock.to_local(task.due_at).date() == date(2025, 7, 21)
    assert not tasks.offers_confirm_receipt(deal.id)
    assert any(line.text == tasks.CONFIRM_RECEIPT for line in tasks.open_tasks(deal.id))


def test_confirm_receipt_needs_the_planned_delivery_date(staff):
    deal = new_deal(staff["manager"])
    with pytest.raises(ServiceError, match="плановую дату доставки"):
        tasks.confirm_receipt(deal.id, staff["manager"])


def test_open_tasks_and_addressees(staff, fake_clock):
    deal = new_deal(staff["manager"])
    fake_clock.advance(timedelta(hours=1))
    lines = tasks.open_tasks(deal.id)
    assert [(line.text, line.addressee, line.overdue) for line in lines] == [
        ("Связаться с клиентом", "Татьяна", True)]
    labels = [a.label for a in tasks.addressees()]
    assert labels[:3] == ["Группа «Магазины»", "Группа «Дизайнер»", "Группа «Конструктор»"]
    assert "Дизайнер Анна (Дизайнер)" in labels
    shops = tasks.addressees()[0]
    task = tasks.add_task(deal.id, staff["manager"], text="Позвонить", **shops.as_kwargs()).value
    assert task.assignee_group.name == "Магазины"
    assert deals.deal_id_for_order(deal.order_no) == deal.id


def test_a_deal_keeps_where_it_came_from(staff):
    deals.create_deal(staff["manager"], name="Кровать МИА", values={"source": "e-mail"})
    stored = Deal.get(Deal.name == "Кровать МИА")
    assert stored.source == "e-mail"
    assert deal_fields.current_values(stored)["source"] == "e-mail"
    assert deal_fields.label("source") == "Источник"


def test_a_phone_the_library_cannot_check_is_kept_as_typed_with_a_warning(staff):
    assert deal_fields.check_field("contact.phone", "12 34 56") is None
    assert validation.phone_warning("12 34 56") == "номер не удалось проверить — сохранится как введён"
    assert validation.phone_warning("8 912 345-67-89") is None
    deal = deals.create_deal(staff["manager"], name="Соколова", values={"contact.phone": "12 34 56"}).deal
    assert deal_fields.current_values(deals.load_deal(deal.id))["contact.phone"] == "12 34 56"
