"""Sending the outbox in the background: a named QTimer starts a pass every minute (and at once after
an SMS was queued or «Отправить сейчас»), the pass runs on a worker thread; the status bar says what
waits and what failed."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain import clock
from app.domain.changes import Changes
from app.integrations.sms_gateways import (
    GatewayNotConfigured,
    configured_gateway,
    configured_settings,
)
from app.queries import sms_outbox
from app.services.sms_outbox import SendReport, send_due
from ui.sms.background import Background

INTERVAL_MS = 60_000


def send_pass(forced: bool) -> SendReport | str:
    """One pass over the outbox (on the worker thread): the report, or why nothing could be sent."""
    if not forced and not configured_settings().auto_send:
        return ""
    try:
        gateway = configured_gateway()
    except GatewayNotConfigured as error:
        return str(error)
    try:
        return send_due(gateway)
    finally:
        gateway.close()


def status_text(counts: sms_outbox.OutboxCounts, problem: str = "") -> str:
    """«СМС: ждут 3 · с ошибкой 1» (and the problem, if sending stopped)."""
    parts = [f"ждут {counts.queued}"] if counts.queued else []
    if counts.failed:
        parts.append(f"с ошибкой {counts.failed}")
    text = "СМС: " + (" · ".join(parts) if parts else "очередь пуста")
    return f"{text} — {problem}" if problem else text


class SmsSender(QObject):
    """``statusChanged`` carries the status bar's text; ``sent`` the changes of a pass that did something."""

    statusChanged = Signal(str)
    sent = Signal(object)  # Changes

    def __init__(self, parent: QObject | None = None, timer: QTimer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smsSender")
        self.background = Background(self, "smsBackground")
        self.background.done.connect(self._done)
        self.background.failed.connect(self._failed)
        self.timer = timer if timer is not None else QTimer(self)
        self.timer.setObjectName("smsTimer")
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.kick)
        self.problem = ""

    def start(self) -> None:
        self.timer.start()
        self.kick()

    def kick(self, forced: bool = False) -> bool:
        """Start a pass now (False: one is still running)."""
        return self.background.start(lambda: send_pass(forced))

    def on_changed(self, changes: Changes) -> None:
        """An SMS was queued, sent by hand, cancelled …: show the counts, and send what became due."""
        if changes.sms:
            self.show_status()
            self.kick()

    def show_status(self) -> None:
        self.statusChanged.emit(status_text(sms_outbox.counts(), self.problem))

    def _done(self, result: SendReport | str) -> None:
        if isinstance(result, str):
            self.problem = result
        else:
            self.problem = result.problem
            if not self.problem and result.quiet_until is not None:
                self.problem = f"ночью не отправляются, уйдут в {clock.to_local(result.quiet_until):%H:%M}"
            if result.deal_ids:
                self.sent.emit(result.changes)
        self.show_status()

    def _failed(self, message: str) -> None:
        self.problem = f"отправка остановилась: {message}"
        self.show_status()

    def stop(self) -> None:
        """No more passes (the one running, if any, finishes on the pool)."""
        self.timer.stop()
