"""The optimiser's entry point: checks the input, packs each material's parts, turns the packing
into board coordinates with trim and kerf, and validates every layout before returning it."""
from __future__ import annotations

import time
from collections.abc import Sequence

from .bounds import lower_bound
from .errors import CuttingInputError, InvalidLayoutError
from .guillotine import Items, free_rectangles, positions
from .model import Board, CuttingResult, Layout, MaterialSummary, Offcut, Part, Placement, stage_limit
from .search import Clock, lowest_packing, pack_bins
from .validate import validate_layouts

MIN_OFFCUT = (300, 100)


def optimise(boards: Sequence[Board], parts: Sequence[Part], *, time_limit: float = 2.0,
             max_stages: int | None = None, first_cut_along_length: bool = True,
             min_offcut: tuple[int, int] = MIN_OFFCUT, seed: int = 0,
             clock: Clock = time.monotonic) -> CuttingResult:
    """Lay out `parts` on as few `boards` (one board size per material) as found.

    Cuts are guillotine cuts in at most `max_stages` stages and the board's own `stages` (None:
    any guillotine sequence, what a panel saw cuts; the layouts then use up to four stages), the
    first ones along the board's
    length unless `first_cut_along_length` is False. The search stops at the proven lower bound or
    after `time_limit` seconds of `clock` (wall-clock time; time.thread_time budgets the CPU time of
    the optimising thread, as on a free core of a busy machine). Offcuts whose longer side reaches
    min_offcut[0] and shorter side min_offcut[1] are reported as reusable. Raises
    CuttingInputError on bad input.
    """
    if max_stages is not None and max_stages < 1:
        raise CuttingInputError("Число этапов резки должно быть не меньше 1")
    by_material = check_input(boards, parts)
    total = sum(p.qty for p in parts) or 1
    layouts: list[Layout] = []
    summaries: list[MaterialSummary] = []
    for board in boards:
        group = by_material.get(board.material)
        if not group:
            continue
        share = time_limit * sum(p.qty for p in group) / total
        material_layouts, bound, timed_out = _optimise_material(
            board, group, share, stage_limit(board, max_stages), first_cut_along_length, min_offcut, seed, clock)
        layouts.extend(material_layouts)
        summaries.append(MaterialSummary(board.material, len(material_layouts), bound, timed_out))
    validate_layouts(layouts, parts, max_stages, first_cut_along_length)
    return CuttingResult(layouts, summaries)


def check_input(boards: Sequence[Board], parts: Sequence[Part]) -> dict[str, list[Part]]:
    """Raise CuttingInputError on the first bad board or part; return the parts by material."""
    by_board: dict[str, Board] = {}
    for board in boards:
        name = f"Лист «{board.material}»"
        if board.material in by_board:
            raise CuttingInputError(f"{name} задан дважды")
        if board.stages is not None and board.stages < 1:
            raise CuttingInputError(f"{name}: число этапов резки должно быть не меньше 1")
        if board.trim < 0 or board.kerf < 0:
            raise CuttingInputError(f"{name}: обрезка кромок и пропил не могут быть отрицательными")
        if board.usable_length <= 0 or board.usable_width <= 0:
            raise CuttingInputError(f"{name}: после обрезки кромок от листа ничего не остаётся")
        by_board[board.material] = board
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
        board = by_board.get(part.material)
        if board is None:
            raise CuttingInputError(f"{name}: неизвестный материал «{part.material}»")
        fits = part.length <= board.usable_length and part.width <= board.usable_width
        turned = part.rotate and part.width <= board.usable_length and part.length <= board.usable_width
        if not (fits or turned):
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
    k = board.kerf
    units = [p for p in parts for _ in range(p.qty)]
    sizes = tuple((p.length + k, p.width + k) if along_length else (p.width + k, p.length + k)
                  for p in units)
    length, width = board.usable_length + k, board.usable_width + k
    items = Items(sizes, tuple(p.rotate for p in units), length if along_length else width,
                  width if along_length else length, stacking=max_stages is None or max_stages >= 3,
                  one_stack_per_strip=max_stages == 1, rows=max_stages is None or max_stages >= 4)
    bound = lower_bound(items)
    bins, timed_out = pack_bins(items, bound, time_limit, seed, clock)
    bins.sort(key=lambda b: -b[2])
    bins[-1] = lowest_packing(items, bins[-1])
    layouts = []
    for b in bins:
        placements = []
        for i, x, y, rotated in positions(b, items):
            part = units[i]
            if not along_length:
                x, y = y, x
            placements.append(Placement(part.id, board.trim + x, board.trim + y, part.length,
                                        part.width, rotated, part.order, part.name))
        offcuts = []
        for x, y, sx, sy in free_rectangles(b, items):
            if not along_length:
                x, y, sx, sy = y, x, sy, sx
            sx, sy = sx - k, sy - k
            if max(sx, sy) >= min_offcut[0] and min(sx, sy) >= min_offcut[1]:
                offcuts.append(Offcut(board.trim + x, board.trim + y, sx, sy))
        layouts.append(Layout(board, placements, offcuts))
    if bound > len(layouts):
        raise InvalidLayoutError(f"Нижняя граница {bound} больше числа листов {len(layouts)}")
    return layouts, bound, timed_out
