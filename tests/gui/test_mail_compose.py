"""«Ответить» and «Написать письмо» on the deal card: the compose dialog, sent through a local SMTP
server from a worker thread, its refusals beside the fields, a failed send keeping the text, drafts."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.mail_account import MailAccount
from app.services import deals, mail_intake, notes, outgoing_mail
from app.store.models import MailLetter, TimelineEntry
from tests import mail_samples as samples
from tests.gui.card_helpers import open_card, type_text
from tests.papers import smtp_server
from tests.papers.test_papers_mail import mail_values
from ui.common import msgbox
from ui.deal.timeline_view import Role
from ui.mail.compose import ComposeDialog

ACCOUNT = MailAccount("imap.example.ru", login=samples.SHOP)


@pytest.fixture(autouse=True)
def no_questions(monkeypatch):
    """Closing a window with typed text never blocks on a question (a test may answer otherwise)."""
    monkeypatch.setattr(msgbox, "ask_save", lambda *args, **kwargs: msgbox.DISCARD)


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: seen.append((title, text)))
    monkeypatch.setattr(msgbox, "info", lambda parent, title, text: seen.append((title, text)))
    return seen


@pytest.fixture
def server():
    controller, mailbox = smtp_server.start_server()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def card(qtbot, staff, db, server):
    controller, _ = server
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), smtp_server.PASSWORD)
    deal = deals.create_deal(staff["manager"], name="Кровать Ирине", values={
        "contact.full_name": "Ирина Петрова", "contact.email": "client@yandex.ru"}).deal
    for number, subject in ((1, "Кровать МИА"), (2, "Re: Цвет")):
        mail_intake.take_letter(samples.plain(f"q-{number}@yandex.ru", "Ирина Петрова <client@yandex.ru>", subject,
                                              f"Вопрос {number}"), ACCOUNT)
    return open_card(qtbot, staff["manager"], deal.id)


def _rows(card, kind):
    model = card.feed.model()
    return [model.index(row, 0) for row in range(model.rowCount()) if model.index(row, 0).data(Role.KIND) == kind]


def _ctrl_enter(qtbot, dialog):
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_reply_from_the_button_sent_with_ctrl_enter_and_noted_on_the_timeline(qtbot, card, server, messages,
                                                                               tmp_path):
    _, mailbox = server
    assert card.mail.reply_button.isEnabled()
    card.mail.reply_button.click()
    dialog = card.mail.dialogs[(card.deal_id, card.mail.letter_to_answer())]
    assert isinstance(dialog, ComposeDialog) and not dialog.isModal()
    assert (dialog.to.text(), dialog.subject.text()) == ("client@yandex.ru", "Re: Цвет")  # the latest letter
    assert "> Вопрос 2" in dialog.body.toPlainText() and dialog.body.textCursor().position() == 0
    type_text(dialog.body, "Лучше белый.")
    dialog.add_deal_file(*_a_deal_file(card, tmp_path))
    _ctrl_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.sent, timeout=30_000)
    [(recipients, message)] = mailbox.messages
    assert recipients == ["client@yandex.ru"] and message["In-Reply-To"] == "<q-2@yandex.ru>"
    assert message.get_body(("plain",)).get_content().startswith("Лучше белый.\n\n")
    assert [part.get_filename() for part in message.iter_attachments()] == ["эскиз.txt"]
    qtbot.waitUntil(lambda: _rows(card, TimelineEntry.MAIL_OUT)[-1:] and _rows(card, TimelineEntry.MAIL_OUT)[-1]
                    .data().startswith("Ответ на письмо «Re: Цвет» отправлен на client@yandex.ru\nЛучше белый."))
    assert messages == []
    qtbot.waitUntil(lambda: not card.mail.dialogs)  # closed once sent


def _a_deal_file(card, folder):
    path = folder / "эскиз.txt"
    path.write_text("эскиз")
    attachment = notes.attach_file(card.deal_id, card.user, path).value
    return attachment.id, attachment.original_name


def test_reply_from_the_context_menu_and_ctrl_r_on_the_letter_chosen(qtbot, card):
    first, second = _rows(card, TimelineEntry.MAIL_IN)
    card.feed.scrollTo(first)
    menu = card.mail.show_menu(card.feed.visualRect(first).center())
    [action] = [action for action in menu.actions() if action.objectName() == "replyMailAction"]
    assert action.text().startswith("Ответить")
    action.trigger()
    dialog = card.mail.dialogs[(card.deal_id, first.data(Role.LETTER))]
    assert dialog.subject.text() == "Re: Кровать МИА"
    assert card.mail.show_menu(card.feed.visualRect(_rows(card, TimelineEntry.DEAL_CREATED)[0]).center()) is None
    card.feed.setCurrentIndex(second)
    card.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is card)
    qtbot.keyClick(card.feed, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert card.mail.dialogs[(card.deal_id, second.data(Role.LETTER))].subject.text() == "Re: Цвет"
    assert card.mail.reply(first.data(Role.LETTER)) is dialog  # asked again: the same window


def test_refusals_beside_the_fields_and_a_failed_send_keeps_the_text(qtbot, card, server, messages, staff, counts):
    _, mailbox = server
    dialog = card.mail.write()
    assert dialog.to.text() == "client@yandex.ru" and dialog.body.toPlainText() == ""
    dialog.to.setText("client@")
    assert dialog.send() is None
    assert "Кому: Неверный e-mail" in dialog.messages["mail.to"].text()
    assert "Текст письма: письмо пустое" in dialog.messages["mail.body"].text()
    dialog.to.setText("client@yandex.ru")
    dialog.body.setPlainText("Кровать готова")
    before = counts()
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(smtp_server.free_port()), smtp_server.PASSWORD)
    assert dialog.send() is not None and not dialog.send_button.isEnabled() and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30_000)
    [(title, text)] = messages
    assert title == "Письмо не отправлено" and "Нет связи с почтовым сервером 127.0.0.1" in text
    assert dialog.isVisible() and dialog.body.toPlainText() == "Кровать готова" and not dialog.progress.isVisible()
    qtbot.waitUntil(lambda: counts()["MailLetter"] == before["MailLetter"])
    assert counts()["TimelineEntry"] == before["TimelineEntry"] and mailbox.messages == []


def test_closing_with_typed_text_offers_a_draft(qtbot, card, monkeypatch):
    answers, asked = [msgbox.CANCEL, msgbox.SAVE, msgbox.DISCARD], []
    monkeypatch.setattr(msgbox, "ask_save", lambda parent, title, text, save_label="Сохранить": (
        asked.append(save_label), answers.pop(0))[1])
    dialog = card.mail.write()
    dialog.close()  # nothing typed: nothing asked
    assert asked == [] and not card.mail.dialogs
    dialog = card.mail.write()
    dialog.subject.setText("Доставка")
    dialog.body.setPlainText("Во вторник удобно?")
    assert not dialog.close() and dialog.isVisible()  # «Отмена»
    assert dialog.close() and asked == ["Сохранить черновик", "Сохранить черновик"]  # «Сохранить черновик»
    qtbot.waitUntil(lambda: not card.mail.dialogs)
    dialog = card.mail.write()
    assert (dialog.subject.text(), dialog.body.toPlainText()) == ("Доставка", "Во вторник удобно?")
    dialog.body.setPlainText("Другое")
    assert dialog.close()  # «Не сохранять»: the draft stays as it was
    assert MailLetter.get(MailLetter.status == MailLetter.DRAFT).body == "Во вторник удобно?"


def test_roles_without_the_right_see_the_buttons_greyed(qtbot, staff, card):
    other = open_card(qtbot, staff["constructor"], card.deal_id)
    assert not other.mail.reply_button.isEnabled() and not other.mail.write_button.isEnabled()


def test_reply_offered_once_a_letter_arrives_on_an_open_card(qtbot, staff, db):
    from app.domain.changes import Changes

    deal = deals.create_deal(staff["manager"], name="Кровать Олегу", values={
        "contact.full_name": "Олег", "contact.email": "oleg@mail.ru"}).deal
    card = open_card(qtbot, staff["manager"], deal.id)
    assert not card.mail.reply_button.isEnabled() and card.mail.reply() is None
    assert card.mail.write_button.isEnabled()
    mail_intake.take_letter(samples.plain("o-1@mail.ru", "Олег <oleg@mail.ru>", "Вопрос", "Когда?"), ACCOUNT)
    card.window_.announce(Changes(frozenset({deal.id}), timeline=True))
    assert card.mail.reply_button.isEnabled()
    assert card.mail.reply().subject.text() == "Re: Вопрос"


def test_a_letter_left_sending_is_resolved_from_its_line(qtbot, card, fake_clock, messages):
    from datetime import timedelta

    from app.services import mail_replies

    prepared = mail_replies.prepare_letter(card.deal_id, card.user, "client@yandex.ru", "Доставка", "Во вторник")
    card.window_.announce(prepared.changes)  # the program stopped here, before the send was recorded
    fake_clock.advance(timedelta(minutes=5))
    [line] = [index for index in _rows(card, TimelineEntry.MAIL_OUT) if index.data(Role.UNCONFIRMED)]
    assert "отправка не подтверждена" in line.data()
    card.feed.scrollTo(line)
    menu = card.mail.show_menu(card.feed.visualRect(line).center())
    [action] = [action for action in menu.actions() if action.objectName() == "confirmSentAction"]
    action.trigger()
    [line] = _rows(card, TimelineEntry.MAIL_OUT)
    assert line.data().startswith("Письмо «Доставка» отправлено на client@yandex.ru") and messages == []
    assert line.data(Role.UNCONFIRMED) is None


def test_show_letter_for_screenshots_never_waits_on_a_message(qtbot, staff, card):
    from ui.shell.app import shown_widget
    from ui.shell.main_window import MainWindow

    order_no = deals.load_deal(card.deal_id).order_no
    assert shown_widget(card.window_, f"letter:{order_no}").subject.text() == "Re: Цвет"
    other = MainWindow(staff["constructor"])
    qtbot.addWidget(other)
    assert shown_widget(other, f"letter:{order_no}").objectName() == "dealDialog"  # no right: the card alone
