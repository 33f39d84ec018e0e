"""Command line: ``python -m app.cutting IN.json`` prints the cut layouts as JSON.

Input: ``{"boards": [{"material", "length", "width", "trim", "kerf", "stages"}], "parts": [{"id",
"material", "length", "width", "qty", "rotate", "order", "name"}], "time_limit": 2, "stages": 3}``;
without "boards" the default material table is used. "stages" (per board, or for all) limits the
cut depth to that many stages; null or absent: any guillotine sequence. A material may have boards
of several sizes, each with "count" (null: unlimited) and "cost" (per board; the output adds
"cost" per layout and in total). "offcuts" per layout are the waste re-cut as the largest pieces
the saw can cut out that reach "min_offcut" (as «Раскроено» offers them). Bad input prints a
Russian message, exit code 2.
"""
from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from .errors import CuttingInputError
from .materials import DEFAULT_BOARDS
from .model import Board, CuttingResult, Part
from .offcuts import merged_offcuts
from .solver import MIN_OFFCUT, optimise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the optimiser on the JSON file named in `argv` and print the result as JSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("Использование: python -m app.cutting ВХОД.json", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8-sig") as f:  # a BOM (Notepad's UTF-8) is fine
            data = json.load(f, parse_constant=_no_constant)
        boards, parts, options = parse_input(data)
        result = optimise(boards, parts, **options)
        _merge_offcuts(result, options)
    except OSError as e:
        print(f"Не удалось прочитать файл {args[0]}: {e.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"Файл {args[0]} не в кодировке UTF-8: сохраните его как UTF-8", file=sys.stderr)
        return 2
    except json.JSONDecodeError as e:
        print(f"Файл {args[0]} не является JSON: строка {e.lineno}, позиция {e.colno}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"Файл {args[0]}: слишком глубокая вложенность — это не входные данные раскроя", file=sys.stderr)
        return 2
    except CuttingInputError as e:
        print(str(e), file=sys.stderr)
        return 2
    json.dump(result_to_json(result), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _merge_offcuts(result: CuttingResult, options: dict[str, Any]) -> None:
    """Each layout's waste as the largest pieces the saw can cut out, as the cut sheet offers them."""
    minimum = options.get("min_offcut", MIN_OFFCUT)
    for layout in result.layouts:
        layout.offcuts = merged_offcuts(layout, minimum, options.get("max_stages"))


def parse_input(data: Any) -> tuple[list[Board], list[Part], dict[str, Any]]:
    """Boards, parts and optimiser options from the decoded input JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list):
        raise CuttingInputError("Во входных данных нет списка деталей «parts»")
    raw_boards = data.get("boards")
    if raw_boards is None:
        boards = list(DEFAULT_BOARDS)
    elif isinstance(raw_boards, list):
        boards = [_board(b, n) for n, b in enumerate(raw_boards, start=1)]
    else:
        raise CuttingInputError("«boards» должен быть списком листов")
    parts = [_part(p, n) for n, p in enumerate(data["parts"], start=1)]
    if sum(part.qty for part in parts) > MAX_PIECES:
        raise CuttingInputError(f"Слишком много деталей: больше {MAX_PIECES} штук в одном раскрое")
    options: dict[str, Any] = {}
    if "time_limit" in data:
        limit = data["time_limit"]
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 <= limit <= 3600:
            raise CuttingInputError("«time_limit» должен быть числом секунд от 0 до 3600")
        options["time_limit"] = float(limit)
    if "stages" in data:
        options["max_stages"] = _stages(data["stages"], "Параметр «stages»")
    if "first_cut_along_length" in data:
        options["first_cut_along_length"] = _flag(data["first_cut_along_length"], "Параметр «first_cut_along_length»")
    if "min_offcut" in data:
        pair = data["min_offcut"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise CuttingInputError("«min_offcut» должен быть парой чисел [длина, ширина]")
        options["min_offcut"] = tuple(_whole(v, "Параметр «min_offcut»") for v in pair)
    return boards, parts, options


def _stages(value: Any, what: str) -> int | None:
    if value is None:
        return None
    stages = _whole(value, what)
    if stages < 1:
        raise CuttingInputError(f"{what}: число этапов резки должно быть не меньше 1 (или null — любое)")
    return stages


MAX_MM = 100_000  # no board or part is 100 m long
MAX_QTY = 10_000  # per part line
MAX_PIECES = 100_000  # in one input


def _no_constant(name: str) -> float:
    raise CuttingInputError(f"Во входных данных «{name}» — не число")


def _whole(value: Any, what: str, limit: int = MAX_MM) -> int:
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value != int(value)):
        raise CuttingInputError(f"{what}: ожидается целое число, а не {str(value)[:40]}")
    if abs(value) > limit:
        raise CuttingInputError(f"{what}: {int(value)} — больше допустимого ({limit})")
    return int(value)


def _flag(value: Any, what: str) -> bool:
    """true/false, 1/0 or the words «true»/«false», «да»/«нет» (a string «false» is false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _FLAG_WORDS:
        return _FLAG_WORDS[value.strip().lower()]
    raise CuttingInputError(f"{what}: ожидается true или false, а не {str(value)[:40]}")


_FLAG_WORDS = {"true": True, "false": False, "да": True, "нет": False, "yes": True, "no": False,
               "1": True, "0": False}


def _fields(raw: Any, what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CuttingInputError(f"{what}: ожидается объект с полями")
    return raw


def _board(raw: Any, n: int) -> Board:
    b = _fields(raw, f"Лист №{n}")
    what = f"Лист «{b.get('material', n)}»"
    if "material" not in b:
        raise CuttingInputError(f"Лист №{n}: не указан материал «material»")
    sizes = {key: _whole(b[key], f"{what}, поле «{key}»") for key in ("length", "width", "trim", "kerf")
             if key in b}
    if "length" not in sizes or "width" not in sizes:
        raise CuttingInputError(f"{what}: не указаны длина и ширина")
    stages = _stages(b.get("stages"), f"{what}, поле «stages»")
    count = None if b.get("count") is None else _whole(b["count"], f"{what}, поле «count»")
    cost = b.get("cost", 0)
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not 0 <= cost < 1e9:
        raise CuttingInputError(f"{what}, поле «cost»: ожидается число, а не {cost!r}")
    return Board(material=str(b["material"]), stages=stages, count=count, cost=float(cost), **sizes)


def _part(raw: Any, n: int) -> Part:
    p = _fields(raw, f"Деталь №{n}")
    part_id = str(p.get("id", n))
    what = f"Деталь {part_id}"
    for key in ("material", "length", "width"):
        if key not in p:
            raise CuttingInputError(f"{what}: не указано поле «{key}»")
    return Part(
        id=part_id,
        material=str(p["material"]),
        length=_whole(p["length"], f"{what}, поле «length»"),
        width=_whole(p["width"], f"{what}, поле «width»"),
        qty=_whole(p.get("qty", 1), f"{what}, поле «qty»", MAX_QTY),
        rotate=_flag(p.get("rotate", True), f"{what}, поле «rotate»"),
        order=None if p.get("order") is None else str(p["order"]),
        name=None if p.get("name") is None else str(p["name"]),
    )


def result_to_json(result: CuttingResult) -> dict[str, Any]:
    """The result in the documented JSON shape, with utilisation, offcuts and summaries added."""
    layouts = []
    for layout in result.layouts:
        placements = []
        for pl in layout.placements:
            item = {"id": pl.id, "x": pl.x, "y": pl.y, "length": pl.length, "width": pl.width,
                    "rotated": pl.rotated}
            if pl.order is not None:
                item["order"] = pl.order
            if pl.name is not None:
                item["name"] = pl.name
            placements.append(item)
        board = layout.board
        layouts.append({
            "material": board.material,
            "board_length": board.length,
            "board_width": board.width,
            "trim": board.trim,
            "kerf": board.kerf,
            "stages": board.stages,
            "cost": board.cost,
            "placements": placements,
            "utilisation": round(layout.utilisation, 4),
            "offcuts": [{"x": o.x, "y": o.y, "length": o.length, "width": o.width}
                        for o in layout.offcuts],
        })
    return {
        "boards_used": result.boards_used,
        "lower_bound": result.lower_bound,
        "optimal": result.optimal,
        "cost": result.cost,
        "materials": [{"material": m.material, "boards_used": m.boards_used,
                       "lower_bound": m.lower_bound} for m in result.materials],
        "layouts": layouts,
    }
