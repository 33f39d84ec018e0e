"""The Russian name of every field a message can name, in one place: the deal card's fields (the
gates' ones come from the pipeline) and the other things people type — notes, tasks, users."""
from __future__ import annotations

from app.domain.pipeline import FIELD_LABELS as GATE_LABELS

LABELS: dict[str, str] = {
    **GATE_LABELS,
    "contact.company": "Компания",
    "contact.phones": "Телефоны",
    "contact.emails": "E-mail",
    "tags": "Теги",
    "products": "Товары",
    "source": "Источник",
    "kind": "Тип заказа",
    "assembly_needed": "Нужна сборка",
    "transport_company": "Транспортная компания",
    "waybill_no": "Номер накладной",
    "responsible": "Ответственный",
    "deal": "Сделка",
    "task": "Задача",
    "user": "Пользователь",
    "note": "Примечание",
    "comment": "Комментарий",
    "file": "Файл",
    "task.text": "Текст задачи",
    "task.type": "Тип задачи",
    "task.result": "Результат",
    "task.due": "Срок задачи",
    "task.to": "Кому",
    "login": "Имя входа",
    "full_name": "Имя пользователя",
    "role": "Роль",
    "group": "Группа",
    "minutes": "Минуты",
    "days": "Дней на этапе",
    "material": "Материал",
    "spec": "Спецификация",
    "sms.text": "Текст СМС",
    "sms.phone": "Телефон",
    "sms.template": "Название шаблона",
    "sms.template_text": "Текст шаблона",
    "sms.gateway": "СМС-шлюз",
    "sms.login": "Логин",
    "sms.sender": "Имя отправителя",
    "sms.quiet_from": "Тихие часы с",
    "sms.quiet_to": "Тихие часы до",
    "sms.shop_phone": "Телефон магазина",
}


def label(key: str) -> str:
    """The Russian label of ``key`` (the key itself only for a key nobody named — a bug to fix)."""
    return LABELS.get(key, key)
