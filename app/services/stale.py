"""How long a deal may sit in a stage before its card is marked stale (the "rotting" mark).

Defaults are the stages' ``normal_days`` (pipeline.py); the shop can override any stage in the
shop-wide ``Setting`` table under ``stale_days.<stage code>``. 0 means "never stale".
"""
from __future__ import annotations

from app.domain import pipeline
from app.domain.changes import Changes
from app.domain.errors import ServiceError
from app.store import setting_values
from app.store.db import database

KEY_PREFIX = "stale_days."


def thresholds() -> dict[str, int]:
    """Days per stage code after which a card is stale (one query)."""
    days = {stage.code: stage.normal_days for stage in pipeline.STAGES}
    for code, value in setting_values.read_prefixed(KEY_PREFIX).items():
        if code in days and isinstance(value, int) and value >= 0:
            days[code] = value
    return days


def set_threshold(stage_code: str, days: int | None) -> Changes:
    """Override the stage's threshold (None: back to the stage's default)."""
    if not isinstance(stage_code, str) or stage_code not in pipeline.STAGE_BY_CODE:
        raise ServiceError("Нет такого этапа")
    key = KEY_PREFIX + stage_code
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650):
        raise ServiceError("Дней на этапе: целое число от 0 до 3650")
    with database.atomic():
        if days is None:
            setting_values.forget(key)
        else:
            setting_values.write(key, int(days))
    return Changes(stages=frozenset({stage_code}), settings=True)
