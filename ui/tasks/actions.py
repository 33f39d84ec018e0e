"""What a person can do with a task, from the list or from a reminder: open its deal, complete it
with a result, move its due time, snooze it. Each action calls one service, shows a refusal through
ui.common.msgbox and broadcasts what changed."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMainWindow

from app.domain import clock
from app.domain.changes import Changes
from app.domain.errors import ServiceError
from app.domain.reminder_rules import ReminderSettings
from app.services import my_tasks, reminders
from app.services import tasks as task_service
from app.store.models import Task
from ui.common import msgbox
from ui.tasks import dialogs


class TaskActions:
    def __init__(self, window: QMainWindow, settings: Callable[[], ReminderSettings]) -> None:
        self.window = window
        self.settings = settings

    def _run(self, title: str, action: Callable[[], Task | None]) -> bool:
        try:
            task = action()
        except ServiceError as error:
            msgbox.error(self.window, title, str(error))
            self.window.announce(Changes(tasks=True))  # the list may be stale (another PC)
            return False
        if task is not None:
            self.window.announce(my_tasks.changes_for(task))
        return task is not None

    def _task(self, task_id: int, title: str) -> Task | None:
        task = Task.get_or_none(Task.id == task_id)
        if task is None:
            msgbox.error(self.window, title, "Задача не найдена (возможно, удалена на другом компьютере)")
            self.window.announce(Changes(tasks=True))
        return task

    def open_deal(self, deal_id: int | None, task_id: int) -> None:
        """The deal's card; a task without a deal is shown in «Задачи» instead."""
        if deal_id is not None:
            self.window.open_deal(deal_id)
            return
        self.window.show_screen("tasks")
        self.window.screen("tasks").select_task(task_id)

    def complete(self, task_id: int) -> bool:
        """«Выполнить»: asks for the result; True when the task got closed."""
        task = self._task(task_id, "Выполнить задачу")
        if task is None:
            return False
        result = dialogs.ask_result(self.window, task.text)
        if result is None:
            return False
        return self._run("Выполнить задачу",
                         lambda: task_service.complete_task(task_id, self.window.user, result))

    def plus_hour(self, task_id: int) -> bool:
        return self._run("Перенести задачу", lambda: my_tasks.plus_hour(task_id, self.window.user, self.settings()))

    def tomorrow(self, task_id: int) -> bool:
        return self._run("Перенести задачу", lambda: my_tasks.tomorrow(task_id, self.window.user))

    def pick_date(self, task_id: int) -> bool:
        task = self._task(task_id, "Перенести задачу")
        if task is None:
            return False
        local = clock.to_local(task.due_at)
        chosen = dialogs.ask_due(self.window, local.date(), None if task.all_day else local.time())
        if chosen is None:
            return False
        return self._run("Перенести задачу", lambda: my_tasks.move_to(task_id, self.window.user, *chosen))

    def snooze(self, task_ids: list[int], minutes: int) -> None:
        """«Отложить»: show these tasks to this person again in ``minutes``."""
        reminders.snooze(task_ids, self.window.user, minutes)
        self.window.announce(Changes(tasks=True, extra={"snoozed": tuple(task_ids)}))

    def snooze_all(self, minutes: int = 15) -> None:
        """Snooze every task due now for this person."""
        ids = reminders.snooze_all(self.window.user, self.settings(), minutes)
        self.window.announce(Changes(tasks=True, extra={"snoozed": tuple(ids)}))
