"""The offcuts a layout leaves, as the largest useful pieces the saw can cut out («деловые остатки»).

The solver reports the free rectangles of its packing (above each stack, after each strip, above the
last strip), so a board's waste often comes as two 600×600 halves of one 1200×600 piece. Here the
waste of a layout is cut anew: a search over the guillotine cut sequences of the board's parts (the
parts stay where they are) finds the empty pieces that reach the material's minimum size, the
largest ones first (by the sum of their squared areas) as long as they keep at least the area of the
solver's pieces, else the most area. Every cut runs edge to edge through its region
and takes a kerf; the first stage runs along the board's length, and with a saw limited to N stages
(``Board.stages``) a piece is cut out within those N stages or is the waste a part's last trim cut
takes off (the trim cut the optimiser's layouts allow past the last stage, app/cutting/validate.py).

Pure Python, no database. A layout too complex for the search's budget keeps the solver's pieces."""
from __future__ import annotations

from .model import Layout, Offcut, stage_limit
from .validate import Rect, cuttable, split_groups, trimmable

BUDGET = 60_000  # ways of cutting a region weighed for one layout (about 0.1 s); past it a narrower
# search (neighbouring groups never share a band) and then the solver's own pieces are kept
JOIN = 4  # at most this many neighbouring groups share one band when a region has many groups …
MANY_GROUPS = 8  # … (more than this); the first or the last groups, or all of them, may always share one

Score = tuple[int, int]  # the useful pieces' (area, sum of squared areas), or the other way round: larger is better
Pieces = tuple  # (), a piece (x0, y0, x1, y1) or (Pieces, Pieces): joined without copying, flattened at the end
Result = tuple[Score, Pieces]


class _OverBudget(Exception):
    pass


def merged_offcuts(layout: Layout, min_offcut: tuple[int, int], max_stages: int | None = None) -> list[Offcut]:
    """The offcuts of ``layout`` reaching ``min_offcut`` (longer side, shorter side) as the largest
    guillotine-cuttable pieces, by position on the board; ``max_stages`` as for ``optimise`` (the
    board's own ``stages`` also counts). The solver's own pieces when the search gives up."""
    board = layout.board
    limit = stage_limit(board, max_stages)
    rects = [(p.x, p.y, p.x + p.size_x, p.y + p.size_y) for p in layout.placements]
    region = (board.trim, board.trim, board.length - board.trim, board.width - board.trim)
    own = [(o.x, o.y, o.x + o.length, o.y + o.width) for o in layout.offcuts]
    widths = [True, False]  # the searches that stayed within the budget (a second objective tries no other)
    for large_first in (True, False):  # the largest pieces, unless that keeps less than the solver's
        pieces = _search(rects, region, board.kerf, limit, min_offcut, large_first, widths)
        if pieces is None or _useful_area(pieces) < _useful_area([r for r in own if pieces.useful(r)]):
            continue  # the search's budget kept it from the solver's own cuts, or it keeps less
        # a piece may be the waste a part's last trim cut takes off, one stage past the saw's limit
        stages = limit + 1 if limit is not None else 2 * (len(rects) + len(pieces)) + 2
        if cuttable(rects + list(pieces), region, board.kerf, 1, stages, 0):  # never what the saw cannot cut
            return [Offcut(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in pieces]
    return list(layout.offcuts)


class _Found(list):
    """The useful pieces a search found, by position, and the search's test of a useful piece."""

    def __init__(self, pieces: list[Rect], useful) -> None:
        super().__init__(pieces)
        self.useful = useful


def _search(rects: list[Rect], region: Rect, kerf: int, limit: int | None, min_offcut: tuple[int, int],
            large_first: bool, widths: list[bool]) -> _Found | None:
    """The useful pieces of the best cut sequence (a wide search, then a narrower one within the
    budget; ``widths`` the searches to try, those over the budget are taken off it), or None."""
    for wide in list(widths):
        search = _Search(rects, kerf, limit, min_offcut, wide, large_first)
        try:
            found = search.solve(region, 1, 0, False)
        except (_OverBudget, RecursionError):  # hundreds of strips in a row: too deep to weigh
            widths.remove(wide)
            continue
        if found is None:
            return None
        pieces = sorted((r for r in _flat(found[1]) if search.useful(r)), key=lambda r: (r[1], r[0]))
        return _Found(pieces, search.useful)
    return None


def _useful_area(pieces: list[Rect]) -> tuple[int, int]:
    """(area, sum of squared areas) of pieces already known useful."""
    areas = [(r[2] - r[0]) * (r[3] - r[1]) for r in pieces]
    return sum(areas), sum(a * a for a in areas)


def _flat(pieces: Pieces) -> list[Rect]:
    out, todo = [], [pieces]
    while todo:
        item = todo.pop()
        if not item:
            continue
        if isinstance(item[0], int):  # a piece
            out.append(item)
        else:
            todo.extend(item)
    return out


def _join(a: Result, b: Result) -> Result:
    return (a[0][0] + b[0][0], a[0][1] + b[0][1]), (a[1], b[1])


class _Search:
    def __init__(self, rects: list[Rect], kerf: int, limit: int | None, min_offcut: tuple[int, int],
                 wide: bool = True, large_first: bool = False) -> None:
        self.rects = rects
        self.large_first = large_first  # score by the squared areas first (large pieces), else by the area
        self.wide = wide  # neighbouring groups may share a band
        self.work = 0
        self.kerf = kerf
        self.limit = limit
        self.max_stages = limit if limit is not None else 2 * len(rects) + 2
        self.min_long, self.min_short = max(min_offcut), min(min_offcut)
        self.memo: dict[tuple, Result | None] = {}

    def useful(self, r: Rect) -> bool:
        sx, sy = r[2] - r[0], r[3] - r[1]
        return max(sx, sy) >= self.min_long and min(sx, sy) >= self.min_short

    def _piece(self, r: Rect) -> Result:
        if r[2] <= r[0] or r[3] <= r[1]:
            return (0, 0), ()
        if not self.useful(r):
            return (0, 0), r
        area = (r[2] - r[0]) * (r[3] - r[1])
        return ((area * area, area) if self.large_first else (area, area * area)), r

    def _trimmed(self, region: Rect, part: Rect) -> Result:
        """A part alone in ``region``: the waste its last trim cut takes off, when that is one
        rectangle (the part spans the region one way), is a piece; else nothing is kept."""
        k = self.kerf
        for c in (0, 1):
            o = 1 - c
            if (part[o], part[o + 2]) != (region[o], region[o + 2]):
                continue
            score, pieces = (0, 0), ()
            for lo, hi in ((region[c], part[c] - k), (part[c + 2] + k, region[c + 2])):
                if hi > lo:
                    r = list(region)
                    r[c], r[c + 2] = lo, hi
                    score, pieces = _join((score, pieces), self._piece(tuple(r)))
            return score, pieces
        return (0, 0), ()

    def solve(self, region: Rect, stage: int, axis: int, passed: bool, among: list[Rect] | None = None
              ) -> Result | None:
        """The best pieces of ``region`` cut from ``stage`` on, this stage's cuts across ``axis``
        (0: the cuts run along x and separate by y), None when its parts cannot be cut so;
        ``among``: parts that include all of the region's (the enclosing region's)."""
        key = (region, stage if self.limit is not None else 0, axis, passed)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None  # a region met again while being solved is not a way out
        x0, y0, x1, y1 = region
        inside = [r for r in (self.rects if among is None else among)
                  if r[0] >= x0 and r[1] >= y0 and r[2] <= x1 and r[3] <= y1]
        result = self._solve(region, inside, stage, axis, passed)
        self.memo[key] = result
        return result

    def _solve(self, region: Rect, inside: list[Rect], stage: int, axis: int, passed: bool) -> Result | None:
        if not inside:
            return self._piece(region)
        best: Result | None = None
        if len(inside) == 1 and trimmable(inside[0], region, stage, self.max_stages, axis):
            best = self._trimmed(region, inside[0])  # the part alone, its waste trimmed off
        if stage > self.max_stages:
            return best
        c = 1 - axis  # the coordinate this stage's cuts separate: 1 (y) when they run along x
        groups = [(min(r[c] for r in g), max(r[c + 2] for r in g)) for g in split_groups(inside, c, self.kerf)]
        banded = self._bands(region, inside, groups, c, stage, axis, passed)
        if banded is not None and (best is None or banded[0] > best[0]):
            best = banded
        return best

    def _bands(self, region: Rect, inside: list[Rect], groups: list[tuple[int, int]], c: int, stage: int,
               axis: int, passed: bool) -> Result | None:
        """The region cut across coordinate ``c`` into bands, each holding a run of the groups (or
        none: a free piece), the gaps between groups joined to a neighbouring band or cut out."""
        k = self.kerf
        lo_end, hi_end = region[c], region[c + 2]
        m = len(groups)
        join = (m if m <= MANY_GROUPS else JOIN) if self.wide else 1

        def sub(lo: int, hi: int) -> Rect:
            r = list(region)
            r[c], r[c + 2] = lo, hi
            return tuple(r)

        memo: dict[tuple[int, int], Result | None] = {}

        def rest(i: int, lo: int) -> Result | None:
            """Groups i.. with the current band starting at ``lo``."""
            if (i, lo) in memo:
                return memo[(i, lo)]
            best: Result | None = None
            last = range(i, min(m, i + join))
            for j in [*last, *(j for j in (m - 1,) if j not in last and (self.wide or i == 0))]:
                end = groups[j][1]
                if j == m - 1:
                    options = [(hi_end, None, None)]
                    if hi_end - (end + k) > 0:
                        options.append((end, sub(end + k, hi_end), None))
                else:
                    start = groups[j + 1][0]
                    options = [(start - k, None, start), (end, None, end + k)]
                    if start - k - (end + k) > 0:
                        options.append((end, sub(end + k, start - k), start))
                for hi, free, next_lo in options:
                    self.work += 1
                    if self.work > BUDGET:
                        raise _OverBudget
                    band = sub(lo, hi)
                    whole = band == region
                    if whole and passed:
                        continue  # the same region a stage further, twice: no cut in either direction
                    inner = self.solve(band, stage + 1, 1 - axis, whole, inside)
                    if inner is None:
                        continue
                    if free is not None:
                        inner = _join(inner, self._piece(free))
                    if next_lo is not None:
                        after = rest(j + 1, next_lo)
                        if after is None:
                            continue
                        inner = _join(inner, after)
                    if best is None or inner[0] > best[0]:
                        best = inner
            memo[(i, lo)] = best
            return best

        best = rest(0, lo_end)
        first = groups[0][0]
        if first - k - lo_end > 0:  # a free piece before the first group
            after = rest(0, first)
            if after is not None:
                candidate = _join(self._piece(sub(lo_end, first - k)), after)
                if best is None or candidate[0] > best[0]:
                    best = candidate
        return best
