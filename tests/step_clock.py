"""A clock for the optimiser's time limit that counts the search's steps instead of seconds."""
from __future__ import annotations

import threading

STEP = 5e-4  # seconds a reading of the clock stands for: 2,000 steps make the optimiser's second


class StepClock:
    """Each reading is ``step`` later than the one before (in the reading thread), so a time limit
    is a number of the optimiser's steps: the same results on a busy machine as on an idle one."""

    def __init__(self, step: float = STEP) -> None:
        self.step = step
        self._readings = threading.local()

    def __call__(self) -> float:
        self._readings.count = getattr(self._readings, "count", 0) + 1
        return self._readings.count * self.step
