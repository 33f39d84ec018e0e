"""The store of offcuts («Остатки», деловые остатки): the leftovers of cut sheets worth keeping, each
numbered, with its material, size and the sheet it came from.

Life of an offcut: «Раскроено» on a sheet stores the offcuts its layouts leave (those the user keeps)
and uses up the stored offcuts its layouts took; while a sheet is open, the layouts computed for it
reserve the offcuts they take (``reserved_for``), so no other sheet plans with them; re-optimising
the sheet, or «Не использовать остатки», releases them; the administrator writes off old ones.
Every take is a conditional UPDATE (only a stored offcut free or held by this sheet), so two PCs
never take one offcut twice."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import peewee

from app.domain import clock, validation
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, NotFoundError, ServiceError, ValidationError
from app.domain.names import PersonName
from app.domain.offcuts import NewOffcut, StockOffcut, area_m2, size_text
from app.services import numbering, permissions
from app.services.cutsheets import get_sheet, orders_of
from app.services.notes import add_note
from app.store.db import database, is_postgres
from app.store.models import CutSheet, Offcut, User

MAX_SIZE = 100_000  # mm: anything longer is a typing error


@dataclass(frozen=True)
class OffcutRow:
    """An offcut as «Остатки» shows it."""

    number: int
    material: str
    length: int
    width: int
    status: str
    from_sheet: int | None  # number of the cut sheet it came from
    reserved_for: int | None  # number of the sheet whose layouts take it
    used_on: int | None
    created_at: datetime

    @property
    def size(self) -> str:
        return size_text(self.length, self.width)

    @property
    def area(self) -> float:
        """Square metres."""
        return area_m2(self.length, self.width)

    @property
    def status_name(self) -> str:
        if self.status == Offcut.STORED and self.reserved_for is not None:
            return f"в раскрое листа №{self.reserved_for}"
        return Offcut.STATUS_NAMES[self.status]


def _rows(query: peewee.Select) -> list[OffcutRow]:
    numbers = dict(CutSheet.select(CutSheet.id, CutSheet.number).tuples())
    return [OffcutRow(o.number, o.material, o.length, o.width, o.status, numbers.get(o.from_sheet_id),
                      numbers.get(o.reserved_for_id), numbers.get(o.used_on_id), o.created_at)
            for o in query]


def list_offcuts(include_closed: bool = False) -> list[OffcutRow]:
    """The store, newest first; with ``include_closed`` also the used and written-off offcuts."""
    query = Offcut.select().order_by(Offcut.number.desc())
    if not include_closed:
        query = query.where(Offcut.status == Offcut.STORED)
    return _rows(query)


def offcut_rows(numbers: Sequence[int]) -> list[OffcutRow]:
    """The offcuts with these numbers, in number order (for their labels)."""
    numbers = validation.checked_ids(list(numbers), "offcut")
    return _rows(Offcut.select().where(Offcut.number.in_(numbers)).order_by(Offcut.number))


@dataclass(frozen=True)
class ScannedOffcut:
    """An offcut as the workshop terminal shows it when its label is scanned: the offcut, the
    orders of the sheet it came from («№15 Иванова») and when it left the store."""

    row: OffcutRow
    orders: tuple[str, ...]
    closed_at: datetime | None


def scanned_offcut(number: int) -> ScannedOffcut:
    """The offcut numbered ``number`` (any status) for the terminal; NotFoundError when there is none."""
    if not validation.is_id(number):
        raise NotFoundError("Остаток не найден: неверный номер")
    found = Offcut.get_or_none(Offcut.number == number)
    if found is None:
        raise NotFoundError(f"Остаток №{number} не найден: такого номера нет на складе остатков")
    row, = _rows(Offcut.select().where(Offcut.id == found.id))
    orders: tuple[str, ...] = ()
    if found.from_sheet_id is not None:
        orders = tuple(f"№{deal.order_no} {_surname(deal)}".strip() for deal in orders_of(found.from_sheet))
    return ScannedOffcut(row, orders, found.closed_at)


def _surname(deal) -> str:
    contact = deal.contact
    return PersonName.parse(contact.full_name if contact else "").main_surname


def sheet_offcuts(sheet: CutSheet) -> tuple[StockOffcut, ...]:
    """The stored offcuts the layouts of ``sheet`` may take: none when cancelled or told not to use
    offcuts; the ones it used once cut; the ones it holds once its layouts chose; else every free one."""
    if sheet.status == CutSheet.CANCELLED or not sheet.use_offcuts:
        return ()
    if sheet.status == CutSheet.CUT:
        where = Offcut.used_on == sheet.id
    elif sheet.offcuts_chosen:
        where = (Offcut.status == Offcut.STORED) & (Offcut.reserved_for == sheet.id)
    else:
        where = (Offcut.status == Offcut.STORED) & Offcut.reserved_for.is_null()
    query = Offcut.select(Offcut.number, Offcut.material, Offcut.length, Offcut.width).where(where)
    return tuple(StockOffcut(*row) for row in query.order_by(Offcut.number).tuples())


def _locked_sheet(number: int) -> CutSheet:
    """The sheet, its row locked on PostgreSQL (a sheet is cut or changed by one PC at a time)."""
    sheet = get_sheet(number)
    if is_postgres():
        sheet = CutSheet.select().where(CutSheet.id == sheet.id).for_update().get()
    return sheet


def _held_by(sheet: CutSheet):
    return (Offcut.reserved_for == sheet.id) & (Offcut.status == Offcut.STORED)


def _release(sheet: CutSheet, keep: Sequence[int] = ()) -> int:
    """Release the offcuts ``sheet`` holds (but those numbered in ``keep``); how many."""
    where = _held_by(sheet)
    if keep:
        where &= Offcut.number.not_in(list(keep))
    return Offcut.update(reserved_for=None).where(where).execute()


def _free_or_held(sheet: CutSheet):
    return (Offcut.status == Offcut.STORED) & (Offcut.reserved_for.is_null() | (Offcut.reserved_for == sheet.id))


class _Taken(Exception):
    """Another sheet took an offcut meanwhile (rolls the reservation back)."""


def hold_for_sheet(number: int, used: Sequence[int]) -> Done[bool]:
    """Reserve for sheet ``number`` the offcuts its just computed layouts take (``used``, numbers)
    and release the others it held. False, and nothing changed, when another sheet took one of them
    meanwhile (compute again); True with nothing to do for a sheet cut or cancelled. Writes nothing
    when the sheet holds just these already (other PCs refresh on every write)."""
    wanted = set(validation.checked_ids(list(used), "offcut"))
    try:
        with database.atomic():
            sheet = _locked_sheet(number)
            if sheet.status != CutSheet.ACTIVE or not sheet.use_offcuts:
                return Done(True, Changes())
            held = {n for (n,) in Offcut.select(Offcut.number).where(_held_by(sheet)).tuples()}
            if held == wanted and sheet.offcuts_chosen:
                return Done(True, Changes())
            if held - wanted:
                _release(sheet, sorted(wanted))
            new = sorted(wanted - held)
            if new and Offcut.update(reserved_for=sheet.id).where(
                    Offcut.number.in_(new), Offcut.status == Offcut.STORED,
                    Offcut.reserved_for.is_null()).execute() != len(new):
                raise _Taken
            if not sheet.offcuts_chosen:
                CutSheet.update(offcuts_chosen=True).where(CutSheet.id == sheet.id).execute()
            return Done(True, Changes(offcuts=held != wanted))
    except _Taken:
        return Done(False, Changes())


def set_use_offcuts(actor: User | None, number: int, use: bool) -> Done[CutSheet]:
    """«Не использовать остатки» (``use`` False) or use them again; either way the sheet's layouts
    are computed anew and the offcuts it held are released («Пересчитать с остатками»)."""
    permissions.require(actor, permissions.CUT_SHEETS)
    if not isinstance(use, bool):
        raise ValidationError([FieldProblem("offcut", "укажите, брать ли остатки")])
    with database.atomic():
        sheet = _locked_sheet(number)
        if sheet.status != CutSheet.ACTIVE:
            raise ServiceError(f"Лист раскроя №{number} {CutSheet.STATUS_NAMES[sheet.status]} — "
                               "его раскрой не пересчитывается")
        _release(sheet)
        sheet.use_offcuts, sheet.offcuts_chosen = use, False
        sheet.version += 1
        sheet.save()
        return Done(sheet, Changes(cut_sheets=True, offcuts=True))


def _checked_new(new: Sequence[NewOffcut]) -> list[NewOffcut]:
    if not isinstance(new, (list, tuple)) or not all(isinstance(item, NewOffcut) for item in new):
        raise ValidationError([FieldProblem("offcut", "неверный список остатков — рассчитайте раскрой снова")])
    checked = []
    for n, item in enumerate(new, start=1):
        material = validation.checked_text(item.material, "offcut.material", required=True, multiline=False)
        for key, value in (("offcut.length", item.length), ("offcut.width", item.width)):
            if not validation.is_id(value) or value > MAX_SIZE:
                raise ValidationError([FieldProblem(key, f"остаток {n}: целое число миллиметров от 1 до "
                                                         f"{MAX_SIZE}")])
        checked.append(NewOffcut(material, item.length, item.width, item.board))
    return checked


def _why_not(number: int, hint: str = " — пересчитайте раскрой") -> ServiceError:
    """Why the stored offcut ``number`` cannot be taken (used, written off, held by a sheet)."""
    row = Offcut.get_or_none(Offcut.number == number)
    if row is None:
        return NotFoundError(f"Остаток №{number} не найден{hint}")
    if row.status == Offcut.USED:
        where = f" на листе раскроя №{row.used_on.number}" if row.used_on_id else ""
        return ServiceError(f"Остаток №{number} уже использован{where}{hint}")
    if row.status == Offcut.WRITTEN_OFF:
        return ServiceError(f"Остаток №{number} списан{hint}")
    return ServiceError(f"Остаток №{number} взят в раскрой листа №{row.reserved_for.number}{hint}")


def mark_cut(actor: User | None, number: int, used: Sequence[int],
             new: Sequence[NewOffcut]) -> Done[list[Offcut]]:
    """«Раскроено»: the sheet is cut; the stored offcuts its layouts took (``used``) leave the store
    and the offcuts it left that the user keeps (``new``) enter it, numbered. Each order's timeline
    says so. Refused, with nothing changed, when an offcut taken is gone (used or written off)."""
    permissions.require(actor, permissions.CUT_SHEETS)
    used = validation.checked_ids(used, "offcut")
    new = _checked_new(new)
    with database.atomic():
        sheet = _locked_sheet(number)
        if sheet.status != CutSheet.ACTIVE:
            raise ServiceError(f"Лист раскроя №{number} {CutSheet.STATUS_NAMES[sheet.status]} — "
                               "отметить «Раскроено» нельзя")
        now = clock.now()
        for offcut_no in used:
            taken = Offcut.update(status=Offcut.USED, used_on=sheet.id, reserved_for=None, closed_by=actor,
                                  closed_at=now).where(Offcut.number == offcut_no, _free_or_held(sheet)).execute()
            if taken != 1:
                raise _why_not(offcut_no)
        _release(sheet)
        created = [Offcut.create(number=numbering.next_number(numbering.OFFCUT_NO), material=item.material,
                                 length=item.length, width=item.width, from_sheet=sheet.id, created_by=actor,
                                 created_at=now) for item in new]
        sheet.status, sheet.cut_by, sheet.cut_at = CutSheet.CUT, actor, now
        sheet.version += 1
        sheet.save()
        note = f"Лист раскроя №{number} раскроен"
        if created:
            note += "; на склад остатков: " + ", ".join(f"№{o.number} ({size_text(o.length, o.width)})"
                                                         for o in created)
        orders = orders_of(sheet)
        for deal in orders:
            add_note(deal.id, actor, note)
        return Done(created, Changes(frozenset(deal.id for deal in orders), timeline=True, cut_sheets=True,
                                     offcuts=True))


def write_off(actor: User | None, numbers: Sequence[int]) -> Done[list[int]]:
    """The administrator writes off stored offcuts (old, damaged, thrown away); refused, with nothing
    changed, for one a sheet's layouts take or one no longer in the store."""
    permissions.require(actor, permissions.OFFCUTS_WRITE_OFF)
    numbers = validation.checked_ids(numbers, "offcut")
    if not numbers:
        raise ServiceError("Выберите остатки для списания")
    with database.atomic():
        now = clock.now()
        for offcut_no in numbers:
            done = Offcut.update(status=Offcut.WRITTEN_OFF, closed_by=actor, closed_at=now).where(
                Offcut.number == offcut_no, Offcut.status == Offcut.STORED, Offcut.reserved_for.is_null()).execute()
            if done != 1:
                raise _why_not(offcut_no, " — списать его нельзя (сначала пересчитайте тот лист без остатков)")
        return Done(numbers, Changes(offcuts=True))
