"""The «Журнал» for the administrator: who did what with personal data and users, and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from app.services import permissions
from app.store.models import AuditEntry, Deal, User

ACTION_NAMES = {
    "passport_view": "Просмотр паспорта",
    "passport_change": "Изменение паспорта",
    "passport_export": "Выгрузка паспорта",
    "export": "Выгрузка",
    "sign_in": "Вход",
    "sign_in_failed": "Неверный пароль",
    "user_add": "Новый пользователь",
    "user_change": "Изменение пользователя",
    "user_password": "Смена пароля",
    "permissions_change": "Изменение прав",
    "passport_print": "Договор с паспортом",
    "shop_settings": "Реквизиты и шаблоны",
}


def action_name(code: str) -> str:
    return ACTION_NAMES.get(code, code)


@dataclass(frozen=True)
class AuditFilter:
    """Which rows of the journal to show; empty fields do not filter."""

    user_id: int | None = None
    action: str | None = None
    order_no: int | None = None
    since: datetime | None = None  # naive UTC, inclusive
    until: datetime | None = None  # naive UTC, exclusive


def entries(actor: User | None, where: AuditFilter = AuditFilter(), limit: int = 5000) -> list[AuditEntry]:
    """The newest journal rows matching ``where`` (with user and deal joined)."""
    permissions.require(actor, permissions.AUDIT_VIEW)
    query = (AuditEntry.select(AuditEntry, User, Deal)
             .join(User, on=(AuditEntry.user == User.id), join_type=pw.JOIN.LEFT_OUTER)
             .switch(AuditEntry)
             .join(Deal, on=(AuditEntry.deal == Deal.id), join_type=pw.JOIN.LEFT_OUTER))
    if where.user_id is not None:
        query = query.where(AuditEntry.user == where.user_id)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.order_no is not None:
        query = query.where(Deal.order_no == where.order_no)
    if where.since is not None:
        query = query.where(AuditEntry.at >= where.since)
    if where.until is not None:
        query = query.where(AuditEntry.at < where.until)
    return list(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
