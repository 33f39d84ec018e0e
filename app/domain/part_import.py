"""Parts lists exported by cutting programs or kept in the shop's own spreadsheets, as rows of cells
(read from CSV or XLSX by the services): which program wrote them, which column holds which field,
and the part lines with the same row-by-row report as a paste. No files and no database here.

Formats, as the programs write them (sizes in millimetres):
- MaxCut: an optional first line ``Sep=,`` naming the delimiter, every cell quoted, sizes with their
  unit («795 mm»); «Type», «Name», «Length», «Width», «Quantity», «Notes», «Can Rotate (…)» (0/1/2 or
  NoRotation/AllowRotation/…), «Material», «Edging Length 1/2», «Edging Width 1/2» (a banding's name).
- CutList Plus fx: «Part #», «Description», «Thick», «Length», «Width», «Copies», «Material Name»,
  «Can Rotate» (Yes/No), «Banding» (how many edges: «2W-1L», «None»), «<Info>», «Notes».
- optiCutter: a key column — ``M`` sets the material of the next rows, ``P`` a panel (length,
  width, quantity, label, can turn ``y``), ``@`` a comment, other keys (N, S, K, …) the plan's stock
  and saw; no header row.
- The shop's own spreadsheets: any header; the columns are found by their names (English or Russian)
  or picked once by the user and remembered by the header's signature.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.banding import DEFAULT_BANDING, BandingType, banding_by_code
from app.domain.part_fields import FIELDS  # the fields a parts file can fill, in the mapping step's order
from app.domain.specs import (
    EDGE_FIELDS,
    EDGE_OPTIONS,
    MAX_ROWS,
    LineProblem,
    PasteResult,
    SpecError,
    _edge_key,
    clean_part,
    format_decimal,
    too_many_rows,
)

MAX_CELL = 500  # characters in one cell; more is not a parts list
HEADER_SEARCH = 10  # a header may sit under a few title rows

FIELD_LABELS = dict(FIELDS)
REQUIRED = ("name", "length", "width")  # without a quantity column every row is one part
PROGRAM_FIELDS = ("banding", "type")  # read from the programs' own columns, never picked by hand

# Header names per field (compared after removing units and brackets), the preferred first:
# CutList Plus has both «Part #» and «Description», the description names the part.
HEADER_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("may_rotate", ("can rotate", "rotate", "rotation", "allow rotation", "can turn", "поворот",
                    "поворот / текстура")),
    ("edge_l1", ("кромка д1", "edging length 1", "edge l1", "д1")),
    ("edge_l2", ("кромка д2", "edging length 2", "edge l2", "д2")),
    ("edge_w1", ("кромка ш1", "edging width 1", "edge w1", "ш1")),
    ("edge_w2", ("кромка ш2", "edging width 2", "edge w2", "ш2")),
    ("banding", ("banding",)),
    ("quantity", ("quantity", "qty", "copies", "count", "кол-во", "количество", "кол", "шт")),
    ("length", ("length", "длина")),
    ("width", ("width", "ширина")),
    ("thickness", ("thickness", "thick", "толщина", "толщ")),
    ("material", ("material", "material name", "материал")),
    ("name", ("description", "part name", "name", "label", "деталь", "наименование", "название", "part")),
    ("notes", ("notes", "note", "comment", "примечание")),
    ("type", ("type",)),
)
ROTATE_WORDS = {"norotation": "нет", "allowrotation": "да", "no rotation": "нет", "allow rotation": "да",
                "yes": "да", "no": "нет"}
AS_MATERIAL = {"2", "allowifnograin", "same as material", "as material"}  # MaxCut: the material decides
NOT_PARTS = ("stock", "sheet", "лист")  # MaxCut's «Type» of rows that are boards, not parts
OPTICUTTER_PANEL = "P"
OPTICUTTER_KEYS = {"N", "M", "S", "K", "P", "@", "LT", "RT", "TT", "BT", "O", "MR", "T", "G"}
CUTLIST_BANDING = re.compile(r"(\d)\s*W\s*-\s*(\d)\s*L", re.IGNORECASE)
CUTLIST_BANDING_CODE = "0.4"  # CutList Plus counts banded edges but names no thickness
UNIT_SUFFIX = re.compile(r"\s*(mm|мм)\.?\s*$", re.IGNORECASE)
OTHER_UNIT = re.compile(r"\d\s*(in|inch|\"|cm|см|m|м)\.?\s*$", re.IGNORECASE)


@dataclass
class PartsTable:
    """A parts file read into rows: its header, the data rows with their numbers in the file, the
    program that wrote it (``kind``) and the columns found for each field (``columns``: field → index)."""

    file_name: str
    kind: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        """A short key of the header's names (the same spreadsheet layout gives the same key)."""
        return header_signature(self.header)

    def complete(self, columns: dict[str, int] | None = None) -> bool:
        """Whether ``columns`` (the found ones by default) name every required field."""
        return all(key in (self.columns if columns is None else columns) for key in REQUIRED)

    def preview(self, count: int = 8) -> list[list[str]]:
        """The first data rows, as many cells as the header (for the mapping step)."""
        return [(cells + [""] * len(self.header))[:len(self.header)] for _, cells in self.rows[:count]]


def _header_key(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\(\[].*?[\)\]]|,?\s*(mm|мм)\b\.?|[#:<>]", " ", cell.lower())).strip()


def header_signature(header: list[str]) -> str:
    keys = [_header_key(cell) for cell in header]
    while keys and not keys[-1]:
        keys.pop()
    return hashlib.sha1("|".join(keys).encode("utf-8")).hexdigest()[:20]


def column_map(header: list[str]) -> dict[str, int]:
    """Field → column index for the header cells that name a known field (each column once)."""
    keys = [_header_key(cell) for cell in header]
    out: dict[str, int] = {}
    for key, names in HEADER_NAMES:
        n = next((keys.index(name) for name in names if name in keys and keys.index(name) not in out.values()),
                 None)
        if n is not None:
            out[key] = n
    return out


def guess_columns(header: list[str]) -> dict[str, int]:
    """The columns found by name, and for the fields still missing a column whose name starts with one
    of the field's names («Наименование детали», «Толщ.»; an edge's ends with it: «Кр. Д1») — the
    mapping step's first choice."""
    found = {key: n for key, n in column_map(header).items() if key in FIELD_LABELS}
    keys = [_header_key(cell) for cell in header]
    for key, names in HEADER_NAMES:
        if key in found or key not in FIELD_LABELS:
            continue
        at_end = key in EDGE_FIELDS  # «Кр. Д1»; other fields start with their name: «Длина детали, мм»
        n = next((i for i, cell in enumerate(keys) for name in names if i not in found.values() and re.match(
            (r"^" + re.escape(name) + r"($|[^\w-])") if not at_end else (r"^(.*[^\w-])?" + re.escape(name) + "$"),
            cell)), None)
        if n is not None:
            found[key] = n
    return found


def decode_text(data: bytes) -> str:
    """A file's text: UTF-8 (with or without BOM), else Windows-1251 as older Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def text_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text: comma, semicolon or tab separated (MaxCut's ``Sep=;`` line names it),
    quoted cells with line breaks allowed. SpecError when it cannot be read as CSV or is too long."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.partition("\n")
    declared = re.fullmatch(r'"?sep=(.)"?\s*', first.strip(), re.IGNORECASE)
    if declared:
        delimiter, text = declared.group(1), rest
    else:
        first = next((line for line in text.split("\n", HEADER_SEARCH) if line.strip()), "")
        delimiter = max(("\t", ";", ","), key=first.count)
    rows: list[list[str]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            rows.append(cells)
            filled += any(cell.strip() for cell in cells)
            if filled > MAX_ROWS + HEADER_SEARCH:
                raise SpecError(too_many_rows())
    except csv.Error:
        raise SpecError(f"не читается как таблица CSV (строка {reader.line_num}: незакрытая кавычка "
                        "или слишком длинная ячейка)") from None
    return rows


def cell_text(value) -> str:
    """A cell as text: XLSX numbers without a trailing «.0», booleans as «да»/«нет», None as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return format(value, "f").rstrip("0").rstrip(".") if value == value and abs(value) < 1e15 else str(value)
    return str(value)


def table_of(file_name: str, rows: list[list]) -> PartsTable:
    """The parts table of a file's rows: optiCutter's key column, or a header row (MaxCut, CutList
    Plus, the shop's own columns). SpecError when there is nothing to read."""
    rows = [_trimmed([cell_text(cell) for cell in cells]) for cells in rows]
    numbered = [(n, cells) for n, cells in enumerate(rows, start=1) if any(cell.strip() for cell in cells)]
    if not numbered:
        raise SpecError("файл пуст: в нём нет ни одной строки")
    if len(numbered) > MAX_ROWS + HEADER_SEARCH:
        raise SpecError(too_many_rows())
    opticutter = _opticutter(file_name, numbered)
    if opticutter is not None:
        return opticutter
    at, header = max(enumerate(numbered[:HEADER_SEARCH]), key=lambda item: (len(column_map(item[1][1])), -item[0]))
    header_cells = [cell.strip() for cell in header[1]]
    body = numbered[at + 1:]
    if not body:
        raise SpecError("в файле только заголовок, строк деталей нет")
    if len(body) > MAX_ROWS:
        raise SpecError(too_many_rows())
    columns = column_map(header_cells)
    keys = {_header_key(cell) for cell in header_cells}
    if "type" in columns and keys & {"edging length 1", "can rotate", "import id"}:
        kind = "MaxCut"
    elif "part" in keys and "copies" in keys:
        kind = "CutList Plus"
    else:
        kind = "таблица"
    return PartsTable(file_name, kind, header_cells, body, columns)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _opticutter(file_name: str, numbered: list[tuple[int, list[str]]]) -> PartsTable | None:
    keys = [cells[0].strip().upper() for _, cells in numbered]
    if OPTICUTTER_PANEL not in keys or not set(keys) <= OPTICUTTER_KEYS:
        return None
    header = ["Длина", "Ширина", "Количество", "Название", "Поворот", "Материал"]
    material, body = "", []
    for (number, cells), key in zip(numbered, keys):
        if key == "M":
            material = cells[1].strip() if len(cells) > 1 else ""
        elif key == OPTICUTTER_PANEL:
            body.append((number, (cells[1:6] + [""] * 5)[:5] + [material]))
    columns = {"length": 0, "width": 1, "quantity": 2, "name": 3, "may_rotate": 4, "material": 5}
    return PartsTable(file_name, "optiCutter", header, body, columns)


def check_columns(table: PartsTable, columns: dict[str, int]) -> list[tuple[str, str]]:
    """What is wrong with a chosen mapping, as (field, Russian message) pairs."""
    problems = [(key, "выберите столбец") for key in REQUIRED if key not in columns]
    seen: dict[int, str] = {}
    for key, n in columns.items():
        if key not in FIELD_LABELS and key not in PROGRAM_FIELDS:
            problems.append((key, "нет такого поля"))
        elif not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < len(table.header):
            problems.append((key, "нет такого столбца в файле"))
        elif n in seen:
            problems.append((key, f"столбец «{column_title(table, n)}» уже выбран для поля «{FIELD_LABELS[seen[n]]}»"))
        else:
            seen[n] = key
    return problems


def column_title(table: PartsTable, n: int) -> str:
    """«C: Длина, мм» — the column's letter and header."""
    letters = ""
    k = n + 1
    while k:
        k, rest = divmod(k - 1, 26)
        letters = chr(65 + rest) + letters
    name = table.header[n] if n < len(table.header) else ""
    return f"{letters}: {name}" if name else letters


def read_parts(table: PartsTable, columns: dict[str, int] | None = None,
               banding: dict[str, BandingType] | None = None) -> PasteResult:
    """Part lines from the table's rows by ``columns`` (the found ones by default). A missing thickness
    is taken from the material's name («ЛДСП 16» → 16); the edges name the types of ``banding`` (the
    shop's list by code, ``DEFAULT_BANDING`` if None) that are in use, by name in any case and
    spacing, or by a thickness only one of them has («PVC 2mm» → «ПВХ 2», listed to check); rows
    that cannot be read are reported by their row number in the file, naming the field and the
    banding not in the list or not in use, and rows read with a guess are listed to check."""
    types = banding_by_code(DEFAULT_BANDING if banding is None else list(banding.values()))
    if banding is not None:
        types = {code: t for code, t in types.items() if code in banding}
    edges = {"": EDGE_OPTIONS[""], **{code: t.name for code, t in types.items() if t.active}}
    retired = {code: t.name for code, t in types.items() if not t.active}
    guessed: set[str] = set()  # a banding's cell read by its thickness: listed at its first row
    columns = dict(table.columns if columns is None else columns)
    result = PasteResult([], [], skipped_header=table.kind != "optiCutter")
    missing = [FIELD_LABELS[key] for key in REQUIRED if key not in columns]
    if missing:
        result.problems.append(LineProblem(1, "не выбраны столбцы: " + ", ".join(missing)))
        return result
    for number, cells in table.rows:
        values = {key: cells[n].strip() if n < len(cells) else "" for key, n in columns.items()}
        try:
            values, notes = _prepared(values, types, guessed)
            line = clean_part(values, edges, retired)
        except SpecError as error:
            result.problems.append(LineProblem(number, str(error)))
            continue
        result.lines.append(line)
        result.rows.append(number)
        result.warnings += [LineProblem(number, note) for note in notes]
    return result


def _words(text: str) -> set[str]:
    """The words of a banding's name but numbers and units, PVC as ПВХ («PVC 2mm» → {"пвх"})."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return {"пвх" if word == "pvc" else word for word in words if word not in ("mm", "мм", "x", "х")}


def _edge_value(cell: str, label: str, types: dict[str, BandingType]) -> tuple[str, str | None]:
    """An edge cell as ``clean_edge`` reads it, and a note when it was read by its thickness: a type's
    name or code stays as it is (``clean_edge`` finds it, or refuses it out of use); else a number in
    it that is the thickness of one type in use («ПВХ 2 мм» → 2, «22х0,4» (width × thickness) → 0,4)
    gives that type; thicknesses of two types in use are refused (the file has to name one); the
    cell as it is when nothing fits (the check then names it)."""
    key = _edge_key(cell)
    if not key or any(key in (_edge_key(t.name), _edge_key(code)) for code, t in types.items()):
        return cell, None
    for number in re.findall(r"\d+(?:[.,]\d+)?", cell):
        thickness = Decimal(number.replace(",", "."))
        found = [t for t in types.values() if t.active and t.thickness == thickness]
        if len(found) > 1:
            raise SpecError(f"{label}: «{cell}» — кромок толщиной {format_decimal(thickness)} мм в списке "
                            f"несколько ({', '.join(t.name for t in found)}) — укажите в файле название")
        if found:
            note = None if _words(cell) <= _words(found[0].name) else \
                f"{label}: «{cell}» прочитана как «{found[0].name}»"
            return found[0].code, note
    return cell, None


def _prepared(values: dict[str, str], types: dict[str, BandingType],
              guessed: set[str]) -> tuple[dict[str, str], list[str]]:
    """Cells turned into what ``clean_part`` reads, and notes on the guesses made (a banding read by
    its thickness noted at the first row with that cell only: ``guessed``)."""
    notes: list[str] = []
    long = next((key for key, value in values.items() if len(value) > MAX_CELL), None)
    if long is not None:
        raise SpecError(f"{FIELD_LABELS.get(long, long)}: в ячейке больше {MAX_CELL} знаков — это не деталь")
    kind = values.pop("type", "").lower()
    if any(word in kind for word in NOT_PARTS):
        raise SpecError(f"это лист материала («{values.get('name') or kind}»), а не деталь — не взят")
    for key in ("length", "width", "thickness"):
        raw = values.get(key, "")
        if OTHER_UNIT.search(raw) and not UNIT_SUFFIX.search(raw):
            raise SpecError(f"{FIELD_LABELS[key]}: «{raw}» — нужны миллиметры (выгрузите список в мм)")
        values[key] = UNIT_SUFFIX.sub("", raw)
    values.setdefault("quantity", "1")
    rotate = values.get("may_rotate", "").strip().lower()
    if rotate in AS_MATERIAL:
        values["may_rotate"] = ""
        notes.append("поворот «как у материала» — текстура сохранена, деталь не поворачивается")
    elif rotate in ROTATE_WORDS:
        values["may_rotate"] = ROTATE_WORDS[rotate]
    for key in EDGE_FIELDS:
        cell = values.get(key, "").strip()
        values[key], note = _edge_value(cell, FIELD_LABELS[key], types)
        if note and cell.casefold() not in guessed:
            guessed.add(cell.casefold())
            notes.append(note + " — проверьте (и в следующих строках с такой кромкой)")
    banding = values.pop("banding", "").strip()
    counted = CUTLIST_BANDING.fullmatch(banding)
    if counted and counted.group(0) != "0W-0L":
        short, long_edges = int(counted.group(1)), int(counted.group(2))
        for key in ("edge_l1", "edge_l2")[:long_edges] + ("edge_w1", "edge_w2")[:short]:
            values[key] = CUTLIST_BANDING_CODE
        notes.append(f"кромка «{banding}»: толщина в файле не указана, поставлена 0,4 мм — проверьте")
    elif banding and banding.lower() not in ("none", "нет", "-"):
        raise SpecError(f"Кромка: «{banding}» — не понять, какие кромки (бывает 1W-2L или None)")
    if not values.get("thickness"):
        found = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:мм|mm)?\s*$", values.get("material", ""))
        values["thickness"] = found.group(1) if found else ""
    return values, notes
