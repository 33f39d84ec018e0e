"""Greedy staged-guillotine packing of rectangles into identical bins.

The model is abstract and kerf-free (the solver inflates sizes by the kerf beforehand). A bin is
`length` × `width`; the first-stage cuts run along x and split it into strips spanning its whole
length, the second-stage cuts split a strip into stacks, the third-stage cuts split a stack into
items (a last trim cut may take waste off an item's side). Everything here works on plain lists
for speed:

- bin: ``[used_y, strips, area]``, or ``[used_y, strips, area, TURNED]`` for a bin whose first
  cuts run the other way (its strips are of the turned model, see Packer.turned),
- strip: ``[height, used_x, stacks]``,
- stack: ``[width, used_y, entries, row_height, row_used_x]`` with entries ``(item, rotated)``
  each opening a row across the stack, or ``(item, rotated, 1)`` next to the entry before it in
  its row (a fourth stage, only with `rows`); the last two fields describe the top row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Bin = list  # [used_y, strips, area] or [used_y, strips, area, TURNED]
TURNED = True  # the mark of a bin whose first cuts run the other way
Orientation = tuple  # (size_x, size_y, rotated)
CHECK_EVERY = 32  # items placed between two looks at the clock


class Deadline:
    """A moment of `clock` after which long loops give up; `passed()` reads the clock."""

    def __init__(self, clock: Callable[[], float], at: float) -> None:
        self.clock = clock
        self.at = at

    def passed(self) -> bool:
        """Whether the deadline has passed."""
        return self.clock() > self.at


@dataclass(frozen=True)
class Items:
    """Rectangles to pack: base sizes, whether each may turn by 90° and the bin size."""

    sizes: tuple[tuple[int, int], ...]
    rotatable: tuple[bool, ...]
    length: int
    width: int
    stacking: bool = True
    one_stack_per_strip: bool = False
    rows: bool = False

    def orientations(self, i: int) -> tuple[Orientation, ...]:
        """The ways item `i` may lie that fit into an empty bin."""
        w, h = self.sizes[i]
        options = [(w, h, False)]
        if self.rotatable[i] and w != h:
            options.append((h, w, True))
        return tuple(o for o in options if o[0] <= self.length and o[1] <= self.width)

    def area(self, i: int) -> int:
        """Area of item `i`."""
        w, h = self.sizes[i]
        return w * h


class Packer:
    """Inserts items one by one into staged bins, choosing the tightest place in the first bin
    that can take the item (first fit over bins, best fit inside a bin).

    `new_stack_weight` scales the cost of starting a stack against topping one up; a turnable item
    opening a strip stands up (leaving more strip length) unless `flat_strips`. Bins marked turned
    go to `turned`, the same packer for the items with the first cuts the other way (set by the
    search when any cut depth lets each board choose its own way).
    """

    def __init__(self, items: Items, new_stack_weight: float = 1.0, flat_strips: bool = False,
                 alts: list[tuple[Orientation, ...]] | None = None) -> None:
        self.items = items
        self.alts = alts if alts is not None else [items.orientations(i) for i in range(len(items.sizes))]
        self.openers = [sorted(a, key=(lambda o: (o[1], o[0])) if flat_strips else (lambda o: (o[0], o[1])))
                        if len(a) > 1 else a for a in self.alts]
        self.areas = [w * h for w, h in items.sizes]
        self.bin_area = items.length * items.width
        self.new_stack_weight = new_stack_weight
        self.turned: Packer | None = None

    def insert(self, bins: list[Bin], i: int) -> None:
        """Put item `i` into the first bin with room, opening a new bin if none has."""
        for b in bins:
            if self.insert_into(b, i):
                return
        b = [0, [], 0]
        if not self.insert_into(b, i):
            raise ValueError(f"item {i} does not fit an empty bin")
        bins.append(b)

    def insert_into(self, b: Bin, i: int) -> bool:
        """Put item `i` into bin `b` if it fits there; return whether it did."""
        if b[2] + self.areas[i] > self.bin_area:
            return False
        if len(b) > 3 and self.turned is not None:
            return self.turned.insert_into(b, i)
        items = self.items
        alts = self.alts[i]
        length = items.length
        stacking = items.stacking
        one_stack = items.one_stack_per_strip
        rows = items.rows
        best = None
        best_score = None
        for strip in b[1]:
            hs = strip[0]
            for o in alts:
                w, h = o[0], o[1]
                if h > hs:
                    continue
                if stacking:
                    for st in strip[2]:
                        if w <= st[0] and st[1] + h <= hs:
                            score = (st[0] - w) * h
                            if best_score is None or score < best_score:
                                best_score, best = score, (0, strip, st, o)
                        if rows and h <= st[3] and st[4] + w <= st[0]:
                            score = (st[3] - h) * w
                            if best_score is None or score < best_score:
                                best_score, best = score, (2, strip, st, o)
                if strip[1] + w <= length and not (one_stack and strip[2]):
                    score = (hs - h) * w * self.new_stack_weight
                    if best_score is None or score < best_score:
                        best_score, best = score, (1, strip, None, o)
        if best is None:
            free = items.width - b[0]
            o = next((o for o in self.openers[i] if o[1] <= free), None)
            if o is None:
                return False
            strip = [o[1], 0, []]
            b[1].append(strip)
            b[0] += o[1]
            best = (1, strip, None, o)
        kind, strip, st, o = best
        if kind == 0:
            st[1] += o[1]
            st[2].append((i, o[2]))
            st[3], st[4] = o[1], o[0]
        elif kind == 2:
            st[2].append((i, o[2], 1))
            st[4] += o[0]
        else:
            strip[2].append([o[0], o[1], [(i, o[2])], o[1], o[0]])
            strip[1] += o[0]
        b[2] += self.areas[i]
        return True

    def pack(self, order: list[int], bins: list[Bin] | None = None,
             deadline: Deadline | None = None) -> list[Bin] | None:
        """Insert the items in `order` into `bins` (new ones if None) and return the bins; None
        if the `deadline` passed first (checked every CHECK_EVERY items)."""
        bins = [] if bins is None else bins
        for n, i in enumerate(order, start=1):
            if deadline is not None and n % CHECK_EVERY == 0 and deadline.passed():
                return None
            self.insert(bins, i)
        return bins


def copy_bin(b: Bin) -> Bin:
    """A deep copy of a bin's nested lists (and its turned mark)."""
    return [b[0], [[s[0], s[1], [[t[0], t[1], list(t[2]), t[3], t[4]] for t in s[2]]] for s in b[1]], b[2], *b[3:]]


def is_turned(b: Bin) -> bool:
    """Whether bin `b`'s first cuts run the other way (its strips are of the turned model)."""
    return len(b) > 3


def bin_items(b: Bin) -> list[int]:
    """The items in bin `b`."""
    return [e[0] for s in b[1] for t in s[2] for e in t[2]]


def positions(b: Bin, items: Items) -> list[tuple[int, int, int, bool]]:
    """``(item, x, y, rotated)`` of every item in bin `b`, strips from y = 0, stacks from x = 0."""
    out = []
    y = 0
    for hs, _, stacks in b[1]:
        x = 0
        for ws, _, entries, _, _ in stacks:
            yy = y  # where the next row begins
            row_x = row_y = 0
            for e in entries:
                i, rotated = e[0], e[1]
                w, h = items.sizes[i]
                if len(e) == 2:
                    row_x, row_y = x, yy
                    yy += w if rotated else h
                out.append((i, row_x, row_y, rotated))
                row_x += h if rotated else w
            x += ws
        y += hs
    return out


def free_rectangles(b: Bin, items: Items) -> list[tuple[int, int, int, int]]:
    """Leftover rectangles ``(x, y, size_x, size_y)`` of bin `b`: above the stacks, after the
    last stack of each strip and above the last strip."""
    out = []
    y = 0
    for hs, used_x, stacks in b[1]:
        x = 0
        for ws, used_y, *_ in stacks:
            if used_y < hs:
                out.append((x, y + used_y, ws, hs - used_y))
            x += ws
        if used_x < items.length:
            out.append((used_x, y, items.length - used_x, hs))
        y += hs
    if b[0] < items.width:
        out.append((0, b[0], items.length, items.width - b[0]))
    return out


def fill_bin(items: Items, members: list[int], standing: bool) -> tuple[Bin, list[int]]:
    """One bin filled strip by strip, choosing for each free space the largest item that fits
    there (the reverse of Packer, which chooses the space for each item in turn). The tallest
    item left opens each strip, upright if `standing`. Returns the bin and the items left over."""
    length, width = items.length, items.width
    alts = {i: items.orientations(i) for i in members}
    left = sorted(members, key=lambda i: -items.area(i))
    b: Bin = [0, [], 0]
    while True:
        free = width - b[0]
        openers = []
        for j in left:
            fits = [o for o in alts[j] if o[1] <= free]
            if fits:
                o = max(fits, key=lambda o: o[1]) if standing else min(fits, key=lambda o: o[1])
                openers.append((o[1], items.area(j), j, o))
        if not openers:
            break
        _, _, i, o = max(openers)
        hs = o[1]
        strip = [hs, 0, []]
        b[1].append(strip)
        b[0] += hs
        base = (i, o)
        while base is not None:
            i, (w, h, r) = base
            left.remove(i)
            stack = [w, h, [(i, r)], h, w]
            b[2] += items.area(i)
            while items.stacking:
                top = _largest(left, alts, w, hs - stack[1])
                if top is None:
                    break
                j, (w2, h2, r2) = top
                left.remove(j)
                stack[1] += h2
                stack[2].append((j, r2))
                stack[3], stack[4] = h2, w2
                b[2] += items.area(j)
            strip[2].append(stack)
            strip[1] += w
            base = None if items.one_stack_per_strip else _largest(left, alts, length - strip[1], hs)
    return b, left


def _largest(left: list[int], alts: dict, max_x: int, max_y: int) -> tuple[int, Orientation] | None:
    """The first (largest) item of `left` fitting max_x × max_y, turned to fill the height best."""
    for i in left:
        fits = [o for o in alts[i] if o[0] <= max_x and o[1] <= max_y]
        if fits:
            return i, max(fits, key=lambda o: o[1])
    return None
