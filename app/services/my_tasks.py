"""«Мои задачи»: a person's tasks and their groups' in sections, filters, and moving due times.

A row carries everything the list shows (deal, type, text, due, who set it, to whom), read in one
query. Sections come from app.domain.reminder_rules; finished tasks stay in «Выполнено» for ``DONE_DAYS``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import JOIN

from app.domain import clock
from app.domain.changes import Done
from app.domain.codes import TaskType
from app.domain.errors import FieldProblem, ValidationError
from app.domain.reminder_rules import ReminderSettings, Section, at_local, section_of, within_working_hours
from app.services import tasks as task_service
from app.services.reminders import addressed_to
from app.store.models import Deal, Group, Task, User

DONE_DAYS = 7
DONE_LIMIT = 200
SYSTEM = "Система"  # who «set» an automatic task


@dataclass(frozen=True)
class TaskFilter:
    """Whose tasks to list: a person's (with their groups'; None = the viewer), or one group's; and
    optionally one task type."""

    person_id: int | None = None
    group_id: int | None = None
    type: str | None = None


@dataclass(frozen=True)
class TaskRow:
    id: int
    section: str
    deal_id: int | None
    deal_title: str  # «№15 Краева Ольга (МИА)», or «—» for a task without a deal
    type: str
    text: str
    due_at: datetime
    all_day: bool
    set_by: str
    addressee: str
    result: str | None
    done_at: datetime | None = None

    @property
    def type_name(self) -> str:
        return TaskType.NAMES.get(self.type, self.type)

    @property
    def due_text(self) -> str:
        """«14.06.2025 10:00», or «14.06.2025, весь день»."""
        local = clock.to_local(self.due_at)
        return local.strftime("%d.%m.%Y") + (", весь день" if self.all_day else local.strftime(" %H:%M"))


def _scope(viewer: User, task_filter: TaskFilter):
    if task_filter.group_id is not None:
        condition = Task.assignee_group == task_filter.group_id
    else:
        person = viewer if task_filter.person_id is None else User.get_by_id(task_filter.person_id)
        condition = addressed_to(person)
    if task_filter.type:
        condition &= Task.type == task_filter.type
    return condition


def _rows_query(condition):
    creator, addressee = User.alias("creator"), User.alias("addressee")
    return (Task.select(Task.id, Task.type, Task.text, Task.due_at, Task.all_day, Task.done_at, Task.result,
                        Task.deal, Deal.order_no, Deal.name.alias("deal_name"),
                        creator.full_name.alias("creator_name"), addressee.full_name.alias("user_name"),
                        Group.name.alias("group_name"))
            .join_from(Task, Deal, JOIN.LEFT_OUTER)
            .join_from(Task, creator, JOIN.LEFT_OUTER, on=(Task.created_by == creator.id))
            .join_from(Task, addressee, JOIN.LEFT_OUTER, on=(Task.assignee_user == addressee.id))
            .join_from(Task, Group, JOIN.LEFT_OUTER)
            .where(condition)
            .dicts())


def _row(r: dict, now: datetime) -> TaskRow:
    return TaskRow(id=r["id"], section=section_of(r["due_at"], r["all_day"], r["done_at"] is not None, now),
                   deal_id=r["deal"], deal_title=f"№{r['order_no']} {r['deal_name']}" if r["deal"] else "—",
                   type=r["type"], text=r["text"], due_at=r["due_at"], all_day=r["all_day"],
                   set_by=r["creator_name"] or SYSTEM, addressee=r["user_name"] or r["group_name"] or "—",
                   result=r["result"], done_at=r["done_at"])


def list_tasks(viewer: User, task_filter: TaskFilter = TaskFilter(), now: datetime | None = None) -> list[TaskRow]:
    """Open tasks by section then due time, and then at most ``DONE_LIMIT`` finished in the last
    ``DONE_DAYS`` days, the most recent first."""
    now = now or clock.now()
    scope = _scope(viewer, task_filter)
    order = {code: index for index, code in enumerate(Section.ORDER)}
    open_rows = sorted((_row(r, now) for r in _rows_query(scope & Task.done_at.is_null())),
                       key=lambda row: (order[row.section], row.due_at, row.id))
    done = (_rows_query(scope & (Task.done_at >= now - timedelta(days=DONE_DAYS)))
            .order_by(Task.done_at.desc(), Task.id.desc()).limit(DONE_LIMIT))
    return open_rows + [_row(r, now) for r in done]


def plus_hour(task_id: int, actor: User | None, settings: ReminderSettings) -> Done[Task]:
    """«+1 час»: an hour after the later of now and the due time (within the working hours)."""
    task = task_service.get_task(task_id)
    now = clock.now()
    base = now if task.all_day else max(now, task.due_at)
    return task_service.reschedule_task(task_id, actor, within_working_hours(base + timedelta(hours=1), settings))


def tomorrow(task_id: int, actor: User | None) -> Done[Task]:
    """«Завтра»: tomorrow (shop-local), at the same time of day, or all day for an all-day task."""
    task = task_service.get_task(task_id)
    day = clock.local_today() + timedelta(days=1)
    at = None if task.all_day else clock.to_local(task.due_at).time()
    return move_to(task_id, actor, day, at)


def move_to(task_id: int, actor: User | None, day: date, at: time | None) -> Done[Task]:
    """Move a task to ``day`` at ``at`` (shop-local), or to the whole of ``day`` when ``at`` is None."""
    if not isinstance(day, date) or isinstance(day, datetime) or not date.min < day < date.max:
        raise ValidationError([FieldProblem("task.due", "выберите день")])
    if at is not None and not isinstance(at, time):
        raise ValidationError([FieldProblem("task.due", "неверное время")])
    if at is None:
        return task_service.reschedule_task(task_id, actor, task_service.day_start_utc(day), all_day=True)
    return task_service.reschedule_task(task_id, actor, at_local(day, at))

