"""The optimiser's entry point: checks the input, packs each material's parts, turns the packing
into board coordinates with trim and kerf, and validates every layout before returning it."""
from __future__ import annotations

import time
from collections.abc import Sequence

from .bounds import lower_bound
from .errors import CuttingInputError, InvalidLayoutError
from .guillotine import Items, free_rectangles, is_turned, positions
from .model import Board, CuttingResult, Layout, MaterialSummary, Offcut, Part, Placement, stage_limit
from .search import Clock, lowest_packing, pack_bins
from .stock import cut_from_stock, holds
from .validate import validate_layouts

MIN_OFFCUT = (300, 100)
FINISH_SECONDS_PER_PIECE = 3e-5  # drawing and checking the layouts after the search (0.3 s for 10,000 pieces here)


def optimise(boards: Sequence[Board], parts: Sequence[Part], *, time_limit: float = 2.0,
             max_stages: int | None = None, first_cut_along_length: bool = True,
             min_offcut: tuple[int, int] = MIN_OFFCUT, seed: int = 0,
             clock: Clock = time.monotonic) -> CuttingResult:
    """Lay out `parts` on as few `boards` as found; with several board sizes of a material (see
    stock.py) at the lowest cost, then on the fewest boards.

    Cuts are guillotine cuts in at most `max_stages` stages and the board's own `stages` (None:
    any guillotine sequence, what a panel saw cuts; the layouts then use up to four stages), the
    first ones along the board's length unless `first_cut_along_length` is False (a preference
    only at any depth: the optimiser also tries the first cuts the other way, as the saw may
    turn the board, and keeps the way that needs fewer boards, for all boards or board by
    board). The search
    stops at the proven lower bound or after `time_limit` seconds of `clock` (wall-clock time;
    time.thread_time budgets the CPU time of the optimising thread, as on a free core of a busy
    machine). Offcuts whose longer side reaches min_offcut[0] and shorter side min_offcut[1] are
    reported as reusable. Raises CuttingInputError on bad input.
    """
    if max_stages is not None and max_stages < 1:
        raise CuttingInputError("Число этапов резки должно быть не меньше 1")
    by_material = check_input(boards, parts)
    left = sum(p.qty for p in parts) or 1  # parts of the materials still to lay out
    started = clock()
    layouts: list[Layout] = []
    summaries: list[MaterialSummary] = []
    for material in dict.fromkeys(b.material for b in boards):
        group = by_material.get(material)
        if not group:
            continue
        stock = [b for b in boards if b.material == material]
        # The time a material leaves unused (its bound reached early) goes to the later ones.
        quantity = sum(p.qty for p in group)
        share = max(0.0, time_limit - (clock() - started)) * quantity / left
        left -= quantity

        def solve(board: Board, group: list[Part], share: float) -> tuple[list[Layout], int, bool]:
            return _optimise_material(board, group, share, stage_limit(board, max_stages),
                                      first_cut_along_length, min_offcut, seed, clock)

        if len(stock) == 1 and stock[0].count is None:
            material_layouts, bound, timed_out = solve(stock[0], group, share)
        else:
            material_layouts, bound, timed_out = cut_from_stock(stock, group, share, solve)
        layouts.extend(material_layouts)
        summaries.append(MaterialSummary(material, len(material_layouts), bound, timed_out))
    validate_layouts(layouts, parts, max_stages, first_cut_along_length)
    return CuttingResult(layouts, summaries)


def check_input(boards: Sequence[Board], parts: Sequence[Part]) -> dict[str, list[Part]]:
    """Raise CuttingInputError on the first bad board or part; return the parts by material."""
    by_board: dict[str, list[Board]] = {}
    for board in boards:
        name = f"Лист «{board.material}»"
        stock = by_board.setdefault(board.material, [])
        if any((b.length, b.width) == (board.length, board.width) for b in stock):
            raise CuttingInputError(f"{name} {board.length}×{board.width} задан дважды")
        if board.stages is not None and board.stages < 1:
            raise CuttingInputError(f"{name}: число этапов резки должно быть не меньше 1")
        if board.trim < 0 or board.kerf < 0:
            raise CuttingInputError(f"{name}: обрезка кромок и пропил не могут быть отрицательными")
        if board.usable_length <= 0 or board.usable_width <= 0:
            raise CuttingInputError(f"{name}: после обрезки кромок от листа ничего не остаётся")
        if (board.count is not None and board.count < 0) or board.cost < 0:
            raise CuttingInputError(f"{name}: количество и цена листа не могут быть отрицательными")
        stock.append(board)
    by_material: dict[str, list[Part]] = {}
    seen: set[str] = set()
    for part in parts:
        name = f"Деталь {part.label()}"
        if part.id in seen:
            raise CuttingInputError(f"Номер детали {part.id} повторяется")
        seen.add(part.id)
        if part.length <= 0 or part.width <= 0:
            raise CuttingInputError(f"{name}: размеры должны быть больше нуля")
        if part.qty < 1:
            raise CuttingInputError(f"{name}: количество должно быть не меньше 1, а не {part.qty}")
        stock = by_board.get(part.material)
        if not stock:
            raise CuttingInputError(f"{name}: неизвестный материал «{part.material}»")
        if not any(holds(board, part) for board in stock):
            board = max(stock, key=lambda b: b.usable_length * b.usable_width)
            raise CuttingInputError(
                f"{name} больше любого листа «{board.material}» ({board.usable_length}×"
                f"{board.usable_width} после обрезки кромок)"
                + ("" if part.rotate else ", а поворачивать её нельзя"))
        by_material.setdefault(part.material, []).append(part)
    return by_material


def _optimise_material(board: Board, parts: list[Part], time_limit: float, max_stages: int | None,
                       along_length: bool, min_offcut: tuple[int, int],
                       seed: int, clock: Clock) -> tuple[list[Layout], int, bool]:
    """Layouts of one material, the proven lower bound on their number and whether the time
    limit cut the search short."""
    began = clock()
    k = board.kerf
    units = [p for p in parts for _ in range(p.qty)]

    def model(along_length: bool) -> Items:
        sizes = tuple((p.length + k, p.width + k) if along_length else (p.width + k, p.length + k)
                      for p in units)
        length, width = board.usable_length + k, board.usable_width + k
        return Items(sizes, tuple(p.rotate for p in units), length if along_length else width,
                     width if along_length else length, stacking=max_stages is None or max_stages >= 3,
                     one_stack_per_strip=max_stages == 1, rows=max_stages is None or max_stages >= 4)

    items = model(along_length)
    bound = lower_bound(items)
    # Any guillotine sequence: the first cuts may as well run the other way (the saw turns the
    # board), for all boards or for those marked turned.
    turned = model(not along_length) if max_stages is None else None
    # the limit holds for the whole: the bound before the search, the layouts and their checks after it
    search_time = max(0.0, time_limit - (clock() - began) - FINISH_SECONDS_PER_PIECE * len(units))
    bins, timed_out, use_turned = pack_bins(items, bound, search_time, seed, clock, turned)
    if use_turned:
        items, turned, along_length = turned, items, not along_length
    bins.sort(key=lambda b: -b[2])
    bins[-1] = lowest_packing(turned if is_turned(bins[-1]) else items, bins[-1])
    layouts = []
    for b in bins:
        placements = []
        b_items, b_along = (turned, not along_length) if is_turned(b) else (items, along_length)
        for i, x, y, rotated in positions(b, b_items):
            part = units[i]
            if not b_along:
                x, y = y, x
            placements.append(Placement(part.id, board.trim + x, board.trim + y, part.length,
                                        part.width, rotated, part.order, part.name))
        offcuts = []
        for x, y, sx, sy in free_rectangles(b, b_items):
            if not b_along:
                x, y, sx, sy = y, x, sy, sx
            sx, sy = sx - k, sy - k
            if max(sx, sy) >= min_offcut[0] and min(sx, sy) >= min_offcut[1]:
                offcuts.append(Offcut(board.trim + x, board.trim + y, sx, sy))
        layouts.append(Layout(board, placements, offcuts))
    if bound > len(layouts):
        raise InvalidLayoutError(f"Нижняя граница {bound} больше числа листов {len(layouts)}")
    return layouts, bound, timed_out
