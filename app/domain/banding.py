"""Edge banding («кромка»): the shop's banding types, which the edges Д1 Д2 Ш1 Ш2 of the parts
specification name by code («0.4» → «ПВХ 0,4»). Each has its thickness, the overhang added to every
banded edge when the metres are counted (trimmed off after banding), and whether the part is cut
smaller by the banding's thickness. The shop's list is kept in the database; ``DEFAULT_BANDING`` is
what it starts with (and what the specification's codes meant before the list could be edited)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.errors import FieldProblem
from app.domain.specs import EDGE_FIELDS, EDGE_OPTIONS, PartLine, format_decimal, read_decimal

MAX_NAME = 40
MAX_THICKNESS = Decimal(10)  # mm
MAX_OVERHANG = 50  # mm


@dataclass(frozen=True)
class BandingType:
    """One banding of the shop's list."""

    code: str  # what the specification's edges store: "0.4", "2", "1-2" …; never changes
    name: str
    thickness: Decimal
    overhang: int = 20  # mm added per banded edge (trimmed off after banding)
    compensate: bool = False  # cut the part smaller by the thickness on each banded side
    active: bool = True  # offered for new specifications (an unused type can also be deleted)

    @property
    def short(self) -> str:
        """The thickness as printed on an edge of a small drawing: «0,4», «2»."""
        return format_decimal(self.thickness)


DEFAULT_BANDING: tuple[BandingType, ...] = tuple(
    BandingType(code, f"ПВХ {label}", Decimal(code), compensate=Decimal(code) >= 1)
    for code, label in EDGE_OPTIONS.items() if code)


def banding_by_code(types: tuple[BandingType, ...] | list[BandingType] = DEFAULT_BANDING) -> dict[str, BandingType]:
    """The list by edge code; a code missing from it (a line stored before the list knew it) gets a
    plain type without overhang."""
    known = {t.code: t for t in types}
    for code, label in EDGE_OPTIONS.items():
        if code and code not in known:
            known[code] = BandingType(code, f"Кромка {label}", Decimal(code), overhang=0)
    return known


def edge_choices(types: dict[str, BandingType]) -> dict[str, str]:
    """What the specification's edge cells accept and show: code → name, «—» for none first."""
    return {"": EDGE_OPTIONS[""], **{code: t.name for code, t in types.items()}}


def edge_mark(types: dict[str, BandingType], code: str) -> str:
    """An edge in a narrow column or on a label's small drawing: «—», the thickness («0,4»), or the
    name where two types of the list have that thickness («ABS 1» beside «ПВХ 1»)."""
    if not code:
        return EDGE_OPTIONS[""]
    banding = _type(types, code)
    twins = sum(1 for t in types.values() if t.thickness == banding.thickness)
    return banding.short if twins <= 1 else banding.name


def offered(types: dict[str, BandingType], *keep: str) -> list[str]:
    """The names a drop-down offers: «—», the active types, and those in ``keep`` (a line's own)."""
    return [EDGE_OPTIONS[""]] + [t.name for t in types.values() if t.active or t.code in keep]


def banding_metres(lines: list[PartLine], types: dict[str, BandingType]) -> dict[str, Decimal]:
    """Metres of each banding type (by name) over the lines: banded edge lengths plus overhang."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        for key in EDGE_FIELDS:
            code = getattr(line, key)
            if not code:
                continue
            banding = _type(types, code)
            side = line.length if key.startswith("edge_l") else line.width
            metres = Decimal((side + banding.overhang) * line.quantity) / 1000
            totals[banding.name] = totals.get(banding.name, Decimal(0)) + metres
    return dict(sorted(totals.items()))


def _type(types: dict[str, BandingType], code: str) -> BandingType:
    """The type of ``code``; one the list lost (a code stored by hand) as a plain one without overhang."""
    return types.get(code) or banding_by_code([]).get(code) or BandingType(code, code, Decimal(0), overhang=0)


def cut_size(line: PartLine, types: dict[str, BandingType]) -> tuple[int, int]:
    """The size to cut: the finished size less the thickness of compensated banding on each side
    (long edges Д1, Д2 take it off the width, short edges Ш1, Ш2 off the length)."""
    def off(*keys: str) -> Decimal:
        chosen = [_type(types, code) for code in (getattr(line, key) for key in keys) if code]
        return sum((t.thickness for t in chosen if t.compensate), Decimal(0))

    length = line.length - off("edge_w1", "edge_w2")
    width = line.width - off("edge_l1", "edge_l2")
    return int(length.to_integral_value()), int(width.to_integral_value())


def metres_text(totals: dict[str, Decimal]) -> str:
    """«ПВХ 0,4 — 12,3 м; ПВХ 2 — 4,1 м» or «нет»."""
    return "; ".join(f"{name} — {format_decimal(m.quantize(Decimal('0.1')))} м" for name, m in totals.items()) or "нет"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_banding(values: dict, others: list[BandingType]) -> tuple[BandingType | None, list[FieldProblem]]:
    """A banding type from typed ``values`` (name, thickness, overhang, compensate, active; code if
    editing) and every problem, per field; ``others`` are the rest of the shop's list (names unique)."""
    problems: list[FieldProblem] = []
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        problems.append(FieldProblem("banding.name", "не указано"))
    elif len(name) > MAX_NAME:
        problems.append(FieldProblem("banding.name", f"не длиннее {MAX_NAME} знаков"))
    elif any(_key(t.name) == _key(name) for t in others):
        problems.append(FieldProblem("banding.name", f"«{name}» уже есть в списке"))
    thickness = read_decimal(values.get("thickness"))
    if thickness is None:
        problems.append(FieldProblem("banding.thickness", "укажите число миллиметров, например 0,4"))
    elif not (0 < thickness <= MAX_THICKNESS):
        problems.append(FieldProblem("banding.thickness", f"больше 0 и не больше {MAX_THICKNESS} мм"))
    elif thickness != thickness.quantize(Decimal("0.01")):
        problems.append(FieldProblem("banding.thickness", "не больше двух знаков после запятой"))
    overhang = read_decimal(values.get("overhang"))
    if overhang is None or overhang != overhang.to_integral_value():
        problems.append(FieldProblem("banding.overhang", "укажите целое число миллиметров"))
    elif not (0 <= overhang <= MAX_OVERHANG):
        problems.append(FieldProblem("banding.overhang", f"от 0 до {MAX_OVERHANG} мм"))
    if problems:
        return None, problems
    thickness = thickness.quantize(Decimal("0.01")).normalize()
    return BandingType(str(values.get("code") or ""), name, thickness, int(overhang),
                       bool(values.get("compensate")), bool(values.get("active", True))), []


def new_code(banding: BandingType, taken: set[str]) -> BandingType:
    """``banding`` with a code of its own: its thickness («1.5», so a pasted «1,5» finds it) or,
    when another type has that code, «1.5-2», «1.5-3» …"""
    base = format(banding.thickness.normalize(), "f")
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return replace(banding, code=code)
