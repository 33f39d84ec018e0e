"""Creating, editing and moving deals through the pipeline, each in one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.domain import clock, pipeline, validation
from app.domain.changes import Changes, Done
from app.domain.codes import OrderKind
from app.domain.errors import DEAL_NOT_FOUND, ConflictError, FieldProblem, GateError, NotFoundError, ValidationError
from app.services import deal_fields, numbering, people, permissions, tasks
from app.services.sms import queue_sms
from app.services.tasks import create_task
from app.services.timeline import add_entry, write_entry
from app.store.db import database, hold, is_postgres
from app.store.models import Deal, OutboxSms, StageHistory, Task, TimelineEntry, User


@dataclass
class MoveResult:
    deal: Deal
    from_stage: str
    to_stage: str
    tasks: list[Task] = field(default_factory=list)
    sms: list[OutboxSms] = field(default_factory=list)
    entered_before: datetime | None = None  # of a move: when the deal had entered its old stage
    responsible_before: int | None = None  # of a move: the responsible before it

    @property
    def changes(self) -> Changes:
        stages = frozenset(code for code in (self.from_stage, self.to_stage) if code)  # a new deal came from none
        return Changes(frozenset({self.deal.id}), stages, tasks=True, timeline=True)


def load_deal(deal_id: int, *, lock: bool = False) -> Deal:
    """The deal row (locked for update on PostgreSQL when ``lock``); NotFoundError if gone."""
    if not validation.is_id(deal_id):
        raise NotFoundError(DEAL_NOT_FOUND)
    if lock and is_postgres():
        # An edit of the contact rewrites the search text of all its deals: lock them all, in id
        # order, so two PCs editing two deals of one client queue instead of deadlocking; one
        # statement (the rows are locked in the order sorted).
        moved = Deal.alias("moved")
        same_contact = Deal.contact == moved.select(moved.contact).where(moved.id == deal_id)
        locked = Deal.select().where(same_contact | (Deal.id == deal_id)).order_by(Deal.id).for_update()
        deal = next((row for row in locked if row.id == deal_id), None)
    else:
        deal = Deal.select().where(Deal.id == deal_id).first()
    if deal is None:
        raise NotFoundError(DEAL_NOT_FOUND)
    return deal


def deal_id_for_order(order_no: int) -> int:
    """The id of the deal with order number ``order_no``; NotFoundError if there is none."""
    deal = Deal.get_or_none(Deal.order_no == order_no) if validation.is_id(order_no) else None
    if deal is None:
        raise NotFoundError(f"Нет сделки с номером заказа {order_no}")
    return deal.id


def stage_of(code: str) -> pipeline.Stage:
    """The stage with ``code``; the services' own error for an unknown one."""
    try:
        return pipeline.stage(code)
    except pipeline.UnknownStageError as error:
        raise ValidationError([FieldProblem("stage", str(error))]) from None


def _check_version(deal: Deal, expected_version: int | None) -> None:
    if expected_version is not None and (not validation.is_id(expected_version) or deal.version != expected_version):
        raise ConflictError(
            f"Сделку №{deal.order_no} уже изменили на другом компьютере. Обновите карточку.")


def _prepare(deal: Deal, values: dict[str, Any] | None, gate_stage: pipeline.Stage | None,
             actor: User | None):
    """Clean ``values``, check the actor's rights to change them, check them with the deal's state
    and the gate; raise before any write."""
    if values is not None and not isinstance(values, dict):
        raise ValidationError([FieldProblem("deal", "неверные данные формы")])
    state = deal_fields.current_values(deal)
    gate = pipeline.gate_of_move(deal.stage, gate_stage) if gate_stage is not None else ()
    clean, merged, problems = deal_fields.check(state, values or {}, gate)
    permissions.require_fields(actor, [key for key in clean if clean[key] != state.get(key)])
    if problems:
        if gate_stage is not None:
            raise GateError(gate_stage.name, problems)
        raise ValidationError(problems)
    return state, merged


def _touch(deal: Deal, *, search: bool = True) -> None:
    """Store ``deal`` as changed now (a new version); ``search``: its fields may have changed, so
    recompute the search text (a plain move leaves it as it is)."""
    if search:
        deal_fields.refresh_search(deal)
    deal.updated_at = clock.now()
    deal.version += 1
    if search:  # an edit may have changed fields in place: all of them are written
        deal.save()
        return
    # A plain move assigned its few columns: writing only those leaves the deal's other indexes
    # alone; nothing reads its result (on PostgreSQL it goes with the commit).
    hold(Deal.update({field: deal.__data__[field.name] for field in deal.dirty_fields}).where(Deal.id == deal.id))
    deal._dirty.clear()


def _apply_entry_effects(deal: Deal, stage: pipeline.Stage, actor: User | None, result: MoveResult) -> None:
    if stage.set_responsible:
        new_responsible = people.responsible_for(deal, stage.set_responsible)
        if new_responsible is not None and new_responsible.id != deal.responsible_id:
            deal.responsible = new_responsible
            write_entry(deal, TimelineEntry.CHANGE, f"Ответственный: {new_responsible.full_name}", actor)
    now = clock.now()
    still_open = set(Task.select(Task.rule).where(  # only stages that set tasks pay for this query
        Task.deal == deal, Task.done_at.is_null(), Task.rule.in_([rule.rule for rule in stage.tasks])
    ).tuples()) if stage.tasks else set()
    for rule in stage.tasks:
        if rule.when is not None and not rule.when(deal) or (rule.rule,) in still_open:
            continue  # a stage entered again does not set a second copy of a task still open
        user, group = people.addressee(deal, rule.to)
        due = now + (tasks.new_lead_grace() if rule.grace else rule.due)
        result.tasks.append(create_task(deal, None, text=rule.text, type=rule.type, user=user,
                                        group=group, due_at=due, rule=rule.rule))
    for sms in stage.sms:
        if sms.when is None or sms.when(deal):
            result.sms.append(queue_sms(deal, sms.template(deal), actor))


def _enter_stage(deal: Deal, to: pipeline.Stage, actor: User | None) -> MoveResult:
    from_code = deal.stage
    result = MoveResult(deal, from_code, to.code)
    now = clock.now()
    deal.stage, deal.stage_entered_at = to.code, now
    hold(StageHistory.insert(deal=deal, from_stage=from_code, to_stage=to.code, user=actor, at=now))
    text = f"Новый этап: {to.name}"
    if from_code is not None:
        text += f" из {pipeline.stage(from_code).name}"
    write_entry(deal, TimelineEntry.STAGE, text, actor)
    _apply_entry_effects(deal, to, actor, result)
    return result


def create_deal(actor: User | None, *, name: str, values: dict[str, Any] | None = None,
                kind: str = OrderKind.STANDARD, manager: User | None = None) -> MoveResult:
    """A new deal in «Неразобранное» with its contact and automatic task (one transaction).

    ``values`` uses the field keys of ``deal_fields`` (contact.full_name, contact.phone, budget, …).
    """
    if values is not None and not isinstance(values, dict):
        raise ValidationError([FieldProblem("deal", "неверные данные формы")])
    values = {"name": name, "kind": kind, **(values or {})}
    permissions.require(actor, permissions.move_action(pipeline.FIRST_STAGE.code))
    manager = manager or (actor if actor is not None and actor.role == "manager" else None)
    with database.atomic():
        now = clock.now()
        deal = Deal(order_no=0, name=name, stage=pipeline.FIRST_STAGE.code, kind=kind,
                    manager=manager, responsible=manager, created_at=now, updated_at=now,
                    stage_entered_at=now)
        state, merged = _prepare(deal, values, None, actor)
        deal.order_no = numbering.next_number(numbering.ORDER_NO)
        deal.save()
        deal.stage = None  # entered just below, with history from «nothing»
        add_entry(deal, TimelineEntry.DEAL_CREATED, f"Сделка создана: {deal.name}", actor)
        deal_fields.write_values(deal, state, merged, actor, log=False)
        result = _enter_stage(deal, pipeline.FIRST_STAGE, actor)
        _touch(deal)
        return result


def update_deal(deal_id: int, actor: User | None, values: dict[str, Any],
                expected_version: int | None = None) -> Done[Deal]:
    """Edit fields of a deal, its contact and passport; nothing is stored if any value is wrong."""
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        _check_version(deal, expected_version)
        state, merged = _prepare(deal, values, None, actor)
        changed = deal_fields.write_values(deal, state, merged, actor)
        if not changed:
            return Done(deal, Changes())
        _touch(deal)
        return Done(deal, Changes(frozenset({deal.id}), frozenset({deal.stage}), timeline=True,
                                  audit=any(key.startswith("passport.") for key in changed)))


def move_deal(deal_id: int, to_code: str, actor: User | None, values: dict[str, Any] | None = None,
              expected_version: int | None = None) -> MoveResult:
    """Move a deal to a stage (any direction). The gate is checked first (with ``values`` the
    gate form supplies); then stage, history, timeline and automatic tasks commit together."""
    with database.atomic():
        return moving(deal_id, to_code, actor, values, expected_version)


def moving(deal_id: int, to_code: str, actor: User | None, values: dict[str, Any] | None = None,
           expected_version: int | None = None) -> MoveResult:
    """``move_deal`` inside the caller's transaction, which must roll back on an error (the board's
    moves of several cards: one savepoint per card, not three nested ones, each a round trip to a
    server)."""
    to = stage_of(to_code)
    permissions.require(actor, permissions.move_action(to.code))
    deal = load_deal(deal_id, lock=True)
    _check_version(deal, expected_version)
    if deal.stage == to.code and not values:
        return MoveResult(deal, deal.stage, deal.stage)
    before = {"entered_before": deal.stage_entered_at, "responsible_before": deal.responsible_id}
    changed = []
    if values or pipeline.gate_of_move(deal.stage, to):  # else: nothing to check or write
        state, merged = _prepare(deal, values, to, actor)
        changed = deal_fields.write_values(deal, state, merged, actor)
    result = _enter_stage(deal, to, actor) if deal.stage != to.code else MoveResult(
        deal, deal.stage, deal.stage)
    result.entered_before, result.responsible_before = before["entered_before"], before["responsible_before"]
    _touch(deal, search=bool(changed))
    return result


def gate_for(deal_id: int, to_code: str) -> tuple[str, ...]:
    """The fields a move of the deal to ``to_code`` needs (every gate up to it; none going back)."""
    return pipeline.gate_of_move(load_deal(deal_id).stage, stage_of(to_code))


def missing_for(deal_id: int, to_code: str) -> list:
    """The gate problems a move to ``to_code`` would meet now (for the gate form)."""
    gate = gate_for(deal_id, to_code)
    state = deal_fields.current_values(load_deal(deal_id))
    return deal_fields.gate_problems(gate, state) + deal_fields.consistency_problems(state, set(gate))
