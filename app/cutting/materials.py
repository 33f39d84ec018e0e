"""Default stock boards, as data the program's «Материалы» settings table can edit, and how a
part's material finds its stock board."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .model import Board

DEFAULT_BOARDS: tuple[Board, ...] = (
    Board(material="ЛДСП 16", length=2800, width=2070, trim=10, kerf=4),
    Board(material="Фанера 18", length=2440, width=1220, trim=10, kerf=4),
    Board(material="Фанера 12", length=2440, width=1220, trim=10, kerf=4),
    Board(material="МДФ 16", length=2440, width=1220, trim=10, kerf=4),
    Board(material="ХДФ 3,2", length=2800, width=2070, trim=10, kerf=4),
)


def _words(name: str) -> list[str]:
    return name.casefold().replace("ё", "е").split()


def stock_for(material: str, stock: Sequence[Board]) -> list[Board]:
    """The stock boards a part's material is cut from, named after that material: the entries
    of the same name, else of the longest name whose words begin the material's name («ЛДСП 16»
    for «ЛДСП 16 Белый»: same board sizes, but the colour keeps its own boards). A material may
    have several sizes (full and cut-down boards); empty if none fits."""
    words = _words(material)
    best = 0
    for board in stock:
        name = _words(board.material)
        if name and words[:len(name)] == name:
            best = max(best, len(name))
    if not best:
        return []
    name = " ".join(material.split())
    return [replace(b, material=name) for b in stock
            if len(_words(b.material)) == best and words[:best] == _words(b.material)]


def stock_board_for(material: str, stock: Sequence[Board]) -> Board | None:
    """The first of stock_for's boards, or None."""
    boards = stock_for(material, stock)
    return boards[0] if boards else None
