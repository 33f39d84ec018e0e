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
    pipeline.stage(stage_code)
    key = KEY_PREFIX + stage_code
    if days is not None and days < 0:
        raise ServiceError("Срок на этапе не может быть отрицательным")
    with database.atomic():
        if days is None:
            setting_values.forget(key)
        else:
            setting_values.write(key, int(days))
    return Changes(stages=frozenset({stage_code}), settings=True)
