"""The cut layouts of a cut sheet as the program shows and prints them: the sheet read, planned on
the stock boards and the stored offcuts it may take, and those offcuts reserved for it (planned
again, with what is left, when another PC took one meanwhile)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from app.cutting import Board
from app.documents.cut_plan import SheetPlan, plan_sheet
from app.documents.pack_data import SheetData, load_sheet
from app.domain.changes import Changes
from app.services import offcuts
from app.services.stock_boards import stock_boards

TRIES = 3  # plans before giving up on racing PCs (each try loses an offcut to another sheet)


@dataclass
class PlannedSheet:
    """A sheet's data (its ``offcuts`` those it holds now), the stock, its plan and what changed."""

    sheet: SheetData
    stock: list[Board]
    plan: SheetPlan
    changes: Changes


def planned_sheet(number: int) -> PlannedSheet:
    """Plan cut sheet ``number`` and reserve the stored offcuts its layouts take."""
    changes = Changes()
    for _ in range(TRIES):
        sheet, stock = load_sheet(number), stock_boards()
        plan = plan_sheet(sheet, stock)
        held = offcuts.hold_for_sheet(number, plan.offcuts_used)
        changes |= held.changes
        if held.value:
            break
    used = set(plan.offcuts_used)
    sheet = replace(sheet, offcuts=tuple(o for o in sheet.offcuts if o.number in used))
    return PlannedSheet(sheet, stock, plan, changes)
