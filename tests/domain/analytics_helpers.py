"""Hand-built histories for the analytics tests: deals with moves at known shop-local times."""
from __future__ import annotations

from datetime import date, datetime

from app.domain import clock
from app.queries.analytics import AnalyticsFilter
from app.store.models import Deal, StageHistory

JUNE = AnalyticsFilter(date(2025, 6, 1), date(2025, 6, 30))


def local(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A shop-local moment of 2025 as the naive UTC the database keeps."""
    return clock.from_local(datetime(2025, month, day, hour, minute))


def june(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return local(6, day, hour, minute)


def history_deal(order_no: int, moves: list[tuple[str, datetime]], *, kind: str = "standard", budget: int = 0,
                 source: str = "", responsible=None, **fields) -> Deal:
    """A deal whose stage history is ``moves`` (stage, UTC time); its stage is the last one;
    ``budget`` and money in ``fields`` in roubles."""
    for key in ("prepayment", "debt"):
        if fields.get(key) is not None:
            fields[key] *= 100
    last_stage, last_at = moves[-1]
    deal = Deal.create(order_no=order_no, name=f"Заказ {order_no}", budget=budget * 100, stage=last_stage,
                       stage_entered_at=last_at, kind=kind, source=source, responsible=responsible,
                       manager=responsible, created_at=moves[0][1], updated_at=last_at, **fields)
    previous = None
    for stage, at in moves:
        StageHistory.create(deal=deal, from_stage=previous, to_stage=stage, at=at)
        previous = stage
    return deal
