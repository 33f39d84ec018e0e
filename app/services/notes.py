"""Notes and attached files on a deal."""
from __future__ import annotations

from pathlib import Path

from app import clock, files
from app.db import database
from app.models import Attachment, Deal, Note, TimelineEntry, User
from app.services.errors import ServiceError
from app.services.timeline import add_entry


def add_note(deal_id: int, actor: User | None, text: str) -> Note:
    """A note on the deal's timeline."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("Примечание пустое")
    with database.atomic():
        deal = Deal.get_by_id(deal_id)
        note = Note.create(deal=deal, author=actor, text=text, at=clock.now())
        add_entry(deal, TimelineEntry.NOTE, text, actor, note=note)
        return note


def attach_file(deal_id: int, actor: User | None, source: Path | str, kind: str = "other",
                comment: str = "") -> Attachment:
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
            return attachment
    except Exception:
        files.path_of(stored).unlink(missing_ok=True)
        raise
