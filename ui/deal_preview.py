"""A minimal read-only deal card, opened from the board until the full deal card replaces it.

Passport data is never shown here (152-ФЗ: only the full card shows it, to the roles that need it).
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app import pipeline
from app.models import OrderKind, Task, TimelineEntry
from app.money import format_rub
from app.services import deal_fields, deals
from app.services.tasks import describe_due
from app.validation import format_phone


class DealPreview(QDialog):
    def __init__(self, parent: QWidget | None, deal_id: int) -> None:
        super().__init__(parent)
        self.setObjectName("dealPreview")
        deal = deals.load_deal(deal_id)
        values = deal_fields.current_values(deal)
        self.setWindowTitle(f"Сделка №{deal.order_no} — {deal.name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        rows = [
            ("Сделка", deal.name), ("Этап", pipeline.stage(deal.stage).name),
            ("Бюджет", format_rub(deal.budget)), ("Тип заказа", OrderKind.NAMES.get(deal.kind, deal.kind)),
            ("Ответственный", deal.responsible.full_name if deal.responsible_id else "—"),
            ("Контакт", values["contact.full_name"] or "—"),
            ("Телефоны", ", ".join(format_phone(p) for p in values["contact.phones"]) or "—"),
            ("E-mail", ", ".join(values["contact.emails"]) or "—"),
            ("Адрес", values["contact.address"] or "—"), ("Теги", deal.tags or "—"),
        ]
        for title, text in rows:
            label = QLabel(text)
            label.setWordWrap(True)
            form.addRow(title + ":", label)
        open_tasks = Task.select().where(Task.deal == deal.id, Task.done_at.is_null()).order_by(Task.due_at)
        tasks_text = "\n".join(f"{describe_due(t)} — {t.text}" for t in open_tasks) or "Нет задач"
        form.addRow("Задачи:", QLabel(tasks_text))
        feed = (TimelineEntry.select().where(TimelineEntry.deal == deal.id)
                .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()).limit(8))
        feed_label = QLabel("\n".join(entry.text for entry in feed))
        feed_label.setWordWrap(True)
        form.addRow("Последние события:", feed_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


def show_deal_preview(parent: QWidget | None, deal_id: int) -> None:
    DealPreview(parent, deal_id).exec()
