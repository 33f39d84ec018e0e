"""Stored offcuts («деловые остатки») as plain values: what the cut layouts may take as stock, and
the minimum size of an offcut worth keeping, typed in «Материалы» as «600×300»."""
from __future__ import annotations

import re
from dataclasses import dataclass

OFFCUTS = ("остаток", "остатка", "остатков")
DEFAULT_MIN = (300, 100)  # longer side, shorter side: the optimiser's default (app.cutting.solver)
CODE_PREFIX = "OC"  # an offcut label's barcode: «OC» + its number (app/documents/part_labels.py)
# «OC7» as a scanner types it: Latin, Cyrillic look-alikes («ОС7»), or «ЩС7» with the Russian layout on
_CODE = re.compile(r"^\s*(?:oc|ос|щс)\s*[-№#]?\s*0*(\d{1,9})\s*$", re.IGNORECASE)
_SIZE = re.compile(r"^\s*(\d{1,5})\s*[×xXхХ*]\s*(\d{1,5})\s*$")


@dataclass(frozen=True)
class StockOffcut:
    """A stored offcut the layouts of a cut sheet may cut from."""

    number: int
    material: str
    length: int
    width: int

    @property
    def size(self) -> str:
        return size_text(self.length, self.width)


@dataclass(frozen=True)
class NewOffcut:
    """An offcut a cut sheet leaves, proposed for the store at «Раскроено»."""

    material: str
    length: int
    width: int
    board: str = ""  # which board of its material it comes from, «лист 2 из 3»

    @property
    def size(self) -> str:
        return size_text(self.length, self.width)

    @property
    def area(self) -> float:
        return area_m2(self.length, self.width)


def size_text(length: int, width: int) -> str:
    """«1200×600»."""
    return f"{length}×{width}"


def area_m2(length: int, width: int) -> float:
    """Square metres of a rectangle in millimetres."""
    return length * width / 1_000_000


def area_text(square_metres: float) -> str:
    """«0,72 м²»."""
    return f"{square_metres:.2f} м²".replace(".", ",")


def offcut_code(number: int) -> str:
    """What an offcut's label barcode holds: «OC7»."""
    return f"{CODE_PREFIX}{number}"


def parse_offcut_code(text: str | None) -> int | None:
    """The offcut number of a scanned or typed label code («OC7», «oc 7», «ЩС7» when the scanner
    types with the Russian layout on); None when the text is not an offcut's code."""
    match = _CODE.match(text or "")
    return int(match.group(1)) if match else None


def parse_min_size(text: object) -> tuple[int, int] | None:
    """«600×300» (or «600x300», «600*300») as (longer side, shorter side); None for an empty text.
    Raises ValueError for anything else."""
    value = "" if text is None else str(text).strip()
    if not value:
        return None
    match = _SIZE.match(value)
    if not match:
        raise ValueError(value)
    a, b = int(match.group(1)), int(match.group(2))
    if a <= 0 or b <= 0:
        raise ValueError(value)
    return max(a, b), min(a, b)


def same_material(a: str, b: str) -> bool:
    """Whether two material names are the same («ЛДСП 16  белый» and «ЛДСП 16 Белый»)."""
    return " ".join(a.casefold().replace("ё", "е").split()) == " ".join(b.casefold().replace("ё", "е").split())
