"""Lower bounds on the number of bins for packing rectangles (valid for any packing, so also for
guillotine ones): the area bound and Martello–Vigo style bounds, extended to items that may turn.

An item is judged by its sizes in every way it may lie: it counts as "wide" only if it is wide
however it is turned, and so on. Sizes must already include the kerf (see the solver).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from .guillotine import Items

THRESHOLD_WORK = 400_000  # item checks the big-item bound may spend over its thresholds


def lower_bound(items: Items) -> int:
    """The best of the area bound, the one-dimensional bounds on wide and on tall items, the
    bound on items that cannot share a bin with the big ones and the one on copies of a size."""
    n = len(items.sizes)
    if n == 0:
        return 0
    length, width = items.length, items.width
    area = sum(items.area(i) for i in range(n))
    best = -(-area // (length * width))
    alts = [items.orientations(i) for i in range(n)]
    min_x = [min(o[0] for o in a) for a in alts]
    min_y = [min(o[1] for o in a) for a in alts]
    # Items wider than half the bin however they lie are stacked one above the other.
    best = max(best, one_dimensional_bound([min_y[i] for i in range(n) if min_x[i] * 2 > length], width))
    best = max(best, one_dimensional_bound([min_x[i] for i in range(n) if min_y[i] * 2 > width], length))
    best = max(best, big_item_bound(min_x, min_y, [items.area(i) for i in range(n)], length, width))
    return max(best, copies_bound(alts, length, width))


def copies_bound(alts: list[tuple], length: int, width: int) -> int:
    """Copies of one size that lie one way only: at most ⌊length/x⌋·⌊width/y⌋ of them share a bin
    (in any packing each copy's x-range (a, a+x] holds exactly one of the lines at multiples of
    x, and the copies a line crosses lie one above the other)."""
    counts: dict[tuple, int] = {}
    for a in alts:
        if len(a) == 1:
            counts[a[0][:2]] = counts.get(a[0][:2], 0) + 1
    best = 0
    for (x, y), count in counts.items():
        best = max(best, -(-count // ((length // x) * (width // y))))
    return best


def one_dimensional_bound(sizes: list[int], capacity: int) -> int:
    """Martello–Toth L2 bound for packing `sizes` into bins of `capacity`, and the count bound:
    at most k items larger than capacity/(k+1) share a bin."""
    if not sizes:
        return 0
    sizes = sorted(sizes)
    prefix = [0, *accumulate(sizes)]
    n = len(sizes)
    half = capacity // 2
    best = -(-prefix[n] // capacity)
    # Items above half never share; for a threshold p, items in (half, capacity - p] leave room
    # that only the items in [p, half] could fill.
    above_half = bisect_right(sizes, half)
    for p in sorted(set(s for s in sizes if s <= half)) or [half + 1]:
        lo = bisect_left(sizes, p)
        mid = bisect_right(sizes, capacity - p)
        j12 = n - above_half
        j2 = mid - above_half if mid > above_half else 0
        j2_sum = prefix[max(mid, above_half)] - prefix[above_half]
        j3_sum = prefix[above_half] - prefix[lo]
        extra = j3_sum - (j2 * capacity - j2_sum)
        best = max(best, j12 + max(0, -(-extra // capacity)))
    for k in range(2, min(n, capacity)):
        larger = n - bisect_right(sizes, capacity // (k + 1))
        best = max(best, -(-larger // k))
    return best


def big_item_bound(min_x: list[int], min_y: list[int], areas: list[int], length: int, width: int) -> int:
    """For thresholds q ≤ length/2 and p ≤ width/2: items larger than (length-q)×(width-p) take a
    bin each and leave no room for items of at least q×p; items larger than half in both ways
    cannot share either. So bins ≥ |K1| + max(|K2|, ⌈area(K2 ∪ K3) / bin area⌉)."""
    n = len(areas)
    bin_area = length * width
    big = [i for i in range(n) if min_x[i] * 2 > length and min_y[i] * 2 > width]
    best = len(big)
    qs = sorted({x for x in min_x if x * 2 <= length}) or [length // 2]
    ps = sorted({y for y in min_y if y * 2 <= width}) or [width // 2]
    # Thresholds that change K1 also matter: length - x + 1 for big items.
    qs = sorted(set(qs) | {length - min_x[i] + 1 for i in big if length - min_x[i] + 1 <= length // 2})
    ps = sorted(set(ps) | {width - min_y[i] + 1 for i in big if width - min_y[i] + 1 <= width // 2})
    # Any thresholds give a valid bound: on many items try an even selection of them.
    step = max(1, round((len(qs) * len(ps) * n / THRESHOLD_WORK) ** 0.5))
    qs, ps = qs[::step], ps[::step]
    order = sorted(range(n), key=lambda i: min_x[i])
    for q in qs:
        at_least_q = [i for i in order if min_x[i] >= q]
        for p in ps:
            k1 = k2 = 0
            rest_area = 0
            for i in at_least_q:
                if min_y[i] < p:
                    continue
                if min_x[i] > length - q and min_y[i] > width - p:
                    k1 += 1
                elif min_x[i] * 2 > length and min_y[i] * 2 > width:
                    k2 += 1
                    rest_area += areas[i]
                else:
                    rest_area += areas[i]
            best = max(best, k1 + max(k2, -(-rest_area // bin_area)))
    return best
