"""The demo shop's archive: months of finished orders, so every chart of «Аналитика» means something.

The orders of the seed (``app.demo.shop``) are walked through the services; the archive — finished
orders of the last eight months, as a shop moving to this program from its old CRM would bring
them — is written in bulk (about 0.13 s of CPU): contacts, deals, their stage history through the
workshop, the manager's first call and the debt check as tasks done (some late), one line on the
timeline. Days in each stage follow a log-normal spread around the stage's usual time; «Покраска»
is the workshop's bottleneck (median 4,5 days, 9 out of 10 within 9 days). A third of the leads are
lost at a sales stage; some orders are shipped after their deadline.
"""
from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta

from app.domain import clock, pipeline
from app.domain.codes import OrderKind, TaskType
from app.services import numbering, people
from app.store.models import Contact, ContactChannel, Deal, StageHistory, Task, TimelineEntry, User

ARCHIVE_ORDERS = 160
SPREAD_DAYS = 240  # the archive's orders were created within this many days before today
# median days in each stage of the archive (the workshop's bottleneck is «Покраска»)
USUAL_DAYS = {"new": 0.4, "first_contact": 2, "design_agreement": 5, "design": 7, "order_form": 3,
              "invoice": 2, "paid": 1, "cutting": 3, "production": 1.5, "sawing": 1, "milling": 1,
              "drilling": 1, "assembly": 2, "rework": 1, "sanding": 1.5, "priming": 2, "painting": 4.5,
              "packing": 1, "shipped": 4, "delivered": 3}
P90_FACTOR = 2.0  # the 90th percentile of a stay is twice its median
LOST_FROM = (("first_contact", 5), ("order_form", 2), ("invoice", 3), ("design", 1))
SOURCES = (("сайт", 5), ("Instagram", 3), ("ВКонтакте", 2), ("рекомендация", 2), ("e-mail", 1), ("Авито", 1))
BEDS = (("Избушка", 22_320), ("Ярус", 28_620), ("Замок", 35_900), ("Замок с комодом", 52_300),
        ("Остров", 15_300), ("Маяк", 38_400), ("Чердак", 39_900), ("Малиночка", 33_500), ("МИА", 57_500))
SURNAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Волкова", "Новикова", "Морозова",
            "Лебедева", "Козлова", "Орлова", "Андреева", "Макарова", "Никитина", "Захарова", "Соловьёва")
NAMES = ("Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Юлия", "Светлана", "Дарья")


def _stay(rng: random.Random, stage: str) -> timedelta:
    """Days in ``stage``: log-normal with the stage's usual median and a 90th percentile twice it."""
    sigma = math.log(P90_FACTOR) / 1.2816
    return timedelta(days=USUAL_DAYS[stage] * math.exp(rng.gauss(0, sigma)))


def _path(rng: random.Random, kind: str, paths: dict[str, list[str]]) -> list[str]:
    """The stages an archive order went through after «Неразобранное», ending won or lost."""
    path = paths[kind]
    if rng.random() < 0.33:
        stages, weights = zip(*LOST_FROM)
        lost_from = rng.choices(stages, weights)[0]
        if lost_from not in path:
            lost_from = "first_contact"
        return path[: path.index(lost_from) + 1] + ["lost"]
    return path + ["delivered", "won"]


def _choice(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def add_archive(staff: dict[str, User], paths: dict[str, list[str]], seed: int = 16, count: int = ARCHIVE_ORDERS,
                spread_days: int = SPREAD_DAYS) -> int:
    """Write ``count`` finished orders created within ``spread_days`` before today (call inside a
    transaction; the analytics benchmark writes years of them in batches); returns ``count``."""
    rng = random.Random(seed)
    now = clock.now()
    managers = [staff["manager"], staff["manager2"]]
    shops = people.group_named(pipeline.GROUP_SHOPS)
    first_order = numbering.next_number(numbering.ORDER_NO)
    plans = []
    for i in range(count):
        kind = OrderKind.INDIVIDUAL if rng.random() < 0.25 else OrderKind.STANDARD
        stages = ["new", *_path(rng, kind, paths)]
        stays = [_stay(rng, stage) for stage in stages[:-1]]
        created = now - sum(stays, timedelta()) - timedelta(days=rng.uniform(2, spread_days - 60))
        bed, price = rng.choice(BEDS)
        surname, name = rng.choice(SURNAMES), rng.choice(NAMES)
        plans.append((first_order + i, kind, stages, stays, created, bed, price, f"{surname} {name}"))
    numbering.ensure_at_least(numbering.ORDER_NO, first_order + count - 1)
    first_contact = (Contact.select(Contact.id).order_by(Contact.id.desc()).scalar() or 0) + 1
    Contact.insert_many([dict(full_name=plan[7], created_at=plan[4], updated_at=plan[4]) for plan in plans]).execute()
    ContactChannel.insert_many([dict(contact=first_contact + n, kind=ContactChannel.PHONE,
                                     value=f"+7921{3_000_000 + n:07d}")  # every client left a phone
                                for n in range(len(plans))]).execute()
    deal_rows, moves_of = [], []
    for n, (order_no, kind, stages, stays, created, bed, price, person) in enumerate(plans):
        moments = [created]
        for stay in stays:
            moments.append(moments[-1] + stay)
        moves = list(zip(stages, moments))
        moves_of.append(moves)
        manager = rng.choice(managers)
        budget = price * 100 * (2 if kind == OrderKind.INDIVIDUAL else 1)
        row = dict(order_no=order_no, name=f"{person.split()[0]} {bed}", budget=budget, stage=stages[-1],
                   stage_entered_at=moments[-1], kind=kind, contact=first_contact + n, responsible=manager,
                   manager=manager, products=bed, source=_choice(rng, SOURCES), created_at=created,
                   updated_at=moments[-1], payment_date=None, prepayment=None, debt=None, ship_deadline=None,
                   delivery_type="До дома", delivery_city="Санкт-Петербург")
        if "paid" in stages:
            paid_on = clock.to_local(moments[stages.index("paid")]).date()
            row.update(payment_date=paid_on, prepayment=budget if rng.random() < 0.4 else budget // 2, debt=0,
                       ship_deadline=paid_on + timedelta(days=rng.choice((21, 28, 35, 42, 42))))
        row["search_text"] = f"{order_no} {row['name']} {bed} {person}".lower()
        deal_rows.append(row)
    first_deal = (Deal.select(Deal.id).order_by(Deal.id.desc()).scalar() or 0) + 1
    Deal.insert_many(deal_rows).execute()
    history, tasks, timeline = [], [], []
    for n, moves in enumerate(moves_of):
        deal_id, manager = first_deal + n, deal_rows[n]["manager"]
        previous = None
        for stage, at in moves:
            actor = staff["chief"] if stage in pipeline.WORKSHOP_STAGES + ("shipped",) else manager
            history.append(dict(deal=deal_id, from_stage=previous, to_stage=stage, user=actor, at=at))
            previous = stage
        created = moves[0][1]
        tasks.append(_done_task(rng, deal_id, manager, manager, "Связаться с клиентом", created,
                                created + timedelta(hours=1)))
        stages = dict(moves)
        if "priming" in stages:
            tasks.append(_done_task(rng, deal_id, None, manager, "Контроль задолженности", stages["priming"],
                                    _day_start(stages["priming"]), shops.id))
        timeline.append(dict(deal=deal_id, at=created, kind=TimelineEntry.CHANGE,
                             text="Заказ из архива магазина: этапы и оплаты перенесены для аналитики"))
    for chunk in range(0, len(history), 500):
        StageHistory.insert_many(history[chunk:chunk + 500]).execute()
    Task.insert_many(tasks).execute()
    TimelineEntry.insert_many(timeline).execute()
    return count


def _day_start(moment: datetime) -> datetime:
    return clock.from_local(datetime.combine(clock.to_local(moment).date(), time()))


def _done_task(rng: random.Random, deal_id: int, user: User | None, done_by: User, text: str,
               created: datetime, due: datetime, group_id: int | None = None) -> dict:
    """A task done by ``done_by``: mostly in time, one in five late (up to two days)."""
    all_day = group_id is not None
    late = rng.random() < 0.2
    done = (due + timedelta(hours=rng.uniform(25, 48) if all_day else rng.uniform(1, 48)) if late
            else due + timedelta(hours=rng.uniform(1, 20)) if all_day else due - timedelta(minutes=rng.uniform(5, 50)))
    return dict(deal=deal_id, type=TaskType.CONTACT, text=text, assignee_user=user, assignee_group=group_id,
                due_at=due, all_day=all_day, created_at=created, done_at=max(done, created), done_by=done_by,
                result="Выполнено", rule="new.contact" if group_id is None else "priming.debt")

