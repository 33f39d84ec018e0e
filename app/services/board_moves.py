"""Moves from the board: several cards at once, recorded so that the last move can be undone.

``move_many`` moves the dropped deals in one transaction; a deal its target's gate refuses is
left where it is and reported, so the board can ask for the missing fields (the gate form) and
move it on its own. ``undo_move`` is the «Отменить» of the status bar. The user expects the move
to be undone as if it had not happened, so it does, in one transaction:
- puts each deal back into the stage it came from, with the time it had entered that stage
  (a stale card stays stale) and the responsible it had before (a move to «Дизайн» sets one);
- deletes the automatic tasks the move created while they are still open, and SMS the move
  drafted while they are still unsent (done tasks and sent SMS are real history and stay);
- writes a stage-history row and a timeline line «Перевод отменён», so the feed stays honest.
Values typed into a gate form while moving stay stored: they are the deal's data, not the move.
A deal changed since the move (another edit, another move, another PC) is not touched: the
whole undo is refused with a clear message.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from app.domain import clock, pipeline, validation
from app.domain.changes import Changes
from app.domain.errors import ConflictError, GateError, ServiceError
from app.services import deals, permissions
from app.services.timeline import write_entry
from app.store.db import database, hold
from app.store.models import Deal, OutboxSms, StageHistory, Task, TimelineEntry, User


@dataclass(frozen=True)
class MoveRecord:
    """What undoing one deal's move needs to know."""

    deal_id: int
    order_no: int
    from_stage: str
    to_stage: str
    entered_before: datetime
    responsible_before: int | None
    version_after: int
    task_ids: tuple[int, ...]
    sms_ids: tuple[int, ...]


class RecordedMove(NamedTuple):
    """A move and what its undo needs (``record`` is None when nothing moved)."""

    result: deals.MoveResult
    record: MoveRecord | None

    @property
    def changes(self) -> Changes:
        return self.result.changes if self.record is not None else Changes()


def move_recorded(deal_id: int, to_code: str, actor: User | None, values: dict[str, Any] | None = None,
                  expected_version: int | None = None) -> RecordedMove:
    """``deals.move_deal`` that also returns what its undo needs."""
    with database.atomic():
        return _recorded(deal_id, to_code, actor, values, expected_version)


def _recorded(deal_id: int, to_code: str, actor: User | None, values: dict[str, Any] | None = None,
              expected_version: int | None = None) -> RecordedMove:
    """``move_recorded`` inside the caller's transaction (see ``deals.moving``)."""
    result = deals.moving(deal_id, to_code, actor, values, expected_version)
    if result.from_stage == result.to_stage:
        return RecordedMove(result, None)
    record = MoveRecord(deal_id, result.deal.order_no, result.from_stage, result.to_stage,
                        result.entered_before, result.responsible_before, result.deal.version,
                        tuple(task.id for task in result.tasks), tuple(sms.id for sms in result.sms))
    return RecordedMove(result, record)


@dataclass
class BatchMove:
    """What ``move_many`` did: the moves made, the gate refusals, other refusals' messages."""

    records: list[MoveRecord] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    refused: dict[int, GateError] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def move_many(deal_ids: list[int], to_code: str, actor: User | None) -> BatchMove:
    """Move ``deal_ids`` to ``to_code`` together (one transaction); refused deals stay put (each
    deal in a savepoint of its own; a single deal is the transaction itself)."""
    batch = BatchMove()
    deal_ids = validation.checked_ids(deal_ids, "deal")
    with database.atomic() if len(deal_ids) > 1 else contextlib.nullcontext():
        for deal_id in deal_ids:
            try:
                with database.atomic():
                    result, record = _recorded(deal_id, to_code, actor)
            except GateError as error:
                batch.refused[deal_id] = error
                continue
            except ServiceError as error:
                batch.errors.append(str(error))
                continue
            if record is not None:
                batch.records.append(record)
                batch.changes |= result.changes
    return batch


def undo_move(records: list[MoveRecord], actor: User | None) -> Changes:
    """Undo the moves of ``records`` together (one transaction); see the module's docstring. Putting
    a deal back is a move into its old stage: it needs the same right."""
    for from_stage in sorted({record.from_stage for record in records}):
        permissions.require(actor, permissions.move_action(from_stage))
    with database.atomic():
        for record in records:
            deal = deals.load_deal(record.deal_id, lock=True)
            if deal.stage != record.to_stage or deal.version != record.version_after:
                raise ConflictError(f"Сделку №{record.order_no} уже изменили после перевода — "
                                    f"отменить перевод нельзя.")
            removed = [task.text for task in Task.select(Task.text).where(
                Task.id.in_(record.task_ids), Task.done_at.is_null())]
            hold(Task.delete().where(Task.id.in_(record.task_ids), Task.done_at.is_null()))
            hold(OutboxSms.delete().where(OutboxSms.id.in_(record.sms_ids), OutboxSms.status == OutboxSms.PENDING))
            now = clock.now()
            hold(StageHistory.insert(deal=deal, from_stage=record.to_stage, to_stage=record.from_stage,
                                     user=actor, at=now))
            back_to = pipeline.stage(record.from_stage).name
            text = f"Перевод отменён: снова {back_to} (был {pipeline.stage(record.to_stage).name})"
            if removed:
                text += "; удалены задачи: " + "; ".join(removed)
            write_entry(deal, TimelineEntry.STAGE, text, actor)
            hold(Deal.update(stage=record.from_stage, stage_entered_at=record.entered_before,
                             responsible=record.responsible_before, updated_at=now,
                             version=Deal.version + 1).where(Deal.id == deal.id))
    return Changes(frozenset(r.deal_id for r in records),
                   frozenset({r.from_stage for r in records} | {r.to_stage for r in records}),
                   tasks=True, timeline=True)
