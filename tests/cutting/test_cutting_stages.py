"""Cut depth: a board's `stages` (the saw's setting) and the call's limit, in layouts, the
validator and the JSON input."""
import pytest

from app.cutting import (
    Board,
    CuttingInputError,
    InvalidLayoutError,
    Layout,
    Part,
    Placement,
    optimise,
    validate_layouts,
)
from app.cutting.cli import parse_input, result_to_json
from tests.step_clock import StepClock

# Needs four stages with the first cuts along the length (see test_cutting_validate.py).
FOUR = [Placement("1", 0, 0, 250, 250), Placement("2", 250, 0, 250, 250), Placement("3", 0, 250, 500, 250),
        Placement("4", 500, 0, 500, 500), Placement("5", 0, 500, 1000, 500)]
PARTS = [Part(pl.id, "МДФ", pl.length, pl.width, rotate=False) for pl in FOUR]


def board(stages):
    return Board("МДФ", 1000, 1000, trim=0, kerf=0, stages=stages)


@pytest.mark.parametrize("stages, ok", [(None, True), (4, True), (3, False), (2, False)])
def test_validator_checks_the_boards_stage_count(stages, ok):
    layouts = [Layout(board(stages), FOUR)]
    if ok:
        validate_layouts(layouts, PARTS)
    else:
        with pytest.raises(InvalidLayoutError, match=f"за {stages} этапа"):
            validate_layouts(layouts, PARTS)
    with pytest.raises(InvalidLayoutError, match="за 3 этапа"):
        validate_layouts([Layout(board(None), FOUR)], PARTS, max_stages=3)  # the stricter wins


def test_pinwheel_is_never_guillotine():
    pinwheel = [Placement("a", 0, 0, 600, 400), Placement("b", 600, 0, 400, 600),
                Placement("c", 400, 600, 600, 400), Placement("d", 0, 400, 400, 600),
                Placement("e", 400, 400, 200, 200)]
    parts = [Part(pl.id, "МДФ", pl.length, pl.width, rotate=False) for pl in pinwheel]
    with pytest.raises(InvalidLayoutError, match="сквозными резами$"):
        validate_layouts([Layout(board(None), pinwheel)], parts)


@pytest.mark.parametrize("stages", [1, 2, 3, 4, None])
def test_layouts_keep_the_boards_stage_limit(stages):
    parts = [Part("1", "МДФ", 480, 300, qty=5), Part("2", "МДФ", 300, 200, qty=7),
             Part("3", "МДФ", 130, 90, qty=12), Part("4", "МДФ", 700, 140, qty=3)]
    result = optimise([board(stages)], parts, time_limit=0.05, clock=StepClock())
    validate_layouts(result.layouts, parts, max_stages=stages)
    assert all(layout.board.stages == stages for layout in result.layouts)


def test_four_stages_save_a_board_over_three():
    # FOUR's parts tile the board only with a fourth stage (the two squares side by side).
    three = optimise([board(3)], PARTS, time_limit=0.2, clock=StepClock())
    free = optimise([board(None)], PARTS, time_limit=0.2, clock=StepClock())
    assert (three.boards_used, free.boards_used) == (2, 1) and free.optimal


def test_json_input_takes_stages_per_board_and_for_all():
    boards, parts, options = parse_input({
        "boards": [{"material": "МДФ", "length": 1000, "width": 1000, "stages": 3},
                   {"material": "ХДФ", "length": 1000, "width": 1000, "stages": None}],
        "parts": [{"id": "1", "material": "МДФ", "length": 300, "width": 200}], "stages": 2})
    assert [b.stages for b in boards] == [3, None] and options["max_stages"] == 2
    result = optimise(boards, parts, clock=StepClock(), time_limit=0.01, **options)
    assert result_to_json(result)["layouts"][0]["stages"] == 3
    with pytest.raises(CuttingInputError, match="stages"):
        parse_input({"parts": [], "stages": 0})
    with pytest.raises(CuttingInputError, match="stages"):
        parse_input({"boards": [{"material": "МДФ", "length": 9, "width": 9, "stages": "три"}], "parts": []})
