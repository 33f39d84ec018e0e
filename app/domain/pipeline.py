"""The shop's process (docs/process.md) as data: the 22 stages, their gates and entry effects.

Where the source is silent this module decides and says so:
- manager tasks go to the deal's sales manager (``Deal.manager``), or to «Магазины» when none;
- at «Дизайн» the responsible becomes a designer; at «Согласование БЗ» it returns to the manager;
- the SMS of «Отгружено» is drafted into the outbox too, beside the manager's task to send it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from app.domain.codes import OrderKind, Role, TaskType

SALES, PRODUCTION, CLOSED = "sales", "production", "closed"

# groups tasks can be addressed to
GROUP_SHOPS = "Магазины"
GROUP_DESIGNERS = "Дизайнер"
GROUP_CONSTRUCTORS = "Конструктор"
GROUP_PRODUCTION = "Начальник производства"
ROLE_GROUPS = {
    Role.MANAGER: GROUP_SHOPS,
    Role.DESIGNER: GROUP_DESIGNERS,
    Role.CONSTRUCTOR: GROUP_CONSTRUCTORS,
    Role.PRODUCTION_CHIEF: GROUP_PRODUCTION,
}

# addressees of automatic tasks
TO_MANAGER = "manager"  # the deal's sales manager, else «Магазины»

# delivery types; those that need a transport company get the «данные ТК» SMS at «Отгружено»
DELIVERY_TYPES = ("До дома", "Самовывоз", "Транспортная компания", "До терминала ТК")
TRANSPORT_COMPANY_DELIVERY = {"Транспортная компания", "До терминала ТК"}


@dataclass(frozen=True)
class AutoTask:
    """A task the system sets on entering a stage."""

    rule: str
    text: str
    type: str
    to: str  # TO_MANAGER or a group name
    due: timedelta = timedelta(0)
    when: Callable[[object], bool] | None = None  # condition on the deal
    condition_text: str = ""
    grace: bool = False  # due after the shop's grace for new leads, not at once (see app.services.tasks)


@dataclass(frozen=True)
class AutoSms:
    """An SMS drafted into the outbox on entering a stage."""

    template: Callable[[object], str]  # deal -> template code
    when: Callable[[object], bool] | None = None


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    order: int
    group: str
    gate: tuple[str, ...] = ()
    tasks: tuple[AutoTask, ...] = ()
    sms: tuple[AutoSms, ...] = ()
    normal_days: int = 7  # a card sitting longer than this is marked as stale
    set_responsible: str | None = None  # "designer" or "manager"
    won: bool = False
    lost: bool = False

    @property
    def is_closed(self) -> bool:
        return self.group == CLOSED


def needs_transport_company(deal) -> bool:
    """Whether the deal's delivery goes through a transport company."""
    return deal.delivery_type in TRANSPORT_COMPANY_DELIVERY


def needs_assembly(deal) -> bool:
    return bool(deal.assembly_needed)


def paid_template(deal) -> str:
    """«Оплачено инд» for an individual order, «Оплачено» for the rest."""
    return "Оплачено инд" if deal.kind == OrderKind.INDIVIDUAL else "Оплачено"


INVOICE_GATE = ("contact.full_name", "contact.email", "contact.phone", "passport.series",
                "passport.number", "contact.address", "budget")
PAID_GATE = ("payment_date", "prepayment", "debt", "ship_deadline", "delivery_type", "delivery_city")

STAGES: tuple[Stage, ...] = (
    Stage("new", "Неразобранное", 1, SALES, normal_days=1, tasks=(
        AutoTask("new.contact", "Связаться с клиентом", TaskType.CONTACT, TO_MANAGER, grace=True),)),
    Stage("first_contact", "Первичный контакт", 2, SALES, normal_days=3, tasks=(
        AutoTask("first_contact.offer", "Предложить согласовать БЗ", TaskType.CONTACT, TO_MANAGER),)),
    Stage("design_agreement", "Согласование дизайна", 3, SALES, normal_days=14),
    Stage("order_form", "Согласование БЗ", 4, SALES, normal_days=7, set_responsible="manager"),
    Stage("design", "Дизайн", 5, SALES, normal_days=14, set_responsible="designer", tasks=(
        AutoTask("design.check", "Проведена оплата за дизайн? прикреплен бриф? "
                 "(ответственный сменён на дизайнера)", TaskType.CONFIRM, TO_MANAGER),
        AutoTask("design.contact", "Дизайн. Связаться с клиентом для уточнения деталей",
                 TaskType.CONTACT, GROUP_DESIGNERS),)),
    Stage("invoice", "Счет выставлен", 6, SALES, gate=INVOICE_GATE, normal_days=3, tasks=(
        AutoTask("invoice.control", "Контроль оплаты счета (счет действителен 3 дня)",
                 TaskType.CONTACT, TO_MANAGER, due=timedelta(days=3)),)),
    Stage("paid", "Оплачено", 7, SALES, gate=PAID_GATE, normal_days=2, tasks=(
        AutoTask("paid.order_form", "Прикрепить БЗ для производства", TaskType.CONFIRM, TO_MANAGER),),
        sms=(AutoSms(paid_template),)),
    Stage("cutting", "Раскрой", 8, PRODUCTION, normal_days=5, tasks=(
        AutoTask("cutting.accept", "Заказ оплачен. Принять в работу", TaskType.CONFIRM,
                 GROUP_CONSTRUCTORS),)),
    Stage("production", "Производство", 9, PRODUCTION, normal_days=3, tasks=(
        AutoTask("production.accept", "Принять в работу. Документация готова", TaskType.CONFIRM,
                 GROUP_PRODUCTION),)),
    Stage("sawing", "Распил", 10, PRODUCTION, normal_days=3),
    Stage("milling", "Фрезеровка", 11, PRODUCTION, normal_days=3),
    Stage("drilling", "Присадка", 12, PRODUCTION, normal_days=3),
    Stage("assembly", "Сборка", 13, PRODUCTION, normal_days=3),
    Stage("rework", "Доработка", 14, PRODUCTION, normal_days=3),
    Stage("sanding", "Шлифовка", 15, PRODUCTION, normal_days=3),
    Stage("priming", "Грунтовка", 16, PRODUCTION, normal_days=3, tasks=(
        AutoTask("priming.debt", "Контроль задолженности", TaskType.CONTACT, GROUP_SHOPS),)),
    Stage("painting", "Покраска", 17, PRODUCTION, normal_days=5),
    Stage("packing", "Упаковка", 18, PRODUCTION, normal_days=2, tasks=(
        AutoTask("packing.delivery", "Связаться с клиентом и согласовать доставку",
                 TaskType.CONTACT, GROUP_SHOPS),)),
    Stage("shipped", "Отгружено", 19, PRODUCTION, normal_days=7, tasks=(
        AutoTask("shipped.sms_tk", "Отправить клиенту СМС с данными транспортной компании",
                 TaskType.CONTACT, TO_MANAGER, when=needs_transport_company,
                 condition_text="доставка через транспортную компанию"),
        AutoTask("shipped.assembly", "Связаться с клиентом и согласовать сборку",
                 TaskType.CONTACT, TO_MANAGER, when=needs_assembly,
                 condition_text="нужна сборка"),),
        sms=(AutoSms(lambda deal: "Отгружено ТК", when=needs_transport_company),)),
    Stage("delivered", "Доставлено", 20, PRODUCTION, normal_days=7),
    Stage("won", "Успешно реализовано", 21, CLOSED, won=True, normal_days=0, tasks=(
        AutoTask("won.feedback", "Напомнить об акции. Получить отзыв",
                 TaskType.CONTACT, TO_MANAGER, due=timedelta(days=7)),)),
    Stage("lost", "Закрыто и не реализовано", 22, CLOSED, lost=True, normal_days=0, tasks=(
        AutoTask("lost.promo", "Проинформировать клиента о текущей акции", TaskType.CONTACT,
                 TO_MANAGER, due=timedelta(days=14)),)),
)

STAGE_BY_CODE: dict[str, Stage] = {stage.code: stage for stage in STAGES}
STAGE_CODES: tuple[str, ...] = tuple(stage.code for stage in STAGES)
FIRST_STAGE = STAGES[0]
WORKSHOP_STAGES: tuple[str, ...] = ("sawing", "milling", "drilling", "assembly", "rework",
                                    "sanding", "priming", "painting", "packing")

# Russian names of the gate fields, for messages and forms
FIELD_LABELS = {
    "contact.full_name": "ФИО",
    "contact.email": "E-mail",
    "contact.phone": "Телефон",
    "passport.series": "Серия паспорта",
    "passport.number": "Номер паспорта",
    "contact.address": "Адрес доставки",
    "budget": "Бюджет сделки",
    "payment_date": "Дата оплаты",
    "prepayment": "Сумма предоплаты",
    "debt": "Сумма задолженности",
    "ship_deadline": "Крайний срок отгрузки",
    "delivery_type": "Тип доставки",
    "delivery_city": "Город доставки",
    "name": "Название сделки",
    "planned_delivery_date": "Плановая дата доставки",
    "stage": "Этап",
    "grace": "Отсрочка задачи нового обращения",
}


class UnknownStageError(KeyError):
    """A stage code the pipeline does not have; ``str()`` is the Russian message."""

    def __str__(self) -> str:
        return self.args[0]


def stage(code: str) -> Stage:
    """The stage with ``code``; UnknownStageError (a KeyError) names it in Russian when unknown."""
    try:
        return STAGE_BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownStageError(f"Нет такого этапа: «{code}»") from None


def is_move_back(from_code: str | None, to: Stage) -> bool:
    """A move to an earlier stage of the board from an open stage (free of gates)."""
    if from_code is None:
        return False
    source = stage(from_code)
    return not source.is_closed and source.order > to.order


def gate_of_move(from_code: str | None, to: Stage) -> tuple[str, ...]:
    """The fields a move into ``to`` needs: the gates of ``to`` and of every stage before it, so no
    path skips «Счет выставлен» or «Оплачено» without their fields. Moves back and into the lost
    stage need none."""
    if to.lost or is_move_back(from_code, to):
        return ()
    keys: list[str] = []
    for earlier in STAGES:
        if earlier.order <= to.order and not earlier.lost:
            keys += [key for key in earlier.gate if key not in keys]
    return tuple(keys)


def stage_of_rule(rule: str | None) -> Stage | None:
    """The stage whose automatic task ``rule`` is («design.check» → «Дизайн»); None for other tasks."""
    code = (rule or "").partition(".")[0]
    found = STAGE_BY_CODE.get(code)
    return found if found is not None and any(task.rule == rule for task in found.tasks) else None


def next_stage(code: str) -> Stage | None:
    """The next stage in board order (None after the last)."""
    index = STAGE_CODES.index(code)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None
