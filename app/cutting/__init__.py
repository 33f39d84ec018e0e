"""Guillotine cut-layout optimiser: lays out furniture parts on stock boards (pure Python).

Use ``optimise(boards, parts)``; see solver.py for the options and cli.py for the JSON interface.
"""
from .errors import CuttingInputError, InvalidLayoutError
from .materials import DEFAULT_BOARDS
from .model import Board, CuttingResult, Layout, MaterialSummary, Offcut, Part, Placement
from .solver import optimise
from .validate import validate_layout, validate_layouts

__all__ = [
    "Board", "CuttingInputError", "CuttingResult", "DEFAULT_BOARDS", "InvalidLayoutError", "Layout",
    "MaterialSummary", "Offcut", "Part", "Placement", "optimise", "validate_layout", "validate_layouts",
]
