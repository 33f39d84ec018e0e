"""Exceptions raised by the cut-layout optimiser."""


class CuttingInputError(ValueError):
    """Bad boards or parts given to the optimiser; the message names the culprit in Russian."""


class InvalidLayoutError(RuntimeError):
    """A layout breaks a cutting rule; raised by the validator (from the optimiser it means a bug)."""
