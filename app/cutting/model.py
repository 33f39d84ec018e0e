"""Data classes of the cut-layout optimiser: stock boards, parts, placements, layouts, results.

Sizes are whole millimetres. On a board x runs along its length and y along its width; a part's
`length` and `width` are its own sizes, before any rotation.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Board:
    """A stock board of one material: its size, the edge trim cut off each side, the saw kerf,
    the cut depth of the saw (at most `stages` stages of guillotine cuts, None for any sequence),
    how many are in stock (`count`, None: as many as needed) and the `cost` of one. A material
    may have boards of several sizes (full and cut-down ones). `min_offcut` (longer side, shorter
    side) is the smallest leftover of this material worth keeping (None: the optimiser's default)."""

    material: str
    length: int
    width: int
    trim: int = 10
    kerf: int = 4
    stages: int | None = None
    count: int | None = None
    cost: float = 0.0
    min_offcut: tuple[int, int] | None = None

    @property
    def usable_length(self) -> int:
        """Length left after trimming both ends."""
        return self.length - 2 * self.trim

    @property
    def usable_width(self) -> int:
        """Width left after trimming both long edges."""
        return self.width - 2 * self.trim


def stage_limit(board: Board, max_stages: int | None) -> int | None:
    """The stricter of the board's cut depth and `max_stages` (None: unlimited)."""
    limits = [s for s in (board.stages, max_stages) if s is not None]
    return min(limits) if limits else None


@dataclass(frozen=True)
class Part:
    """A part to cut `qty` times; `rotate` is False when the grain direction must be kept."""

    id: str
    material: str
    length: int
    width: int
    qty: int = 1
    rotate: bool = True
    order: str | None = None
    name: str | None = None

    def label(self) -> str:
        """How messages name the part: «15-3 (1900×800)»."""
        return f"{self.id} ({self.length}×{self.width})"


@dataclass(frozen=True)
class Placement:
    """One cut part on a board; when `rotated` its length runs along the board's width."""

    id: str
    x: int
    y: int
    length: int
    width: int
    rotated: bool = False
    order: str | None = None
    name: str | None = None

    @property
    def size_x(self) -> int:
        """Extent along the board's length."""
        return self.width if self.rotated else self.length

    @property
    def size_y(self) -> int:
        """Extent along the board's width."""
        return self.length if self.rotated else self.width


@dataclass(frozen=True)
class Offcut:
    """A reusable rectangle left over on a board (outside the kerf of the neighbouring cuts)."""

    x: int
    y: int
    length: int
    width: int


@dataclass
class Layout:
    """The parts cut from one board."""

    board: Board
    placements: list[Placement]
    offcuts: list[Offcut] = field(default_factory=list)

    @property
    def utilisation(self) -> float:
        """Share of the whole board's area that goes into parts."""
        used = sum(p.length * p.width for p in self.placements)
        return used / (self.board.length * self.board.width)


@dataclass
class MaterialSummary:
    """How many boards of one material are needed and the proven minimum."""

    material: str
    boards_used: int
    lower_bound: int
    timed_out: bool = False  # the time limit ended the greedy start: a quick, improvable answer


@dataclass
class CuttingResult:
    """Layouts of all materials; `optimal` says the board count cannot be lower."""

    layouts: list[Layout]
    materials: list[MaterialSummary]

    @property
    def boards_used(self) -> int:
        """Boards of all materials together."""
        return len(self.layouts)

    @property
    def lower_bound(self) -> int:
        """Sum of the proven per-material minimums."""
        return sum(m.lower_bound for m in self.materials)

    @property
    def cost(self) -> float:
        """What the boards of all layouts cost together."""
        return sum(layout.board.cost for layout in self.layouts)

    @property
    def timed_out(self) -> bool:
        """True when the time limit cut the search short for some material (see MaterialSummary)."""
        return any(m.timed_out for m in self.materials)

    @property
    def optimal(self) -> bool:
        """True when the board count equals the proven minimum («меньше невозможно»)."""
        return self.boards_used == self.lower_bound
