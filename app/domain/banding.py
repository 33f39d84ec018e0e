"""Edge banding («кромка»): the shop's banding types per edge code of the parts specification
(«0.4» → «ПВХ 0,4»), each with its thickness, the overhang added to every banded edge when the
metres are counted, and whether the part is cut smaller by the banding's thickness."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.specs import EDGE_FIELDS, EDGE_OPTIONS, PartLine, format_decimal


@dataclass(frozen=True)
class BandingType:
    """One banding of the shop's list."""

    code: str  # the edge code of the specification: "0.4", "2", …
    name: str
    thickness: Decimal
    overhang: int = 20  # mm added per banded edge (trimmed off after banding)
    compensate: bool = False  # cut the part smaller by the thickness on each banded side


DEFAULT_BANDING: tuple[BandingType, ...] = tuple(
    BandingType(code, f"ПВХ {label}", Decimal(code), compensate=Decimal(code) >= 1)
    for code, label in EDGE_OPTIONS.items() if code)


def banding_by_code(types: tuple[BandingType, ...] | list[BandingType] = DEFAULT_BANDING) -> dict[str, BandingType]:
    """The list by edge code; codes missing from it get a plain type without overhang."""
    known = {t.code: t for t in types}
    for code, label in EDGE_OPTIONS.items():
        if code and code not in known:
            known[code] = BandingType(code, f"Кромка {label}", Decimal(code), overhang=0)
    return known


def banding_metres(lines: list[PartLine], types: dict[str, BandingType]) -> dict[str, Decimal]:
    """Metres of each banding type (by name) over the lines: banded edge lengths plus overhang."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        for key in EDGE_FIELDS:
            code = getattr(line, key)
            if not code:
                continue
            banding = types[code]
            side = line.length if key.startswith("edge_l") else line.width
            metres = Decimal((side + banding.overhang) * line.quantity) / 1000
            totals[banding.name] = totals.get(banding.name, Decimal(0)) + metres
    return dict(sorted(totals.items()))


def cut_size(line: PartLine, types: dict[str, BandingType]) -> tuple[int, int]:
    """The size to cut: the finished size less the thickness of compensated banding on each side
    (long edges Д1, Д2 take it off the width, short edges Ш1, Ш2 off the length)."""
    def off(*keys: str) -> Decimal:
        return sum((types[c].thickness for c in (getattr(line, k) for k in keys) if c and types[c].compensate),
                   Decimal(0))

    length = line.length - off("edge_w1", "edge_w2")
    width = line.width - off("edge_l1", "edge_l2")
    return int(length.to_integral_value()), int(width.to_integral_value())


def metres_text(totals: dict[str, Decimal]) -> str:
    """«ПВХ 0,4 — 12,3 м; ПВХ 2 — 4,1 м» or «нет»."""
    return "; ".join(f"{name} — {format_decimal(m.quantize(Decimal('0.1')))} м" for name, m in totals.items()) or "нет"
