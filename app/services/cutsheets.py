"""Numbered cut sheets (листы раскроя): created from orders at «Раскрой», listed, cancelled, and
handed to production in one action. A sheet's number comes from the ``cut_sheet_no`` counter inside
the creating transaction, so it is unique and never reused, also with several PCs at once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import peewee
from peewee import JOIN, fn

from app.domain import clock, validation
from app.domain.bed_models import detect_model
from app.domain.changes import Changes, Done
from app.domain.errors import NotFoundError, ServiceError
from app.services import numbering, permissions
from app.services.deals import MoveResult, move_deal
from app.services.notes import add_note
from app.store.db import database, is_postgres
from app.store.models import (
    Attachment,
    Contact,
    CutSheet,
    CutSheetOrder,
    Deal,
    Offcut,
    PartSpec,
    ProductionForm,
    User,
)

CUTTING, PRODUCTION = "cutting", "production"


def sheet_note(number: int) -> str:
    """The note each order's timeline gets when it is put on a cut sheet."""
    return f"Заказ на листе раскроя №{number}"


@dataclass
class SheetRow:
    """A cut sheet as the list shows it."""

    id: int
    number: int
    material: str
    status: str
    created_at: object
    created_by: str
    order_nos: list[int]

    @property
    def status_name(self) -> str:
        return CutSheet.STATUS_NAMES[self.status]


def create_cut_sheet(actor: User | None, deal_ids: list[int], material: str = "") -> Done[CutSheet]:
    """A new cut sheet with the given orders (all at «Раскрой»); each order's timeline gets the note
    «Заказ на листе раскроя №N» in the same transaction."""
    permissions.require(actor, permissions.CUT_SHEETS)
    ids = validation.checked_ids(deal_ids, "deal")
    if not ids:
        raise ServiceError("Выберите заказы для листа раскроя")
    material = validation.checked_text(material, "material", multiline=False)
    with database.atomic():
        query = Deal.select().where(Deal.id.in_(ids))
        if is_postgres():
            query = query.for_update()
        found = {deal.id: deal for deal in query}
        missing = [deal_id for deal_id in ids if deal_id not in found]
        if missing:
            raise NotFoundError("Некоторые заказы не найдены (возможно, удалены на другом компьютере)")
        wrong = [found[i] for i in ids if found[i].stage != CUTTING]
        if wrong:
            numbers = ", ".join(f"№{deal.order_no}" for deal in wrong)
            raise ServiceError(f"На лист раскроя можно поставить только заказы на этапе «Раскрой»; "
                               f"не на этом этапе: {numbers}")
        number = numbering.next_number(numbering.CUT_SHEET_NO)
        sheet = CutSheet.create(number=number, material=material, created_by=actor, created_at=clock.now())
        for position, deal_id in enumerate(ids):
            CutSheetOrder.create(cut_sheet=sheet, deal=deal_id, position=position)
            add_note(deal_id, actor, sheet_note(number))
        return Done(sheet, Changes(frozenset(ids), timeline=True, cut_sheets=True))


def get_sheet(number: int) -> CutSheet:
    """The cut sheet with ``number``; NotFoundError with a Russian message if there is none."""
    sheet = CutSheet.get_or_none(CutSheet.number == number) if validation.is_id(number) else None
    if sheet is None:
        raise NotFoundError(f"Лист раскроя №{number if validation.is_id(number) else ''} не найден")
    return sheet


def _sheet_deals(sheet: CutSheet) -> peewee.Select:
    return (Deal.select().join(CutSheetOrder).where(CutSheetOrder.cut_sheet == sheet)
            .order_by(CutSheetOrder.position, Deal.order_no))


def orders_of(sheet: CutSheet) -> list[Deal]:
    """The sheet's orders in the order they were put on it."""
    return list(_sheet_deals(sheet))


def list_sheets(include_cancelled: bool = True) -> list[SheetRow]:
    """All cut sheets, newest first, with their order numbers (two queries)."""
    query = CutSheet.select(CutSheet, User).join(User, on=(CutSheet.created_by == User.id),
                                                 join_type=JOIN.LEFT_OUTER).order_by(CutSheet.number.desc())
    if not include_cancelled:
        query = query.where(CutSheet.status == CutSheet.ACTIVE)
    sheets = list(query)
    numbers: dict[int, list[int]] = {sheet.id: [] for sheet in sheets}
    links = (CutSheetOrder.select(CutSheetOrder.cut_sheet, Deal.order_no).join(Deal)
             .where(CutSheetOrder.cut_sheet.in_(list(numbers)))
             .order_by(CutSheetOrder.position).tuples()) if numbers else []
    for sheet_id, order_no in links:
        numbers[sheet_id].append(order_no)
    return [SheetRow(sheet.id, sheet.number, sheet.material, sheet.status, sheet.created_at,
                     sheet.created_by.full_name if sheet.created_by_id else "—", numbers[sheet.id])
            for sheet in sheets]


def _cutting_deals() -> peewee.Select:
    return Deal.select().where(Deal.stage == CUTTING).order_by(Deal.stage_entered_at, Deal.order_no)


def cutting_orders() -> list[Deal]:
    """Orders at «Раскрой», oldest first (the constructor's queue)."""
    return list(_cutting_deals())


DRAWING_KINDS = ("drawing", "assembly_drawing")


@dataclass(frozen=True)
class OrderLine:
    """One order as the constructor's lists show it."""

    deal_id: int
    order_no: int
    client: str  # the contact's full name, else the deal's name
    bed_model: str
    ship_deadline: date | None
    stage: str
    part_rows: int  # rows of the parts specification (of the sheet's material, on a sheet)
    parts: int  # pieces: quantities summed
    drawing_kinds: frozenset[str]  # which of "drawing" / "assembly_drawing" are attached


def order_lines(deals: peewee.Select, material: str = "") -> list[OrderLine]:
    """The lines of the orders ``deals`` selects (a Deal query, kept in its order), in four queries
    however many orders there are; their parts counted of ``material`` only when it is given (as the
    printed cut sheet counts them)."""
    ids = deals.select(Deal.id)
    rows = list(deals.select(Deal.id, Deal.order_no, Deal.name, Deal.products, Deal.ship_deadline, Deal.stage,
                             Contact.full_name)
                .join_from(Deal, Contact, JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id)).tuples())
    forms = dict(ProductionForm.select(ProductionForm.deal, ProductionForm.bed_model)
                 .where(ProductionForm.deal.in_(ids)).tuples())
    parts = part_counts(ids, material)
    kinds: dict[int, set[str]] = {}
    for deal_id, kind in (Attachment.select(Attachment.deal, Attachment.kind)
                          .where(Attachment.deal.in_(ids), Attachment.kind.in_(DRAWING_KINDS)).tuples()):
        kinds.setdefault(deal_id, set()).add(kind)
    return [OrderLine(deal_id, order_no, full_name or name, forms.get(deal_id) or detect_model(products, name),
                      deadline, stage, *parts.get(deal_id, (0, 0)), frozenset(kinds.get(deal_id, ())))
            for deal_id, order_no, name, products, deadline, stage, full_name in rows]


def cutting_queue() -> list[OrderLine]:
    """The lines of the orders at «Раскрой», oldest first."""
    return order_lines(_cutting_deals())


def sheet_lines(sheet: CutSheet) -> list[OrderLine]:
    """The lines of the sheet's orders in the order they were put on it."""
    return order_lines(_sheet_deals(sheet), sheet.material)


def materials_of(deal_ids: list[int]) -> list[str]:
    """The materials named in the parts of these orders (for choosing a sheet's material)."""
    query = (PartSpec.select(PartSpec.material).where(PartSpec.deal.in_(deal_ids), PartSpec.material != "")
             .distinct().tuples())
    return sorted(material for (material,) in query)


def part_counts(deal_ids, material: str = "") -> dict[int, tuple[int, int]]:
    """Rows and pieces (quantities summed) of the parts per order (ids as a list or a subquery), of
    ``material`` only when it is given (compared as the printout does, ignoring case)."""
    query = (PartSpec.select(PartSpec.deal, PartSpec.material, fn.COUNT(PartSpec.id), fn.SUM(PartSpec.quantity))
             .where(PartSpec.deal.in_(deal_ids)).group_by(PartSpec.deal, PartSpec.material).tuples())
    wanted = material.casefold()
    counts: dict[int, tuple[int, int]] = {}
    for deal_id, part_material, rows, pieces in query:
        if not wanted or part_material.casefold() == wanted:
            before = counts.get(deal_id, (0, 0))
            counts[deal_id] = (before[0] + int(rows), before[1] + int(pieces))
    return counts


def cancel_cut_sheet(number: int, actor: User | None, reason: str = "") -> Done[CutSheet]:
    """Cancel a sheet (not once cut); its number stays taken, the offcuts its layouts held go back
    to the store, each order's timeline says so."""
    permissions.require(actor, permissions.CUT_SHEETS)
    with database.atomic():
        sheet = get_sheet(number)
        if sheet.status == CutSheet.CANCELLED:
            raise ServiceError(f"Лист раскроя №{number} уже аннулирован")
        if sheet.status == CutSheet.CUT:
            raise ServiceError(f"Лист раскроя №{number} уже раскроен — аннулировать его нельзя")
        released = Offcut.update(reserved_for=None).where(Offcut.reserved_for == sheet.id,
                                                          Offcut.status == Offcut.STORED).execute()
        reason = " ".join((reason or "").split())
        sheet.status, sheet.cancelled_by, sheet.cancelled_at = CutSheet.CANCELLED, actor, clock.now()
        sheet.cancel_reason = reason
        sheet.version += 1
        sheet.save()
        orders = orders_of(sheet)
        for deal in orders:
            add_note(deal.id, actor, f"Лист раскроя №{number} аннулирован" + (f": {reason}" if reason else ""))
        return Done(sheet, Changes(frozenset(deal.id for deal in orders), timeline=True, cut_sheets=True,
                                   offcuts=bool(released)))


@dataclass
class HandOver:
    """What «Передать в производство» did."""

    moved: list[MoveResult]
    skipped: list[Deal]  # orders not at «Раскрой» (already further on, or moved back)

    @property
    def changes(self) -> Changes:
        result = Changes(cut_sheets=True)
        for move in self.moved:
            result = result | move.changes
        return result


def send_to_production(number: int, actor: User | None) -> HandOver:
    """Move every order of the sheet that is at «Раскрой» to «Производство» in one transaction,
    through the same service as any move (so the production chief gets the automatic task)."""
    with database.atomic():
        sheet = get_sheet(number)
        if sheet.status == CutSheet.CANCELLED:
            raise ServiceError(f"Лист раскроя №{number} аннулирован — его заказы не передаются")
        moved, skipped = [], []
        for deal in orders_of(sheet):
            if deal.stage == CUTTING:
                moved.append(move_deal(deal.id, PRODUCTION, actor))
            else:
                skipped.append(deal)
        if not moved:
            raise ServiceError(f"На листе раскроя №{number} нет заказов на этапе «Раскрой»")
        return HandOver(moved, skipped)
