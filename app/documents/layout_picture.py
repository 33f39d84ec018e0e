"""What a drawn cut layout shows, shared by the screen (Qt painting) and the printed cut sheet
(reportlab): the board, its trimmed edges, the parts with their labels and the hatched reusable
offcuts, in board millimetres with x along the board's length and y along its width from the top
left corner."""
from __future__ import annotations

from dataclasses import dataclass

from app.cutting import Layout


@dataclass(frozen=True)
class PartBox:
    """A part on the drawing: its rectangle and label."""

    x: int
    y: int
    size_x: int
    size_y: int
    id: str
    order: str | None
    size: str  # the part's own «1900×800»
    rotated: bool

    def lines(self) -> list[str]:
        """Label lines, most important first: number, order, size."""
        return [self.id, *([f"заказ №{self.order}"] if self.order else []), self.size]


@dataclass(frozen=True)
class BoardPicture:
    length: int
    width: int
    trim: int
    parts: tuple[PartBox, ...]
    offcuts: tuple[tuple[int, int, int, int], ...]  # x, y, size_x, size_y

    def labels(self) -> list[str]:
        """One text per part: «21-3 · заказ №21 · 1900×800»."""
        return [" · ".join(box.lines()) for box in self.parts]


def picture(layout: Layout) -> BoardPicture:
    """The drawing of one board's layout."""
    board = layout.board
    parts = tuple(PartBox(p.x, p.y, p.size_x, p.size_y, p.id, p.order, f"{p.length}×{p.width}", p.rotated)
                  for p in layout.placements)
    offcuts = tuple((o.x, o.y, o.length, o.width) for o in layout.offcuts)
    return BoardPicture(board.length, board.width, board.trim, parts, offcuts)


def hatch_lines(x: float, y: float, w: float, h: float, step: float) -> list[tuple[float, float, float, float]]:
    """45° hatching of the rectangle (x, y, w, h): segments (x1, y1, x2, y2) `step` apart."""
    out = []
    c = step
    while c < w + h:
        # the line u + v = c in the rectangle's own coordinates, clipped to it
        u1, v1 = (c, 0.0) if c <= w else (w, c - w)
        u2, v2 = (0.0, c) if c <= h else (c - h, h)
        out.append((x + u1, y + v1, x + u2, y + v2))
        c += step
    return out


def fit_label(lines: list[str], w: float, h: float, measure, largest: float = 6.5,
              smallest: float = 4.5, leading: float = 1.15) -> tuple[list[str], float, bool]:
    """The label lines that fit a w × h box, their font size and whether they run upright (in
    tall narrow boxes): the largest size down to `smallest` at which all lines fit, else fewer
    lines. `measure(text, size)` is the text's width. No lines if not even the number fits."""
    turned = h > w
    if turned:
        w, h = h, w
    size = largest
    while lines:
        if len(lines) * size * leading <= h - 1 and all(measure(line, size) <= w - 2 for line in lines):
            return lines, size, turned
        if size > smallest:
            size -= 0.5
        else:
            lines, size = lines[:-1], largest
    return [], size, turned
