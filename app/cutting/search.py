"""Finding few bins: a portfolio of greedy packings and boards built from patterns (sequential
value correction, see patterns.py), then, until the lower bound is reached or the time is up,
attempts to empty a bin (its items pushed into the others, ejecting smaller items where needed)
alternating with ruin-and-recreate rounds that reshuffle the bins, with greedy restarts in
randomly disturbed orders and with a few bins at a time rebuilt from patterns."""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator

from .guillotine import CHECK_EVERY, TURNED, Bin, Deadline, Items, Packer, bin_items, copy_bin, fill_bin
from .patterns import column_generation, value_correction

Clock = Callable[[], float]  # seconds; time.monotonic, or time.thread_time for a CPU-time budget


def sort_orders(items: Items) -> list[list[tuple]]:
    """Sort keys (one list of key values per order, indexed by item) in which the greedy packing
    takes the items; all put big items first, and turnable items are tried lying and standing."""
    length, width = items.length, items.width
    shapes = [list(items.sizes)]
    if any(items.rotatable):
        lying = [(max(w, h), min(w, h)) if r else (w, h) for (w, h), r in zip(items.sizes, items.rotatable)]
        standing = [(min(w, h), max(w, h)) if r else (w, h) for (w, h), r in zip(items.sizes, items.rotatable)]
        shapes = [lying, standing]
    orders = []
    for shape in shapes:
        orders.append([(-h, -w) for w, h in shape])
        orders.append([(-w * h, -h) for w, h in shape])
        orders.append([(-w, -h) for w, h in shape])
        orders.append([(-max(w * width, h * length), -h) for w, h in shape])
    return orders


def packers(items: Items) -> list[Packer]:
    """Greedy packers with different preferences (lying strip openers only for turnable items).
    With rows (a fourth stage) the cost of a new stack makes no difference (the packings came
    out the same on all the benchmark's furniture lists), so each preference is there once."""
    alts = [items.orientations(i) for i in range(len(items.sizes))]
    weights = (1.0,) if items.rows else (1.0, 0.25, 4.0)
    out = [Packer(items, weight, alts=alts) for weight in weights]
    if any(items.rotatable):
        out += [Packer(items, weight, flat_strips=True, alts=alts) for weight in weights[:2]]
    return out


def fill_score(bins: list[Bin]) -> int:
    """Sum of squared filled areas: higher when the items crowd into fewer bins."""
    return sum(b[2] * b[2] for b in bins)


def portfolio(items: Items, members: list[int], deadline: Deadline | None = None,
              ) -> Iterator[tuple[list[Bin] | None, list[tuple]]]:
    """Greedy packings of `members` for every sort order and stacking preference, with the order;
    None for a packing the `deadline` cut short."""
    orders = sort_orders(items)
    for packer in packers(items):
        for order in orders:
            yield packer.pack(sorted(members, key=order.__getitem__), deadline=deadline), order


QUICK_CHUNK = 400  # items per group of the quick first packing


def quick_pack(packer: Packer, sequence: list[int]) -> list[Bin]:
    """A first fit packing in time linear in the number of items: the sequence dealt into
    groups of about QUICK_CHUNK items (each a sample of all sizes), each group packed on its own,
    then the items of each group's emptiest bin packed together again."""
    groups = -(-len(sequence) // QUICK_CHUNK)
    if groups <= 1:
        return packer.pack(sequence)
    bins: list[Bin] = []
    rest: list[int] = []
    for g in range(groups):
        part = packer.pack(sequence[g::groups])
        part.sort(key=lambda b: -b[2])
        rest += bin_items(part.pop())
        bins += part
    position = {i: n for n, i in enumerate(sequence)}
    return bins + packer.pack(sorted(rest, key=position.__getitem__))


def construct(items: Items, lower: int, deadline: float,
              clock: Clock = time.monotonic) -> tuple[list[Bin], list[tuple], bool]:
    """Best bins found by the greedy portfolio, the sort order that found them and whether the
    portfolio ran to its end. A quick packing (quick_pack, time linear in the number of items)
    comes first, whatever the time limit, so that there is always an answer; the portfolio's
    packings give up when the deadline passes."""
    members = list(range(len(items.sizes)))
    order = sort_orders(items)[0]
    best = quick_pack(Packer(items), sorted(members, key=order.__getitem__))
    best_order = order
    if len(best) <= lower:
        return best, best_order, True
    limit = Deadline(clock, deadline)
    for bins, order in portfolio(items, members, limit):
        if bins is None:
            return best, best_order, False
        if (len(bins), -fill_score(bins)) < (len(best), -fill_score(best)):
            best, best_order = bins, order
        if len(best) <= lower:
            break
        if limit.passed():
            return best, best_order, False
    return best, best_order, True


def lowest_packing(items: Items, b: Bin) -> Bin:
    """Bin `b`'s items packed as low as the greedy orders manage, so that the rest of the bin
    stays one large free rectangle (`items`: the model of `b`, whose turned mark stays)."""
    best = b
    for bins, _ in portfolio(items, bin_items(b)):
        if bins is not None and len(bins) == 1 and bins[0][0] < best[0]:
            best = bins[0] + b[3:]
    return best


FIT_TRIES = 8
RESTARTS = 10
MISFITS = 200_000  # item sets remembered as not fitting one bin
MIN_COPIES = 2.0  # items per kind (size) on average from which board patterns pay
PATTERNS_SHARE = 0.4  # of the time left after the greedy portfolio, for boards from patterns
PATTERN_SHARE = 0.7  # of that, for value correction (the rest for column generation)
TURNED_START = 0.15  # of the time limit at most for each greedy start, to try both ways
EACH_PATTERNS_SHARE = 0.25  # of the time left after both starts, for patterns in each way
REPATTERN_SIZES = (2, 3, 3, 4, 5, 6)  # bins rebuilt together from patterns
REPATTERN_ROUNDS = 6  # value correction rounds for them
REPATTERN_SECONDS = 0.1  # at most


class Search:
    """Improvement of a packing; `rng` makes every run with the same seed repeat itself. With
    `turned` (the items with the first cuts the other way, at any cut depth) each bin may choose
    its own way: a set of items that no greedy order fits into a bin is tried the other way too."""

    def __init__(self, items: Items, order: list[tuple], rng: random.Random,
                 clock: Clock = time.monotonic, turned: Items | None = None) -> None:
        self.items = items
        self.clock = clock
        self.order = order
        self.rng = rng
        self.packers = packers(items)
        # Greedy variants for fit checks, the most recently successful first; a check gives up
        # after FIT_TRIES of them.
        self.variants = [(p, o) for p in self.packers for o in sort_orders(items)]
        self.standing = (False, True) if any(items.rotatable) else (False,)
        self.area = [items.area(i) for i in range(len(items.sizes))]
        self.bin_area = items.length * items.width
        alts = [items.orientations(i) for i in range(len(items.sizes))]
        self.wide_y = [min(o[1] for o in a) if all(2 * o[0] > items.length for o in a) else 0 for a in alts]
        self.tall_x = [min(o[0] for o in a) if all(2 * o[1] > items.width for o in a) else 0 for a in alts]
        # Identical items are interchangeable: sets are remembered by their kinds of items.
        kinds: dict[tuple, int] = {}
        self.kind = [kinds.setdefault((size, r), len(kinds)) for size, r in zip(items.sizes, items.rotatable)]
        self.misfits: set[tuple[int, ...]] = set()
        self.deadline: Deadline | None = None  # where long packings give up
        self.twin = None if turned is None else Search(turned, order, rng, clock)
        if self.twin is not None:
            for packer, other in zip(self.packers, self.twin.packers):
                packer.turned = other

    def fit(self, members: list[int], count: int = 1) -> list[Bin] | None:
        """At most `count` bins holding all `members`, if some greedy order finds them (either
        way with a twin: those found the other way come back marked turned)."""
        if sum(self.area[i] for i in members) > count * self.bin_area:
            return None
        # Items wider than half the bin however they lie never stand side by side, so their
        # heights add up (and the same for tall items); sets already found not to fit are known.
        if (sum(self.wide_y[i] for i in members) > count * self.items.width
                or sum(self.tall_x[i] for i in members) > count * self.items.length):
            return None
        kind = self.kind
        key = tuple(sorted(kind[i] for i in members))
        if count == 1 and key in self.misfits:
            return None
        bins = self._fit(members, count)
        if bins is None and self.twin is not None:
            bins = self.twin._fit(members, count)
            for b in bins or ():
                b.append(TURNED)
        if bins is None and count == 1:
            if len(self.misfits) > MISFITS:
                self.misfits.clear()
            self.misfits.add(key)
        return bins

    def _fit(self, members: list[int], count: int) -> list[Bin] | None:
        for n, (packer, order) in enumerate(self.variants[:FIT_TRIES]):
            bins = _first_fit(packer, sorted(members, key=order.__getitem__), count)
            if bins is not None:
                if n:
                    self.variants.insert(0, self.variants.pop(n))
                return bins
        for standing in self.standing:
            bins = []
            left = members
            while left and len(bins) < count:
                b, left = fill_bin(self.items, left, standing)
                bins.append(b)
            if not left:
                return bins
        return None

    def noisy_fit(self, members: list[int], count: int) -> list[Bin] | None:
        """Like fit, once, in a greedy order whose sort keys are randomly disturbed."""
        if sum(self.area[i] for i in members) > count * self.bin_area:
            return None
        rng = self.rng
        packer, order = rng.choice(self.variants)
        noise = rng.uniform(0.02, 0.3)
        keys = {i: tuple(v * (1 + noise * rng.random()) for v in order[i]) for i in members}
        return _first_fit(packer, sorted(members, key=keys.__getitem__), count, self.deadline)

    def eliminate(self, bins: list[Bin], deadline: float) -> list[Bin] | None:
        """The items of `bins` in one bin fewer, or None if not found by `deadline`. A weakly
        filled bin is emptied; its items go into the other bins, each ejecting smaller items
        when it has to, until nothing is left over."""
        rng, area = self.rng, self.area
        m = len(bins)
        ranked = sorted(range(m), key=lambda j: bins[j][2])
        emptied = ranked[min(int(rng.random() ** 2 * m), m - 1)]
        kept = [copy_bin(b) for j, b in enumerate(bins) if j != emptied]
        left = bin_items(bins[emptied])
        tabu: dict[int, int] = {}
        step = 0
        while left:
            if self.clock() > deadline:
                return None
            step += 1
            left.sort(key=area.__getitem__)
            u = left.pop()
            if self._insert_somewhere(kept, u):
                continue
            moved = self._eject_for(kept, u, tabu, step)
            if moved is None:
                moved = self._force(kept, u)
            left.extend(moved)
            tabu[u] = step + 3 + rng.randrange(5)
        return kept

    def _insert_somewhere(self, kept: list[Bin], u: int) -> bool:
        """Put item `u` into a bin as it is, or into a bin repacked with it."""
        packer = self.packers[0]
        for b in sorted(kept, key=lambda b: -b[2]):
            if packer.insert_into(b, u):
                return True
        room = self.bin_area - self.area[u]
        candidates = [j for j, b in enumerate(kept) if b[2] <= room]
        self.rng.shuffle(candidates)
        for j in candidates[:8]:
            repacked = self.fit(bin_items(kept[j]) + [u])
            if repacked is not None:
                kept[j] = repacked[0]
                return True
        # Two bins repacked together with `u` may share their room better.
        room = 2 * self.bin_area - self.area[u]
        for _ in range(6):
            if len(kept) < 2:
                break
            j, k = self.rng.sample(range(len(kept)), 2)
            if kept[j][2] + kept[k][2] > room:
                continue
            repacked = self.fit(bin_items(kept[j]) + bin_items(kept[k]) + [u], 2)
            if repacked is not None:
                kept[j] = repacked[0]
                if len(repacked) == 2:
                    kept[k] = repacked[1]
                else:
                    del kept[k]
                return True
        return False

    def _eject_for(self, kept: list[Bin], u: int, tabu: dict[int, int], step: int) -> list[int] | None:
        """Make room for `u` in some bin by taking out one smaller item not recently placed."""
        area, rng = self.area, self.rng
        room = self.bin_area - area[u]
        js = list(range(len(kept)))
        rng.shuffle(js)
        tries = 0
        kind = self.kind
        for j in js:
            members = bin_items(kept[j])
            seen = {kind[u]}  # swapping identical items changes nothing
            victims = []
            for v in members:
                if (area[v] < area[u] and kind[v] not in seen and tabu.get(v, 0) < step
                        and kept[j][2] - area[v] <= room):
                    seen.add(kind[v])
                    victims.append(v)
            victims.sort(key=area.__getitem__, reverse=True)
            for v in victims[:3]:
                tries += 1
                repacked = self.fit([i for i in members if i != v] + [u])
                if repacked is not None:
                    kept[j] = repacked[0]
                    return [v]
            if tries > 24:
                break
        return None

    def _force(self, kept: list[Bin], u: int) -> list[int]:
        """Put `u` into a random bin that holds it after some of its items are taken out;
        return those items."""
        j = self.rng.randrange(len(kept))
        members = bin_items(kept[j])
        self.rng.shuffle(members)
        while members:
            members.pop()
            repacked = self.fit(members + [u])
            if repacked is not None:
                staying = set(members)
                out = [i for i in bin_items(kept[j]) if i not in staying]
                kept[j] = repacked[0]
                return out
        out = bin_items(kept[j])
        kept[j] = [0, [], 0]
        self.packers[0].insert_into(kept[j], u)
        return out

    def reshuffle(self, bins: list[Bin], rounds: int, deadline: float) -> list[Bin]:
        """Ruin and recreate: empty a few bins (always including a weakly filled one), reinsert
        their items into the others first, and keep the result when it needs no more bins and
        crowds the items at least as much."""
        rng, order, packer = self.rng, self.order, self.packers[0]
        current = bins
        for _ in range(rounds):
            m = len(current)
            if m < 2 or self.clock() > deadline:
                break
            ranked = sorted(range(m), key=lambda j: current[j][2])
            weak = ranked[min(int(rng.random() ** 3 * m), m - 1)]
            ruined = {weak, *rng.sample(range(m), min(m, rng.choice((2, 2, 3, 3, 4))) - 1)}
            kept = [copy_bin(b) for j, b in enumerate(current) if j not in ruined]
            removed = sorted((i for j in ruined for i in bin_items(current[j])), key=order.__getitem__)
            for _ in range(rng.randrange(len(removed) // 2 + 1)):
                j = rng.randrange(max(1, len(removed) - 1))
                removed[j:j + 2] = removed[j:j + 2][::-1]
            candidate = packer.pack(removed, kept)
            if len(candidate) < len(current) or (
                len(candidate) == len(current) and fill_score(candidate) >= fill_score(current)
            ):
                current = candidate
        return current

    def repattern(self, bins: list[Bin], rounds: int, deadline: float) -> list[Bin]:
        """Rebuild a few bins (always including weakly filled ones) from board patterns (see
        patterns.py); keep the result when it needs fewer bins or crowds the items more."""
        rng, clock = self.rng, self.clock
        current = bins
        for _ in range(rounds):
            m = len(current)
            if m < 2 or clock() > deadline:
                break
            ranked = sorted(range(m), key=lambda j: current[j][2])
            size = min(m, rng.choice(REPATTERN_SIZES))
            weak = rng.randint(1, max(1, size // 2))
            chosen = set(ranked[:weak]) | set(rng.sample(ranked[weak:], size - weak))
            old = [current[j] for j in chosen]
            members = [i for b in old for i in bin_items(b)]
            new = value_correction(self.items, min(deadline, clock() + REPATTERN_SECONDS), clock, rng,
                                   len(old) - 1, members, REPATTERN_ROUNDS)
            if new is not None and (len(new), -fill_score(new)) < (len(old), -fill_score(old)):
                current = [b for j, b in enumerate(current) if j not in chosen] + new
        return current


def _first_fit(packer: Packer, sequence: list[int], count: int,
               deadline: Deadline | None = None) -> list[Bin] | None:
    """The items of `sequence` packed first fit into at most `count` bins, or None (also when
    the `deadline` passes first)."""
    bins: list[Bin] = []
    for n, i in enumerate(sequence, start=1):
        if deadline is not None and n % CHECK_EVERY == 0 and deadline.passed():
            return None
        if not any(packer.insert_into(b, i) for b in bins):
            if len(bins) == count:
                return None
            bins.append([0, [], 0])
            packer.insert_into(bins[-1], i)
    return bins


def _better(a: list[Bin], b: list[Bin]) -> bool:
    """Whether bins `a` use fewer bins than `b`, or as many with the items more crowded."""
    return (len(a), -fill_score(a)) < (len(b), -fill_score(b))


def _patterns_pay(items: Items) -> bool:
    return len(items.sizes) >= MIN_COPIES * len(set(zip(items.sizes, items.rotatable)))


def with_patterns(items: Items, best: list[Bin], lower: int, until: float, seed: int,
                  clock: Clock) -> list[Bin]:
    """`best`, or boards from patterns (value correction, then column generation over its
    patterns) until `until` if they are better."""
    if not _patterns_pay(items) or len(best) <= lower:
        return best
    pool: list = []
    now = clock()
    patterned = value_correction(items, now + (until - now) * PATTERN_SHARE, clock, random.Random(seed),
                                 lower, pool=pool)
    if patterned is not None and _better(patterned, best):
        best = patterned
    if len(best) > lower:
        patterned = column_generation(items, until, clock, random.Random(seed), pool=pool)
        if patterned is not None and _better(patterned, best):
            best = patterned
    return best


def pack_bins(items: Items, lower: int, time_limit: float, seed: int = 0,
              clock: Clock = time.monotonic, turned: Items | None = None) -> tuple[list[Bin], bool, bool]:
    """Pack all items into as few bins as the search finds within `time_limit` seconds of `clock`;
    also whether the time ran out before the greedy portfolio was through (a quick answer) and
    whether the bins are of `turned` (the same items with the first cuts the other way, tried
    too when given and the greedy start was quick) rather than of `items`. With `turned` given,
    bins marked turned (guillotine.is_turned) are of the other model than the rest."""
    start = clock()
    deadline = start + time_limit
    best, order, complete = construct(items, lower, deadline, clock)
    if not complete:
        return best, True, False
    used_turned = False
    if turned is not None and len(best) > lower and clock() - start < time_limit * TURNED_START:
        other, other_order, other_complete = construct(turned, lower, clock() + time_limit * TURNED_START, clock)
        if other_complete:
            now = clock()
            best = with_patterns(items, best, lower, now + (deadline - now) * EACH_PATTERNS_SHARE, seed, clock)
            if len(best) > lower:
                now = clock()
                other = with_patterns(turned, other, lower, now + (deadline - now) * EACH_PATTERNS_SHARE / (
                    1 - EACH_PATTERNS_SHARE), seed, clock)
                if _better(other, best):
                    best, order, items, used_turned = other, other_order, turned, True
        else:
            best = with_patterns(items, best, lower, clock() + (deadline - clock()) * PATTERNS_SHARE, seed, clock)
    else:
        best = with_patterns(items, best, lower, clock() + (deadline - clock()) * PATTERNS_SHARE, seed, clock)
    patterns_pay = _patterns_pay(items)
    other = None if turned is None else items if used_turned else turned
    search = Search(items, order, random.Random(seed), clock, other)
    search.deadline = Deadline(clock, deadline)
    current = best
    while len(best) > lower and clock() < deadline:
        attempt_end = min(deadline, clock() + max(0.05, (deadline - start) / 4))
        fewer = search.eliminate(current, attempt_end)
        if fewer is not None:
            best = current = fewer
            continue
        current = search.reshuffle(current, 20, deadline)
        if len(current) < len(best):
            best = current
            continue
        everything = [i for b in best for i in bin_items(b)]
        for _ in range(RESTARTS):
            if clock() > deadline:
                break
            fewer = search.noisy_fit(everything, len(best) - 1)
            if fewer is not None:
                best = current = fewer
                break
        else:
            if patterns_pay:
                current = search.repattern(current, 6, deadline)
                if len(current) < len(best):
                    best = current
    return best, False, used_turned
