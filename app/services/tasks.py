"""Tasks between people: set by hand or by a stage, completed with a result, rescheduled;
and the design loop between designer and constructor (PIPELINE.md)."""
from __future__ import annotations

from datetime import date, datetime, time

from app import clock, pipeline
from app.db import database
from app.models import Deal, Group, Task, TaskType, TimelineEntry, User
from app.services import people
from app.services.errors import NotFoundError, ServiceError
from app.services.timeline import add_entry

FEASIBILITY_QUESTION = "Возможно ли создать такую кровать технически"
DESIGN_READY = "Связаться с клиентом. Дизайн готов"
CONFIRM_RECEIPT = "Подтвердить получение заказа"


def day_start_utc(day: date) -> datetime:
    """Midnight of a shop-local day as naive UTC (how all-day tasks store their due)."""
    return clock.from_local(datetime.combine(day, time()))


def addressee_name(task: Task) -> str:
    if task.assignee_user_id:
        return task.assignee_user.full_name
    return task.assignee_group.name if task.assignee_group_id else "—"


def describe_due(task: Task) -> str:
    local = clock.to_local(task.due_at)
    return local.strftime("%d.%m.%Y") if task.all_day else local.strftime("%d.%m.%Y %H:%M")


def _get_task(task_id: int) -> Task:
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFoundError("Задача не найдена (возможно, удалена на другом компьютере)")
    return task


def create_task(deal: Deal | None, actor: User | None, *, text: str, type: str = TaskType.CONTACT,
                user: User | None = None, group: Group | None = None, due_at: datetime | None = None,
                all_day: bool = False, rule: str | None = None, parent: Task | None = None) -> Task:
    """A task inside the caller's transaction, with its timeline line."""
    text = " ".join((text or "").split())
    if not text:
        raise ServiceError("Напишите текст задачи")
    if type not in TaskType.NAMES:
        raise ServiceError("Неизвестный тип задачи")
    if (user is None) == (group is None):
        raise ServiceError("Выберите, кому задача: человеку или группе")
    task = Task.create(deal=deal, type=type, text=text, assignee_user=user, assignee_group=group,
                       due_at=due_at or clock.now(), all_day=all_day, created_by=actor,
                       created_at=clock.now(), rule=rule, parent=parent)
    if deal is not None:
        who = "Система" if actor is None else actor.full_name
        add_entry(deal, TimelineEntry.TASK_CREATED,
                  f"Задача от {who} для {addressee_name(task)} до {describe_due(task)}: "
                  f"{TaskType.NAMES[type]} — {text}", actor, task=task)
    return task


def add_task(deal_id: int | None, actor: User | None, **kwargs) -> Task:
    """Set a task by hand (one transaction); see ``create_task`` for the arguments."""
    with database.atomic():
        deal = Deal.get_by_id(deal_id) if deal_id is not None else None
        return create_task(deal, actor, **kwargs)


def _finish(task: Task, actor: User | None, result: str) -> Task:
    if task.is_done:
        raise ServiceError("Задача уже выполнена")
    task.result = " ".join((result or "").split())
    task.done_at = clock.now()
    task.done_by = actor
    task.version += 1
    task.save()
    if task.deal_id:
        shown = f" — {task.result}" if task.result else ""
        add_entry(task.deal_id, TimelineEntry.TASK_DONE,
                  f"{TaskType.NAMES[task.type]}: {task.text}{shown}", actor, task=task)
    return task


def complete_task(task_id: int, actor: User | None, result: str = "") -> Task:
    """«Выполнить»: close the task with a result text."""
    with database.atomic():
        return _finish(_get_task(task_id), actor, result)


def reschedule_task(task_id: int, actor: User | None, due_at: datetime, *, all_day: bool = False) -> Task:
    """Move a task's due time."""
    with database.atomic():
        task = _get_task(task_id)
        if task.is_done:
            raise ServiceError("Задача уже выполнена — её срок не меняется")
        task.due_at, task.all_day = due_at, all_day
        task.version += 1
        task.save()
        if task.deal_id:
            add_entry(task.deal_id, TimelineEntry.CHANGE,
                      f"Срок задачи «{task.text}» перенесён на {describe_due(task)}", actor, task=task)
        return task


def ask_feasibility(deal_id: int, actor: User, text: str = FEASIBILITY_QUESTION) -> Task:
    """The designer asks the constructor whether the bed can be built (Подтверждение, today)."""
    return add_task(deal_id, actor, text=text, type=TaskType.CONFIRM,
                    group=people.group_named(pipeline.GROUP_CONSTRUCTORS),
                    due_at=day_start_utc(clock.local_today()), all_day=True)


def answer_feasibility(task_id: int, actor: User, possible: bool, remarks: str = "") -> tuple[Task, Task]:
    """The constructor's «да»/«нет» + remarks: closes their task and sets the designer's
    confirmation task carrying the answer. Returns (closed task, new task)."""
    with database.atomic():
        question = _get_task(task_id)
        remarks = " ".join((remarks or "").split())
        answer = ("да" if possible else "нет") + (f", {remarks}" if remarks else "")
        _finish(question, actor, answer)
        designer = question.created_by
        target = dict(user=designer) if designer is not None and designer.active else dict(
            group=people.group_named(pipeline.GROUP_DESIGNERS))
        reply = create_task(question.deal, actor, type=TaskType.CONFIRM, parent=question,
                            text=f"Ответ конструктора: {answer}", due_at=clock.now(), **target)
        return question, reply


def design_ready(deal_id: int, actor: User) -> Task:
    """The designer tells the shop the design is agreed: «Связаться с клиентом. Дизайн готов»."""
    return add_task(deal_id, actor, text=DESIGN_READY, type=TaskType.CONTACT,
                    group=people.group_named(pipeline.GROUP_SHOPS),
                    due_at=day_start_utc(clock.local_today()), all_day=True)
