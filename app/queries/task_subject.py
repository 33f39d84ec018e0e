"""What a task acts on, in words for a small dialog's prompt: «Заказ №15 «Остров» · клиент Петрова Анна»."""
from __future__ import annotations

from app.store.models import Task


def task_subject(task: Task) -> str:
    """The task's deal (number and name) and its client; the task's text alone for a task without a deal."""
    deal = task.deal
    if deal is None:
        return task.text
    client = f" · клиент {deal.contact.full_name}" if deal.contact is not None else ""
    return f"Заказ №{deal.order_no} «{deal.name}»{client}\n{task.text}"
