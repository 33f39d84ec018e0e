"""Building a board over the test database, with per-test QSettings."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from app.services import numbering
from app.store.models import Deal


def bulk_deals(count: int, stage: str, budget: int = 100_00, name: str = "Сделка") -> list[int]:
    """``count`` plain deals straight into ``stage`` (no contact, no tasks); returns their ids."""
    start = (Deal.select(Deal.order_no).order_by(Deal.order_no.desc()).scalar() or 0) + 1
    rows = [dict(order_no=start + i, name=f"{name} {start + i}", stage=stage, budget=budget,
                 search_text=f"{start + i} {name.lower()} {start + i}") for i in range(count)]
    Deal.insert_many(rows).execute()
    numbering.ensure_at_least(numbering.ORDER_NO, start + count)
    return [d.id for d in Deal.select(Deal.id).where(Deal.order_no >= start).order_by(Deal.id)]


def board_settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "board.ini"), QSettings.Format.IniFormat)
