"""What a user action changed, so each screen can refresh just what it shows.

Every service that writes returns what it changed: a ``Changes`` itself, an object with a
``changes`` attribute (a move's result), or a ``Done`` (the action's value and its changes). The
window announces them; each screen looks only at the fields it shows.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Generic, Iterable, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    deal_ids: frozenset[int] = frozenset()  # deals whose fields, stage, tasks, feed or files changed
    stages: frozenset[str] = frozenset()  # board columns whose content or totals changed
    tasks: bool = False  # tasks added, done, moved to another time
    timeline: bool = False  # lines added to deals' feeds (notes, moves, edits, files)
    files: bool = False  # files attached to deals (drawings, photos)
    specs: bool = False  # parts, hardware or the spec form of deals
    cut_sheets: bool = False  # cut sheets created, cancelled or handed over to production
    stock_boards: bool = False  # the «Материалы» table of stock boards
    offcuts: bool = False  # the store of offcuts («Остатки»): stored, reserved, used, written off
    users: bool = False  # accounts, their roles, groups, passwords and the rights table
    audit: bool = False  # lines added to the «Журнал»
    settings: bool = False  # the shop's settings (days a card may sit in a stage)
    sms: bool = False  # the SMS outbox: queued, sent, delivered, failed or cancelled SMS
    snoozed: frozenset[int] = frozenset()  # tasks whose reminder was put off
    signed_in: bool = False  # another user signed in on this PC («Сменить пользователя»)

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)})

    def touches(self, stages: Iterable[str], deal_ids: Iterable[int] = ()) -> bool:
        """Whether a list of the deals at ``stages``, now showing ``deal_ids``, may be out of date."""
        return not self.stages.isdisjoint(stages) or not self.deal_ids.isdisjoint(deal_ids)

    def is_empty(self) -> bool:
        """Whether nothing changed (a save of unchanged values)."""
        return not any(getattr(self, f.name) for f in fields(self))

    @classmethod
    def anything(cls, deal_ids: frozenset[int] = frozenset(), stages: frozenset[str] = frozenset()) -> Changes:
        """Everything may have changed (another PC wrote; another user signed in): every screen
        refreshes; ``deal_ids`` and ``stages`` name what is known."""
        flags = {f.name: True for f in fields(cls) if f.default is False and f.name != "signed_in"}
        return cls(deal_ids=deal_ids, stages=stages, **flags)


@dataclass(frozen=True)
class Done(Generic[T]):
    """What a user action made or found (``value``) and what it changed."""

    value: T
    changes: Changes
