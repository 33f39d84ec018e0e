"""The shop's requisites and the texts of the client's papers, edited by the administrator and kept
in the shop-wide settings (every PC prints the same)."""
from __future__ import annotations

from app.domain import paper_templates, requisites
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ValidationError
from app.domain.paper_templates import PaperTemplates
from app.domain.requisites import ShopDetails
from app.services import permissions
from app.services.timeline import audit
from app.store import setting_values
from app.store.db import database

SHOP_KEY = "shop.details"
TEMPLATES_KEY = "papers.templates"
NOT_READY = "Заполните реквизиты магазина («Настройки → Реквизиты магазина…»)"


def shop_details() -> ShopDetails:
    """The stored requisites (empty ones until the administrator fills them in)."""
    stored = setting_values.read(SHOP_KEY, {})
    return ShopDetails.from_dict(stored if isinstance(stored, dict) else {})


def check_shop_details(values: dict) -> list[FieldProblem]:
    """The problems of typed requisites, per field (for the dialog, while typing)."""
    return requisites.validate(ShopDetails.from_dict(values))


def ready_shop_details() -> ShopDetails:
    """The requisites for printing; ValidationError naming what is missing when they are incomplete."""
    details = shop_details()
    problems = requisites.validate(details)
    if problems:
        raise ValidationError(problems, NOT_READY)
    return details


def _save(actor, key: str, value, problems: list[FieldProblem], refused: str, audited: str):
    permissions.require(actor, permissions.SETTINGS_MANAGE)
    if problems:
        raise ValidationError(problems, refused)
    with database.atomic():
        setting_values.write(key, value.as_dict())
        audit(actor, "shop_settings", None, audited)
    return Done(value, Changes(settings=True, audit=True))


def save_shop_details(actor, values: dict) -> Done[ShopDetails]:
    """The administrator stores the shop's requisites; nothing is stored unless every field is right."""
    details = ShopDetails.from_dict(values)
    return _save(actor, SHOP_KEY, details, requisites.validate(details), "Реквизиты не сохранены",
                 f"Реквизиты магазина: {details.name}, ИНН {details.inn}")


def templates() -> PaperTemplates:
    """The stored texts of the papers (the defaults where never edited)."""
    stored = setting_values.read(TEMPLATES_KEY, {})
    return PaperTemplates.from_dict(stored if isinstance(stored, dict) else {})


def check_templates(values: dict) -> list[FieldProblem]:
    return paper_templates.check(PaperTemplates.from_dict(values))


def save_templates(actor, values: dict) -> Done[PaperTemplates]:
    """The administrator stores the texts of the contract and the invoice's fixed lines."""
    edited = PaperTemplates.from_dict(values)
    return _save(actor, TEMPLATES_KEY, edited, paper_templates.check(edited), "Шаблоны не сохранены",
                 "Шаблоны документов изменены")
