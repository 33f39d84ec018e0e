"""Cut layouts of a cut sheet: the parts of all its orders, grouped by material, laid out on the
shop's stock boards by the optimiser (app/cutting). Plain data in, plain data out (no database), so
the screen's worker thread and the printed pack compute it the same way; a small memory returns
the same plan for the same parts and boards, so the screen and the print show the same boards.

Stored offcuts (the sheet's ``offcuts``) are cut from only when that saves a board: the parts are laid
out twice, on the stock boards alone and with the offcuts as free stock (one board each), and the
second layout is taken when it needs fewer stock boards. The waste of every board is offered as the
largest pieces the saw can cut out (app/cutting/offcuts.py), not as the optimiser's leftover free
rectangles."""
from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from app.cutting import Board, CuttingInputError, CuttingResult, Layout, Part, optimise
from app.cutting.materials import stock_for
from app.cutting.offcuts import merged_offcuts
from app.cutting.stock import holds
from app.documents.pack_data import SheetData, sheet_parts
from app.domain.banding import cut_size
from app.domain.offcuts import DEFAULT_MIN, OFFCUTS, NewOffcut, StockOffcut, same_material
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
    from_store: dict[int, StockOffcut] = field(default_factory=dict)  # layout index → stored offcut it cuts
    without_offcuts: int = 0  # stock boards the layouts would take without the stored offcuts

    @property
    def layouts(self) -> list[Layout]:
        return self.result.layouts if self.result else []

    @property
    def boards_taken(self) -> int:
        """Stock boards to take (the layouts on stored offcuts not counted)."""
        return len(self.layouts) - len(self.from_store)

    def board_title(self, index: int) -> str:
        """«лист 2 из 3» or «остаток №7 со склада» for the layout at ``index``."""
        if index in self.from_store:
            return f"остаток №{self.from_store[index].number} со склада"
        return f"лист {index + 1} из {self.boards_taken}"

    @property
    def take(self) -> str:
        """«2 листа», with stored offcuts «2 листа + остаток №7»."""
        text = f"{self.boards_taken} {boards_word(self.boards_taken)}"
        if self.from_store:
            count = len(self.from_store)
            numbers = ", ".join(f"№{o.number}" for o in self.from_store.values())
            text += f" + {'' if count == 1 else f'{count} '}{plural(count, OFFCUTS)} {numbers}"
        return text

    @property
    def sizes(self) -> str:
        """«2800×2070», or with several sizes taken «2800×2070 × 2, 2800×1040 × 1»."""
        counts = Counter((layout.board.length, layout.board.width) for n, layout in enumerate(self.layouts)
                         if n not in self.from_store)
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
        if self.from_store:
            return (f"{self.take} со склада остатков (без остатков — {self.without_offcuts} "
                    f"{boards_word(self.without_offcuts)})")
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
        """Stock boards to take (not the stored offcuts)."""
        return sum(m.boards_taken for m in self.materials)

    @property
    def offcuts_used(self) -> list[int]:
        """Numbers of the stored offcuts the layouts cut from."""
        return [o.number for m in self.materials for o in m.from_store.values()]

    def new_offcuts(self) -> list[NewOffcut]:
        """The offcuts the layouts leave that reach their material's minimum (the hatched ones: the
        largest guillotine-cuttable pieces of each board's waste), board by board: what «Раскроено»
        offers for the store."""
        return [NewOffcut(m.material, o.length, o.width, m.board_title(n))
                for m in self.materials for n, layout in enumerate(m.layouts) for o in layout.offcuts]

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


def _with_offcuts(plan: MaterialPlan, group: list[Part], stored: list[StockOffcut], time_limit: float,
                  minimum: tuple[int, int]) -> None:
    """Lay the parts out with the `stored` offcuts as extra stock (one board each, free, no trim) and
    keep that layout on the plan when it takes fewer stock boards than the plan's own."""
    sizes = {(b.length, b.width) for b in plan.boards}
    by_size: dict[tuple[int, int], list[StockOffcut]] = {}
    for offcut in stored:
        if (offcut.length, offcut.width) not in sizes:
            by_size.setdefault((offcut.length, offcut.width), []).append(offcut)
    base = plan.boards[0]
    extra = [Board(base.material, length, width, trim=0, kerf=base.kerf, stages=base.stages, count=len(found),
                   min_offcut=base.min_offcut) for (length, width), found in by_size.items()]
    extra = [board for board in extra if any(holds(board, part) for part in group)]
    largest = max(b.usable_length * b.usable_width for b in plan.boards)
    room = (plan.boards_taken - 1) * largest + sum(b.length * b.width * (b.count or 0) for b in extra)
    if not extra or sum(p.length * p.width * p.qty for p in group) > room:
        return  # no offcut holds a part, or one board fewer could not hold the parts even with all of them
    # a stock board costs at least its area (m²) here, so the free offcuts come first
    steered = {replace(b, cost=b.cost or b.length * b.width / 1e6): b for b in plan.boards}
    result = optimise([*steered, *extra], group, time_limit=time_limit, min_offcut=minimum, clock=_clock)
    boards = [layout for layout in result.layouts if layout.board in steered]
    on_offcuts = [layout for layout in result.layouts if layout.board not in steered]
    if len(boards) >= plan.boards_taken:
        return
    for layout in boards:
        layout.board = steered[layout.board]
    plan.without_offcuts = plan.boards_taken
    plan.result = CuttingResult(boards + on_offcuts, result.materials)
    taken = {size: list(found) for size, found in by_size.items()}
    plan.from_store = {len(boards) + n: taken[(layout.board.length, layout.board.width)].pop(0)
                       for n, layout in enumerate(on_offcuts)}


def plan_sheet(sheet: SheetData, stock: Sequence[Board], time_limit: float = TIME_LIMIT) -> SheetPlan:
    """Layouts per material of the sheet's parts on the `stock` boards and, where that saves a board,
    on the sheet's stored offcuts (remembered for the same parts, boards and offcuts)."""
    pieces = sheet_pieces(sheet)
    key = (tuple(pieces), tuple(stock), time_limit, sheet.offcuts)
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
            share = time_limit * count / total
            minimum = plan.board.min_offcut or DEFAULT_MIN
            try:
                plan.result = optimise(plan.boards, group, time_limit=share, min_offcut=minimum, clock=_clock)
                stored = [o for o in sheet.offcuts if same_material(o.material, material)]
                if stored:
                    _with_offcuts(plan, group, stored, share, minimum)
                for layout in plan.layouts:  # the waste as the largest pieces the saw can cut out
                    layout.offcuts = merged_offcuts(layout, minimum)
            except CuttingInputError as error:
                plan.error = str(error)
        plans.append(plan)
    result = SheetPlan(plans)
    used = set(result.offcuts_used)
    with _lock:
        _memory[key] = result
        # the same plan for the offcuts it takes: what the sheet holds once it reserved them
        _memory[(*key[:3], tuple(o for o in sheet.offcuts if o.number in used))] = result
        while len(_memory) > MEMORY:
            _memory.popitem(last=False)
    return result
