"""Deterministic furniture cutting instances for the benchmark (seeded; no data files).

Two sets, each a list of ``{"name", "board": (length, width, trim, kerf), "items": [(length,
width, qty)]}``:

- ``beds``: the bed models' cut sheets (bench_cutting.furniture_cases) combined as a week's orders
  of the shop — a few models, each in one to four copies, sometimes with a wardrobe from the
  cabinet generator;
- ``cabinets``: generated cabinet-like lists with the traits of factory data: few sizes in large
  quantities, long narrow parts (sides, rails, shelves), parts close to a half or a third of the
  board (just under or just over it), and ordinary carcass parts, from 2 to 200 sizes.

Boards are the shop's sizes (2750×1220, 2800×2070, 2440×1830) with 10 mm trim and a 4 mm kerf.
"""
from __future__ import annotations

import random

from app.cutting import DEFAULT_BOARDS, Part

BOARDS = ((2750, 1220, 10, 4), (2800, 2070, 10, 4), (2440, 1830, 10, 4))


def _near_fraction(rng: random.Random, usable: int, kerf: int, parts: int) -> int:
    """A size close to 1/parts of `usable`: fitting `parts` times with kerfs, or a little over."""
    exact = (usable - (parts - 1) * kerf) // parts
    return max(50, exact + rng.choice((-40, -15, -5, -2, 0, 0, 3, 8, 25)))


def _size(rng: random.Random, board: tuple[int, int, int, int]) -> tuple[int, int]:
    """One part size (length ≥ width is not required: grain decides) of a random kind."""
    length, width, trim, kerf = board
    ul, uw = length - 2 * trim, width - 2 * trim
    kind = rng.random()
    if kind < 0.30:  # long narrow: sides, rails, shelves, plinths
        return rng.randint(int(ul * 0.45), ul), rng.choice((60, 80, 100, 120, 150, 200, 250, 300,
                                                             350, 400, 450, 500, 560, 600))
    if kind < 0.50:  # close to a half or a third of the board, either way
        along = _near_fraction(rng, ul, kerf, rng.choice((2, 3, 4)))
        across = _near_fraction(rng, uw, kerf, rng.choice((1, 2, 3))) if rng.random() < 0.5 \
            else rng.randint(100, uw // 2)
        return along, across
    if kind < 0.85:  # carcass parts: sides, tops, shelves, doors, drawer parts
        return rng.randint(300, 2100), rng.randint(250, 650)
    return rng.randint(80, 600), rng.randint(60, 450)  # small parts


def cabinet_items(rng: random.Random, board: tuple[int, int, int, int], sizes: int) -> list[tuple[int, int, int]]:
    """`sizes` part sizes with quantities: few sizes get large quantities, many get small ones."""
    ul, uw = board[0] - 2 * board[2], board[1] - 2 * board[2]
    out = []
    for _ in range(sizes):
        a, b = _size(rng, board)
        a, b = min(a, ul), min(b, uw)
        if sizes <= 6:
            qty = rng.randint(6, 60)
        elif sizes <= 30:
            qty = rng.choice((1, 2, 2, 4, 4, 6, 8, 10, 12, 20))
        else:
            qty = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        out.append((a, b, qty))
    return out


def _size_count(rng: random.Random) -> int:
    """2 to 200 sizes, most lists short."""
    r = rng.random()
    if r < 0.35:
        return rng.randint(2, 6)
    if r < 0.75:
        return rng.randint(7, 30)
    if r < 0.95:
        return rng.randint(31, 100)
    return rng.randint(101, 200)


def furniture_cases() -> dict[str, list[Part]]:
    """Cut sheets of bed models (ЛДСП 16; facades keep the grain, inner parts may turn)."""
    m = DEFAULT_BOARDS[0].material

    def bed(order: str, model: str, rows: list[tuple[str, int, int, int, bool]]) -> list[Part]:
        return [Part(f"{order}-{n}", m, ln, wd, qty, rot, order, f"{model}: {name}")
                for n, (name, ln, wd, qty, rot) in enumerate(rows, start=1)]

    drawers = [("Фасад ящика", 890, 180, 2, False), ("Бок ящика", 700, 150, 4, True),
               ("Задняя стенка ящика", 820, 150, 2, True)]
    yarus = bed("21", "Ярус", [
        ("Боковина", 1932, 300, 4, False), ("Спинка", 1700, 860, 2, False),
        ("Спинка низкая", 900, 860, 2, False), ("Ламель-царга", 1900, 100, 4, True),
        ("Ступень", 400, 250, 4, True), ("Бортик", 1500, 200, 2, False), *drawers])
    izbushka = bed("22", "Избушка", [
        ("Фронтон", 1250, 900, 2, False), ("Стойка", 1600, 100, 4, True),
        ("Конёк", 1950, 120, 1, True), ("Боковина", 1932, 250, 2, False),
        ("Бортик", 1200, 150, 2, False), ("Дно", 1900, 800, 1, True), *drawers])
    zamok = bed("23", "Замок", [
        ("Башня", 1750, 500, 2, False), ("Стена", 1950, 700, 2, False),
        ("Зубец", 300, 200, 8, True), ("Царга", 1932, 200, 2, False),
        ("Лестница: тетива", 1500, 120, 2, True), ("Ступень", 450, 220, 4, True),
        ("Полка", 800, 300, 3, True), *drawers])
    ostrov = bed("24", "Остров", [
        ("Борт округлый", 2000, 450, 2, False), ("Изголовье", 1700, 900, 1, False),
        ("Изножье", 1700, 600, 1, False), ("Царга", 1632, 160, 2, True),
        ("Опора", 700, 150, 6, True), *drawers])
    cherdak = bed("25", "Чердак", [
        ("Стойка", 1800, 120, 4, True), ("Боковина", 1932, 250, 2, False),
        ("Торец", 900, 250, 2, False), ("Столешница", 1200, 600, 1, False),
        ("Тумба: бок", 720, 500, 2, True), ("Тумба: полка", 500, 460, 3, True),
        ("Шкаф: бок", 1500, 500, 2, True), ("Шкаф: дверь", 1450, 450, 1, False),
        ("Ступень", 500, 250, 5, True), ("Бортик", 1400, 180, 2, False)])
    return {"Ярус": yarus, "Избушка": izbushka, "Замок": zamok, "Остров": ostrov,
            "Чердак": cherdak, "Неделя: все пять": yarus + izbushka + zamok + ostrov + cherdak}


def cabinets(count: int = 60, seed: int = 19) -> list[dict]:
    """Generated cabinet-like instances."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        board = BOARDS[n % len(BOARDS)]
        out.append({"name": f"cabinet-{n:03d}", "board": board,
                    "items": cabinet_items(rng, board, _size_count(rng))})
    return out


def beds(count: int = 30, seed: int = 7) -> list[dict]:
    """The bed models' part lists combined into orders of a week."""
    rng = random.Random(seed)
    models = [parts for name, parts in furniture_cases().items() if name != "Неделя: все пять"]
    out = []
    for n in range(count):
        board = BOARDS[n % len(BOARDS)]
        ul, uw = board[0] - 2 * board[2], board[1] - 2 * board[2]
        counts: dict[tuple[int, int], int] = {}
        for model in rng.sample(models, rng.randint(1, len(models))):
            copies = rng.randint(1, 4)
            for p in model:
                size = (min(p.length, ul), min(p.width, uw))
                counts[size] = counts.get(size, 0) + p.qty * copies
        if rng.random() < 0.3:
            for a, b, q in cabinet_items(rng, board, rng.randint(3, 12)):
                counts[(a, b)] = counts.get((a, b), 0) + q
        out.append({"name": f"beds-{n:03d}", "board": board,
                    "items": [(a, b, q) for (a, b), q in counts.items()]})
    return out


def furniture_sets(scale: float = 1.0) -> dict[str, list[dict]]:
    """Both sets; `scale` < 1 takes fewer instances (a quick run)."""
    return {"beds": beds(max(1, round(30 * scale))), "cabinets": cabinets(max(1, round(60 * scale)))}
