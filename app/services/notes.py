"""Notes and attached files on a deal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain import clock
from app.domain.changes import Changes, Done
from app.domain.errors import ServiceError
from app.services.timeline import add_entry
from app.store import files
from app.store.db import database
from app.store.models import Attachment, Deal, Note, TimelineEntry, User


def add_note(deal_id: int, actor: User | None, text: str) -> Done[Note]:
    """A note on the deal's timeline."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("Примечание пустое")
    with database.atomic():
        deal = Deal.get_by_id(deal_id)
        note = Note.create(deal=deal, author=actor, text=text, at=clock.now())
        add_entry(deal, TimelineEntry.NOTE, text, actor, note=note)
        return Done(note, Changes(frozenset({deal.id}), timeline=True))


def attach_file(deal_id: int, actor: User | None, source: Path | str, kind: str = "other",
                comment: str = "") -> Done[Attachment]:
    """Copy a file into the managed folder and show it on the deal's timeline."""
    source = Path(source)
    if kind not in Attachment.KINDS:
        raise ServiceError("Неизвестный вид файла")
    if not source.is_file():
        raise ServiceError(f"Файл не найден: {source.name}")
    stored, size, sha = files.store(source, deal_id)
    try:
        with database.atomic():
            deal = Deal.get_by_id(deal_id)
            attachment = Attachment.create(
                deal=deal, kind=kind, original_name=files.sanitize_filename(source.name),
                stored_name=stored, size=size, sha256=sha, added_by=actor, added_at=clock.now())
            text = f"{Attachment.KINDS[kind]}: {attachment.original_name}"
            if comment.strip():
                text += f" — {comment.strip()}"
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
