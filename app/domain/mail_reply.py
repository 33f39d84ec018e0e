"""Writing a letter to a client from the deal card: the reply's subject («Re: …», never doubled), the
quote of the letter answered, and what a typed letter may hold (each refusal names its field)."""
from __future__ import annotations

import re
from datetime import datetime

from app.domain import clock
from app.domain.errors import FieldProblem
from app.domain.validation import FieldError, clean_email, has_control_characters

SUBJECT_LIMIT = 255  # the store's column, the same on both backends
BODY_LIMIT = 100_000
FILES_LIMIT = 15 * 1024 * 1024  # bytes of the attached files together (base64 makes ~20 MB: most servers take it)
TO, SUBJECT, BODY, FILES = "mail.to", "mail.subject", "mail.body", "mail.files"
NO_SUBJECT = "без темы"

# «Re:», «RE[2]:», «Re: Re:», «Ответ:», «Отв:» at the start of a subject
_REPLY_PREFIX = re.compile(r"^\s*((re|ответ|отв|aw)\s*(\[\d+\]|\(\d+\))?\s*:\s*)+", re.IGNORECASE)


def reply_subject(subject: str) -> str:
    """The subject of a reply: «Re: » and the original's subject without its own reply prefixes."""
    bare = _REPLY_PREFIX.sub("", subject or "").strip()
    return f"Re: {bare}" if bare else f"Re: {NO_SUBJECT}"


def attribution(sender: str, sent_at: datetime | None) -> str:
    """The line above the quote: «02.06.2025 11:40, Мальга Ганита <malga@mail.ru> написал(а):»."""
    when = f"{clock.to_local(sent_at):%d.%m.%Y %H:%M}, " if sent_at else ""
    return f"{when}{sender} написал(а):"


def quoted(text: str, sender: str, sent_at: datetime | None) -> str:
    """The body a reply starts with: two empty lines to write in, then the original quoted with «> »."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    quote = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"\n\n{attribution(sender, sent_at)}\n{quote}\n"


def letter_problems(to: object, subject: object, body: object, files_size: int = 0) -> tuple[str, list[FieldProblem]]:
    """The recipient's clean address (or "") and, per field, what is wrong with a typed letter."""
    problems: list[FieldProblem] = []
    address = ""
    try:
        if not isinstance(to, str) or not to.strip():
            raise FieldError("укажите адрес e-mail получателя, например ivanova@mail.ru")
        address = clean_email(to)
    except FieldError as error:
        problems.append(FieldProblem(TO, str(error)))
    if not isinstance(subject, str):
        problems.append(FieldProblem(SUBJECT, "нужен текст"))
    elif has_control_characters(subject) or "\n" in subject or "\r" in subject:
        problems.append(FieldProblem(SUBJECT, "недопустимые (управляющие) символы"))
    elif len(subject.strip()) > SUBJECT_LIMIT:
        problems.append(FieldProblem(SUBJECT, f"не длиннее {SUBJECT_LIMIT} знаков (сейчас {len(subject.strip())})"))
    if not isinstance(body, str):
        problems.append(FieldProblem(BODY, "нужен текст"))
    elif not body.strip():
        problems.append(FieldProblem(BODY, "письмо пустое — напишите текст"))
    elif has_control_characters(body):
        problems.append(FieldProblem(BODY, "недопустимые (управляющие) символы"))
    elif len(body) > BODY_LIMIT:
        problems.append(FieldProblem(BODY, f"не длиннее {BODY_LIMIT} знаков (сейчас {len(body)})"))
    if files_size > FILES_LIMIT:
        problems.append(FieldProblem(FILES, f"вместе не больше {FILES_LIMIT // (1024 * 1024)} МБ "
                                            f"(сейчас {files_size / (1024 * 1024):.1f} МБ)"))
    return address, problems
