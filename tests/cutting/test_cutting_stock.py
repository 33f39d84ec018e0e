"""Stock of several board sizes with counts and costs: cost first, then boards."""
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cutting import Board, CuttingInputError, Part, optimise, validate_layouts
from app.cutting.cli import parse_input, result_to_json
from tests.step_clock import StepClock

FULL = Board("ЛДСП", 2800, 2070, trim=0, kerf=0, cost=100)
HALF = Board("ЛДСП", 1400, 2070, trim=0, kerf=0, cost=55)


def run(stock, parts):
    result = optimise(stock, parts, time_limit=0.1, clock=StepClock())
    validate_layouts(result.layouts, parts)
    return result


def test_the_last_few_parts_go_on_a_cheaper_cut_down_board():
    parts = [Part("a", "ЛДСП", 1400, 2070, qty=2, rotate=False), Part("b", "ЛДСП", 1000, 800, rotate=False)]
    result = run([FULL, HALF], parts)
    assert sorted(layout.board.length for layout in result.layouts) == [1400, 2800]
    assert result.cost == 155 and result.boards_used == 2


def test_cheaper_per_area_boards_come_first_and_counts_hold():
    parts = [Part("a", "ЛДСП", 1300, 2000, qty=5, rotate=False)]
    assert {layout.board.length for layout in run([FULL, HALF], parts).layouts} == {2800, 1400}
    cheap_half = replace(HALF, cost=40)  # 80 for the area of a full board
    assert {layout.board.length for layout in run([FULL, cheap_half], parts).layouts} == {1400}
    limited = replace(cheap_half, count=2)
    result = run([FULL, limited], parts)
    assert sum(layout.board.length == 1400 for layout in result.layouts) == 2
    assert result.cost == 2 * 40 + 2 * 100  # three parts on two full boards
    with pytest.raises(CuttingInputError, match="Не хватает листов"):
        run([limited], parts)


def test_json_stock_with_counts_and_costs():
    boards, parts, options = parse_input({
        "boards": [{"material": "ЛДСП", "length": 2800, "width": 2070, "cost": 100},
                   {"material": "ЛДСП", "length": 1400, "width": 2070, "count": 3, "cost": 55}],
        "parts": [{"id": "1", "material": "ЛДСП", "length": 600, "width": 500, "qty": 2}]})
    assert [(b.count, b.cost) for b in boards] == [(None, 100), (3, 55)]
    out = result_to_json(optimise(boards, parts, time_limit=0.05, clock=StepClock()))
    assert out["cost"] == 55 and out["layouts"][0]["cost"] == 55
    with pytest.raises(CuttingInputError, match="задан дважды"):
        optimise([FULL, FULL], parts, clock=StepClock())


@st.composite
def stock_instances(draw):
    sizes = draw(st.lists(st.tuples(st.integers(300, 2800), st.integers(300, 2100)), min_size=1, max_size=3,
                          unique=True))
    boards = [Board("ЛДСП", ln, wd, trim=draw(st.integers(0, 10)), kerf=draw(st.integers(0, 4)),
                    count=draw(st.one_of(st.none(), st.integers(0, 4))), cost=draw(st.integers(0, 500)))
              for ln, wd in sizes]
    small = min(min(b.usable_length, b.usable_width) for b in boards)
    parts = [Part(f"p{n}", "ЛДСП", draw(st.integers(20, small)), draw(st.integers(20, small)),
                  draw(st.integers(1, 5)), draw(st.booleans())) for n in range(draw(st.integers(1, 4)))]
    return boards, parts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stock_instances())
def test_several_sizes_give_valid_layouts_within_the_counts(instance):
    boards, parts = instance
    try:
        result = optimise(boards, parts, time_limit=0.02, clock=StepClock())
    except CuttingInputError as error:
        assert "Не хватает листов" in str(error)
        assert any(b.count is not None for b in boards)
        return
    validate_layouts(result.layouts, parts)
    for board in boards:
        used = sum((layout.board.length, layout.board.width) == (board.length, board.width)
                   for layout in result.layouts)
        assert board.count is None or used <= board.count
    assert result.cost == sum(layout.board.cost for layout in result.layouts)
    assert result.lower_bound <= result.boards_used
