"""The shop's stock boards («Материалы»): size, edge trim, saw kerf and cut depth (stages; empty
for any guillotine sequence), count, price and the smallest offcut worth storing per material, kept in the
shop-wide ``Setting`` table as JSON; the defaults of app/cutting/materials.py until edited."""
from __future__ import annotations

import json

from app.cutting import DEFAULT_BOARDS, Board
from app.domain.changes import Changes, Done
from app.domain.errors import ServiceError
from app.domain.money import MoneyError, parse_rub
from app.domain.offcuts import DEFAULT_MIN, parse_min_size, size_text
from app.services import permissions
from app.store.db import database
from app.store.models import Setting, User

KEY = "cutting.stock_boards"
FIELDS = ("material", "length", "width", "trim", "kerf", "stages", "count", "cost", "min_offcut")
STAGES = (2, 3, 4)  # the cut depths a saw may be limited to
ANY_STAGES = "любая"  # how the table shows an unlimited cut depth


def stock_boards() -> list[Board]:
    """The stock boards the optimiser cuts from (one query)."""
    row = Setting.get_or_none(Setting.key == KEY)
    if row is None:
        return list(DEFAULT_BOARDS)
    boards = []
    for item in json.loads(row.value):
        values = {name: item.get(name) for name in FIELDS if name in item}
        if values.get("min_offcut") is not None:
            values["min_offcut"] = tuple(values["min_offcut"])
        boards.append(Board(**values))
    return boards


def min_offcut_text(minimum: tuple[int, int] | None) -> str:
    """How «Материалы» shows a minimum offcut: «600×300», empty for the default."""
    return size_text(*minimum) if minimum else ""


def _min_offcut(value: object, where: str) -> tuple[int, int] | None:
    """«Мин. остаток»: «длина×ширина» in mm, empty for the default."""
    if isinstance(value, (list, tuple)):
        value = "×".join(str(v) for v in value)
    try:
        return parse_min_size(value)
    except ValueError:
        raise ServiceError(f"{where}: минимальный остаток — «длина×ширина» в мм, например «600×300», "
                           f"или пусто (по умолчанию {size_text(*DEFAULT_MIN)})") from None


def _stages(value: object, where: str) -> int | None:
    """A row's «Этапы резки»: empty or «любая» for any guillotine sequence, else 2, 3 or 4."""
    text = "" if value is None else str(value).strip()
    if text.casefold() in ("", ANY_STAGES):
        return None
    if text.isascii() and text.isdigit() and int(text) in STAGES:
        return int(text)
    raise ServiceError(f"{where}: этапы резки — 2, 3, 4 или «{ANY_STAGES}» (любая гильотинная резка)")


def _count(value: object, where: str) -> int | None:
    """«Количество» of boards in stock: empty for as many as needed."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # «²» is a digit to str.isdigit, not to int()
        raise ServiceError(f"{where}: количество листов — целое число или пусто (без ограничения)")
    return int(text)


def _cost(value: object, where: str) -> float:
    """«Цена листа» in roubles: empty for none."""
    try:
        kopecks = parse_rub(None if value is None else str(value))
    except MoneyError as error:
        raise ServiceError(f"{where}: цена листа: {error}") from None
    return (kopecks or 0) / 100


def save_stock_boards(actor: User | None, rows: list[dict]) -> Done[list[Board]]:
    """Check and store the table (dicts with FIELDS; sizes in mm); ServiceError names a bad row.
    Whoever may make cut sheets (the constructor) may change it."""
    permissions.require(actor, permissions.CUT_SHEETS)
    if not isinstance(rows, (list, tuple)) or not all(isinstance(row, dict) for row in rows):
        raise ServiceError("Таблица листов не сохранена: неверные строки")
    boards: list[Board] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        material = " ".join(str(row.get("material") or "").split())
        where = f"Строка {n}" + (f" («{material}»)" if material else "")
        if not material:
            raise ServiceError(f"{where}: укажите материал")
        if (material.casefold(), str(row.get("length")), str(row.get("width"))) in seen:
            raise ServiceError(f"{where}: такой лист этого материала уже есть в таблице")
        seen.add((material.casefold(), str(row.get("length")), str(row.get("width"))))
        try:
            length, width, trim, kerf = (int(row.get(name)) for name in FIELDS[1:5])
        except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite number
            raise ServiceError(f"{where}: размеры, обрезка и пропил — целые миллиметры") from None
        if length <= 0 or width <= 0:
            raise ServiceError(f"{where}: длина и ширина листа должны быть больше нуля")
        if trim < 0 or kerf < 0:
            raise ServiceError(f"{where}: обрезка кромок и пропил не могут быть отрицательными")
        if length - 2 * trim <= 0 or width - 2 * trim <= 0:
            raise ServiceError(f"{where}: после обрезки кромок от листа ничего не остаётся")
        boards.append(Board(material, length, width, trim, kerf, _stages(row.get("stages"), where),
                            _count(row.get("count"), where), _cost(row.get("cost"), where),
                            _min_offcut(row.get("min_offcut"), where)))
    value = json.dumps([{name: getattr(b, name) for name in FIELDS} for b in boards], ensure_ascii=False)
    with database.atomic():
        Setting.insert(key=KEY, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
    return Done(boards, Changes(stock_boards=True))
