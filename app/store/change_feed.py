"""What other PCs and windows changed since the last look: a cheap poll of the change counter.

The counter (advanced at every committed write, see app.store.tracked_db) is read once a second; when it
moved because of somebody else, the change log tells which deals were touched and the caller
broadcasts a ``Changes`` so every view refreshes.
"""
from __future__ import annotations

from app.domain import pipeline
from app.domain.changes import Changes
from app.store.db import database
from app.store.models import ChangeLog, Counter
from app.store.tracked_db import CHANGES

ALL_STAGES = frozenset(stage.code for stage in pipeline.STAGES)


def current_counter() -> int:
    """The shop's change counter now (0 before the first write)."""
    row = Counter.select(Counter.value).where(Counter.name == CHANGES).tuples().first()
    return row[0] if row else 0


def remote_changes(deal_ids: frozenset[int] = frozenset()) -> Changes:
    """A change made elsewhere: anything may have changed; every column's totals, every list and
    the touched deals refresh."""
    return Changes.anything(deal_ids, ALL_STAGES)


class ChangeFeed:
    """Remembers the last counter value seen and reports changes made by others since."""

    def __init__(self) -> None:
        self.last = current_counter()

    def poll(self) -> Changes | None:
        """Changes committed by other connections since the last poll, or None."""
        now = current_counter()
        if now == self.last:
            return None
        if now < self.last:  # another database was restored or connected: refresh everything
            self.last = now
            return remote_changes()
        expected = set(range(self.last + 1, now + 1))
        rows = list(ChangeLog.select(ChangeLog.seq, ChangeLog.deal_id)
                    .where(ChangeLog.seq > self.last, ChangeLog.seq <= now).tuples())
        own = getattr(database.obj, "own_changes", set())
        foreign = [(seq, deal_id) for seq, deal_id in rows if seq not in own]
        complete = {seq for seq, _ in rows} == expected  # the log keeps only recent values
        own.difference_update(expected)
        self.last = now
        if complete and not foreign:
            return None
        return remote_changes(frozenset(deal_id for _, deal_id in foreign if deal_id is not None))
