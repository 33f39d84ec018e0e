"""What a printed pack shows, read from the database into plain data (the PDF builder never touches
the database, so it can run anywhere, e.g. in a worker thread after one read).

Only production data is read: the client appears as surname and initials; no phone, e-mail,
address or passport ever enters this data (152-ФЗ: never printed on production documents).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.domain import clock
from app.domain.banding import BandingType, banding_by_code
from app.domain.codes import OrderKind
from app.domain.names import PersonName
from app.domain.offcuts import StockOffcut
from app.domain.specs import HardwareLine, PartLine
from app.services import cutsheets, offcuts, specs
from app.services.banding_types import banding_list
from app.store import files
from app.store.models import Attachment, CutSheet, Deal

DRAWING_KINDS = ("drawing", "assembly_drawing")


@dataclass
class FileRef:
    """An attached drawing: its kind, the name the user gave it and where the file is."""

    kind: str
    name: str
    path: Path

    @property
    def kind_name(self) -> str:
        return Attachment.KINDS[self.kind]


@dataclass
class OrderData:
    order_no: int
    surname: str
    client: str  # surname and initials
    order_date: date
    deadline: date | None
    kind: str
    bed_model: str
    dimensions: str
    colour: str
    options: str
    responsible: str
    parts: list[PartLine] = field(default_factory=list)
    hardware: list[HardwareLine] = field(default_factory=list)
    drawings: list[FileRef] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        return OrderKind.NAMES.get(self.kind, self.kind)


@dataclass
class SheetData:
    number: int
    material: str
    created_on: date
    created_by: str
    cancelled: bool
    orders: list[OrderData]
    banding: dict[str, BandingType] = field(default_factory=banding_by_code)  # the shop's list by code
    offcuts: tuple[StockOffcut, ...] = ()  # stored offcuts its layouts may cut from


def sheet_parts(sheet: SheetData, order: OrderData) -> list[PartLine]:
    """The order's parts cut on this sheet: those of the sheet's material, or all if it names none."""
    material = sheet.material.casefold()
    if not material:
        return order.parts
    return [part for part in order.parts if part.material.casefold() == material]


def order_data(deal: Deal) -> OrderData:
    """One order's production data."""
    name = PersonName.parse(deal.contact.full_name if deal.contact_id else deal.name)
    surname, client = name.surname or "—", name.short or "—"
    form = specs.form_of(deal)
    attachments = (Attachment.select().where(Attachment.deal == deal, Attachment.kind.in_(DRAWING_KINDS))
                   .order_by(Attachment.added_at, Attachment.id))
    drawings = [FileRef(a.kind, a.original_name, files.path_of(a.stored_name)) for a in attachments]
    drawings.sort(key=lambda ref: DRAWING_KINDS.index(ref.kind))
    return OrderData(
        order_no=deal.order_no, surname=surname, client=client,
        order_date=clock.to_local(deal.created_at).date(), deadline=deal.ship_deadline, kind=deal.kind,
        bed_model=form.bed_model, dimensions=form.dimensions, colour=form.colour, options=form.options,
        responsible=deal.responsible.full_name if deal.responsible_id else "—",
        parts=specs.parts_of(deal.id), hardware=specs.hardware_of(deal.id), drawings=drawings)


def load_sheet(number: int) -> SheetData:
    """Everything the pack of cut sheet ``number`` prints."""
    sheet = cutsheets.get_sheet(number)
    return SheetData(
        number=sheet.number, material=sheet.material, created_on=clock.to_local(sheet.created_at).date(),
        created_by=sheet.created_by.full_name if sheet.created_by_id else "—",
        cancelled=sheet.status == CutSheet.CANCELLED,
        orders=[order_data(deal) for deal in cutsheets.orders_of(sheet)], offcuts=offcuts.sheet_offcuts(sheet),
        banding=banding_by_code(list(banding_list().values())))
