"""What a user action changed, so each screen can refresh just what it shows."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    deal_ids: frozenset[int] = frozenset()
    stages: frozenset[str] = frozenset()  # board columns whose content or totals changed
    tasks: bool = False
    timeline: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.deal_ids | other.deal_ids, self.stages | other.stages,
                       self.tasks or other.tasks, self.timeline or other.timeline,
                       {**self.extra, **other.extra})
