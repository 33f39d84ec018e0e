"""Board patterns (app/cutting/patterns.py): the knapsacks are exact, the boards built from them
hold every part once, can be cut within the stage limit, and the time limit holds."""
import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cutting import Board, Layout, Part, Placement, validate_layouts
from app.cutting.guillotine import Items, positions
from app.cutting.patterns import column_generation, knapsack, value_correction
from tests.bench.furniture_instances import BOARDS, cabinet_items


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.lists(st.tuples(st.integers(1, 20), st.integers(0, 30), st.integers(1, 3)),
                                    min_size=1, max_size=5))
def test_knapsack_finds_the_best_choice(capacity, things):
    tagged = [(size, float(value), n, count) for n, (size, value, count) in enumerate(things)]
    value, taken = knapsack(capacity, tagged)
    counts = dict.fromkeys(range(len(things)), 0)
    for tag, n in taken:
        counts[tag] += n
    assert all(counts[n] <= things[n][2] for n in counts)
    assert sum(things[n][0] * c for n, c in counts.items()) <= capacity
    assert value == sum(things[n][1] * c for n, c in counts.items())
    best = max(sum(t[1] * c for t, c in zip(things, choice))
               for choice in itertools.product(*(range(t[2] + 1) for t in things))
               if sum(t[0] * c for t, c in zip(things, choice)) <= capacity)
    assert value == best


def furniture_items(seed: int, board_no: int, sizes: int, rotate: bool, stages: int | None) -> Items:
    """Kerf-inflated items of a cabinet-like list, as the solver builds them."""
    length, width, trim, kerf = BOARDS[board_no]
    units = [(a + kerf, b + kerf) for a, b, q in cabinet_items(random.Random(seed), BOARDS[board_no], sizes)
             for _ in range(min(q, 12))]
    return Items(tuple(units), (rotate,) * len(units), length - 2 * trim + kerf, width - 2 * trim + kerf,
                 stacking=stages is None or stages >= 3, one_stack_per_strip=stages == 1,
                 rows=stages is None or stages >= 4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(0, 2), st.integers(1, 8), st.booleans(),
       st.one_of(st.none(), st.integers(1, 4)))
def test_pattern_boards_are_cuttable_within_the_stage_limit(seed, board_no, sizes, rotate, stages):
    items = furniture_items(seed, board_no, sizes, rotate, stages)
    bins = value_correction(items, float("inf"), lambda: 0.0, random.Random(seed), 0, max_rounds=3)
    # Each bin as a kerf-free board of the inflated size: every item once, guillotine, in stages.
    board = Board("ЛДСП", items.length, items.width, trim=0, kerf=0)
    parts = [Part(str(i), "ЛДСП", w, h, rotate=rotate) for i, (w, h) in enumerate(items.sizes)]
    layouts = [Layout(board, [Placement(str(i), x, y, *items.sizes[i], rotated)
                              for i, x, y, rotated in positions(b, items)]) for b in bins]
    validate_layouts(layouts, parts, stages)
    area = sum(w * h for w, h in items.sizes)
    assert len(bins) >= -(-area // (items.length * items.width))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(0, 2), st.integers(1, 8), st.booleans(),
       st.one_of(st.none(), st.integers(1, 4)))
def test_column_generation_boards_are_cuttable_within_the_stage_limit(seed, board_no, sizes, rotate, stages):
    items = furniture_items(seed, board_no, sizes, rotate, stages)
    pool: list = []
    value_correction(items, float("inf"), lambda: 0.0, random.Random(seed), 0, max_rounds=2, pool=pool)
    bins = column_generation(items, float("inf"), lambda: 0.0, random.Random(seed), pool=pool)
    board = Board("ЛДСП", items.length, items.width, trim=0, kerf=0)
    parts = [Part(str(i), "ЛДСП", w, h, rotate=rotate) for i, (w, h) in enumerate(items.sizes)]
    layouts = [Layout(board, [Placement(str(i), x, y, *items.sizes[i], rotated)
                              for i, x, y, rotated in positions(b, items)]) for b in bins]
    validate_layouts(layouts, parts, stages)
    assert all(layout.placements for layout in layouts)


def test_column_generation_mixes_patterns_to_few_boards():
    # Two sizes on a 2734×1204 board (kerf included): strips of five 484×527 or two 1304×84 along
    # the length. Boards of only one kind of strip need 4 + 3 = 7 boards; mixed boards, 6.
    items = Items(((484, 527),) * 35 + ((1304, 84),) * 58, (False,) * 93, 2734, 1204)
    bins = column_generation(items, float("inf"), lambda: 0.0, random.Random(0))
    assert bins is not None and len(bins) == 6
    assert sorted(i for b in bins for s in b[1] for t in s[2] for i, *_ in t[2]) == list(range(93))


def test_value_correction_gives_up_at_the_deadline():
    items = furniture_items(5, 0, 6, True, None)
    assert value_correction(items, 1.0, lambda: 2.0, random.Random(0), 0) is None
    clock = iter(range(10**6))
    bins = value_correction(items, 40.0, lambda: float(next(clock)), random.Random(0), 0)
    assert bins is None or sum(len(positions(b, items)) for b in bins) == len(items.sizes)


def test_ten_thousand_distinct_parts_build_no_patterns():
    rng = random.Random(19)
    sizes = tuple((rng.randint(50, 1200), rng.randint(50, 800)) for _ in range(10_000))
    items = Items(sizes, (True,) * len(sizes), 2734, 1204)
    readings = []
    assert value_correction(items, 1.0, lambda: readings.append(1) or 0.0, random.Random(0), 0) is None
    assert len(readings) <= 1
