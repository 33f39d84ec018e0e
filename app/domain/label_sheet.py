"""How part labels («бирки») sit on paper: A4 label sheets (columns × rows of labels of one size,
with the top and left margins and gaps of the sheet maker's template) or a roll label printer (one
label a page). Both are kept, so switching the printer back loses nothing; ``kind`` is the one the
shop prints on. Sizes in millimetres (0.1 mm)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from app.domain.errors import FieldProblem
from app.domain.specs import format_decimal, read_decimal

A4_MM = (210.0, 297.0)
KINDS = {"a4": "Листы A4 с бирками", "roll": "Рулонный принтер этикеток"}
MIN_LABEL = (40.0, 30.0)  # what a label's lines, its edge drawing and the barcode need
MAX_ROLL = (120.0, 200.0)
MAX_COLUMNS, MAX_ROWS, MAX_MARGIN = 10, 40, 100.0


@dataclass(frozen=True)
class LabelSettings:
    """The shop's label paper (defaults: A4 sheets of 3 × 8 labels of 70 × 37 mm; a 58 × 40 mm roll)."""

    kind: str = "a4"
    columns: int = 3
    rows: int = 8
    width: float = 70.0
    height: float = 37.0
    left: float = 0.0  # from the sheet's left edge to the first column
    top: float = 0.5  # from the sheet's top edge to the first row
    gap_x: float = 0.0  # between columns
    gap_y: float = 0.0  # between rows
    roll_width: float = 58.0
    roll_height: float = 40.0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, stored: object) -> LabelSettings:
        """Stored settings; the first version kept only "a4" or "roll"; anything unreadable is the default."""
        if isinstance(stored, str):
            return cls(kind=stored if stored in KINDS else "a4")
        settings, problems = parse(stored if isinstance(stored, dict) else {})
        return cls() if problems else settings

    def label_size(self, kind: str | None = None) -> tuple[float, float]:
        if (kind or self.kind) == "roll":
            return self.roll_width, self.roll_height
        return self.width, self.height

    def page_size(self, kind: str | None = None) -> tuple[float, float]:
        return self.label_size(kind) if (kind or self.kind) == "roll" else A4_MM

    def slots(self, kind: str | None = None) -> list[tuple[float, float]]:
        """Each label's lower left corner on its page (mm from the page's lower left), in print order."""
        if (kind or self.kind) == "roll":
            return [(0.0, 0.0)]
        page_h = A4_MM[1]
        return [(self.left + column * (self.width + self.gap_x),
                 page_h - self.top - (row + 1) * self.height - row * self.gap_y)
                for row in range(self.rows) for column in range(self.columns)]

    def describe(self, kind: str | None = None) -> str:
        """«листы A4, 3 × 8 бирок 70 × 37 мм» or «рулон 58 × 40 мм»."""
        w, h = (format_decimal(Decimal(str(v))) for v in self.label_size(kind))
        if (kind or self.kind) == "roll":
            return f"рулон {w} × {h} мм"
        return f"листы A4, {self.columns} × {self.rows} бирок {w} × {h} мм"


def parse(values: dict) -> tuple[LabelSettings, list[FieldProblem]]:
    """Typed settings (missing ones keep the defaults) and every problem, per field: sizes and counts
    in range, the labels and their margins inside the A4 sheet."""
    problems: list[FieldProblem] = []
    default = LabelSettings()
    typed: dict = {}
    kind = str(values.get("kind", default.kind))
    if kind not in KINDS:
        problems.append(FieldProblem("labels.kind", "выберите листы A4 или рулон"))
        kind = default.kind

    def take(name: str, low: float, high: float, whole: bool = False) -> None:
        number = read_decimal(values.get(name, getattr(default, name)))
        unit = "" if whole else " мм"
        if number is None or (whole and number != number.to_integral_value()):
            problems.append(FieldProblem(f"labels.{name}", "укажите целое число" if whole else "укажите число мм"))
        elif not (Decimal(str(low)) <= number <= Decimal(str(high))):
            problems.append(FieldProblem(f"labels.{name}", f"от {format_decimal(low)} до {format_decimal(high)}{unit}"))
        else:
            typed[name] = int(number) if whole else float(number.quantize(Decimal("0.1")))

    take("columns", 1, MAX_COLUMNS, whole=True)
    take("rows", 1, MAX_ROWS, whole=True)
    take("width", MIN_LABEL[0], A4_MM[0])
    take("height", MIN_LABEL[1], A4_MM[1])
    for name in ("left", "top", "gap_x", "gap_y"):
        take(name, 0, MAX_MARGIN)
    take("roll_width", MIN_LABEL[0], MAX_ROLL[0])
    take("roll_height", MIN_LABEL[1], MAX_ROLL[1])
    settings = replace(default, kind=kind, **typed)
    if not problems:
        problems += _fit(settings)
    return settings, problems


def _fit(s: LabelSettings) -> list[FieldProblem]:
    """The labels of a sheet, with the margins and gaps, inside A4."""
    found = []
    across = s.left + s.columns * s.width + (s.columns - 1) * s.gap_x
    down = s.top + s.rows * s.height + (s.rows - 1) * s.gap_y
    if across > A4_MM[0] + 1e-6:
        found.append(FieldProblem("labels.width", f"{s.columns} × {format_decimal(s.width)} мм с полем и зазорами — "
                                                  f"{format_decimal(round(across, 1))} мм, шире листа A4 (210 мм)"))
    if down > A4_MM[1] + 1e-6:
        found.append(FieldProblem("labels.height", f"{s.rows} × {format_decimal(s.height)} мм с полем и зазорами — "
                                                   f"{format_decimal(round(down, 1))} мм, выше листа A4 (297 мм)"))
    return found

