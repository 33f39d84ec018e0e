"""Checks that a layout can really be cut: parts inside the trimmed board, no overlaps, the kerf
between neighbours, guillotine cuts within the stage limit, rotation only where allowed, and
every part placed exactly as many times as ordered."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .errors import InvalidLayoutError
from .model import Layout, Part, Placement, stage_limit

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1


def validate_layouts(layouts: Sequence[Layout], parts: Iterable[Part], max_stages: int | None = None,
                     first_cut_along_length: bool = True) -> None:
    """Raise InvalidLayoutError unless every layout is cuttable and all parts are placed."""
    parts_by_id = {p.id: p for p in parts}
    placed = Counter(pl.id for layout in layouts for pl in layout.placements)
    for part in parts_by_id.values():
        if placed[part.id] != part.qty:
            raise InvalidLayoutError(
                f"Деталь {part.label()} размещена {placed[part.id]} раз вместо {part.qty}")
    for n, layout in enumerate(layouts, start=1):
        validate_layout(layout, parts_by_id, max_stages, first_cut_along_length, n)


def validate_layout(layout: Layout, parts_by_id: dict[str, Part], max_stages: int | None = None,
                    first_cut_along_length: bool = True, number: int = 1) -> None:
    """Raise InvalidLayoutError unless the layout of board `number` obeys all cutting rules;
    cuts in at most `max_stages` stages and the board's own `stages` (None: any guillotine cuts)."""
    board = layout.board
    max_stages = stage_limit(board, max_stages)
    where = f"Лист {number} ({board.material})"
    rects = []
    for pl in layout.placements:
        part = parts_by_id.get(pl.id)
        if part is None:
            raise InvalidLayoutError(f"{where}: неизвестная деталь {pl.id}")
        _check_part(pl, part, board.material, where)
        rect = (pl.x, pl.y, pl.x + pl.size_x, pl.y + pl.size_y)
        if (rect[0] < board.trim or rect[1] < board.trim
                or rect[2] > board.length - board.trim or rect[3] > board.width - board.trim):
            raise InvalidLayoutError(f"{where}: деталь {part.label()} выходит за край листа "
                                     f"(после обрезки кромок {board.trim} мм)")
        rects.append(rect)
    _check_spacing(rects, layout.placements, board.kerf, where)
    region = (board.trim, board.trim, board.length - board.trim, board.width - board.trim)
    stages = len(rects) * 2 + 2 if max_stages is None else max_stages
    if not cuttable(rects, region, board.kerf, 1, stages, 0 if first_cut_along_length else 1):
        raise InvalidLayoutError(f"{where}: раскрой нельзя выполнить сквозными резами"
                                 + ("" if max_stages is None else f" за {max_stages} этапа"))


def _check_part(pl: Placement, part: Part, material: str, where: str) -> None:
    if (pl.length, pl.width) != (part.length, part.width):
        raise InvalidLayoutError(f"{where}: размеры детали {pl.id} не совпадают с заказанными")
    if pl.rotated and not part.rotate:
        raise InvalidLayoutError(f"{where}: деталь {part.label()} повёрнута, хотя поворот запрещён")
    if part.material != material:
        raise InvalidLayoutError(f"{where}: деталь {part.label()} из другого материала")


def _check_spacing(rects: list[Rect], placements: list[Placement], kerf: int, where: str) -> None:
    """Parts facing each other across less than a kerf, or overlapping, are rejected by name."""
    order = sorted(range(len(rects)), key=lambda i: rects[i][0])
    for a_pos, a in enumerate(order):
        ax0, ay0, ax1, ay1 = rects[a]
        for b in order[a_pos + 1:]:
            bx0, by0, bx1, by1 = rects[b]
            if bx0 >= ax1 + kerf:
                break
            if by0 < ay1 + kerf and ay0 < by1 + kerf:
                names = f"{placements[a].id} и {placements[b].id}"
                if bx0 < ax1 and by0 < ay1 and ay0 < by1:
                    raise InvalidLayoutError(f"{where}: детали {names} перекрываются")
                if bx0 < ax1 or (by0 < ay1 and ay0 < by1):
                    raise InvalidLayoutError(f"{where}: между деталями {names} меньше пропила {kerf} мм")


def cuttable(rects: list[Rect], region: Rect, kerf: int, stage: int, max_stages: int, axis: int) -> bool:
    """Whether `rects` can be cut out of `region` with edge-to-edge cuts, starting at `stage` with
    cuts across `axis` (0: cuts run along x, separating by y; 1: the other way). A last trim cut
    (one part, only waste besides) may come after the final stage, as in non-exact staged cutting."""
    if not rects:
        return True
    if len(rects) == 1:
        return trimmable(rects[0], region, stage, max_stages, axis)
    if stage > max_stages:
        return False
    groups = split_groups(rects, 1 - axis, kerf)
    if len(groups) == 1:
        if len(split_groups(rects, axis, kerf)) == 1:
            return False  # no edge-to-edge cut either way: not guillotine
        return cuttable(rects, region, kerf, stage + 1, max_stages, 1 - axis)
    lo = 1 if axis == 0 else 0
    for group in groups:
        start = min(r[lo] for r in group)
        end = max(r[lo + 2] for r in group)
        sub = (region[0], start, region[2], end) if axis == 0 else (start, region[1], end, region[3])
        if not cuttable(group, sub, kerf, stage + 1, max_stages, 1 - axis):
            return False
    return True


def trimmable(rect: Rect, region: Rect, stage: int, max_stages: int, axis: int) -> bool:
    """Cuts still needed to free one part from waste, at most one stage past the limit."""
    needed = stage - 1
    for turn in range(2):
        a = (axis + turn) % 2
        lo = 1 if a == 0 else 0
        if (rect[lo], rect[lo + 2]) != (region[lo], region[lo + 2]):
            needed = stage + turn
    return needed <= max_stages + 1


def split_groups(rects: list[Rect], coord: int, kerf: int) -> list[list[Rect]]:
    """Groups of rects separable by cuts across coordinate `coord` (0: x, 1: y) with `kerf` room."""
    ordered = sorted(rects, key=lambda r: r[coord])
    groups = [[ordered[0]]]
    end = ordered[0][coord + 2]
    for r in ordered[1:]:
        if r[coord] >= end + kerf:
            groups.append([r])
        else:
            groups[-1].append(r)
        end = max(end, r[coord + 2])
    return groups
