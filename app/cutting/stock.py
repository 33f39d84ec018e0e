"""Cutting one material from stock boards of several sizes, each with a count (or unlimited) and a
cost: the lowest cost first, then the fewest boards.

Each part goes to the board that holds it at the lowest cost per area (the largest on a tie); its
layouts are searched as for a single board size. Layouts beyond a board's count move, parts and
all, to the next board; then the weakest layouts are tried on cheaper boards (a cut-down board for
the last few parts) and moved where one cheaper board holds them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from .errors import CuttingInputError
from .model import Board, Layout, Part

Solve = Callable[[Board, list[Part], float], tuple[list[Layout], int, bool]]
MAIN_SHARE = 0.7  # of the time limit for the main layouts; the rest tries cheaper boards
CHEAPER_TRIES = 4  # weakest layouts tried on cheaper boards


def holds(board: Board, part: Part) -> bool:
    """Whether the part fits the trimmed board, turned if it may turn."""
    fits = part.length <= board.usable_length and part.width <= board.usable_width
    return fits or (part.rotate and part.width <= board.usable_length and part.length <= board.usable_width)


def _area(board: Board) -> int:
    return board.usable_length * board.usable_width


def _ranked(stock: list[Board]) -> list[Board]:
    """Boards by cost per area, the largest first among equals."""
    return sorted(stock, key=lambda b: (b.cost / _area(b), -_area(b)))


def cut_from_stock(stock: list[Board], parts: list[Part], time_limit: float,
                   solve: Solve) -> tuple[list[Layout], int, bool]:
    """Layouts of one material's parts on its `stock`, a lower bound on their number and whether
    the time limit cut the search short. Raises CuttingInputError when the counts run out."""
    left = {(b.length, b.width): b.count for b in stock}
    layouts, timed_out = _place(stock, parts, time_limit * MAIN_SHARE, solve, left)
    layouts, cheaper_timed_out = _cheaper_tail(stock, layouts, parts, time_limit * (1 - MAIN_SHARE), solve, left)
    largest = max(stock, key=_area)
    k = largest.kerf
    area = sum((p.length + k) * (p.width + k) * p.qty for p in parts)
    bound = -(-area // ((largest.usable_length + k) * (largest.usable_width + k)))
    return layouts, min(bound, len(layouts)), timed_out or cheaper_timed_out


def _place(stock: list[Board], parts: list[Part], time_limit: float, solve: Solve,
           left: dict[tuple[int, int], int | None]) -> tuple[list[Layout], bool]:
    """Parts on their main boards within the counts `left` (updated), the overflow on the others."""
    available = [b for b in _ranked(stock) if left[(b.length, b.width)] != 0]
    groups: dict[Board, list[Part]] = {}
    for part in parts:
        board = next((b for b in available if holds(b, part)), None)
        if board is None:
            raise CuttingInputError(f"Не хватает листов «{stock[0].material}» для детали {part.label()}: "
                                    "на складе нет подходящих")
        groups.setdefault(board, []).append(part)
    total = sum(p.qty for p in parts) or 1
    layouts: list[Layout] = []
    timed_out = False
    for board, group in groups.items():
        share = time_limit * sum(p.qty for p in group) / total
        found, _, late = solve(board, group, share)
        timed_out |= late
        key = (board.length, board.width)
        count = left[key]
        if count is not None and len(found) > count:
            found.sort(key=lambda layout: -layout.utilisation)
            found, overflow = found[:count], found[count:]
            left[key] = 0
            more, late = _place(stock, parts_of(overflow, group), share, solve, left)
            timed_out |= late
            found += more
        elif count is not None:
            left[key] = count - len(found)
        layouts += found
    return layouts, timed_out


def _cheaper_tail(stock: list[Board], layouts: list[Layout], parts: list[Part], time_limit: float,
                  solve: Solve, left: dict[tuple[int, int], int | None]) -> tuple[list[Layout], bool]:
    """The weakest layouts moved to one cheaper board each where one holds their parts."""
    weakest = sorted(range(len(layouts)), key=lambda n: layouts[n].utilisation)[:CHEAPER_TRIES]
    share = time_limit / max(1, len(weakest))
    timed_out = False
    for n in weakest:
        layout = layouts[n]
        group = parts_of([layout], parts)
        for board in sorted(stock, key=lambda b: b.cost):
            key = (board.length, board.width)
            if board.cost >= layout.board.cost or left[key] == 0 or not all(holds(board, p) for p in group):
                continue
            found, _, late = solve(board, group, share)
            timed_out |= late
            if len(found) == 1:
                layouts[n] = found[0]
                old = (layout.board.length, layout.board.width)
                if left[old] is not None:
                    left[old] += 1
                if left[key] is not None:
                    left[key] -= 1
                break
    return layouts, timed_out


def parts_of(layouts: list[Layout], parts: list[Part]) -> list[Part]:
    """The parts placed on `layouts`, with their quantities there."""
    by_id = {p.id: p for p in parts}
    counts = Counter(pl.id for layout in layouts for pl in layout.placements)
    return [replace(by_id[pid], qty=qty) for pid, qty in counts.items()]
