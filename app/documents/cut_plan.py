"""Cut layouts of a cut sheet: the parts of all its orders, grouped by material, laid out on the
shop's stock boards by the optimiser (app/cutting). Plain data in, plain data out (no database), so
the screen's worker thread and the printed pack compute it the same way; a small memory returns
the same plan for the same parts and boards, so the screen and the print show the same boards."""
from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.cutting import Board, CuttingInputError, CuttingResult, Layout, Part, optimise
from app.cutting.materials import stock_for
from app.documents.pack_data import SheetData, sheet_parts
from app.domain.banding import cut_size
from app.domain.russian import BOARDS, plural

TIME_LIMIT = 2.0  # seconds for the whole sheet, shared by its materials
_clock: Callable[[], float] = time.monotonic  # what the time limit is measured in


def set_clock(clock: Callable[[], float]) -> Callable[[], float]:
    """Measure the optimiser's time limit with ``clock`` (tests: steps of the search, not seconds of
    a machine that may be busy); returns the previous one."""
    global _clock
    previous, _clock = _clock, clock
    return previous


def boards_word(count: int) -> str:
    """«лист», «листа» or «листов» after a number."""
    return plural(count, BOARDS)


def percent(share: float) -> str:
    """«81,3 %»."""
    return f"{share * 100:.1f} %".replace(".", ",")


@dataclass
class MaterialPlan:
    """The boards of one material, or why there are none (`error`)."""

    material: str
    parts: int  # pieces to cut
    board: Board | None = None  # the main board size (the first in the stock table)
    result: CuttingResult | None = None
    boards: list[Board] = field(default_factory=list)  # every size in stock
    error: str = ""

    @property
    def layouts(self) -> list[Layout]:
        return self.result.layouts if self.result else []

    @property
    def sizes(self) -> str:
        """«2800×2070», or with several sizes taken «2800×2070 × 2, 2800×1040 × 1»."""
        counts = Counter((layout.board.length, layout.board.width) for layout in self.layouts)
        if len(counts) > 1:
            return ", ".join(f"{ln}×{wd} × {n}" for (ln, wd), n in counts.most_common())
        if counts:
            (ln, wd), = counts
            return f"{ln}×{wd}"
        return f"{self.board.length}×{self.board.width}" if self.board else "—"

    @property
    def verdict(self) -> str:
        """«3 листа — меньше невозможно» or «4 листа (нижняя граница 3)»."""
        if self.result is None:
            return self.error
        count = self.result.boards_used
        text = f"{count} {boards_word(count)}"
        if self.result.optimal:
            return f"{text} — меньше невозможно"
        return f"{text} (нижняя граница {self.result.lower_bound})"

    @property
    def utilisation(self) -> float:
        """Parts' share of the boards' area."""
        layouts = self.layouts
        if not layouts:
            return 0.0
        return sum(layout.utilisation for layout in layouts) / len(layouts)


@dataclass
class SheetPlan:
    """Per material plans of one cut sheet."""

    materials: list[MaterialPlan]

    @property
    def boards_used(self) -> int:
        return sum(len(m.layouts) for m in self.materials)

    @property
    def utilisation(self) -> float:
        """Parts' share of the area of all boards taken."""
        layouts = [layout for m in self.materials for layout in m.layouts]
        if not layouts:
            return 0.0
        used = sum(p.length * p.width for layout in layouts for p in layout.placements)
        return used / sum(layout.board.length * layout.board.width for layout in layouts)


def order_costs(plan: SheetPlan) -> dict[str, float]:
    """Material cost per order: each board's cost shared by the orders' parts on it by area."""
    costs: dict[str, float] = {}
    for m in plan.materials:
        for layout in m.layouts:
            areas: dict[str, int] = {}
            for p in layout.placements:
                areas[p.order or ""] = areas.get(p.order or "", 0) + p.length * p.width
            total = sum(areas.values()) or 1
            for order, area in areas.items():
                costs[order] = costs.get(order, 0.0) + layout.board.cost * area / total
    return costs


def sheet_pieces(sheet: SheetData) -> list[Part]:
    """The optimiser's parts of a sheet: «21-3» is part 3 of order 21, numbered as in the printed
    parts list of the sheet; cut smaller where the shop's banding list (the sheet's) says so."""
    types = sheet.banding
    pieces = []
    for order in sheet.orders:
        for n, line in enumerate(sheet_parts(sheet, order), start=1):
            length, width = cut_size(line, types)
            pieces.append(Part(f"{order.order_no}-{n}", " ".join(line.material.split()), length,
                               width, line.quantity, line.may_rotate, str(order.order_no), line.name))
    return pieces


_memory: OrderedDict[tuple, SheetPlan] = OrderedDict()
_lock = threading.Lock()
MEMORY = 16


def plan_sheet(sheet: SheetData, stock: Sequence[Board], time_limit: float = TIME_LIMIT) -> SheetPlan:
    """Layouts per material of the sheet's parts on the `stock` boards (remembered for the same
    parts and boards)."""
    pieces = sheet_pieces(sheet)
    key = (tuple(pieces), tuple(stock), time_limit)
    with _lock:
        if key in _memory:
            _memory.move_to_end(key)
            return _memory[key]
    by_material: dict[str, list[Part]] = {}
    for piece in pieces:
        by_material.setdefault(piece.material, []).append(piece)
    total = sum(p.qty for p in pieces) or 1
    plans = []
    for material, group in sorted(by_material.items(), key=lambda item: item[0].casefold()):
        count = sum(p.qty for p in group)
        plan = MaterialPlan(material or "материал не указан", count)
        plan.boards = stock_for(material, stock) if material else []
        plan.board = plan.boards[0] if plan.boards else None
        if plan.board is None:
            plan.error = ("в таблице «Материалы» нет такого листа — раскрой не рассчитан" if material
                          else "у деталей не указан материал — раскрой не рассчитан")
        else:
            try:
                plan.result = optimise(plan.boards, group, time_limit=time_limit * count / total,
                                       clock=_clock)
            except CuttingInputError as error:
                plan.error = str(error)
        plans.append(plan)
    result = SheetPlan(plans)
    with _lock:
        _memory[key] = result
        while len(_memory) > MEMORY:
            _memory.popitem(last=False)
    return result
