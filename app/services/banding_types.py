"""The shop's edge banding types («Настройки → Кромка…»): added, edited, taken out of use and
deleted by whoever makes cut sheets (the constructor; the administrator has every right). A type
that a parts specification names is never deleted, only taken out of use: its lines keep it."""
from __future__ import annotations

import operator
from dataclasses import replace
from functools import reduce

import peewee

from app.domain.banding import BandingType, check_banding, new_code
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, NotFoundError, ServiceError, ValidationError
from app.domain.specs import EDGE_FIELDS
from app.services import permissions
from app.store.db import database
from app.store.models import BandingType as BandingRow
from app.store.models import PartSpec, User

NOT_FOUND = "Кромка не найдена (возможно, удалена на другом компьютере)"
CHANGES = Changes(specs=True)  # the specifications' edges and the cut sheets' metres and sizes


def _value(row: BandingRow) -> BandingType:
    return BandingType(row.code, row.name, row.thickness.normalize(), row.overhang, row.compensate, row.active)


def banding_list() -> dict[str, BandingType]:
    """The shop's banding types by code, in the list's order (those out of use too; one query)."""
    query = BandingRow.select().order_by(BandingRow.position, BandingRow.id)
    return {row.code: _value(row) for row in query}


def _edges() -> list[peewee.Field]:
    return [getattr(PartSpec, key) for key in EDGE_FIELDS]


def used_codes() -> set[str]:
    """The codes some parts specification names on an edge (one query)."""
    rows = PartSpec.select(*_edges()).where(reduce(operator.or_, (edge != "" for edge in _edges()))).distinct()
    return {code for row in rows.tuples() for code in row if code}


def is_used(code: str) -> bool:
    """Whether a parts specification names ``code`` on an edge."""
    return PartSpec.select().where(reduce(operator.or_, (edge == code for edge in _edges()))).exists()


def _checked(values: dict, others: list[BandingType], code: str = "") -> BandingType:
    if not isinstance(values, dict):
        raise ServiceError("Кромка не сохранена: неверные данные")
    banding, problems = check_banding({**values, "code": code}, others)
    if problems:
        raise ValidationError(problems, "Кромка не сохранена")
    return banding


def _fields(banding: BandingType) -> dict:
    return {"name": banding.name, "thickness": banding.thickness, "overhang": banding.overhang,
            "compensate": banding.compensate, "active": banding.active}


def _stored(write) -> None:
    """Run ``write`` in one transaction; another PC's same name or code at the same moment is refused."""
    try:
        with database.atomic():
            write()
    except peewee.IntegrityError:  # the same name (or a code for the same thickness) at the same moment
        raise ValidationError([FieldProblem("banding.name", "в это же время список кромок изменили на другом "
                                                            "компьютере — повторите")], "Кромка не сохранена") from None


def add_banding_type(actor: User | None, values: dict) -> Done[BandingType]:
    """Add a type at the end of the list (name, thickness, overhang, compensate, active)."""
    permissions.require(actor, permissions.CUT_SHEETS)
    existing = banding_list()
    banding = new_code(_checked(values, list(existing.values())), set(existing))

    def write() -> None:
        last = BandingRow.select(peewee.fn.MAX(BandingRow.position)).scalar()
        BandingRow.create(code=banding.code, position=(last or 0) + 1, **_fields(banding))

    _stored(write)
    return Done(banding, CHANGES)


def _existing(code: str) -> tuple[dict[str, BandingType], BandingType]:
    existing = banding_list()
    if code not in existing:
        raise NotFoundError(NOT_FOUND)
    return existing, existing[code]


def edit_banding_type(actor: User | None, code: str, values: dict) -> Done[BandingType]:
    """Change a type's name, thickness, overhang, compensation or use; its code stays, so every
    specification line that names it now means the edited type."""
    permissions.require(actor, permissions.CUT_SHEETS)
    existing, _ = _existing(code)
    banding = _checked(values, [t for c, t in existing.items() if c != code], code)
    _stored(lambda: BandingRow.update(**_fields(banding)).where(BandingRow.code == code).execute())
    return Done(banding, CHANGES)


def set_banding_active(actor: User | None, code: str, active: bool) -> Done[BandingType]:
    """Take a type out of use (no longer offered for new lines; lines that have it keep it) or back."""
    permissions.require(actor, permissions.CUT_SHEETS)
    _, banding = _existing(code)
    with database.atomic():
        BandingRow.update(active=bool(active)).where(BandingRow.code == code).execute()
    return Done(replace(banding, active=bool(active)), CHANGES)


def delete_banding_type(actor: User | None, code: str) -> Done[BandingType]:
    """Delete a type no specification names; one in use is refused (take it out of use instead)."""
    permissions.require(actor, permissions.CUT_SHEETS)
    _, banding = _existing(code)
    with database.atomic():
        if is_used(code):
            raise ServiceError(f"Кромку «{banding.name}» нельзя удалить: она указана в спецификациях деталей. "
                               f"Снимите отметку «Используется» — в новых строках её не будет.")
        BandingRow.delete().where(BandingRow.code == code).execute()
    return Done(banding, CHANGES)
