"""One test per row of PIPELINE.md's table «What happens on entering a stage»."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import pipeline
from app.domain.codes import TaskType
from app.domain.errors import PermissionDeniedError, ValidationError
from app.services import deals, tasks
from app.store.models import OutboxSms, Task
from tests.domain.helpers import complete_deal

MANAGER = "manager"  # the deal's sales manager (a person)
# stage -> [(text, type, addressee (MANAGER or group name), due offset)]
EXPECTED = {
    "new": [("Связаться с клиентом", TaskType.CONTACT, MANAGER, 0)],
    "first_contact": [("Предложить согласовать БЗ", TaskType.CONTACT, MANAGER, 0)],
    "design_agreement": [],
    "order_form": [],
    "design": [
        ("Проведена оплата за дизайн? прикреплен бриф?", TaskType.CONFIRM, MANAGER, 0),
        ("Дизайн. Связаться с клиентом для уточнения деталей", TaskType.CONTACT, "Дизайнер", 0),
    ],
    "invoice": [("Контроль оплаты счета", TaskType.CONTACT, MANAGER, 3)],
    "paid": [("Прикрепить БЗ для производства", TaskType.CONFIRM, MANAGER, 0)],
    "cutting": [("Заказ оплачен. Принять в работу", TaskType.CONFIRM, "Конструктор", 0)],
    "production": [("Принять в работу. Документация готова", TaskType.CONFIRM,
                    "Начальник производства", 0)],
    **{code: [] for code in ("sawing", "milling", "drilling", "assembly", "rework", "sanding",
                             "painting", "delivered")},
    "priming": [("Контроль задолженности", TaskType.CONTACT, "Магазины", 0)],
    "packing": [("Связаться с клиентом и согласовать доставку", TaskType.CONTACT, "Магазины", 0)],
    "shipped": [],  # conditional tasks: see test_shipped_*
    "won": [("Напомнить об акции. Получить отзыв", TaskType.CONTACT, MANAGER, 7)],
    "lost": [("Проинформировать клиента о текущей акции", TaskType.CONTACT, MANAGER, 14)],
}


def test_every_stage_has_a_row():
    assert set(EXPECTED) == set(pipeline.STAGE_CODES)
    assert [s.name for s in pipeline.STAGES][:3] == ["Неразобранное", "Первичный контакт",
                                                     "Согласование дизайна"]
    assert len(pipeline.STAGES) == 22


def _addressee(task: Task) -> str:
    return MANAGER if task.assignee_user_id else task.assignee_group.name


def _mover(staff, code: str):
    """Who moves a deal into ``code`` in the shop (PIPELINE.md roles)."""
    if code == "production":
        return staff["constructor"]
    if code in pipeline.WORKSHOP_STAGES + ("shipped",):
        return staff["chief"]
    return staff["manager"]


@pytest.mark.parametrize("code", [c for c in EXPECTED if c != "new"])
def test_entering_stage_sets_its_tasks(staff, fake_clock, code):
    deal = complete_deal(staff["manager"])
    fake_clock.advance(timedelta(hours=1))
    moved_at = fake_clock.now()
    result = deals.move_deal(deal.id, code, _mover(staff, code))
    got = [(t.text, t.type, _addressee(t), t.due_at - moved_at, t.rule) for t in result.tasks]
    assert len(got) == len(EXPECTED[code])
    for (text, type_, to, days), (g_text, g_type, g_to, g_due, g_rule) in zip(EXPECTED[code], got):
        assert text in g_text and g_type == type_ and g_to == to
        assert g_due == timedelta(days=days) and g_rule
    stored = Task.select().where(Task.deal == deal.id, Task.rule.is_null(False),
                                 Task.created_at == moved_at).count()
    assert stored == len(EXPECTED[code])
    for task in result.tasks:
        if task.assignee_user_id:
            assert task.assignee_user_id == staff["manager"].id


def test_new_deal_gets_contact_task_due_after_the_grace(staff, fake_clock):
    result = deals.create_deal(staff["manager"], name="Маякова Анастасия (замеры)")
    (task,) = result.tasks
    assert (task.text, task.type, task.assignee_user_id, task.due_at) == (
        "Связаться с клиентом", TaskType.CONTACT, staff["manager"].id, fake_clock.now() + timedelta(minutes=15))
    (line,) = tasks.open_tasks(result.deal.id)
    assert not line.overdue  # not red the minute the lead arrives


def test_the_administrator_sets_the_grace_of_new_leads(staff, fake_clock):
    with pytest.raises(PermissionDeniedError):
        tasks.set_new_lead_grace(staff["manager"], 60)
    with pytest.raises(ValidationError, match="Отсрочка задачи нового обращения: от 0 до 1440"):
        tasks.set_new_lead_grace(staff["admin"], -5)
    tasks.set_new_lead_grace(staff["admin"], 60)
    (task,) = deals.create_deal(staff["manager"], name="Лебедева Ирина").tasks
    assert task.due_at == fake_clock.now() + timedelta(hours=1)


def test_manager_task_goes_to_shops_group_without_a_manager(staff):
    deal = complete_deal(None)
    result = deals.move_deal(deal.id, "first_contact", None)
    assert result.tasks[0].assignee_group.name == "Магазины"


def test_design_makes_designer_responsible_and_order_form_gives_it_back(staff):
    deal = complete_deal(staff["manager"])
    deals.move_deal(deal.id, "design", staff["manager"])
    assert deals.load_deal(deal.id).responsible_id == staff["designer"].id
    deals.move_deal(deal.id, "order_form", staff["designer"])
    assert deals.load_deal(deal.id).responsible_id == staff["manager"].id


@pytest.mark.parametrize("kind,template", [("standard", "Оплачено"), ("individual", "Оплачено инд")])
def test_paid_queues_sms_with_client_name(staff, kind, template):
    deal = complete_deal(staff["manager"], kind=kind)
    result = deals.move_deal(deal.id, "paid", staff["manager"])
    (sms,) = result.sms
    assert sms.template == template and sms.status == OutboxSms.PENDING
    assert "Тест Тестович" in sms.text and str(deal.order_no) in sms.text
    assert sms.phone == "+78008008000"
    texts = [e.text for e in deals.load_deal(deal.id).timeline]
    assert any("к отправке" in t and template in t for t in texts)


@pytest.mark.parametrize("delivery,assembly,expected", [
    ("До дома", False, []),
    ("Транспортная компания", False, ["данными транспортной компании"]),
    ("До дома", True, ["согласовать сборку"]),
    ("До терминала ТК", True, ["данными транспортной компании", "согласовать сборку"]),
])
def test_shipped_tasks_depend_on_delivery_and_assembly(staff, delivery, assembly, expected):
    deal = complete_deal(staff["manager"], delivery_type=delivery, assembly_needed=assembly,
                         transport_company="СДЭК", waybill_no="1234567")
    result = deals.move_deal(deal.id, "shipped", staff["chief"])
    assert len(result.tasks) == len(expected)
    for fragment, task in zip(expected, result.tasks):
        assert fragment in task.text and task.assignee_user_id == staff["manager"].id
    if "данными транспортной компании" in expected:
        (sms,) = result.sms
        assert "СДЭК" in sms.text and "1234567" in sms.text
    else:
        assert result.sms == []


def test_entering_a_stage_again_sets_no_second_copy_of_an_open_task(staff):
    manager = staff["manager"]
    deal = complete_deal(manager)
    for code in ("design", "order_form", "design", "order_form", "design"):
        deals.move_deal(deal.id, code, manager)
    rules = [task.rule for task in Task.select().where(Task.deal == deal.id, Task.rule.startswith("design."))]
    assert sorted(rules) == ["design.check", "design.contact"]  # not four, not six
    lines = {line.text: line for line in tasks.open_tasks(deal.id)}
    deals.move_deal(deal.id, "order_form", manager)  # back: the design tasks stay open, marked
    lines = {line.text: line for line in tasks.open_tasks(deal.id)}
    assert lines["Дизайн. Связаться с клиентом для уточнения деталей"].left_stage == "Дизайн"
    done = Task.get(Task.deal == deal.id, Task.rule == "design.check")
    tasks.complete_task(done.id, manager, "да")
    deals.move_deal(deal.id, "design", manager)  # a done task is set again on a new visit
    assert Task.select().where(Task.deal == deal.id, Task.rule == "design.check").count() == 2


def test_the_won_stage_asks_for_feedback_without_repeating_the_type(staff):
    deal = complete_deal(None)
    result = deals.move_deal(deal.id, "won", None)
    (task,) = result.tasks
    assert (task.text, task.type) == ("Напомнить об акции. Получить отзыв", TaskType.CONTACT)
