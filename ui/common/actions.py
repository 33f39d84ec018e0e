"""The one way a widget runs a user action (the idea of Anki's ``CollectionOp``).

A widget hands the runner a call of one service. When the service refuses (its own
``ServiceError``, a Russian message), the runner shows the message through ``ui.common.msgbox``
and nothing else happens — unless the widget named a handler for that kind of refusal (a gate
form for a gate, the conflict dialog for a conflict), whose result, if any, stands for the
action's. When the action succeeds, the runner announces what the service returned as changed,
so every screen refreshes what it shows, and hands the result back to the widget. Anything else
raised is a bug: it goes on to the crash handler, which logs it.
"""
from __future__ import annotations

import logging
from typing import Callable, Mapping, TypeVar

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.errors import ServiceError
from ui.common import msgbox

log = logging.getLogger(__name__)

R = TypeVar("R")
Refusals = Mapping[type[ServiceError], Callable[[ServiceError], object]]


def changes_of(result: object) -> Changes:
    """What a service's ``result`` says it changed: a ``Changes``, or its ``changes`` attribute."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    if not isinstance(changes, Changes):
        raise TypeError(f"{type(result).__name__} does not say what it changed")
    return changes


class ActionRunner:
    """Runs services for the widgets of one main window, announcing through ``announce``."""

    def __init__(self, announce: Callable[[Changes], None]) -> None:
        self.announce = announce

    def run(self, parent: QWidget | None, title: str, action: Callable[[], R], *,
            refused: Refusals | None = None, stale: Changes | None = None) -> R | None:
        """``action()``'s result, its changes announced; None when the service refused.

        A refusal is shown as a message box titled ``title``, unless ``refused`` maps its kind
        (or a base of it) to a handler: the handler's result (None, or another service's result
        such as a re-applied save) is then the action's. ``stale`` is announced after a refusal:
        what may be out of date when another PC got there first."""
        try:
            result = action()
        except ServiceError as error:
            result = self._refused(parent, title, error, refused or {})
            if stale is not None:
                self.announce(stale)
            if result is None:
                return None
        changes = changes_of(result)
        if not changes.is_empty():
            self.announce(changes)
        return result

    @staticmethod
    def _refused(parent: QWidget | None, title: str, error: ServiceError, refused: Refusals):
        log.info("%s — отказ: %s", title, error)
        handler = next((handle for kind, handle in refused.items() if isinstance(error, kind)), None)
        if handler is None:
            msgbox.error(parent, title, str(error))
            return None
        try:
            return handler(error)
        except ServiceError as again:  # the handler's own service refused too
            log.info("%s — отказ: %s", title, again)
            msgbox.error(parent, title, str(again))
            return None
