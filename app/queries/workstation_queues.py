"""What the workshop terminal and the constructor's screen list (no budgets, phones or passports).

The workshop terminal shows the orders at «Производство» (waiting for the first operation) and in
the workshop stages «Распил» … «Упаковка»; each moves to the next operation in board order, and
from «Упаковка» to «Отгружено», where it leaves the terminal. A shipping deadline within
``DEADLINE_NEAR_DAYS`` days (or past) is «near» and shown in red.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import peewee as pw

from app.domain import clock, pipeline
from app.domain.names import PersonName
from app.store.models import Contact, Deal, Group, Task, User, UserGroup

WORKSHOP_QUEUE: tuple[str, ...] = ("production",) + pipeline.WORKSHOP_STAGES
CONSTRUCTOR_QUEUE: tuple[str, ...] = ("cutting", "production")
DEADLINE_NEAR_DAYS = 3


@dataclass(frozen=True)
class OrderRow:
    """One order as a production screen shows it."""

    deal_id: int
    order_no: int
    surname: str
    model: str
    stage: str
    days_in_stage: int
    ship_deadline: date | None
    version: int

    @property
    def stage_name(self) -> str:
        return pipeline.stage(self.stage).name

    @property
    def next_stage(self) -> pipeline.Stage | None:
        """The next operation (board order): «Упаковка» → «Отгружено»."""
        return pipeline.next_stage(self.stage)

    def deadline_near(self, today: date) -> bool:
        return self.ship_deadline is not None and (self.ship_deadline - today).days <= DEADLINE_NEAR_DAYS


def surname_of(full_name: str, fallback: str) -> str:
    """The client's surname («Тихонова» from «Тихонова Елена Павловна»), else ``fallback``."""
    return PersonName.parse(full_name).main_surname or fallback


def model_of(products: str, deal_name: str, surname: str) -> str:
    """The bed model: the deal's products, else its name without the client's surname
    («Ярус» from «Тихонова Ярус»)."""
    if products:
        return products
    rest = deal_name[len(surname):].strip(" ,.-") if deal_name.startswith(surname) else ""
    return rest or deal_name


def _rows(stages: tuple[str, ...]) -> list[OrderRow]:
    today = clock.local_today()
    query = (Deal.select(Deal.id, Deal.order_no, Deal.name, Deal.products, Deal.stage, Deal.stage_entered_at,
                         Deal.ship_deadline, Deal.version, Contact.full_name)
             .join(Contact, pw.JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id))
             .where(Deal.stage.in_(stages)).tuples())
    rows = []
    for deal_id, order_no, name, products, stage, entered, deadline, version, full_name in query:
        surname = surname_of(full_name, name)
        rows.append(OrderRow(deal_id, order_no, surname, model_of(products, name, surname), stage,
                             max((today - clock.to_local(entered).date()).days, 0), deadline, version))
    order = {code: index for index, code in enumerate(stages)}
    rows.sort(key=lambda r: (order[r.stage], r.ship_deadline or date.max, r.order_no))
    return rows


def workshop_orders() -> list[OrderRow]:
    """The workshop terminal's list, urgent first: the late orders (past or within
    ``DEADLINE_NEAR_DAYS`` of the shipping deadline) on top, then the others; each by deadline."""
    today = clock.local_today()
    return sorted(_rows(WORKSHOP_QUEUE), key=lambda r: (not r.deadline_near(today), r.ship_deadline or date.max))


def constructor_orders() -> list[OrderRow]:
    """The constructor's queue: orders at «Раскрой» and «Производство»."""
    return _rows(CONSTRUCTOR_QUEUE)


def parse_order_no(text: str) -> int | None:
    """An order number from typed or scanned text («15», «№ 15», «0015»), None if there is none."""
    digits = "".join(ch for ch in (text or "") if "0" <= ch <= "9")
    return int(digits) if digits else None


def constructor_tasks(user: User) -> list[Task]:
    """Open tasks addressed to ``user`` or to a group of theirs (e.g. «Конструктор»), due first."""
    groups = Group.select(Group.id).join(UserGroup).where(UserGroup.user == user)
    return list(Task.select().where(Task.done_at.is_null(),
                                    (Task.assignee_user == user) | Task.assignee_group.in_(groups))
                .order_by(Task.due_at, Task.id))
