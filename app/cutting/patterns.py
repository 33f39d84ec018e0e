"""Board patterns for lists with many copies of few sizes: sequential value correction and
column generation.

Identical items form kinds with a demand. A board is built as a two-level knapsack: for every
strip height (an item's height) the strip is filled by an exact bounded knapsack over stacks (a
stack of copies of one kind, topped up by narrower items, side by side in rows when a fourth
stage is allowed), then the board by an exact knapsack over those strips along its width (each
strip as often as the demand of its kinds allows); the board is repeated as often as the demand
allows, and the next board is built for the demand left. Item values start as their areas and are
corrected after each round: kinds that ended on weakly filled boards weigh more in the next round,
so that they find their way into the good boards (Mukhacheva and Belov's sequential value
correction). The boards of all rounds then seed the linear relaxation of the pattern problem
(column_generation), whose solution, rounded, is another candidate.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from .guillotine import Bin, Items

Stack = tuple[int, list[tuple[int, int, int, bool, int]]]  # width, entries (kind, size_x, size_y, rotated, side)
Strip = tuple[int, list[Stack]]  # height, stacks
MAX_STATES = 4000  # knapsack states kept (every other one of a crowded frontier beyond that)
MAX_KINDS = 150  # more kinds of items: not worth building patterns (and too slow)
CHECK_EVERY = 4  # strips built between two looks at the clock


class Kinds:
    """Items grouped by size and turnability, each kind with its ways to lie and its members."""

    def __init__(self, items: Items, members: list[int] | None = None) -> None:
        index: dict[tuple, int] = {}
        self.members: list[list[int]] = []
        self.alts: list[tuple] = []
        self.area: list[int] = []
        for i in range(len(items.sizes)) if members is None else members:
            size, r = items.sizes[i], items.rotatable[i]
            k = index.get((size, r))
            if k is None:
                k = index[(size, r)] = len(self.members)
                self.members.append([])
                self.alts.append(items.orientations(i))
                self.area.append(size[0] * size[1])
            self.members[k].append(i)


def knapsack(capacity: int, things: list[tuple[int, float, object, int]]) -> tuple[float, list[tuple[object, int]]]:
    """The most valuable choice of `things` ``(size, value, tag, count)`` (each tag at most
    `count` times) within `capacity`: its value and the tags taken with their numbers.

    Nemhauser–Ullmann: the Pareto frontier of (size used, value) states, counts split in powers
    of two."""
    states: list[tuple[int, float, tuple | None]] = [(0, 0.0, None)]
    for size, value, tag, count in things:
        count = min(count, capacity // size) if size > 0 else 0
        step = 1
        while count > 0:
            take = min(step, count)
            count -= take
            step *= 2
            s, v = size * take, value * take
            limit = capacity - s
            shifted = [(p + s, q + v, (tag, take, chain)) for p, q, chain in states if p <= limit]
            if not shifted:
                break
            states = _frontier(states, shifted)
            if len(states) > MAX_STATES:
                states = states[::2] + ([states[-1]] if len(states) % 2 == 0 else [])
    _, value, chain = states[-1]
    taken = []
    while chain is not None:
        tag, take, chain = chain
        taken.append((tag, take))
    return value, taken


def _frontier(a: list[tuple], b: list[tuple]) -> list[tuple]:
    """The states of `a` and `b` (each sorted by size, values rising) not beaten by a smaller
    or equal state of either."""
    out = []
    best = -1.0
    i = j = 0
    na, nb = len(a), len(b)
    while i < na and j < nb:
        x, y = a[i], b[j]
        if x[0] < y[0] or (x[0] == y[0] and x[1] >= y[1]):
            i += 1
            t = x
        else:
            j += 1
            t = y
        if t[1] > best:
            out.append(t)
            best = t[1]
    for t in a[i:] if i < na else b[j:]:
        if t[1] > best:
            out.append(t)
            best = t[1]
    return out


def _undominated(options: list[tuple], capacity: int) -> list[tuple]:
    """Knapsack things ``(size, value, tag, count)`` without those that a thing at most as large,
    at least as valuable and in numbers enough to fill the capacity makes useless."""
    options = sorted(options, key=lambda t: (t[0], -t[1]))
    kept: list[tuple] = []
    for t in options:
        need = capacity // t[0]
        if not any(k[1] >= t[1] and min(k[3], capacity // k[0]) >= need for k in kept):
            kept.append(t)
    return kept


class PatternBuilder:
    """Builds boards for a demand per kind with the current values of the kinds."""

    def __init__(self, items: Items, kinds: Kinds, late: Callable[[], bool] = lambda: False) -> None:
        self.items = items
        self.late = late  # whether the time is up (checked between strips)
        self.kinds = kinds
        self.values = [float(a) for a in kinds.area]
        self.cache: dict[int, tuple[float, Strip, list[int]]] = {}  # best strips by height

    def strip(self, height: int, demand: list[int]) -> tuple[float, Strip, list[int]]:
        """The most valuable strip of `height` for `demand`: value, strip and kinds used."""
        items, kinds, values = self.items, self.kinds, self.values
        stacking = items.stacking
        ways = [(values[k], k, o) for k, n in enumerate(demand) if n > 0
                for o in kinds.alts[k] if o[1] <= height]
        ways.sort(key=lambda t: -t[0])
        rows = items.rows
        options = []
        for v, k, (w, h, r) in ways:
            c = min(height // h, demand[k]) if stacking else 1
            entries = [(k, w, h, r, 0)] * c
            value = c * v
            if stacking:
                room = height - c * h
                used = {k: c}
                for v2, j, (w2, h2, r2) in ways:
                    if room <= 0:
                        break
                    if w2 <= w and h2 <= room:
                        left = demand[j] - used.get(j, 0)
                        per = w // w2 if rows else 1  # side by side in a row (a fourth stage)
                        n = min(room // h2, -(-left // per))
                        if n > 0:
                            count = min(n * per, left)
                            entries += [(j, w2, h2, r2, 1 if q % per else 0) for q in range(count)]
                            used[j] = used.get(j, 0) + count
                            room -= n * h2
                            value += count * v2
            options.append((w, value, (w, entries), max(1, demand[k] // c)))
        options = _undominated(options, items.length)
        if not options:
            return 0.0, (height, []), [0] * len(demand)
        if items.one_stack_per_strip:
            best = max(options, key=lambda t: t[1])
            value, taken = best[1], [(best[2], 1)]
        else:
            value, taken = knapsack(items.length, options)
        usage = [0] * len(demand)
        stacks: list[Stack] = []
        for (width, entries), n in sorted(taken, key=lambda t: -t[0][0]):
            for _ in range(n):
                kept = []
                opening = False  # a row whose first entry was left out opens with the next one
                for e in entries:  # the copies beyond the demand are left out
                    if not e[4]:
                        opening = True
                    if usage[e[0]] < demand[e[0]]:
                        usage[e[0]] += 1
                        kept.append(e[:4] + (0 if opening else 1,))
                        opening = False
                if kept:
                    stacks.append((width, kept))
        return value, (height, stacks), usage

    def board(self, demand: list[int]) -> tuple[list[Strip], list[int]]:
        """The most valuable board for `demand` (its strips, the widest first) and the kinds it
        uses, within the demand; no strips if the time ran out."""
        heights = sorted({o[1] for k, n in enumerate(demand) if n > 0 for o in self.kinds.alts[k]})
        strips = {}
        cache = self.cache
        for n, h in enumerate(heights):
            if n % CHECK_EVERY == CHECK_EVERY - 1 and self.late():
                return [], [0] * len(demand)
            # A strip stays the best of its height while the demand still covers it (the demand
            # only falls during a round).
            known = cache.get(h)
            if known is None or any(u > n for u, n in zip(known[2], demand)):
                known = cache[h] = self.strip(h, demand)
            if known[0] > 0:
                strips[h] = known
        # A strip repeats only as often as the demand of its kinds allows.
        things = [(h, value, h, max(1, min(self.items.width // h,
                                           *(demand[k] // u for k, u in enumerate(usage) if u))))
                  for h, (value, _, usage) in strips.items()]
        _, taken = knapsack(self.items.width, things)
        chosen = sorted((h for h, n in taken for _ in range(n)), key=lambda h: -strips[h][0] / h)
        left = list(demand)
        out: list[Strip] = []
        for h in chosen:
            value, strip, usage = strips[h]
            if any(u > n for u, n in zip(usage, left)):
                value, strip, usage = self.strip(h, left)
                if value <= 0:
                    continue
            out.append(strip)
            left = [n - u for n, u in zip(left, usage)]
        return out, [n - m for n, m in zip(demand, left)]


def materialise(strips: list[Strip], pools: list[list[int]], area: list[int]) -> Bin:
    """A bin of the guillotine model from `strips`, taking item numbers from `pools` by kind."""
    b: Bin = [0, [], 0]
    for height, stacks in sorted(strips, key=lambda s: -s[0]):
        strip = [height, 0, []]
        for width, entries in stacks:
            placed: list[tuple] = []
            used_y = 0
            opening = False
            for k, w, h, r, side in entries:
                if not side:
                    opening = True
                if pools[k]:
                    i = pools[k].pop()
                    b[2] += area[k]
                    if opening:
                        placed.append((i, r))
                        used_y += h
                        last = (h, w)
                        opening = False
                    else:
                        placed.append((i, r, 1))
                        last = (last[0], last[1] + w)
            if placed:
                strip[2].append([width, used_y, placed, last[0], last[1]])
                strip[1] += width
        if strip[2]:
            b[1].append(strip)
            b[0] += height
    return b


def value_correction(items: Items, until: float, clock: Callable[[], float], rng: random.Random,
                     enough: int, members: list[int] | None = None,
                     max_rounds: int | None = None, pool: list | None = None) -> list[Bin] | None:
    """Bins holding `members` (None: all items) built round after round of sequential value
    correction until `until`, `max_rounds` rounds or a round needing at most `enough` bins; the
    best round's bins, or None if no round finished."""
    kinds = Kinds(items, members)
    if len(kinds.area) > MAX_KINDS:
        return None
    builder = PatternBuilder(items, kinds, lambda: clock() > until)
    bin_area = items.length * items.width
    best: list[Bin] | None = None
    best_key = None
    factor = [1.0] * len(kinds.area)
    rounds = 0
    while clock() < until and rounds != max_rounds:
        rounds += 1
        noise = 0.0 if rounds == 1 else 0.05
        builder.values = [a * f * (1 + noise * rng.random()) for a, f in zip(kinds.area, factor)]
        builder.cache.clear()
        demand = [len(m) for m in kinds.members]
        pools = [list(m) for m in kinds.members]
        boards: list[tuple[Bin, list[int]]] = []
        finished = True
        while any(demand):
            if clock() > until:
                finished = False
                break
            strips, usage = builder.board(demand)
            if not any(usage):
                finished = False
                break
            copies = min(demand[k] // u for k, u in enumerate(usage) if u)
            if pool is not None:
                pool.append((usage, strips))
            for _ in range(copies):
                boards.append((materialise(strips, pools, kinds.area), usage))
            demand = [n - u * copies for n, u in zip(demand, usage)]
        if not finished:
            break
        bins = [b for b, _ in boards]
        key = (len(bins), -sum(b[2] * b[2] for b in bins))
        if best_key is None or key < best_key:
            best, best_key = bins, key
        if len(bins) <= enough:
            break
        # Kinds on weakly filled boards weigh more next round.
        weight = [0.0] * len(factor)
        count = [0] * len(factor)
        for b, usage in boards:
            ratio = bin_area / max(1, b[2])
            for k, u in enumerate(usage):
                if u:
                    weight[k] += ratio * u
                    count[k] += u
        for k in range(len(factor)):
            if count[k]:
                factor[k] = 0.5 * factor[k] + 0.5 * (weight[k] / count[k]) ** 1.5
    return best


LP_MAX_KINDS = 60  # more kinds: no column generation (the restricted LP grows too slow)
LP_MAX_ITERATIONS = 400  # simplex pivots at most
ROUNDINGS = (1.0, 0.8, 0.6, 0.4)  # fractional parts from which a pattern's count is rounded up
EPS = 1e-9


def column_generation(items: Items, until: float, clock: Callable[[], float], rng: random.Random,
                      members: list[int] | None = None, pool: list | None = None,
                      ) -> list[Bin] | None:
    """Bins from the linear relaxation of the pattern problem (Gilmore–Gomory): min Σ x_p over
    board patterns p with Σ_p a_pk x_p ≥ demand_k, solved by a revised simplex whose entering
    columns come from the board knapsack priced with the duals; then the patterns' counts
    rounded down (or up from several fractional parts), the rest of the demand packed by value
    correction. The best rounding's bins, or None if the time ran out first.

    The knapsack is a heuristic (staged patterns), so the LP value is no lower bound."""
    kinds = Kinds(items, members)
    m = len(kinds.area)
    if m > LP_MAX_KINDS or m == 0:
        return None
    late = lambda: clock() > until  # noqa: E731
    builder = PatternBuilder(items, kinds, late)
    demand = [len(ms) for ms in kinds.members]
    columns: list[tuple[list[int], list[Strip]]] = []  # usage, strips
    seen: set[tuple[int, ...]] = set()

    def add(usage: list[int], strips: list[Strip]) -> int:
        seen.add(tuple(usage))
        columns.append((usage, strips))
        return len(columns) - 1

    # Homogeneous boards: a feasible diagonal basis.
    basis = []
    for k in range(m):
        only = [demand[k] if j == k else 0 for j in range(m)]
        builder.cache.clear()
        strips, usage = builder.board(only)
        if late() or usage[k] <= 0:
            return None
        basis.append(add(usage, strips))
    for usage, strips in pool or ():
        if tuple(usage) not in seen:
            add(usage, strips)
    binv = [[(1.0 / columns[basis[i]][0][i]) if i == j else 0.0 for j in range(m)] for i in range(m)]
    xb = [demand[i] / columns[basis[i]][0][i] for i in range(m)]
    cost = [1.0] * m  # of the basic variables (a surplus costs 0)
    for _ in range(LP_MAX_ITERATIONS):
        if late():
            break
        y = [sum(cost[i] * binv[i][j] for i in range(m)) for j in range(m)]
        entering: list[float] | None = None
        entering_cost = 1.0
        surplus = next((k for k in range(m) if y[k] < -EPS), None)
        if surplus is not None:
            entering = [-1.0 if j == surplus else 0.0 for j in range(m)]
            entering_cost, entering_id = 0.0, -1 - surplus
        else:
            best_rc, best_c = -EPS, None
            in_basis = set(basis)
            for c, (usage, _) in enumerate(columns):
                if c in in_basis:
                    continue
                rc = 1.0 - sum(y[k] * u for k, u in enumerate(usage) if u)
                if rc < best_rc:
                    best_rc, best_c = rc, c
            if best_c is None:
                builder.values = [max(v, 0.0) for v in y]
                builder.cache.clear()
                strips, usage = builder.board(demand)
                if late() or not any(usage) or tuple(usage) in seen:
                    break
                if 1.0 - sum(y[k] * u for k, u in enumerate(usage)) >= -1e-6:
                    break
                best_c = add(usage, strips)
            entering = [float(u) for u in columns[best_c][0]]
            entering_id = best_c
        u = [sum(binv[i][j] * entering[j] for j in range(m) if entering[j]) for i in range(m)]
        r, ratio = None, None
        for i in range(m):
            if u[i] > EPS:
                t = xb[i] / u[i]
                if ratio is None or t < ratio - EPS:
                    r, ratio = i, t
        if r is None:
            break
        pivot = u[r]
        binv[r] = [v / pivot for v in binv[r]]
        xb[r] /= pivot
        for i in range(m):
            if i != r and abs(u[i]) > EPS:
                f = u[i]
                row_r = binv[r]
                binv[i] = [a - f * b for a, b in zip(binv[i], row_r)]
                xb[i] -= f * xb[r]
        basis[r] = entering_id
        cost[r] = entering_cost
    x = {basis[i]: max(0.0, xb[i]) for i in range(m) if basis[i] >= 0 and xb[i] > EPS}
    best: list[Bin] | None = None
    best_key = None
    tried: set[tuple] = set()
    for threshold in ROUNDINGS:
        counts = {c: int(v) + (1 if v - int(v) >= threshold - EPS and threshold < 1 else 0) for c, v in x.items()}
        key = tuple(sorted(counts.items()))
        if key in tried:
            continue
        tried.add(key)
        if late():
            break
        pools = [list(ms) for ms in kinds.members]
        bins = []
        for c, n in sorted(counts.items(), key=lambda t: -sum(a * u for a, u in zip(kinds.area, columns[t[0]][0]))):
            for _ in range(n):
                b = materialise(columns[c][1], pools, kinds.area)
                if b[1]:
                    bins.append(b)
        rest = [i for pool in pools for i in pool]
        if rest:
            more = value_correction(items, until, clock, rng, 0, rest, 8)
            if more is None:
                break
            bins += more
        key2 = (len(bins), -sum(b[2] * b[2] for b in bins))
        if best_key is None or key2 < best_key:
            best, best_key = bins, key2
    return best
