"""Parts lists exported by cutting programs (MaxCut, CutList Plus, optiCutter) or kept in the shop's
own spreadsheets, read as CSV: the columns are found by their header names, in English or Russian,
whatever their order; rows are checked as pasted rows are, with the same row-by-row report."""
from __future__ import annotations

import csv
import io
import re

from app.domain.specs import PART_COLUMNS, LineProblem, PasteResult, SpecError, clean_part

# Header names per field (lower case, compared after removing units and brackets), the preferred
# first: CutList Plus has both «Part #» and «Description», the description names the part. Edge
# banding columns are read only in the shop's own codes («Кромка Д1» …).
HEADER_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("may_rotate", ("can rotate", "rotate", "rotation", "allow rotation", "поворот")),
    ("edge_l1", ("кромка д1",)),
    ("edge_l2", ("кромка д2",)),
    ("edge_w1", ("кромка ш1",)),
    ("edge_w2", ("кромка ш2",)),
    ("quantity", ("quantity", "qty", "copies", "count", "кол-во", "количество", "кол")),
    ("length", ("length", "длина")),
    ("width", ("width", "ширина")),
    ("thickness", ("thickness", "толщина")),
    ("material", ("material", "материал")),
    ("name", ("description", "part name", "name", "label", "деталь", "наименование", "part")),
    ("notes", ("notes", "note", "comment", "примечание")),
)
MAXCUT_SAME_AS_MATERIAL = "2"  # MaxCut's «Can Rotate» value meaning «as the material says»


def _header_key(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\(\[].*?[\)\]]|,?\s*(mm|мм)\b|[#:]", " ", cell.lower())).strip()


def column_map(header: list[str]) -> dict[int, str]:
    """Column index → field for the header cells that name a known field (each field once)."""
    keys = [_header_key(cell) for cell in header]
    out: dict[int, str] = {}
    for field, names in HEADER_NAMES:
        n = next((keys.index(name) for name in names if name in keys and keys.index(name) not in out), None)
        if n is not None:
            out[n] = field
    return out


def decode_text(data: bytes) -> str:
    """A file's text: UTF-8 (with or without BOM), else Windows-1251 as older Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def read_parts_csv(text: str) -> PasteResult:
    """Part lines from a CSV export (comma, semicolon or tab separated, quoted cells allowed)
    whose first row names the columns; a missing thickness is taken from the material's name
    («ЛДСП 16» → 16). Rows that cannot be read are reported by their row number."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    result = PasteResult([], [], skipped_header=True)
    if not rows:
        return result
    columns = column_map(rows[0])
    missing = [label for key, label in PART_COLUMNS if key in ("length", "width") and key not in columns.values()]
    if missing:
        result.problems.append(LineProblem(1, "в первой строке нет столбцов: " + ", ".join(missing)))
        return result
    for index, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {field: cells[n] for n, field in columns.items() if n < len(cells)}
        if values.get("may_rotate", "").strip() == MAXCUT_SAME_AS_MATERIAL:
            values["may_rotate"] = ""
        if not str(values.get("thickness") or "").strip():
            found = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:мм|mm)?\s*$", values.get("material", ""))
            values["thickness"] = found.group(1) if found else ""
        try:
            result.lines.append(clean_part(values))
        except SpecError as error:
            result.problems.append(LineProblem(index, str(error)))
    return result
