"""The shop's label paper («Настройки → Бирки…»), kept in the shop-wide settings so every PC prints
the labels alike; changed by whoever makes cut sheets (the constructor; the administrator too)."""
from __future__ import annotations

from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ValidationError
from app.domain.label_sheet import LabelSettings, parse
from app.services import permissions
from app.store import setting_values
from app.store.db import database
from app.store.models import User

KEY = "labels.format"  # {"kind": "a4" | "roll", sizes …}; the first version stored only the kind


def label_settings() -> LabelSettings:
    """The stored label paper (the defaults until saved)."""
    return LabelSettings.from_dict(setting_values.read(KEY, {}))


def check_label_settings(values: dict) -> list[FieldProblem]:
    """The problems of typed settings, per field (for the dialog, while typing)."""
    return parse(values if isinstance(values, dict) else {})[1]


def save_label_settings(actor: User | None, values: dict) -> Done[LabelSettings]:
    """Store the label paper; nothing is stored unless every field is right and the labels fit."""
    permissions.require(actor, permissions.CUT_SHEETS)
    settings, problems = parse(values if isinstance(values, dict) else {})
    if problems:
        raise ValidationError(problems, "Формат бирок не сохранён")
    with database.atomic():
        setting_values.write(KEY, settings.as_dict())
    return Done(settings, Changes(settings=True))
