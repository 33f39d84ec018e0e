"""Reading the shop's mailbox in the background: a named, injectable QTimer starts a round every few
minutes (and «Проверить почту сейчас» at once) on a worker thread, so the window never waits for the
mail server; the round's changes are announced like a user action's and the status bar says when the
last check ran and what failed."""
from __future__ import annotations

import logging
import threading

import peewee
from PySide6.QtCore import QObject, QTimer, Signal

from app.domain import clock
from app.domain.changes import Changes
from app.domain.errors import ConnectionLostError
from app.integrations.imap_mail import ImapFolder
from app.services import mail_intake, mail_settings
from app.services.mail_intake import IntakeResult, OpenFolder
from app.store.db import database

log = logging.getLogger(__name__)


def status_text(result: IntakeResult | None) -> str:
    """«Почта проверена 12:40 · новых заявок: 2» / «Почта: …что не так» for the status bar."""
    if result is None:
        return "Почта не настроена на этом компьютере (Настройки → Почта…)"
    if result.error:
        return f"Почта: {result.error}"
    when = clock.to_local(result.checked_at or clock.now()).strftime("%H:%M")
    if result.busy:
        return f"Почту проверяет другой компьютер (последняя проверка {when})"
    text = f"Почта проверена {when}"
    done = [(result.leads_created, "новых заявок"), (result.attached_to_deals, "писем клиентов"),
            (result.failed, "не разобрано")]
    details = ", ".join(f"{label}: {count}" for count, label in done if count)
    return f"{text} · {details}" if details else text


class MailChecker(QObject):
    """``finished`` carries each round's result (None: the mailbox is not set up on this PC)."""

    finished = Signal(object)  # IntakeResult | None
    changed = Signal(object)  # Changes of a round that wrote something

    def __init__(self, parent: QObject | None = None, *, timer: QTimer | None = None,
                 open_folder: OpenFolder = ImapFolder, threaded: bool = True) -> None:
        super().__init__(parent, objectName="mailChecker")
        self.open_folder, self.threaded = open_folder, threaded
        self.timer = timer or QTimer()
        self.timer.setParent(self)  # a test's fake timer too: it goes with the checker
        self.timer.setObjectName("mailTimer")
        self.timer.timeout.connect(self.check_now)
        self._worker: threading.Thread | None = None
        self.last: IntakeResult | None = None
        self.settings = mail_settings.MailSettings()

    def start(self) -> None:
        """Check now and then every «Проверять каждые» minutes, when the shop has a mailbox."""
        self.settings = settings = mail_settings.load()
        self.timer.stop()
        if settings.configured and settings.enabled:
            self.timer.setInterval(settings.interval_minutes * 60_000)
            self.timer.start()
            self.check_now()

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def check_now(self) -> None:
        """Start a round (ignored while one runs)."""
        if self.running:
            return
        account = mail_settings.account()
        if account is None:
            self.finished.emit(None)
            return
        own = mail_settings.load().own_addresses
        if not self.threaded:
            self._round(account, own)
            return
        self._worker = threading.Thread(target=self._round, args=(account, own), name="crm-mail", daemon=True)
        self._worker.start()

    def wait(self) -> None:
        if self._worker is not None:
            self._worker.join()

    def _round(self, account, own) -> None:
        try:
            result = mail_intake.fetch_mail(account, self.open_folder, own_addresses=own)
        except (peewee.DatabaseError, ConnectionLostError) as error:  # the database is away: next time
            log.warning("Mail could not be recorded", exc_info=True)
            result = IntakeResult(error=f"письма не записаны, нет связи с базой данных ({error})")
        finally:
            if self.threaded:
                database.close()  # the worker's own connection
        self.last = result
        if not result.changes.is_empty():
            self.changed.emit(result.changes)
        self.finished.emit(result)

    def on_changed(self, changes: Changes) -> None:
        """The shop's mail settings changed (here or on another PC): start over with them."""
        if changes.settings and mail_settings.load() != self.settings:
            self.start()
