"""Writing lines of a deal's feed and of the audit log (inside the caller's transaction), and
reading the feed back in order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN

from app.domain import clock
from app.store.db import hold, note_deal_changed
from app.store.models import Attachment, AuditEntry, Deal, MailLetter, TimelineEntry, User


def add_entry(deal: Deal | int, kind: str, text: str, user: User | None = None, **refs) -> TimelineEntry:
    """One timeline line; ``refs`` may name a task, note, attachment or sms."""
    return TimelineEntry.create(**_line(deal, kind, text, user, refs))


def write_entry(deal: Deal | int, kind: str, text: str, user: User | None = None, **refs) -> None:
    """``add_entry`` when nobody reads the line back (on PostgreSQL it goes with the next statement)."""
    hold(TimelineEntry.insert(**_line(deal, kind, text, user, refs)))


def _line(deal: Deal | int, kind: str, text: str, user: User | None, refs: dict) -> dict:
    note_deal_changed(deal if isinstance(deal, int) else deal.id)
    return dict(deal=deal, kind=kind, text=text, user=user, at=clock.now(), **refs)


def audit(user: User | None, action: str, deal: Deal | int | None = None, details: str = "") -> AuditEntry:
    """One line of the audit log (who, when, what, which deal)."""
    return AuditEntry.create(user=user, action=action, deal=deal, details=details, at=clock.now())


@dataclass(frozen=True)
class FeedLine:
    """One timeline line as a screen shows it (no database object)."""

    id: int
    at: datetime  # naive UTC
    kind: str
    text: str
    user_name: str
    stored_name: str | None = None  # the attached file, if any
    file_name: str | None = None
    letter_id: int | None = None  # an incoming letter's row (the card answers it)
    unconfirmed_id: int | None = None  # a written letter left «sending» (the card asks whether it left)


def feed(deal_id: int) -> list[FeedLine]:
    """The deal's timeline, oldest first (the screen shows the newest at the bottom)."""
    query = (TimelineEntry.select(TimelineEntry.id, TimelineEntry.at, TimelineEntry.kind, TimelineEntry.text,
                                  User.full_name, Attachment.stored_name, Attachment.original_name,
                                  MailLetter.id, MailLetter.direction, MailLetter.status)
             .join(User, JOIN.LEFT_OUTER, on=(TimelineEntry.user == User.id))
             .switch(TimelineEntry)
             .join(Attachment, JOIN.LEFT_OUTER, on=(TimelineEntry.attachment == Attachment.id))
             .switch(TimelineEntry)
             .join(MailLetter, JOIN.LEFT_OUTER, on=(MailLetter.entry == TimelineEntry.id))
             .where(TimelineEntry.deal == deal_id)
             .order_by(TimelineEntry.at, TimelineEntry.id)
             .tuples())
    return [FeedLine(id_, at, kind, text, user_name or "Система", stored_name, file_name,
                     letter_id if direction == MailLetter.INCOMING else None,
                     letter_id if direction == MailLetter.OUTGOING and status == MailLetter.SENDING else None)
            for id_, at, kind, text, user_name, stored_name, file_name, letter_id, direction, status in query]
