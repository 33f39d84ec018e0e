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


def stock_board_for(material: str, stock: Sequence[Board]) -> Board | None:
    """The stock board a part's material is cut from, named after that material: the stock entry
    of the same name, else the longest one whose words begin the material's name («ЛДСП 16» for
    «ЛДСП 16 Белый»: same board size, but the colour keeps its own boards). None if none fits."""
    words = _words(material)
    best: Board | None = None
    for board in stock:
        name = _words(board.material)
        if name and words[:len(name)] == name and (best is None or len(name) > len(_words(best.material))):
            best = board
    if best is None:
        return None
    return replace(best, material=" ".join(material.split()))
