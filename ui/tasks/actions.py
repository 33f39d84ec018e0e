"""What a person can do with a task, from the list or from a reminder: open its deal, complete it
with a result, move its due time, snooze it. Each action is one service call run by the window's
action runner (ui.common.actions), which shows a refusal and announces what changed."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMainWindow

from app.domain import clock
from app.domain.changes import Changes
from app.domain.reminder_rules import ReminderSettings
from app.queries.task_subject import task_subject
from app.services import my_tasks, reminders
from app.services import tasks as task_service
from app.store.models import Task
from ui.common import msgbox
from ui.tasks import dialogs


class TaskActions:
    def __init__(self, window: QMainWindow, settings: Callable[[], ReminderSettings]) -> None:
        self.window = window
        self.settings = settings

    def _run(self, title: str, action: Callable[[], object]) -> bool:
        # a refused task action usually means the list is stale (another PC): refresh it
        return self.window.action_runner.run(self.window, title, action, stale=Changes(tasks=True)) is not None

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
        self.window.screen_widget("tasks").select_task(task_id)

    def complete(self, task_id: int) -> bool:
        """«Выполнить»: asks for the result; True when the task got closed."""
        task = self._task(task_id, "Выполнить задачу")
        if task is None:
            return False
        result = msgbox.ask_text(self.window, "Выполнить задачу", f"{task_subject(task)}\n\nРезультат:")
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
        chosen = dialogs.ask_due(self.window, local.date(), None if task.all_day else local.time(),
                                 task_subject(task))
        if chosen is None:
            return False
        return self._run("Перенести задачу", lambda: my_tasks.move_to(task_id, self.window.user, *chosen))

    def snooze(self, task_ids: list[int], minutes: int) -> None:
        """«Отложить»: show these tasks to this person again in ``minutes``."""
        self._run("Отложить", lambda: reminders.snooze(task_ids, self.window.user, minutes))

    def snooze_all(self, minutes: int = 15) -> None:
        """Snooze every task due now for this person."""
        self._run("Отложить", lambda: reminders.snooze_all(self.window.user, self.settings(), minutes))
