"""Parts and hardware specification lines as plain data: checking them and reading them from a
spreadsheet paste (tab-separated rows). No database here.

Sizes are millimetres. Edge banding is given per edge: the two long edges (Д1, Д2) and the two
short edges (Ш1, Ш2), each "" (none) or the code of one of the shop's banding types
(app/domain/banding.py); ``EDGE_OPTIONS`` are the codes the shop's list starts with.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

EDGE_OPTIONS: dict[str, str] = {"": "—", "0.4": "0,4", "0.8": "0,8", "1": "1", "2": "2"}
EDGE_FIELDS = ("edge_l1", "edge_l2", "edge_w1", "edge_w2")
UNITS = ("шт", "м", "компл.")
COUNTED_UNITS = ("шт", "компл.")  # these quantities must be whole

PART_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Деталь"), ("material", "Материал"), ("thickness", "Толщина"), ("length", "Длина"),
    ("width", "Ширина"), ("quantity", "Кол-во"), ("edge_l1", "Кромка Д1"), ("edge_l2", "Кромка Д2"),
    ("edge_w1", "Кромка Ш1"), ("edge_w2", "Кромка Ш2"), ("may_rotate", "Поворот"),
    ("notes", "Примечание"),
)
HARDWARE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("item", "Наименование"), ("article", "Артикул"), ("quantity", "Кол-во"), ("unit", "Ед."),
)
MAX_SIZE_MM = 5000
MAX_ROWS = 10_000  # rows of one paste or one imported file
MAX_QUANTITY = 10_000  # a row's count: more is a slip of the keyboard (3 000 000 000 hung the paste)

YES_WORDS = {"да", "+", "1", "можно", "yes", "y", "true", "д"}
NO_WORDS = {"нет", "-", "0", "нельзя", "no", "n", "false", "н", "по текстуре"}


class SpecError(ValueError):
    """A value of a specification line that cannot be stored (Russian message)."""


@dataclass
class PartLine:
    name: str
    material: str
    thickness: Decimal
    length: int
    width: int
    quantity: int = 1
    edge_l1: str = ""
    edge_l2: str = ""
    edge_w1: str = ""
    edge_w2: str = ""
    may_rotate: bool = True
    notes: str = ""

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class HardwareLine:
    item: str
    article: str
    quantity: Decimal
    unit: str = "шт"

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class LineProblem:
    """What is wrong with one line (row numbers count from 1, as the user sees them)."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"Строка {self.row}: {self.message}"


def _text(value) -> str:
    return " ".join(str(value if value is not None else "").split())


def read_decimal(value) -> Decimal | None:
    """A typed number («0,4», «2 мм», «1 200»); None when it is not one (or not finite)."""
    raw = _text(value).replace(" ", "").replace(",", ".").lower().removesuffix("мм")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(value, label: str) -> Decimal:
    if not _text(value).lower().removesuffix("мм").strip():
        raise SpecError(f"{label}: не указано")
    number = read_decimal(value)
    if number is None:
        raise SpecError(f"{label}: «{_text(value)}» — не число")
    return number


def _size(value, label: str) -> int:
    number = _number(value, label)
    if number != number.to_integral_value():
        raise SpecError(f"{label}: укажите целое число миллиметров")
    if number <= 0:
        raise SpecError(f"{label}: должна быть больше 0")
    if number > MAX_SIZE_MM:
        raise SpecError(f"{label}: {number} мм — больше {MAX_SIZE_MM} мм, проверьте")
    return int(number)


def _edge_key(text: str) -> str:
    return " ".join(text.split()).casefold().replace(",", ".").removesuffix("мм").strip()


def clean_edge(value, label: str = "Кромка", choices: dict[str, str] | None = None,
               retired: dict[str, str] | None = None) -> str:
    """An edge banding code ("" or "0.4", "2" …) from «—», «0,4», «2 мм», «нет», or a type's name
    («ПВХ 0,4», any case and spacing); ``choices`` (code → name, the shop's list) defaults to
    ``EDGE_OPTIONS``; a type of ``retired`` (code → name: out of use) is refused as such."""
    choices = EDGE_OPTIONS if choices is None else choices
    raw = _edge_key(_text(value))
    if raw in ("", "-", "—", "нет", "0", "без"):
        return ""
    for code, shown in choices.items():
        if code and raw in (_edge_key(shown), _edge_key(code)):
            return code
    try:
        number = format(Decimal(raw).normalize(), "f")
    except InvalidOperation:
        number = None
    if number in choices:
        return number
    for code, shown in (retired or {}).items():
        if raw in (_edge_key(shown), _edge_key(code)) or number == code:
            raise SpecError(f"{label}: «{_text(value)}» — кромка «{shown}» не используется (снята отметка "
                            "«Используется» в «Настройки → Кромка…»)")
    allowed = ", ".join(shown for code, shown in choices.items() if code)
    raise SpecError(f"{label}: «{_text(value)}» — нет такой кромки в списке мастерской (бывает: нет, {allowed})")


def clean_rotate(value) -> bool:
    """Whether a part may be rotated: «да»/«нет» (by grain); empty = «нет», the grain is kept (a wrong
    «да» spoils a veneered part, a wrong «нет» costs at most some board)."""
    if isinstance(value, bool):
        return value
    raw = _text(value).lower()
    if raw in YES_WORDS:
        return True
    if raw == "" or raw in NO_WORDS:
        return False
    raise SpecError(f"Поворот: «{_text(value)}» — напишите «да» или «нет»")


def clean_part(values: dict, edges: dict[str, str] | None = None, retired: dict[str, str] | None = None) -> PartLine:
    """A checked part line from raw values (strings or numbers); SpecError names every problem.
    ``edges`` are the banding types the edges may name, ``retired`` those out of use (code → name;
    see ``clean_edge``)."""
    problems: list[str] = []

    def take(convert, key, *args):
        try:
            return convert(values.get(key), *args)
        except SpecError as error:
            problems.append(str(error))
            return None

    name = _text(values.get("name"))
    if not name:
        problems.append("Деталь: не указано название")
    thickness = take(_number, "thickness", "Толщина")
    if thickness is not None and not (0 < thickness <= 100):
        problems.append("Толщина: должна быть больше 0 и не больше 100 мм")
    length = take(_size, "length", "Длина")
    width = take(_size, "width", "Ширина")
    quantity = take(_number, "quantity", "Количество")
    if quantity is not None and (quantity != quantity.to_integral_value() or quantity < 1):
        problems.append("Количество: целое число не меньше 1")
    elif quantity is not None and quantity > MAX_QUANTITY:
        problems.append(f"Количество: {quantity} — больше {MAX_QUANTITY:,} в строке, проверьте".replace(",", " "))
    banded = {key: take(clean_edge, key, label, edges, retired) for key, label in PART_COLUMNS if key in EDGE_FIELDS}
    may_rotate = take(clean_rotate, "may_rotate")
    if problems:
        raise SpecError("; ".join(problems))
    return PartLine(name=name, material=_text(values.get("material")), thickness=thickness.normalize(),
                    length=length, width=width, quantity=int(quantity), may_rotate=may_rotate,
                    notes=_text(values.get("notes")), **banded)


def clean_hardware(values: dict) -> HardwareLine:
    """A checked hardware line; SpecError names every problem."""
    problems: list[str] = []
    item = _text(values.get("item"))
    if not item:
        problems.append("Наименование: не указано")
    unit = _text(values.get("unit")) or "шт"
    if unit in ("компл", "к-т", "комплект"):
        unit = "компл."
    if unit not in UNITS:
        problems.append(f"Ед.: «{unit}» — выберите из: {', '.join(UNITS)}")
    quantity = None
    try:
        quantity = _number(values.get("quantity"), "Количество")
    except SpecError as error:
        problems.append(str(error))
    if quantity is not None:
        if quantity <= 0:
            problems.append("Количество: должно быть больше 0")
        elif quantity > MAX_QUANTITY:
            problems.append(f"Количество: больше {MAX_QUANTITY:,} в строке, проверьте".replace(",", " "))
        elif unit in COUNTED_UNITS and quantity != quantity.to_integral_value():
            problems.append(f"Количество: для «{unit}» нужно целое число")
    if problems:
        raise SpecError("; ".join(problems))
    return HardwareLine(item=item, article=_text(values.get("article")),
                        quantity=quantity.quantize(Decimal("0.01")), unit=unit)


@dataclass
class PasteResult:
    """Lines read from a paste, and what was wrong with the rest (nothing is lost silently)."""

    lines: list
    problems: list[LineProblem]
    skipped_header: bool = False
    rows: list[int] = field(default_factory=list)  # the row number each line was read from
    warnings: list[LineProblem] = field(default_factory=list)  # lines taken with a guess, to check


_HEADER_WORDS = re.compile(r"длин|ширин|деталь|наимен|кол|артикул|материал", re.IGNORECASE)


def _rows(text: str) -> list[list[str]]:
    """Tab-separated rows as a spreadsheet copies them: a cell with a line break or a tab in it
    comes in quotes (doubled quotes inside), and is read as one cell."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return list(csv.reader(io.StringIO(text), delimiter="\t"))


def too_many_rows() -> str:
    return f"больше {MAX_ROWS:,} строк за один раз — разделите список на части".replace(",", " ")


def _parse(text: str, columns: tuple[tuple[str, str], ...], required: int, clean) -> PasteResult:
    result = PasteResult([], [])
    rows = _rows(text)
    if sum(1 for cells in rows if any(cell.strip() for cell in cells)) > MAX_ROWS + 1:
        result.problems.append(LineProblem(1, too_many_rows()))
        return result
    for index, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if index == 1 and any(_HEADER_WORDS.search(cell) for cell in cells[:required]) and not any(
                re.fullmatch(r"\s*\d+([.,]\d+)?\s*", cell) for cell in cells):
            result.skipped_header = True
            continue
        if len(cells) < required:
            names = ", ".join(label for _, label in columns[:required])
            result.problems.append(LineProblem(
                index, f"мало столбцов ({len(cells)}); нужны по порядку: {names}"))
            continue
        values = {key: cell for (key, _), cell in zip(columns, cells)}
        try:
            result.lines.append(clean(values))
        except SpecError as error:
            result.problems.append(LineProblem(index, str(error)))
        else:
            result.rows.append(index)
    return result


def _row_ranges(rows: list[int]) -> str:
    """«2–5, 7, 9–10»."""
    parts, start = [], None
    for n, row in enumerate(rows):
        if start is None:
            start = row
        if n + 1 == len(rows) or rows[n + 1] != row + 1:
            parts.append(str(start) if start == row else f"{start}–{row}")
            start = None
    return ", ".join(parts)


def report_text(result: PasteResult, shown: int = 20) -> str:
    """The row-by-row report of a paste or an import: the rows taken, the rows refused and why, the
    rows taken with a guess to check (at most ``shown`` lines of each list)."""
    taken = f"Взято строк: {len(result.lines)}"
    lines = [taken + (f" (строки {_row_ranges(result.rows)})." if result.rows else ".")]
    for title, problems in (("Не взяты", result.problems), ("Проверьте", result.warnings)):
        if problems:
            lines.append(f"{title} ({len(problems)}):")
            lines += [str(problem) for problem in problems[:shown]]
            if len(problems) > shown:
                lines.append(f"… и ещё {len(problems) - shown}")
    return "\n".join(lines)


def parse_parts(text: str, edges: dict[str, str] | None = None, retired: dict[str, str] | None = None) -> PasteResult:
    """Part lines from tab-separated rows in the order of ``PART_COLUMNS`` (a header row is
    skipped; the first six columns are required, the rest optional); ``edges`` and ``retired`` as
    for ``clean_part``."""
    return _parse(text, PART_COLUMNS, 6, lambda values: clean_part(values, edges, retired))


def parse_hardware(text: str) -> PasteResult:
    """Hardware lines from tab-separated rows: item, article, quantity[, unit]."""
    return _parse(text, HARDWARE_COLUMNS, 3, clean_hardware)


def format_decimal(value: Decimal | float | int) -> str:
    """«16», «3,2», «2,5» — no trailing zeros, decimal comma."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return text.replace(".", ",")


def area_m2(lines: list[PartLine]) -> Decimal:
    """Total area of the parts in square metres."""
    return sum((Decimal(line.length * line.width * line.quantity) / 1_000_000 for line in lines), Decimal(0))
