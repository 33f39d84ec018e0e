"""A throw-away database with the shop's sample deals (from the seed document).

The deals, names, bed models and budgets come from the screenshots described in
``shared/seed/process-individual-order.ru.txt``; columns the seed shows empty are filled with
plausible orders of the same bed models so that every column of the board has content. Each deal
is walked through the real services along the shop's process, so its history, timeline and tasks
are what the program itself would have written.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from app.demo.history import add_archive
from app.demo.mail import add_demo_letters
from app.demo.production import add_production_documents, add_stored_offcuts
from app.demo.shop_details import add_shop_details
from app.demo.sms import add_demo_sms
from app.domain import clock, pipeline
from app.domain.bed_models import detect_model
from app.domain.codes import Role
from app.services import deals, notes, numbering, people, tasks
from app.store.db import database
from app.store.models import Task, User

INDIVIDUAL, STANDARD, COMPLAINT = "individual", "standard", "complaint"

SALES_PATH = ["first_contact", "order_form", "invoice", "paid", "cutting", "production",
              *pipeline.WORKSHOP_STAGES, "shipped"]
DESIGN_PATH = ["first_contact", "design_agreement", "design", "order_form", "invoice", "paid",
               "cutting", "production", *pipeline.WORKSHOP_STAGES, "shipped"]


@dataclass(frozen=True)
class DemoDeal:
    stage: str
    contact: str
    name: str
    budget: int  # roubles
    kind: str = STANDARD
    days_ago: float = 3
    at: str = "11:00"
    overdue: bool = False  # leave the stage's task open (it will show as overdue)
    delivery: str = "До дома"
    assembly: bool = False
    products: str = ""  # when the deal's name names no bed model


KIND_PRODUCTS = {INDIVIDUAL: "Индивидуальный проект", COMPLAINT: "Рекламация"}

TEST_DEAL = DemoDeal("design", "Тестов Тест Тестович", "Тест Тестович CRM", 32000, INDIVIDUAL, 0, "00:25")

DEALS: list[DemoDeal] = [
    DemoDeal("won", "Егорова Светлана Петровна", "Егорова Маяк", 38400, days_ago=70),
    DemoDeal("shipped", "Добровольская Анна Геннадьевна", "Добровольская Ярус", 28620, days_ago=66, overdue=True),
    DemoDeal("shipped", "Политковская Елена Алексеевна", "Политковская Е. Остров", 17550, days_ago=55,
             overdue=True, delivery="Транспортная компания"),
    DemoDeal("shipped", "Максименко Максим Анатольевич", "Максименко Максим (остров)", 21520, days_ago=56),
    DemoDeal("shipped", "Басова Вера Сергеевна", "Басова В.С. Замок", 33570, days_ago=58, assembly=True),
    DemoDeal("shipped", "Елисеева Ирина Алексеевна", "Елисеева И.А. Остров", 15300, days_ago=64),
    DemoDeal("shipped", "Смирнова Наталья Николаевна", "Смирнова Н.Н. Избушка", 31247, days_ago=64),
    DemoDeal("painting", "Щецова Ксения Владимировна", "Щецова Бортик", 5500, days_ago=70,
             products="Бортик"),
    DemoDeal("painting", "Извекова Ангелина Олеговна", "Извекова Рекламация", 0, COMPLAINT, days_ago=24),
    DemoDeal("rework", "Костомарова Галина Алексеевна", "Костомарова Галина (РЕКЛ)", 0, COMPLAINT, days_ago=5),
    DemoDeal("lost", "Семенов Игорь Валентинович", "Семенов (Чердак)", 0, days_ago=40),
    DemoDeal("won", "Попова Дарья Андреевна", "Попова Избушка", 22320, days_ago=45),
    DemoDeal("delivered", "Кузьмина Оксана Викторовна", "Кузьмина Ярус с комодом", 46800, days_ago=38,
             assembly=True),
    DemoDeal("packing", "Соколова Вероника Ильинична", "Соколова Малиночка", 33500, days_ago=30),
    TEST_DEAL,
    DemoDeal("priming", "Павлова Ирина Олеговна", "Павлова Замок с комодом", 52300, days_ago=28, overdue=True),
    DemoDeal("sanding", "Васильева Алина Юрьевна", "Васильева МИА", 57500, INDIVIDUAL, days_ago=27),
    DemoDeal("assembly", "Морозова Юлия Сергеевна", "Морозова Чердак", 39900, days_ago=25),
    DemoDeal("drilling", "Зайцева Полина Игоревна", "Зайцева Остров", 15300, days_ago=22),
    DemoDeal("milling", "Никитина Мария Денисовна", "Никитина Избушка", 24300, days_ago=21),
    DemoDeal("sawing", "Тихонова Елена Павловна", "Тихонова Ярус", 28620, days_ago=20),
    DemoDeal("production", "Голубева Наталья Викторовна", "Голубева Замок", 35900, days_ago=18),
    DemoDeal("production", "Федоров Алексей Игоревич", "Федоров Маяк", 38400, days_ago=17),
    DemoDeal("cutting", "Антимонова Светлана Игоревна", "Антимонова Инд.", 84200, INDIVIDUAL, days_ago=16,
             products="Замок (индивидуальный проект)"),
    DemoDeal("cutting", "Запольских Виталий Олегович", "Запольских Виталий (РЕКЛ2)", 0, COMPLAINT, days_ago=15),
    DemoDeal("cutting", "Иванова (Румянцева) София Леонидовна", "Иванова (Румянцева) София Стул малый",
             1500, days_ago=14, products="Стул малый"),
    DemoDeal("cutting", "Ружанович Татьяна Анатольевна", "Ружанович Остров", 18700, days_ago=14),
    DemoDeal("cutting", "Братковская Яна Александровна", "Братковская Ярус с комодом", 46800, days_ago=13),
    DemoDeal("cutting", "Серегина Олеся Викторовна", "Серегина Д. Ярус с комодом", 46800, days_ago=12),
    DemoDeal("paid", "Королевская Елена Сергеевна", "Королевская Замок с комодом", 47070, days_ago=10),
    DemoDeal("paid", "Жиленкова Юлия Андреевна", "Жиленкова Юлия (Инд)", 1000, INDIVIDUAL, days_ago=10),
    DemoDeal("paid", "Язовских Дарья Олеговна", "Язовских Дарья Избушка с выкатным", 30960, days_ago=9),
    DemoDeal("paid", "Гаипова Татьяна Владимировна", "Гаипова Ярус", 43400, days_ago=9, overdue=True),
    DemoDeal("paid", "Ярушникова Татьяна Сергеевна", "Ярушникова Рекл", 1, COMPLAINT, days_ago=8),
    DemoDeal("paid", "Харисова Марина Анатольевна", "Фернишь рекл.", 0, COMPLAINT, days_ago=8),
    DemoDeal("invoice", "Печёнкина Юлия Геннадьевна", "Печёнкина Юлия (Замок с комодом)", 52300,
             days_ago=22, overdue=True),
    DemoDeal("invoice", "Рыбакова Регина Александровна", "Рыбакова Регина (малиночка)", 33500,
             days_ago=20, overdue=True),
    DemoDeal("invoice", "Пономарёва Анна Николаевна", "Пономарёва Анна (Замок с лестницей)", 72560,
             days_ago=19),
    DemoDeal("invoice", "Краева Ольга Сергеевна", "Краева Ольга (МИА)", 57500, INDIVIDUAL, days_ago=15),
    DemoDeal("invoice", "Дрыга Марина Вячеславовна", "Дрыга Марина (Ярус)", 30300, days_ago=8, overdue=True),
    DemoDeal("invoice", "Яловенко Олеся Владимировна", "Яловенко Олеся Владимировна-диз.28", 80200,
             INDIVIDUAL, days_ago=8, overdue=True),
    DemoDeal("design", "Соболева Елена Юрьевна", "Соболева Елена (Инд)", 1000, INDIVIDUAL, days_ago=14),
    DemoDeal("design", "Савинова Олеся Сергеевна", "Савинова дизайн", 1000, INDIVIDUAL, days_ago=12),
    DemoDeal("design", "Мещерякова Мария Сергеевна", "Мещерякова Мария (диз)", 1000, INDIVIDUAL,
             days_ago=11, overdue=True),
    DemoDeal("design", "Иванов Евгений Олегович", "Иванов Евгений дизайн замок", 1000, INDIVIDUAL, days_ago=11),
    DemoDeal("design", "Чубуздина Юлия Дмитриевна", "Чубуздина Юлия (Дизайн)", 1000, INDIVIDUAL, days_ago=10),
    DemoDeal("order_form", "Белянина Алина Геннадьевна", "Белянина Чердак инд проект", 29760, INDIVIDUAL,
             days_ago=6),
    DemoDeal("order_form", "Чазова Ирина Алексеевна", "Чазова И. Остров без ящиков", 13600, days_ago=6),
    DemoDeal("order_form", "Караман Александр Владимирович", "Караман Александр - Инд.заказ", 37230,
             INDIVIDUAL, days_ago=6),
    DemoDeal("order_form", "Воскресенская Мария Юрьевна", "Воскресенская Ярус", 28620, days_ago=1, at="12:11"),
    DemoDeal("order_form", "Биногерова Фатима Юсуфовна", "Биногерова Избушка", 22320, days_ago=1, at="13:04"),
    DemoDeal("design_agreement", "Коваленко Юлия Анатольевна", "Коваленко дизайн", 1000, INDIVIDUAL, days_ago=6),
    DemoDeal("lost", "Белова Анна Михайловна", "Белова Остров", 13600, days_ago=9),
    DemoDeal("first_contact", "Лебедева Ирина Павловна", "Лебедева Маяк", 34900, days_ago=2, overdue=True),
    DemoDeal("first_contact", "Орлов Дмитрий Сергеевич", "Орлов Чердак", 41200, days_ago=0, at="09:40"),
    DemoDeal("new", "Максимова Елена Сергеевна", "Максимова Елена", 0, days_ago=7),
    DemoDeal("new", "Владимир Полуэтов", "Сотрудничество / Мягкий инвентарь и текстиль", 0, days_ago=6),
    DemoDeal("new", "Социальная сеть «Добрёнок»", "Редакционное предложение для Мани", 0, days_ago=6),
    DemoDeal("new", "Шоу-рум", "Спрашивала по поводу Маяка-р", 0, days_ago=6),
    DemoDeal("new", "Маякова Анастасия Анатольевна", "Маякова Анастасия (замеры)", 1500, days_ago=1, at="10:19"),
    DemoDeal("new", "malga.gaganita@gmail.ru", "Детские кровати Маня кровать МИА 45-02-17", 0,
             days_ago=1, at="13:34", overdue=True),
]

STREETS = ["Карла Фаберже пл.", "Наставников пр.", "Ленинский пр.", "Бухарестская ул.", "Комендантский пр.",
           "Пулковское ш.", "Ириновский пр.", "Гражданский пр."]


def _path_to(target: str, kind: str) -> list[str]:
    if target == "new":
        return []
    if target == "lost":
        return ["first_contact", "lost"]
    path = DESIGN_PATH if kind == INDIVIDUAL else SALES_PATH
    if target in ("delivered", "won"):
        return path + (["delivered", "won"] if target == "won" else ["delivered"])
    if target in ("design_agreement", "design") and kind != INDIVIDUAL:
        path = DESIGN_PATH
    return path[: path.index(target) + 1]


def _contact_values(item: DemoDeal, rng: random.Random) -> dict:
    if item is TEST_DEAL:
        return {"contact.full_name": item.contact, "contact.phone": "8 800 800-80-00",
                "contact.email": "test@test.ru", "passport.series": "3681", "passport.number": "543578",
                "contact.address": "г. Нью-Йорк, ул. Бродвей"}
    values = {"contact.full_name": item.contact,
              "contact.phone": f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-"
                               f"{rng.randint(10, 99)}"}
    if "@" in item.contact:
        values["contact.email"] = item.contact
    return values


def _invoice_values(item: DemoDeal, rng: random.Random) -> dict:
    if item is TEST_DEAL:
        return {}
    surname = item.contact.split()[0].lower().translate(str.maketrans(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя()", "abvgdeejziiklmnoprstufhccss_y_eua__"))
    return {"contact.email": f"{surname}{rng.randint(1, 99)}@mail.ru",
            "passport.series": f"{rng.randint(4000, 4099)}", "passport.number": f"{rng.randint(100000, 999999)}",
            "contact.address": f"г. Санкт-Петербург, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}, "
                               f"кв. {rng.randint(1, 300)}",
            "budget": item.budget or 1}


def _paid_values(item: DemoDeal, paid_on: date, rng: random.Random) -> dict:
    prepayment = item.budget if rng.random() < 0.4 else Decimal(item.budget) / 2
    values = {"payment_date": paid_on, "prepayment": prepayment, "ship_deadline": paid_on + timedelta(days=42),
              "delivery_type": item.delivery, "delivery_city": "Санкт-Петербург",
              "assembly_needed": item.assembly, "planned_delivery_date": paid_on + timedelta(days=45)}
    if item.delivery == "Транспортная компания":
        values.update(delivery_city="Москва", transport_company="Деловые Линии",
                      waybill_no=f"{rng.randint(10**9, 10**10 - 1)}")
    return values


def _close_open_tasks(deal_id: int, actor: User) -> None:
    for task in Task.select().where(Task.deal == deal_id, Task.done_at.is_null()):
        tasks.complete_task(task.id, actor, "Выполнено")


def _walk(item: DemoDeal, staff: dict[str, User], rng: random.Random, today: date) -> None:
    hour, minute = map(int, item.at.split(":"))
    created = clock.from_local(datetime.combine(today - timedelta(days=int(item.days_ago)), time(hour, minute)))
    frozen = clock.FrozenClock(created)
    previous = clock.set_clock(frozen)
    try:
        manager = staff["manager2"] if rng.random() < 0.3 else staff["manager"]
        values = _contact_values(item, rng)
        if item.budget:
            values["budget"] = item.budget
        values["products"] = item.products or detect_model(item.name) or KIND_PRODUCTS.get(item.kind, "")
        deal = deals.create_deal(manager, name=item.name, kind=item.kind, values=values).deal
        path = _path_to(item.stage, item.kind)
        step = timedelta(days=max(item.days_ago * 0.8, 0.01) / max(len(path), 1))
        for stage_code in path:
            frozen.advance(step)
            _close_open_tasks(deal.id, staff["manager"])
            move_values = {}
            if stage_code == "invoice":
                move_values = _invoice_values(item, rng)
            elif stage_code == "paid":
                move_values = _paid_values(item, clock.local_today(), rng)
            actor = manager
            if stage_code == "production":
                actor = staff["constructor"]
            elif stage_code in pipeline.WORKSHOP_STAGES + ("shipped",):
                actor = staff["chief"]
            deals.move_deal(deal.id, stage_code, actor, move_values)
        if item is TEST_DEAL:
            _design_loop(deal.id, staff, frozen)
        elif not item.overdue:
            frozen.advance(timedelta(minutes=30))
            _close_open_tasks(deal.id, manager)
    finally:
        clock.set_clock(previous)


DESIGN_PICTURE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "design-izbushka.png"


def _design_loop(deal_id: int, staff: dict[str, User], frozen: clock.FrozenClock) -> None:
    frozen.advance(timedelta(minutes=10))
    notes.attach_file(deal_id, staff["designer"], DESIGN_PICTURE, "design", "эскиз для клиента")
    frozen.advance(timedelta(minutes=1))
    question = tasks.ask_feasibility(deal_id, staff["designer"]).value
    frozen.advance(timedelta(minutes=3))
    _, answer = tasks.answer_feasibility(question.id, staff["constructor"], True, "такую кровать сделать можем").value
    tasks.complete_task(answer.id, staff["designer"], "ок")


# The demo's sign-in (README «Demo users»): PIN 1234 for everyone, «demo-admin» for the administrator.
# Hashed once here with the program's argon2 parameters: hashing at every demo start would take a second.
DEMO_PIN, DEMO_ADMIN_PASSWORD = "1234", "demo-admin"
_PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$O9PXhN1gXW2achCRFN4t4Q$S1JTnzlQpmhzYKtIVvXTzW19l2Be7KUXY2e6DRz+28o"
_ADMIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$qxkJ+UmGcMVdoLhxgmxWtQ$FxTEsLw0+/l9LOKD/mfXdBQWxZ/redbI4qizTZAs3xA"


def create_staff() -> dict[str, User]:
    """The demo shop's people, each able to sign in (Ctrl+L) with the demo PIN or password."""
    people_ = (("manager", "tatiana", "Татьяна Смирнова", Role.MANAGER),
               ("manager2", "olga", "Ольга Петрова", Role.MANAGER),
               ("designer", "designer", "Екатерина Лебедева", Role.DESIGNER),
               ("constructor", "constructor", "Сергей Волков", Role.CONSTRUCTOR),
               ("chief", "chief", "Михаил Кузнецов", Role.PRODUCTION_CHIEF),
               ("admin", "admin", "Администратор", Role.ADMIN))
    return {key: people.create_user(login, name, role, password_hash=_ADMIN_HASH if role == Role.ADMIN else _PIN_HASH)
            for key, login, name, role in people_}


def build_demo(seed: int = 15) -> dict[str, User]:
    """Fill the open (empty) database with the demo shop; returns its people by role key."""
    rng = random.Random(seed)
    today = clock.local_today()
    with database.atomic():
        staff = create_staff()
        for item in DEALS:
            _walk(item, staff, rng, today)
        numbering.ensure_at_least(numbering.ORDER_NO, len(DEALS))
        add_archive(staff, {STANDARD: SALES_PATH, INDIVIDUAL: DESIGN_PATH})
        add_production_documents(staff)
        add_stored_offcuts(staff["constructor"])
        add_shop_details()
        add_demo_sms()
        add_demo_letters()
    return staff
