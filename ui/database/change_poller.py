"""Live refresh: once a second, ask the database whether another PC or window changed something,
and broadcast it through ``MainWindow.announce`` so every view refreshes. Also tells the status bar
when the server stops answering and when it is back."""
from __future__ import annotations

import logging
import time
from typing import Callable

import peewee
from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import ConnectionLostError
from app.store.change_feed import ChangeFeed, remote_changes
from app.store.connection_watch import ConnectionWatch

log = logging.getLogger(__name__)

POLL_MS = 1000


class ChangePoller(QObject):
    """Polls the change counter on a named, replaceable timer (``changePollTimer``)."""

    connection_changed = Signal(bool, str)  # online, text for the status bar

    def __init__(self, window, timer: QTimer | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self.watch = ConnectionWatch()
        self.monotonic = monotonic
        self.timer = timer or QTimer(self, interval=POLL_MS)
        self.timer.setObjectName("changePollTimer")
        self.timer.timeout.connect(self.poll)
        self.feed: ChangeFeed | None = None

    def start(self) -> None:
        self.timer.start()

    def poll(self) -> None:
        """One look at the change counter (the timer calls this)."""
        now = self.monotonic()
        if not self.watch.should_try(now):
            return
        try:
            fresh = self.feed is None
            if fresh:
                self.feed = ChangeFeed()
            changes = None if fresh else self.feed.poll()
        except (ConnectionLostError, peewee.OperationalError, peewee.InterfaceError):
            if self.watch.failed(now):
                log.warning("The change poll lost the database", exc_info=True)
            self.connection_changed.emit(False, self.watch.text)
            return
        if self.watch.succeeded():
            self.connection_changed.emit(True, "")
            changes = remote_changes()  # whatever happened meanwhile: refresh everything
        if changes is not None:
            self.window.announce(changes)
