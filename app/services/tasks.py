"""Tasks between people: set by hand or by a stage, completed with a result, rescheduled;
and the design loop between designer and constructor (docs/process.md)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import NoneType

import peewee
from peewee import JOIN

from app.domain import clock, pipeline, validation
from app.domain.changes import Changes, Done
from app.domain.codes import Role, TaskType
from app.domain.errors import (
    DEAL_NOT_FOUND,
    TASK_NOT_FOUND,
    ConflictError,
    FieldProblem,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from app.domain.russian import GENITIVE, decline
from app.services import people, permissions
from app.services.timeline import add_entry, write_entry
from app.store import lookup, setting_values
from app.store.db import database
from app.store.models import Attachment, Deal, Group, Task, TimelineEntry, User

FEASIBILITY_QUESTION = "Возможно ли создать такую кровать технически"
DESIGN_READY = "Связаться с клиентом. Дизайн готов"
CONFIRM_RECEIPT = "Подтвердить получение заказа"


GRACE_KEY = "tasks.new_lead_grace_minutes"
DEFAULT_GRACE_MINUTES = 15
MAX_GRACE_MINUTES = 24 * 60


def new_lead_grace() -> timedelta:
    """How long a new lead's «Связаться с клиентом» waits before it is due (and turns red)."""
    minutes = setting_values.read(GRACE_KEY, DEFAULT_GRACE_MINUTES)
    return timedelta(minutes=minutes if isinstance(minutes, int) and 0 <= minutes <= MAX_GRACE_MINUTES
                     else DEFAULT_GRACE_MINUTES)


def set_new_lead_grace(actor: User | None, minutes: int) -> Changes:
    """The administrator sets the grace of new leads' tasks (0 … 1 440 minutes)."""
    permissions.require(actor, permissions.SETTINGS_MANAGE)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_GRACE_MINUTES:
        raise ValidationError([FieldProblem("grace", f"от 0 до {MAX_GRACE_MINUTES} минут")])
    with database.atomic():
        setting_values.write(GRACE_KEY, minutes)
    return Changes()


def day_start_utc(day: date) -> datetime:
    """Midnight of a shop-local day as naive UTC (how all-day tasks store their due)."""
    return clock.from_local(datetime.combine(day, time()))


def overdue_condition(now: datetime | None = None) -> peewee.Expression:
    """Open tasks that are overdue now: timed ones past due, all-day ones whose local day is over."""
    now = now or clock.now()
    today_start = day_start_utc(clock.to_local(now).date())
    # the first bound is implied by the other two: it lets the index of open tasks by due time serve
    return Task.done_at.is_null() & (Task.due_at < max(now, today_start)) & (
        ((Task.all_day == False) & (Task.due_at < now))  # noqa: E712
        | ((Task.all_day == True) & (Task.due_at < today_start)))  # noqa: E712


def addressee_name(task: Task) -> str:
    if task.assignee_user_id:
        return task.assignee_user.full_name
    return task.assignee_group.name if task.assignee_group_id else "—"


def _for_whom(task: Task) -> str:
    """«для Татьяны Смирновой», «для конструктора»: the addressee in the genitive."""
    if task.assignee_user_id:
        return f"для {decline(task.assignee_user.full_name, GENITIVE)}"
    if task.assignee_group_id:
        return f"для {decline(task.assignee_group.name, GENITIVE, person=False).lower()}"
    return "—"


def describe_due(task: Task) -> str:
    local = clock.to_local(task.due_at)
    return local.strftime("%d.%m.%Y") if task.all_day else local.strftime("%d.%m.%Y %H:%M")


def _deal(deal_id: int) -> Deal:
    deal = lookup.by_id(Deal, deal_id)
    if deal is None:
        raise NotFoundError(DEAL_NOT_FOUND)
    return deal


def get_task(task_id: int) -> Task:
    task = lookup.by_id(Task, task_id)
    if task is None:
        raise NotFoundError(TASK_NOT_FOUND)
    return task


def create_task(deal: Deal | None, actor: User | None, *, text: str, type: str = TaskType.CONTACT,
                user: User | None = None, group: Group | None = None, due_at: datetime | None = None,
                all_day: bool = False, rule: str | None = None, parent: Task | None = None,
                attachment: Attachment | None = None) -> Task:
    """A task inside the caller's transaction, with its timeline line (showing ``attachment``)."""
    text = validation.checked_text(text, "task.text", required=True)
    if not isinstance(type, str) or type not in TaskType.NAMES:
        raise ValidationError([FieldProblem("task.type", "выберите из списка")])
    if not isinstance(user, (User, NoneType)) or not isinstance(group, (Group, NoneType)) or (
            (user is None) == (group is None)):
        raise ValidationError([FieldProblem("task.to", "выберите человека или группу")])
    if due_at is not None and not _is_moment(due_at):
        raise ValidationError([FieldProblem("task.due", "не дата и время")])
    if not isinstance(all_day, bool):
        raise ValidationError([FieldProblem("task.due", "«весь день» — да или нет")])
    task = Task.create(deal=deal, type=type, text=text, assignee_user=user, assignee_group=group,
                       due_at=due_at or clock.now(), all_day=all_day, created_by=actor,
                       created_at=clock.now(), rule=rule, parent=parent)
    if deal is not None:
        write_entry(deal, TimelineEntry.TASK_CREATED, created_line(task, actor), actor, task=task,
                    attachment=attachment)
    return task


def created_line(task: Task, actor: User | None) -> str:
    """The timeline's line for a new task: «Автозадача для Магазинов до 02.06.2025 12:00: Подтверждение — …»."""
    origin = "Автозадача" if actor is None else f"Задача от {decline(actor.full_name, GENITIVE)}"
    return f"{origin} {_for_whom(task)} до {describe_due(task)}: {TaskType.NAMES[task.type]} — {task.text}"


def _is_moment(value: object) -> bool:
    return isinstance(value, datetime) and datetime.min + timedelta(days=1) < value < datetime.max - timedelta(days=1)


def task_changes(*tasks: Task) -> Changes:
    """What a change to ``tasks`` touches: the task lists, and their deals' cards, feeds and columns."""
    deal_ids = frozenset(task.deal_id for task in tasks if task.deal_id is not None)
    stages = frozenset(stage for (stage,) in Deal.select(Deal.stage).where(Deal.id.in_(deal_ids)).tuples()
                       ) if deal_ids else frozenset()
    return Changes(deal_ids, stages, tasks=True, timeline=bool(deal_ids))


def _done(task: Task) -> Done[Task]:
    return Done(task, task_changes(task))


def add_task(deal_id: int | None, actor: User | None, **kwargs) -> Done[Task]:
    """Set a task by hand (one transaction); see ``create_task`` for the arguments."""
    with database.atomic():
        deal = _deal(deal_id) if deal_id is not None else None
        return _done(create_task(deal, actor, **kwargs))


ALREADY_DONE = "Задача уже выполнена"


def _finish(task: Task, actor: User | None, result: str) -> Task:
    """Close ``task`` once: the row is claimed by a conditional update, so of two PCs completing it at
    the same moment the second gets the conflict message and writes nothing."""
    if task.is_done:
        raise ConflictError(ALREADY_DONE)
    text = validation.checked_text(result, "task.result")
    claimed = (Task.update(result=text, done_at=clock.now(), done_by=actor, version=Task.version + 1)
               .where(Task.id == task.id, Task.done_at.is_null()).execute())
    if not claimed:
        raise ConflictError(f"{ALREADY_DONE} (на другом компьютере)")
    task = Task.get_by_id(task.id)
    if task.deal_id:
        shown = f" — {task.result}" if task.result else ""
        add_entry(task.deal_id, TimelineEntry.TASK_DONE,
                  f"{TaskType.NAMES[task.type]}: {task.text}{shown}", actor, task=task)
    return task


def complete_task(task_id: int, actor: User | None, result: str = "") -> Done[Task]:
    """«Выполнить»: close the task with a result text."""
    with database.atomic():
        return _done(_finish(get_task(task_id), actor, result))


def reschedule_task(task_id: int, actor: User | None, due_at: datetime, *,
                    all_day: bool = False) -> Done[Task]:
    """Move a task's due time."""
    if not _is_moment(due_at):
        raise ValidationError([FieldProblem("task.due", "не дата и время")])
    if not isinstance(all_day, bool):
        raise ValidationError([FieldProblem("task.due", "«весь день» — да или нет")])
    with database.atomic():
        task = get_task(task_id)
        if task.is_done:
            raise ServiceError("Задача уже выполнена — её срок не меняется")
        task.due_at, task.all_day = due_at, all_day
        task.version += 1
        task.save()
        if task.deal_id:
            add_entry(task.deal_id, TimelineEntry.CHANGE,
                      f"Срок задачи «{task.text}» перенесён на {describe_due(task)}", actor, task=task)
        return _done(task)


def latest_design_picture(deal_id: int) -> Attachment | None:
    """The design picture attached last to the deal (the one a feasibility question carries)."""
    return (Attachment.select().where(Attachment.deal == deal_id, Attachment.kind == "design")
            .order_by(Attachment.added_at.desc(), Attachment.id.desc()).first())


def ask_feasibility(deal_id: int, actor: User, text: str = FEASIBILITY_QUESTION,
                    picture_id: int | None = None) -> Done[Task]:
    """The designer asks the constructor whether the bed can be built (Подтверждение, today),
    with the design picture (``picture_id``, else the latest one attached, if any)."""
    with database.atomic():
        deal = _deal(deal_id)
        text = validation.checked_text(text, "task.text", required=True)
        picture = (Attachment.get_or_none(Attachment.id == picture_id, Attachment.deal == deal_id)
                   if picture_id is not None else latest_design_picture(deal_id))
        if picture is not None:
            text = f"{text} (рисунок: {picture.original_name})"
        return _done(create_task(deal, actor, text=text, type=TaskType.CONFIRM,
                                 group=people.group_named(pipeline.GROUP_CONSTRUCTORS),
                                 due_at=day_start_utc(clock.local_today()), all_day=True, attachment=picture))


def answer_feasibility(task_id: int, actor: User, possible: bool,
                       remarks: str = "") -> Done[tuple[Task, Task]]:
    """The constructor's «да»/«нет» + remarks: closes their task and sets the designer's
    confirmation task carrying the answer. Returns (closed task, new task)."""
    with database.atomic():
        question = get_task(task_id)
        remarks = " ".join((remarks or "").split())
        answer = ("да" if possible else "нет") + (f", {remarks}" if remarks else "")
        question = _finish(question, actor, answer)
        designer = question.created_by
        target = dict(user=designer) if designer is not None and designer.active else dict(
            group=people.group_named(pipeline.GROUP_DESIGNERS))
        reply = create_task(question.deal, actor, type=TaskType.CONFIRM, parent=question,
                            text=f"Ответ конструктора: {answer}", due_at=clock.now(), **target)
        return Done((question, reply), task_changes(question, reply))


def design_ready(deal_id: int, actor: User) -> Done[Task]:
    """The designer tells the shop the design is agreed: «Связаться с клиентом. Дизайн готов»."""
    return add_task(deal_id, actor, text=DESIGN_READY, type=TaskType.CONTACT,
                    group=people.group_named(pipeline.GROUP_SHOPS),
                    due_at=day_start_utc(clock.local_today()), all_day=True)


def confirm_receipt(deal_id: int, actor: User | None) -> Done[Task]:
    """«Связаться с клиентом: Подтвердить получение заказа», due the day after the planned
    delivery date, for the deal's manager (set by hand at «Отгружено», in one click)."""
    with database.atomic():
        deal = _deal(deal_id)
        if deal.planned_delivery_date is None:
            raise ServiceError("Укажите плановую дату доставки — задача ставится на следующий день после неё")
        user, group = people.addressee(deal, pipeline.TO_MANAGER)
        return _done(create_task(deal, actor, text=CONFIRM_RECEIPT, type=TaskType.CONTACT, user=user, group=group,
                                 due_at=day_start_utc(deal.planned_delivery_date + timedelta(days=1)),
                                 all_day=True))


def offers_confirm_receipt(deal_id: int) -> bool:
    """Whether the card should offer «Подтвердить получение заказа»: shipped, and not set yet."""
    deal = _deal(deal_id)
    return deal.stage == "shipped" and not Task.select().where(
        Task.deal == deal_id, Task.text == CONFIRM_RECEIPT, Task.created_at >= deal.stage_entered_at).exists()


def is_feasibility_question(task: Task | "TaskLine") -> bool:
    """Whether the task is a designer's question to the constructor still waiting for the answer."""
    return task.type == TaskType.CONFIRM and task.text.startswith(FEASIBILITY_QUESTION)


DESIGN_LOOP_ROLES = {"ask": frozenset({Role.DESIGNER, Role.ADMIN}),
                     "answer": frozenset({Role.CONSTRUCTOR, Role.ADMIN})}


def can_ask_feasibility(user: User | None) -> bool:
    """Designers (and the administrator) run the designer's side of the design loop."""
    return user is not None and user.role in DESIGN_LOOP_ROLES["ask"]


def can_answer_feasibility(user: User | None) -> bool:
    """Constructors (and the administrator) answer feasibility questions."""
    return user is not None and user.role in DESIGN_LOOP_ROLES["answer"]


@dataclass(frozen=True)
class TaskLine:
    """An open task as the card lists it (no database object)."""

    id: int
    type: str
    text: str
    addressee: str
    due_at: datetime  # naive UTC
    all_day: bool
    overdue: bool
    left_stage: str = ""  # the name of the stage that set this task when the deal has left it

    @property
    def type_name(self) -> str:
        return TaskType.NAMES.get(self.type, self.type)


def _left_stage(task: Task, current: str | None) -> str:
    origin = pipeline.stage_of_rule(task.rule)
    return origin.name if origin is not None and origin.code != current else ""


def open_tasks(deal_id: int) -> list[TaskLine]:
    """The deal's open tasks, soonest first; an automatic task of a stage the deal has left says so."""
    now = clock.now()
    current = Deal.select(Deal.stage).where(Deal.id == deal_id).scalar()
    query = (Task.select(Task, User, Group)
             .join(User, JOIN.LEFT_OUTER, on=(Task.assignee_user == User.id)).switch(Task)
             .join(Group, JOIN.LEFT_OUTER, on=(Task.assignee_group == Group.id))
             .where(Task.deal == deal_id, Task.done_at.is_null()).order_by(Task.due_at, Task.id))
    return [TaskLine(task.id, task.type, task.text, addressee_name(task), task.due_at, task.all_day,
                     (day_start_utc(clock.local_today()) if task.all_day else now) > task.due_at,
                     _left_stage(task, current))
            for task in query]


@dataclass(frozen=True)
class Addressee:
    """Whom a task can be set for: a person (``user_id``) or a group (``group_name``)."""

    label: str
    user_id: int | None = None
    group_name: str | None = None

    def as_kwargs(self) -> dict:
        """``user=`` or ``group=`` for ``add_task``."""
        if self.user_id is not None:
            return {"user": User.get_by_id(self.user_id)}
        return {"group": people.group_named(self.group_name)}


def addressees() -> list[Addressee]:
    """The groups («Магазины», «Дизайнер», «Конструктор», …) and then every active person."""
    names = list(dict.fromkeys([*pipeline.ROLE_GROUPS.values(),
                                *(g.name for g in Group.select().order_by(Group.name))]))
    people_rows = User.select().where(User.active).order_by(User.full_name)
    return [Addressee(f"Группа «{name}»", group_name=name) for name in names] + [
        Addressee(f"{user.full_name} ({user.role_name})", user_id=user.id) for user in people_rows]


def design_loop_hint(deal_id: int) -> str:
    """Where the design loop of the deal stands, as the designer's next step (Russian)."""
    deal_tasks = Task.select().where(Task.deal == deal_id).order_by(Task.created_at.desc(), Task.id.desc())
    question = next((task for task in deal_tasks if is_feasibility_question(task)), None)
    ready = deal_tasks.where(Task.text == DESIGN_READY).first()
    if ready is not None and (question is None or ready.created_at >= question.created_at):
        return "«Дизайн готов» передано в «Магазины»."
    if question is None:
        if latest_design_picture(deal_id) is None:
            return "Прикрепите рисунок (вкладка «Файлы», вид «Дизайн»), затем «Спросить конструктора»."
        return "Рисунок готов — «Спросить конструктора», возможно ли сделать такую кровать."
    if not question.is_done:
        return "Вопрос у конструктора — ждём ответа."
    if question.result.startswith("да"):
        return f"Конструктор: {question.result}. Согласуйте с клиентом и нажмите «Дизайн готов»."
    return f"Конструктор: {question.result}. Доработайте рисунок и спросите снова."
