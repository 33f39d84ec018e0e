"""The shop's stock boards («Материалы»): size, edge trim and saw kerf per material, kept in the
shop-wide ``Setting`` table as JSON; the defaults of app/cutting/materials.py until edited."""
from __future__ import annotations

import json

from app.cutting import DEFAULT_BOARDS, Board
from app.domain.changes import Changes, Done
from app.domain.errors import ServiceError
from app.services import permissions
from app.store.db import database
from app.store.models import Setting, User

KEY = "cutting.stock_boards"
FIELDS = ("material", "length", "width", "trim", "kerf")


def stock_boards() -> list[Board]:
    """The stock boards the optimiser cuts from (one query)."""
    row = Setting.get_or_none(Setting.key == KEY)
    if row is None:
        return list(DEFAULT_BOARDS)
    return [Board(**{name: item[name] for name in FIELDS}) for item in json.loads(row.value)]


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
        if material.casefold() in seen:
            raise ServiceError(f"{where}: материал уже есть в таблице")
        seen.add(material.casefold())
        try:
            length, width, trim, kerf = (int(row.get(name)) for name in FIELDS[1:])
        except (TypeError, ValueError):
            raise ServiceError(f"{where}: размеры, обрезка и пропил — целые миллиметры") from None
        if length <= 0 or width <= 0:
            raise ServiceError(f"{where}: длина и ширина листа должны быть больше нуля")
        if trim < 0 or kerf < 0:
            raise ServiceError(f"{where}: обрезка кромок и пропил не могут быть отрицательными")
        if length - 2 * trim <= 0 or width - 2 * trim <= 0:
            raise ServiceError(f"{where}: после обрезки кромок от листа ничего не остаётся")
        boards.append(Board(material, length, width, trim, kerf))
    value = json.dumps([{name: getattr(b, name) for name in FIELDS} for b in boards], ensure_ascii=False)
    with database.atomic():
        Setting.insert(key=KEY, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
    return Done(boards, Changes(stock_boards=True))
