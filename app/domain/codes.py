"""Codes stored in the database and their Russian names: roles, kinds of order, task types."""
from __future__ import annotations


class Role:
    """User roles (codes stored in the database) and their Russian names."""

    MANAGER = "manager"
    DESIGNER = "designer"
    CONSTRUCTOR = "constructor"
    PRODUCTION_CHIEF = "production_chief"
    ADMIN = "admin"

    NAMES = {
        MANAGER: "Менеджер",
        DESIGNER: "Дизайнер",
        CONSTRUCTOR: "Конструктор",
        PRODUCTION_CHIEF: "Начальник производства",
        ADMIN: "Администратор",
    }


class OrderKind:
    """Kinds of order a deal can be."""

    STANDARD = "standard"
    INDIVIDUAL = "individual"
    COMPLAINT = "complaint"

    NAMES = {STANDARD: "Стандартный", INDIVIDUAL: "Индивидуальный", COMPLAINT: "Рекламация"}


class TaskType:
    """Task types as the shop names them."""

    CONTACT = "contact"
    CONFIRM = "confirm"
    MEETING = "meeting"
    OTHER = "other"

    NAMES = {
        CONTACT: "Связаться с клиентом",
        CONFIRM: "Подтверждение",
        MEETING: "Встреча",
        OTHER: "Задача",
    }
