"""Notes and attached files on a deal."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain import clock, validation
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ServiceError, ValidationError
from app.services.deals import load_deal
from app.services.timeline import add_entry
from app.store import files
from app.store.db import database
from app.store.models import Attachment, Note, TimelineEntry, User

log = logging.getLogger(__name__)


def add_note(deal_id: int, actor: User | None, text: str) -> Done[Note]:
    """A note on the deal's timeline."""
    text = validation.checked_text(text, "note", required=True)
    with database.atomic():
        deal = load_deal(deal_id)
        note = Note.create(deal=deal, author=actor, text=text, at=clock.now())
        add_entry(deal, TimelineEntry.NOTE, text, actor, note=note)
        return Done(note, Changes(frozenset({deal.id}), timeline=True))


def attach_file(deal_id: int, actor: User | None, source: Path | str, kind: str = "other",
                comment: str = "") -> Done[Attachment]:
    """Copy a file into the managed folder and show it on the deal's timeline."""
    if not isinstance(kind, str) or kind not in Attachment.KINDS:
        raise ValidationError([FieldProblem("file", "неизвестный вид файла")])
    comment = validation.checked_text(comment, "comment")
    if not isinstance(source, (str, Path)) or not str(source).strip() or "\x00" in str(source):
        raise ValidationError([FieldProblem("file", "не указан")])
    source = Path(source)
    load_deal(deal_id)
    try:
        if not source.is_file():
            raise ServiceError(f"Файл не найден: {source.name}")
        stored, size, sha = files.store(source, deal_id)
    except OSError as error:
        log.warning("Attaching %s failed: %s", source, error)
        raise ServiceError(f"Файл «{source.name}» не прикреплён: {files.os_error_text(error)}") from None
    try:
        with database.atomic():
            deal = load_deal(deal_id)
            attachment = Attachment.create(
                deal=deal, kind=kind, original_name=files.sanitize_filename(source.name),
                stored_name=stored, size=size, sha256=sha, added_by=actor, added_at=clock.now())
            text = f"{Attachment.KINDS[kind]}: {attachment.original_name}"
            if comment:
                text += f" — {comment}"
            add_entry(deal, TimelineEntry.FILE, text, actor, attachment=attachment)
            return Done(attachment, Changes(frozenset({deal.id}), timeline=True, files=True))
    except Exception:
        files.path_of(stored).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class FilesAttached:
    """What «Прикрепить» of several files did: the files attached and, per file refused, why."""

    attached: list[Attachment]
    refused: list[str]

    @property
    def changes(self) -> Changes:
        if not self.attached:
            return Changes()
        return Changes(frozenset(a.deal_id for a in self.attached), timeline=True, files=True)


def attach_files(deal_id: int, actor: User | None, sources: list[Path], kind: str = "other") -> FilesAttached:
    """Attach several files (a drop of photos), each in its own transaction: a file refused is named
    in ``refused`` and the others are still attached."""
    result = FilesAttached([], [])
    for source in sources:
        try:
            result.attached.append(attach_file(deal_id, actor, source, kind).value)
        except ServiceError as error:
            result.refused.append(str(error))
    return result


@dataclass(frozen=True)
class FileLine:
    """An attached file as the card lists it (no database object)."""

    id: int
    kind: str
    name: str
    stored_name: str
    size: int
    added_at: datetime  # naive UTC

    @property
    def kind_name(self) -> str:
        return Attachment.KINDS.get(self.kind, self.kind)

    @property
    def is_image(self) -> bool:
        return files.is_image(self.name)


def attachments_of(deal_id: int) -> list[FileLine]:
    """The deal's files, grouped by kind in the order of ``Attachment.KINDS``, oldest first."""
    order = list(Attachment.KINDS)
    rows = Attachment.select().where(Attachment.deal == deal_id).order_by(Attachment.added_at, Attachment.id)
    lines = [FileLine(a.id, a.kind, a.original_name, a.stored_name, a.size, a.added_at) for a in rows]
    return sorted(lines, key=lambda line: order.index(line.kind) if line.kind in order else len(order))
