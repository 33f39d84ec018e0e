"""Finding few bins: a portfolio of greedy packings, then ruin-and-recreate improvement until the
lower bound is reached, the time is up or the search stops finding anything new."""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator

from .guillotine import Bin, Items, Packer, bin_items, copy_bin

SortKey = Callable[[int], tuple]


def sort_keys(items: Items) -> list[SortKey]:
    """Orders in which the greedy packing takes the items (all put big items first)."""
    length, width = items.length, items.width

    def tall(i: int) -> tuple[int, int]:
        """Height in the lying-flat-if-allowed orientation is what opens strips."""
        w, h = items.sizes[i]
        if items.rotatable[i]:
            w, h = max(w, h), min(w, h)
        return w, h

    def upright(i: int) -> tuple[int, int]:
        w, h = items.sizes[i]
        if items.rotatable[i]:
            w, h = min(w, h), max(w, h)
        return w, h

    keys: list[SortKey] = []
    for shape in (tall, upright):
        keys.append(lambda i, s=shape: (-s(i)[1], -s(i)[0]))
        keys.append(lambda i, s=shape: (-s(i)[0] * s(i)[1], -s(i)[1]))
        keys.append(lambda i, s=shape: (-s(i)[0], -s(i)[1]))
        keys.append(lambda i, s=shape: (-max(s(i)[0] * width, s(i)[1] * length), -s(i)[1]))
    return keys


def fill_score(bins: list[Bin]) -> int:
    """Sum of squared filled areas: higher when the items crowd into fewer bins."""
    return sum(b[2] * b[2] for b in bins)


def portfolio(items: Items, members: list[int]) -> Iterator[tuple[list[Bin], SortKey]]:
    """Greedy packings of `members` for every sort order and stacking preference, with the order."""
    for weight in (1.0, 0.25, 4.0):
        packer = Packer(items, new_stack_weight=weight)
        for key in sort_keys(items):
            yield packer.pack(sorted(members, key=key)), key


def construct(items: Items, lower: int, deadline: float) -> tuple[list[Bin], SortKey]:
    """Best bins found by the greedy portfolio, and the item order that found them."""
    best: list[Bin] | None = None
    best_key = None
    for bins, key in portfolio(items, list(range(len(items.sizes)))):
        if best is None or (len(bins), -fill_score(bins)) < (len(best), -fill_score(best)):
            best, best_key = bins, key
        if len(best) <= lower or time.monotonic() > deadline:
            break
    return best, best_key


def lowest_packing(items: Items, b: Bin) -> Bin:
    """Bin `b`'s items packed as low as the greedy orders manage, so that the rest of the bin
    stays one large free rectangle."""
    best = b
    for bins, _ in portfolio(items, bin_items(b)):
        if len(bins) == 1 and bins[0][0] < best[0]:
            best = bins[0]
    return best


def improve(items: Items, bins: list[Bin], key: SortKey, lower: int, deadline: float,
            rng: random.Random, patience: int) -> list[Bin]:
    """Ruin and recreate: empty a few bins (always including a weakly filled one), reinsert their
    items into the others first, and keep the result if it needs no more bins and packs the items
    at least as tightly. Stops at `lower`, at `deadline` or after `patience` fruitless rounds."""
    packer = Packer(items)
    best = bins
    current = bins
    idle = 0
    while len(best) > lower and idle < patience and time.monotonic() < deadline:
        idle += 1
        m = len(current)
        if m < 2:
            break
        ranked = sorted(range(m), key=lambda j: current[j][2])
        weak = ranked[min(int(rng.random() ** 3 * m), m - 1)]
        k = min(m, rng.choice((2, 2, 3, 3, 4)))
        ruined = {weak, *rng.sample(range(m), k - 1)}
        kept = [copy_bin(b) for j, b in enumerate(current) if j not in ruined]
        removed = [i for j in ruined for i in bin_items(current[j])]
        removed.sort(key=key)
        for _ in range(rng.randrange(len(removed) // 2 + 1)):
            j = rng.randrange(len(removed) - 1) if len(removed) > 1 else 0
            removed[j:j + 2] = removed[j:j + 2][::-1]
        candidate = packer.pack(removed, kept)
        if len(candidate) < len(current) or (
            len(candidate) == len(current) and fill_score(candidate) >= fill_score(current)
        ):
            if len(candidate) < len(best):
                best = candidate
                idle = 0
            current = candidate
    return best


def pack_bins(items: Items, lower: int, time_limit: float, seed: int = 0) -> list[Bin]:
    """Pack all items into as few bins as the search finds within `time_limit` seconds."""
    start = time.monotonic()
    deadline = start + time_limit
    bins, key = construct(items, lower, deadline)
    if len(bins) > lower:
        patience = 200 + 20 * len(items.sizes)
        bins = improve(items, bins, key, lower, deadline, random.Random(seed), patience)
    return bins
