"""Writing lines of a deal's feed and of the audit log (inside the caller's transaction)."""
from __future__ import annotations

from app import clock
from app.db import note_deal_changed
from app.models import AuditEntry, Deal, TimelineEntry, User


def add_entry(deal: Deal | int, kind: str, text: str, user: User | None = None, **refs) -> TimelineEntry:
    """One timeline line; ``refs`` may name a task, note, attachment or sms."""
    note_deal_changed(deal if isinstance(deal, int) else deal.id)
    return TimelineEntry.create(deal=deal, kind=kind, text=text, user=user, at=clock.now(), **refs)


def audit(user: User | None, action: str, deal: Deal | int | None = None, details: str = "") -> AuditEntry:
    """One line of the audit log (who, when, what, which deal)."""
    return AuditEntry.create(user=user, action=action, deal=deal, details=details, at=clock.now())
