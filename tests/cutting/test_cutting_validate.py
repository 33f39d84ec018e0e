"""The validator rejects hand-made layouts that break a cutting rule and accepts good ones."""
import pytest

from app.cutting import Board, InvalidLayoutError, Layout, Part, Placement, validate_layouts

BOARD = Board("ЛДСП 16", 1000, 1000, trim=0, kerf=0)


def parts_for(*placements: Placement, rotate: bool = True) -> list[Part]:
    sizes = {}
    for pl in placements:
        sizes.setdefault(pl.id, [pl.length, pl.width, 0])[2] += 1
    return [Part(pid, BOARD.material, ln, wd, qty, rotate) for pid, (ln, wd, qty) in sizes.items()]


def check(placements: list[Placement], board: Board = BOARD, max_stages: int = 3, parts=None,
          first_cut_along_length: bool = True) -> None:
    validate_layouts([Layout(board, placements)], parts or parts_for(*placements), max_stages,
                     first_cut_along_length)


def p(pid: str, x: int, y: int, length: int, width: int, rotated: bool = False) -> Placement:
    return Placement(pid, x, y, length, width, rotated)


# A guillotine layout that needs exactly four stages when the first cuts run along the length.
FOUR_STAGES = [p("1", 0, 0, 250, 250), p("2", 250, 0, 250, 250), p("3", 0, 250, 500, 250),
               p("4", 500, 0, 500, 500), p("5", 0, 500, 1000, 500)]


def test_good_layout_passes():
    check([p("a", 0, 0, 600, 400), p("b", 600, 0, 400, 400), p("c", 0, 400, 1000, 300)])


def test_overlap_is_rejected():
    with pytest.raises(InvalidLayoutError, match="перекрываются"):
        check([p("a", 0, 0, 600, 400), p("b", 500, 100, 300, 200)])


@pytest.mark.parametrize("x, y", [(-1, 0), (0, -5), (401, 0), (0, 801)])
def test_part_outside_the_board_is_rejected(x, y):
    with pytest.raises(InvalidLayoutError, match="выходит за край"):
        check([p("a", x, y, 600, 200)])


def test_part_in_the_trimmed_edge_is_rejected():
    board = Board("ЛДСП 16", 1000, 1000, trim=10, kerf=0)
    check([p("a", 10, 10, 980, 980)], board)
    with pytest.raises(InvalidLayoutError, match="выходит за край"):
        check([p("a", 5, 10, 980, 980)], board)


def test_kerf_between_neighbours_is_required():
    board = Board("ЛДСП 16", 1000, 1000, trim=0, kerf=4)
    check([p("a", 0, 0, 500, 500), p("b", 504, 0, 496, 500)], board)
    with pytest.raises(InvalidLayoutError, match="пропила"):
        check([p("a", 0, 0, 500, 500), p("b", 502, 0, 400, 500)], board)
    with pytest.raises(InvalidLayoutError, match="пропила"):
        check([p("a", 0, 0, 500, 500), p("b", 0, 503, 500, 400)], board)


def test_pinwheel_is_not_guillotine():
    pinwheel = [p("a", 0, 0, 200, 100), p("b", 200, 0, 100, 200), p("c", 100, 200, 200, 100),
                p("d", 0, 100, 100, 200), p("e", 100, 100, 100, 100)]
    with pytest.raises(InvalidLayoutError, match="сквозными резами"):
        check(pinwheel, max_stages=50)


def test_stage_limit_is_enforced():
    check(FOUR_STAGES, max_stages=4)
    with pytest.raises(InvalidLayoutError, match="за 3 этапа"):
        check(FOUR_STAGES, max_stages=3)


def test_direction_of_the_first_cut_counts():
    # Two full-width strips, each split once: 2 stages along the length, 3 across it.
    strips = [p("a", 0, 0, 500, 500), p("b", 500, 0, 500, 500), p("c", 0, 500, 300, 500),
              p("d", 300, 500, 700, 500)]
    check(strips, max_stages=2)
    with pytest.raises(InvalidLayoutError):
        check(strips, max_stages=2, first_cut_along_length=False)
    check(strips, max_stages=3, first_cut_along_length=False)


def test_trim_cut_after_last_stage_is_allowed_only_once():
    # One part in a corner needs a cut each way: fine with one stage plus the trim cut.
    check([p("a", 0, 0, 300, 200)], max_stages=1)
    # Two parts side by side with waste above: a stage-1 cut, a stage-2 cut and a trim of the
    # narrower part.
    check([p("a", 0, 0, 300, 200), p("b", 300, 0, 300, 100)], max_stages=2)
    with pytest.raises(InvalidLayoutError):
        check([p("a", 0, 0, 300, 200), p("b", 300, 0, 300, 100)], max_stages=1)


def test_rotation_only_where_allowed():
    layout = [p("a", 0, 0, 300, 200, rotated=True)]
    check(layout, parts=parts_for(*layout, rotate=True))
    with pytest.raises(InvalidLayoutError, match="поворот запрещён"):
        check(layout, parts=parts_for(*layout, rotate=False))


def test_rotated_part_occupies_its_turned_footprint():
    # Rotated, a 300×200 part is 200 along the length and 300 along the width.
    with pytest.raises(InvalidLayoutError, match="выходит за край"):
        check([p("a", 0, 750, 300, 200, rotated=True)])


def test_every_part_must_be_placed_as_often_as_ordered():
    layout = [p("a", 0, 0, 300, 200)]
    with pytest.raises(InvalidLayoutError, match="размещена 1 раз вместо 2"):
        check(layout, parts=[Part("a", BOARD.material, 300, 200, qty=2)])


def test_placement_sizes_and_material_must_match_the_part():
    with pytest.raises(InvalidLayoutError, match="не совпадают"):
        check([p("a", 0, 0, 300, 200)], parts=[Part("a", BOARD.material, 300, 201)])
    with pytest.raises(InvalidLayoutError, match="другого материала"):
        check([p("a", 0, 0, 300, 200)], parts=[Part("a", "МДФ 16", 300, 200)])
