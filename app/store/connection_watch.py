"""Whether the database answers, and when to try again after it stopped answering.

The UI's poller reports each poll's outcome; while the server is away it retries after 1, 2, 4, 8,
then every 10 seconds and shows «Нет связи с сервером, повторяю…». Actions the user makes meanwhile
fail with ConnectionLostError (nothing half-written) and their input stays in the window.
"""
from __future__ import annotations

from dataclasses import dataclass

RETRY_DELAYS_S = (1, 2, 4, 8, 10)
LOST_TEXT = "Нет связи с сервером, повторяю…"
BACK_TEXT = "Связь с сервером восстановлена"


@dataclass
class ConnectionWatch:
    online: bool = True
    failures: int = 0
    next_try: float = 0.0

    def should_try(self, now: float) -> bool:
        """Whether a poll is due at monotonic time ``now``."""
        return self.online or now >= self.next_try

    def failed(self, now: float) -> bool:
        """Record a failed poll; True when the connection has just been lost."""
        just_lost = self.online
        self.online = False
        self.next_try = now + RETRY_DELAYS_S[min(self.failures, len(RETRY_DELAYS_S) - 1)]
        self.failures += 1
        return just_lost

    def succeeded(self) -> bool:
        """Record a good poll; True when the connection has just come back."""
        came_back = not self.online
        self.online, self.failures, self.next_try = True, 0, 0.0
        return came_back

    @property
    def text(self) -> str:
        if self.online:
            return ""
        return LOST_TEXT + (f" (попытка {self.failures})" if self.failures > 1 else "")
