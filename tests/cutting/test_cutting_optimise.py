"""The optimiser: valid layouts on random instances, bounds, exact tilings, input errors. Its time
limits are counted in steps of the search (StepClock), never in seconds of this machine."""
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cutting import (
    DEFAULT_BOARDS,
    Board,
    CuttingInputError,
    Part,
    optimise,
    validate_layouts,
)
from app.cutting.bounds import lower_bound, one_dimensional_bound
from app.cutting.guillotine import Items, bin_items, is_turned
from app.cutting.search import Search, sort_orders
from tests.bench.furniture_instances import BOARDS, cabinet_items
from tests.step_clock import StepClock

CHIPBOARD = DEFAULT_BOARDS[0]


@st.composite
def instances(draw):
    board = Board("ЛДСП 16", draw(st.integers(60, 3000)), draw(st.integers(60, 3000)),
                  trim=draw(st.integers(0, 20)), kerf=draw(st.integers(0, 6)))
    parts = []
    for n in range(draw(st.integers(1, 6))):
        rotate = draw(st.booleans())
        length = draw(st.integers(1, board.usable_length))
        width = draw(st.integers(1, board.usable_width))
        if draw(st.booleans()):  # small parts too, so that boards hold many
            length, width = max(1, length // 5), max(1, width // 4)
        parts.append(Part(f"1-{n}", board.material, length, width, draw(st.integers(1, 8)), rotate))
    return board, parts, draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.booleans())


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_give_valid_layouts(instance):
    board, parts, stages, along = instance
    result = optimise([board], parts, time_limit=0.02, max_stages=stages,
                      first_cut_along_length=along, clock=StepClock())
    validate_layouts(result.layouts, parts, stages, along)
    placed = Counter(pl.id for layout in result.layouts for pl in layout.placements)
    assert placed == Counter({p.id: p.qty for p in parts})
    assert 1 <= result.lower_bound <= result.boards_used
    assert all(layout.placements for layout in result.layouts)
    for layout in result.layouts:
        for o in layout.offcuts:
            assert board.trim <= o.x and o.x + o.length <= board.length - board.trim
            assert board.trim <= o.y and o.y + o.width <= board.width - board.trim
            for pl in layout.placements:
                assert (o.x >= pl.x + pl.size_x or pl.x >= o.x + o.length
                        or o.y >= pl.y + pl.size_y or pl.y >= o.y + o.width)


def test_any_cut_depth_turns_the_board_when_the_first_cuts_fit_better_across():
    # Parts just over half and a third of the board's length: with any cut depth the first cuts
    # may run across the board (the saw turns it), which the 4-stage mode, bound to first cuts
    # along the length, cannot do.
    board = Board("ЛДСП 16", 2800, 2070, trim=10, kerf=4)
    parts = [Part("1", board.material, 1396, 925, qty=48), Part("2", board.material, 1772, 356, qty=53),
             Part("3", board.material, 1196, 395, qty=30)]
    free = optimise([board], parts, time_limit=1, clock=StepClock())
    four = optimise([board], parts, time_limit=1, max_stages=4, clock=StepClock())
    assert free.boards_used <= 24 < four.boards_used
    validate_layouts(free.layouts, parts)


def _columns_and_rows(first_cuts_across: bool) -> list[tuple[int, int]]:
    """A 1000×1000 board tiled by two 500 wide columns cut at different heights (no cut across
    the whole board), or, transposed, by two rows: only first cuts across the columns (rows) can
    free the parts in four stages."""
    sizes = [(500, 600), (500, 400), (500, 300), (500, 700)]
    return sizes if first_cuts_across else [(b, a) for a, b in sizes]


def test_each_board_may_have_its_first_cuts_its_own_way():
    # One board's parts are tiled in columns, the other's in rows: two boards only if each board
    # turns its own way (at any cut depth).
    board = Board("ЛДСП 16", 1000, 1000, trim=0, kerf=0)
    sizes = _columns_and_rows(True) + _columns_and_rows(False)
    parts = [Part(str(n), board.material, a, b, rotate=False) for n, (a, b) in enumerate(sizes)]
    result = optimise([board], parts, time_limit=1, clock=StepClock())
    assert result.boards_used == 2
    validate_layouts(result.layouts, parts)
    four = optimise([board], parts, time_limit=1, max_stages=4, clock=StepClock())
    assert four.boards_used > 2


def test_a_set_that_fits_one_board_only_turned_comes_back_marked_turned():
    sizes = tuple(_columns_and_rows(True))
    items = Items(sizes, (False,) * 4, 1000, 1000, rows=True)
    turned = Items(tuple((b, a) for a, b in sizes), (False,) * 4, 1000, 1000, rows=True)
    order = sort_orders(items)[0]
    assert Search(items, order, random.Random(0)).fit([0, 1, 2, 3]) is None
    bins = Search(items, order, random.Random(0), turned=turned).fit([0, 1, 2, 3])
    assert bins is not None and len(bins) == 1 and is_turned(bins[0])
    assert sorted(bin_items(bins[0])) == [0, 1, 2, 3]


def test_exact_tiling_with_kerf_and_trim_takes_one_board():
    # 2780×2050 usable: four 692 mm columns and two 1023 mm rows with 4 mm cuts between them.
    parts = [Part("7-1", CHIPBOARD.material, 692, 1023, qty=8, rotate=False)]
    result = optimise([CHIPBOARD], parts, time_limit=1, clock=StepClock())
    assert result.boards_used == 1 and result.optimal
    assert result.layouts[0].offcuts == []


@pytest.mark.parametrize("rotate", [False, True])
def test_mixed_exact_tiling_takes_one_board(rotate):
    board = Board("МДФ 16", 1200, 600, trim=0, kerf=0)
    parts = [Part("1", "МДФ 16", 600, 300, qty=2, rotate=rotate),
             Part("2", "МДФ 16", 200, 300, qty=3, rotate=rotate),
             Part("3", "МДФ 16", 600, 100, qty=3, rotate=rotate)]
    result = optimise([board], parts, time_limit=1, clock=StepClock())
    assert result.boards_used == 1 and result.lower_bound == 1


def test_documented_example():
    parts = [Part("15-3", "ЛДСП 16", 1900, 800, qty=2, rotate=False)]
    result = optimise([CHIPBOARD], parts, clock=StepClock())
    assert result.boards_used == 1 and result.optimal
    assert {(pl.x, pl.y) for pl in result.layouts[0].placements} == {(10, 10), (10, 814)}


def test_order_and_name_reach_the_placements_and_materials_stay_apart():
    parts = [Part("15-1", "ЛДСП 16", 1800, 900, qty=3, order="15", name="Боковина"),
             Part("16-1", "Фанера 18", 1900, 800, qty=2, order="16", name="Дно")]
    result = optimise(DEFAULT_BOARDS, parts, time_limit=0.2, clock=StepClock())
    by_id = {pl.id: pl for layout in result.layouts for pl in layout.placements}
    assert (by_id["15-1"].order, by_id["15-1"].name) == ("15", "Боковина")
    assert (by_id["16-1"].order, by_id["16-1"].name) == ("16", "Дно")
    for layout in result.layouts:
        assert {pl.id for pl in layout.placements} in ({"15-1"}, {"16-1"})
    assert [m.material for m in result.materials] == ["ЛДСП 16", "Фанера 18"]


def test_last_board_keeps_one_large_offcut():
    parts = [Part("1", "ЛДСП 16", 2000, 1000, qty=5, rotate=False)]
    result = optimise([CHIPBOARD], parts, time_limit=0.2, clock=StepClock())
    assert result.boards_used == 3
    last = result.layouts[-1]
    assert len(last.placements) == 1
    assert any(o.length == 2780 and o.width == 2050 - 1004 for o in last.offcuts)


@pytest.mark.parametrize("part, words", [
    (Part("15-3", "ЛДСП 16", 2900, 800, rotate=False), ["15-3", "2900×800", "2780×2050"]),
    (Part("15-4", "ЛДСП 16", 2100, 2100), ["15-4", "больше любого листа"]),
    (Part("15-5", "ЛДСП 16", 0, 800), ["15-5", "больше нуля"]),
    (Part("15-6", "ЛДСП 16", 500, -3), ["15-6", "больше нуля"]),
    (Part("15-7", "Дуб 40", 500, 300), ["15-7", "неизвестный материал", "Дуб 40"]),
    (Part("15-8", "ЛДСП 16", 500, 300, qty=0), ["15-8", "количество"]),
])
def test_bad_input_names_the_part(part, words):
    with pytest.raises(CuttingInputError) as info:
        optimise(DEFAULT_BOARDS, [part], clock=StepClock())
    for word in words:
        assert word in str(info.value)


def test_rotation_lets_a_long_part_fit():
    board = Board("ЛДСП 16", 1000, 2000, trim=0, kerf=0)
    result = optimise([board], [Part("1", "ЛДСП 16", 1500, 500, rotate=True)], time_limit=0.1,
                      clock=StepClock())
    assert result.layouts[0].placements[0].rotated


def test_one_dimensional_bound():
    assert one_dimensional_bound([6, 6, 6], 10) == 3
    assert one_dimensional_bound([7, 3, 3, 3], 10) == 2
    assert one_dimensional_bound([5, 5, 5, 5], 10) == 2
    assert one_dimensional_bound([], 10) == 0


def test_copies_of_a_size_that_lie_one_way_bound_the_boards():
    # 44 parts of 1212×605 (kerf included) on 2424×1814: two along and two across (1814 < 3×605),
    # so at least 11 boards, which the optimiser reaches («меньше невозможно»); the area says 9.
    items = Items(((1212, 605),) * 44, (False,) * 44, 2424, 1814)
    assert lower_bound(items) == 11
    board = Board("ЛДСП 16", 2440, 1830, trim=10, kerf=4)
    result = optimise([board], [Part("1", board.material, 1208, 601, qty=44, rotate=False),
                                Part("2", board.material, 335, 218, qty=17, rotate=False)],
                      time_limit=1, clock=StepClock())
    assert result.boards_used == 11 and result.optimal


def test_big_items_each_need_a_bin():
    items = Items(((60, 60), (70, 55), (51, 51), (20, 20)), (False,) * 4, 100, 100)
    assert lower_bound(items) == 3
    # Turnable 60×45 items are wide one way, not the other: only area counts for them.
    items = Items(((60, 45),) * 4, (True,) * 4, 100, 100)
    assert lower_bound(items) == 2


def test_time_limit_holds_for_ten_thousand_distinct_parts():
    # Too many for the greedy portfolio within the limit: the quick first packing is the answer,
    # whole and valid, and the result says the time ran out.
    rng = random.Random(19)
    parts = [Part(str(n), CHIPBOARD.material, rng.randint(50, 1200), rng.randint(50, 800))
             for n in range(10_000)]
    result = optimise([CHIPBOARD], parts, time_limit=0.01, clock=StepClock())
    assert result.timed_out and result.materials[0].timed_out
    validate_layouts(result.layouts, parts)
    assert result.lower_bound <= result.boards_used <= 1.15 * result.lower_bound


def test_small_input_is_not_timed_out():
    parts = [Part("1", CHIPBOARD.material, 700, 500, qty=9)]
    assert not optimise([CHIPBOARD], parts, time_limit=0.2, clock=StepClock()).timed_out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(0, 2), st.integers(2, 8), st.booleans(),
       st.one_of(st.none(), st.integers(2, 4)))
def test_furniture_instances_give_valid_layouts(seed, board_no, sizes, rotate, stages):
    # Cabinet-like lists of the furniture benchmark (long narrow parts, parts near a half or a
    # third of the board), quantities cut down to keep the test fast.
    length, width, trim, kerf = BOARDS[board_no]
    board = Board("ЛДСП 16", length, width, trim, kerf, stages=stages)
    items = cabinet_items(random.Random(seed), BOARDS[board_no], sizes)
    parts = [Part(f"1-{n}", board.material, a, b, min(q, 5), rotate) for n, (a, b, q) in enumerate(items)]
    result = optimise([board], parts, time_limit=0.02, clock=StepClock())
    validate_layouts(result.layouts, parts, stages)
    assert result.lower_bound <= result.boards_used
