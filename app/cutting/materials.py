"""Default stock boards, as data the program's «Материалы» settings table can edit."""
from __future__ import annotations

from .model import Board

DEFAULT_BOARDS: tuple[Board, ...] = (
    Board(material="ЛДСП 16", length=2800, width=2070, trim=10, kerf=4),
    Board(material="Фанера 18", length=2440, width=1220, trim=10, kerf=4),
    Board(material="МДФ 16", length=2440, width=1220, trim=10, kerf=4),
)
