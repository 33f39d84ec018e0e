"""«Настройки → Почта…», the background reading of the shop's mailbox and its line in the status bar,
and letters on the card's timeline (a fake folder stands for the server here; the real one is tested in
tests/domain/test_mail_intake.py)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from app.integrations.imap_mail import MailboxError
from app.services import mail_settings
from app.services.mail_settings import MailSettings
from app.services.timeline import feed
from app.store.models import Deal
from tests import mail_samples as samples
from ui.board.board import BoardWidget
from ui.common import msgbox
from ui.deal.timeline_view import header_of
from ui.mail.install import install_mail
from ui.shell.main_window import MainWindow

SETTINGS = MailSettings(host="imap.example.ru", port=993, login="krovatispb@gmail.com", interval_minutes=5)


class FakeTimer(QTimer):
    """A QTimer that never runs by itself: the test emits ``timeout``."""

    def start(self, *args) -> None:
        self.started = True


class FakeFolder:
    """A mailbox folder holding ``LETTERS`` (UIDs 1, 2, …)."""

    LETTERS: list[bytes] = []
    uidvalidity = 7

    def __init__(self, account) -> None:
        self.account = account

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def uids_after(self, last_uid: int, since=None) -> list[int]:
        return [uid for uid in range(1, len(self.LETTERS) + 1) if uid > last_uid]

    def fetch(self, uid: int) -> bytes:
        return self.LETTERS[uid - 1]


class Unreachable(FakeFolder):
    def __enter__(self):
        raise MailboxError("Сервер imap.example.ru:993 недоступен: проверьте адрес, порт и подключение к интернету.")


@pytest.fixture
def letters(monkeypatch):
    monkeypatch.setattr(FakeFolder, "LETTERS", [samples.plain(), samples.site_form(), samples.bounce()])
    return FakeFolder.LETTERS


def _window(qtbot, user, **options):
    window = MainWindow(user)
    qtbot.addWidget(window)
    options.setdefault("timer", FakeTimer())
    options.setdefault("threaded", False)
    feature = install_mail(window, **options)
    return window, feature


def _configure(staff, settings: MailSettings = SETTINGS) -> None:
    mail_settings.save(staff["admin"], settings, "app-password")


def test_the_administrator_sets_the_mailbox_checks_it_and_saves(qtbot, staff, monkeypatch):
    window, feature = _window(qtbot, staff["admin"], open_folder=FakeFolder)
    assert feature.status.text() == "" and not feature.checker.timer.isActive()
    dialog = feature.open_settings()
    tried = []
    dialog.checker = lambda account: tried.append(account) or "Подключение есть: ящик krovatispb@gmail.com"
    assert not dialog.check()
    assert dialog.result.text().startswith("✖ Сервер: укажите сервер")

    dialog.host.setText("imap\x07.gmail.com")
    assert not dialog.check() and "Сервер: недопустимые (управляющие) символы" in dialog.result.text()
    dialog.host.setText("imap.gmail.com")
    dialog.login.setText("krovatispb@gmail.com")
    dialog.password.setText("app-password")
    dialog.own_address.setText("Krovatispb@Gmail.com")
    dialog.interval.setValue(3)
    assert dialog.check()
    assert dialog.result.text() == "✔ Подключение есть: ящик krovatispb@gmail.com"
    assert (tried[0].host, tried[0].port, tried[0].password) == ("imap.gmail.com", 993, "app-password")
    monkeypatch.setattr(msgbox, "info", lambda parent, title, text: None)
    dialog.save()

    stored = mail_settings.load()
    assert (stored.host, stored.login, stored.own_address, stored.interval_minutes) == (
        "imap.gmail.com", "krovatispb@gmail.com", "krovatispb@gmail.com", 3)
    assert mail_settings.password(stored) == "app-password"  # on this PC, never in the settings
    assert "app-password" not in str(mail_settings.load())
    assert feature.checker.timer.interval() == 3 * 60_000  # the background reading follows the settings


def test_only_the_administrator_may_change_the_mailbox(qtbot, staff, monkeypatch):
    window, feature = _window(qtbot, staff["manager"], open_folder=FakeFolder)
    refused = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: refused.append(text))
    dialog = feature.open_settings()
    dialog.host.setText("imap.gmail.com")
    dialog.login.setText("krovatispb@gmail.com")
    dialog.save()
    assert refused == ["Почтовый ящик магазина настраивает только администратор."]
    assert not mail_settings.load().configured


def test_new_letters_arrive_in_the_background_and_the_status_bar_says_when(qtbot, staff, letters):
    _configure(staff)
    window, feature = _window(qtbot, staff["manager"], open_folder=FakeFolder, start=False)
    announced = []
    window.changed.connect(announced.append)
    feature.checker.start()

    assert feature.status.text() == "Почта проверена 12:00 · новых заявок: 2"
    assert feature.checker.timer.interval() == 5 * 60_000
    assert Deal.select().count() == 2
    assert announced and announced[-1].stages == {"new"} and len(announced[-1].deal_ids) == 2

    feature.checker.timer.timeout.emit()  # the next round: nothing new
    assert feature.status.text() == "Почта проверена 12:00" and Deal.select().count() == 2

    lead = Deal.get(Deal.name == "Заявка с сайта")
    board = BoardWidget(window)
    texts = board.delegate.card_texts(board.column("new").model.card(lead.id))
    assert (texts["contact"], texts["name"], texts["imported"]) == (
        "Краева Ольга", "Заявка с сайта", "импорт krovatispb@gmail.com")  # as the shop's guide shows it
    letter_line = next(line for line in feed(lead.id) if line.kind == "mail_in")
    assert "Входящее письмо" in header_of(letter_line)
    assert letter_line.text.startswith("Входящее письмо «Заявка с сайта» от Сайт <robot@krovati-manya.ru> "
                                       "— импорт krovatispb@gmail.com")


def test_the_reading_runs_on_a_worker_thread(qtbot, staff, letters):
    _configure(staff)
    window, feature = _window(qtbot, staff["manager"], open_folder=FakeFolder, threaded=True, start=False)
    with qtbot.waitSignal(feature.checker.finished, timeout=20_000):
        feature.checker.check_now()
    feature.checker.wait()
    assert feature.status.text() == "Почта проверена 12:00 · новых заявок: 2"
    assert Deal.select().count() == 2


def test_a_mailbox_that_cannot_be_reached_shows_in_the_status_bar(qtbot, staff):
    _configure(staff)
    window, feature = _window(qtbot, staff["manager"], open_folder=Unreachable)
    assert feature.status.text() == ("Почта: Сервер imap.example.ru:993 недоступен: проверьте адрес, порт и "
                                     "подключение к интернету.")
    assert "b00020" in feature.status.styleSheet()


def test_checking_by_hand_where_the_mailbox_is_not_set_up_says_so(qtbot, staff):
    window, feature = _window(qtbot, staff["manager"], open_folder=FakeFolder)
    assert feature.status.text() == ""  # nothing to say while nobody asks
    window.findChild(QAction, "mailCheckNowAction").trigger()
    assert feature.status.text() == "Почта не настроена на этом компьютере (Настройки → Почта…)"


def test_the_workshop_terminal_reads_no_mail(qtbot, staff):
    window = MainWindow(staff["chief"], "workshop")
    qtbot.addWidget(window)
    assert install_mail(window, timer=FakeTimer(), threaded=False) is None
