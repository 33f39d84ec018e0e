"""The offcuts a layout leaves, merged into the largest guillotine-cuttable pieces (app/cutting/offcuts.py)."""
from __future__ import annotations

import random

import pytest

from app.cutting import Board, Layout, Offcut, Part, Placement, optimise
from app.cutting.offcuts import merged_offcuts
from app.cutting.validate import cuttable

MIN = (300, 100)


def _rect(o) -> tuple[int, int, int, int]:
    if isinstance(o, Offcut):
        return o.x, o.y, o.x + o.length, o.y + o.width
    return o.x, o.y, o.x + o.size_x, o.y + o.size_y


def _apart(a, b, kerf: int) -> bool:
    """Whether two rectangles are at least a kerf apart along some axis."""
    return a[2] + kerf <= b[0] or b[2] + kerf <= a[0] or a[3] + kerf <= b[1] or b[3] + kerf <= a[1]


def _useful_area(offcuts, minimum=MIN) -> int:
    return sum(o.length * o.width for o in offcuts
               if max(o.length, o.width) >= minimum[0] and min(o.length, o.width) >= minimum[1])


def _check(layout: Layout, pieces: list[Offcut], minimum=MIN) -> None:
    board = layout.board
    parts = [_rect(p) for p in layout.placements]
    rects = [_rect(o) for o in pieces]
    for n, r in enumerate(rects):
        assert board.trim <= r[0] < r[2] <= board.length - board.trim
        assert board.trim <= r[1] < r[3] <= board.width - board.trim
        assert max(r[2] - r[0], r[3] - r[1]) >= minimum[0] and min(r[2] - r[0], r[3] - r[1]) >= minimum[1]
        assert all(_apart(r, p, board.kerf) for p in parts), "a piece overlaps a part or its kerf"
        assert all(_apart(r, q, board.kerf) for q in rects[n + 1:]), "two pieces overlap"
    stages = board.stages + 1 if board.stages else 2 * (len(parts) + len(rects)) + 2
    region = (board.trim, board.trim, board.length - board.trim, board.width - board.trim)
    assert cuttable(parts + rects, region, board.kerf, 1, stages, 0), "the pieces cannot be cut out"
    assert _useful_area(pieces, minimum) >= _useful_area(layout.offcuts, minimum)


def test_two_halves_above_a_strip_come_as_one_piece():
    """Two 600-wide stacks of the same height: the waste above them is one piece the whole board's
    length (a first cut along the strip), not two 600-wide halves and a narrow strip end."""
    board = Board("ЛДСП", 1300, 1000, trim=10, kerf=4)
    placements = [Placement("1", 10, 10, 600, 400), Placement("2", 614, 10, 600, 400)]
    solver_pieces = [Offcut(10, 414, 600, 576), Offcut(614, 414, 600, 576), Offcut(1218, 10, 72, 980)]
    layout = Layout(board, placements, solver_pieces)
    pieces = merged_offcuts(layout, MIN)
    assert [(o.x, o.y, o.length, o.width) for o in pieces] == [(10, 414, 1280, 576)]
    _check(layout, pieces)


def test_the_strip_end_and_the_space_above_join_into_the_larger_rectangle():
    """A single strip of parts: the waste beside it and above it is offered as the largest pieces."""
    board = Board("ЛДСП", 2800, 2070, trim=10, kerf=4)
    result = optimise([board], [Part("1", "ЛДСП", 600, 600, 2), Part("2", "ЛДСП", 1900, 800)], time_limit=1)
    layout, = result.layouts
    pieces = merged_offcuts(layout, MIN)
    _check(layout, pieces)
    assert max(o.length * o.width for o in pieces) > max(o.length * o.width for o in layout.offcuts)


def test_an_empty_board_is_one_piece():
    board = Board("ЛДСП", 2800, 2070, trim=10, kerf=4)
    pieces = merged_offcuts(Layout(board, []), MIN)
    assert [(o.x, o.y, o.length, o.width) for o in pieces] == [(10, 10, 2780, 2050)]


def test_pieces_below_the_minimum_are_not_offered():
    board = Board("ЛДСП", 1000, 500, trim=0, kerf=4)
    layout = Layout(board, [Placement("1", 0, 0, 1000, 450)])
    assert merged_offcuts(layout, MIN) == []
    assert [(o.length, o.width) for o in merged_offcuts(layout, (300, 40))] == [(1000, 46)]


def test_a_two_stage_saw_gets_no_piece_needing_a_third_stage():
    """Parts of different heights side by side in one strip: with two stages the waste above the
    lower part is freed only by its trim cut, so it stays one piece per part, never spanning both."""
    board = Board("ЛДСП", 1300, 1000, trim=0, kerf=4, stages=2)
    placements = [Placement("1", 0, 0, 600, 700), Placement("2", 604, 0, 600, 300),
                  Placement("3", 0, 704, 600, 200)]
    layout = Layout(board, placements)
    pieces = merged_offcuts(layout, MIN)
    _check(layout, pieces)
    unlimited = merged_offcuts(Layout(Board("ЛДСП", 1300, 1000, trim=0, kerf=4), placements), MIN)
    assert _useful_area(unlimited) >= _useful_area(pieces)


@pytest.mark.parametrize("stages", [None, 1, 2, 3])
def test_random_layouts_give_sound_pieces(stages):
    rng = random.Random(stages or 0)
    for _ in range(6):
        board = Board("ЛДСП", 2800, 2070, trim=10, kerf=rng.choice([0, 4, 5]), stages=stages)
        parts = [Part(str(n), "ЛДСП", rng.randint(100, 1500), rng.randint(60, 700), rng.randint(1, 3),
                      rng.random() < 0.7) for n in range(rng.randint(1, 14))]
        minimum = rng.choice([MIN, (600, 300), (200, 50)])
        for layout in optimise([board], parts, time_limit=0.3, min_offcut=minimum).layouts:
            _check(layout, merged_offcuts(layout, minimum), minimum)


def test_many_strips_leave_one_piece_beside_them():
    """Eighty-five strips of one length filling the board's width: the waste beside them is one piece
    the board's whole width, not 85 strip ends too narrow to keep."""
    board = Board("ЛДСП", 2800, 2070, trim=10, kerf=4)
    placements = [Placement(str(n), 10, 10 + n * 24, 2000, 20) for n in range(85)]
    pieces = merged_offcuts(Layout(board, placements), MIN)
    _check(Layout(board, placements), pieces)
    assert (2014, 10, 776, 2050) in {(o.x, o.y, o.length, o.width) for o in pieces}


def test_a_layout_too_big_to_search_keeps_the_solvers_pieces():
    board = Board("ЛДСП", 2800, 2070, trim=10, kerf=4)
    placements = [Placement(f"{i}-{j}", 10 + j * 24, 10 + i * 24, 20, 20) for i in range(60) for j in range(60)]
    own = [Offcut(1454, 10, 1336, 2050)]
    assert merged_offcuts(Layout(board, placements, own), MIN) == own
