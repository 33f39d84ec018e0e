"""The client's papers from the deal card and the administrator's settings dialogs."""
from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from app.demo.shop_details import DEMO_DETAILS
from app.services import paper_settings
from app.store.models import Attachment, AuditEntry, Invoice
from tests.domain.helpers import complete_deal
from tests.gui.card_helpers import open_card
from tests.gui.print_helpers import print_dialog_to
from tests.papers import smtp_server
from ui.common import msgbox
from ui.papers import card_papers, install
from ui.shell.main_window import MainWindow


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: seen.append((title, text)))
    monkeypatch.setattr(msgbox, "info", lambda parent, title, text: seen.append((title, text)))
    return seen


@pytest.fixture
def card(qtbot, staff, db):
    paper_settings.save_shop_details(None, DEMO_DETAILS)
    deal = complete_deal(staff["manager"])
    return open_card(qtbot, staff["manager"], deal.id)


def test_invoice_from_the_card_printed_saved_and_mailed(qtbot, card, monkeypatch, tmp_path, messages, staff):
    printed, saved = tmp_path / "printed.pdf", tmp_path / "saved.pdf"
    monkeypatch.setattr(card_papers, "ask_print", print_dialog_to(printed))
    monkeypatch.setattr(card_papers, "open_in_viewer", lambda path: messages.append(("open", path.name)))
    monkeypatch.setattr(msgbox, "save_file", lambda *args, **kwargs: saved)
    asked = []
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": asked.append(text) or text)
    dialog = card.papers.make("invoice")
    assert dialog.paper.title == "Счёт №2025-001" and Invoice.select().count() == 1
    dialog.print_paper()
    assert len(PdfReader(str(printed)).pages) == 1 and "на печать: 1 стр." in dialog.status.text()
    dialog.open_pdf()
    dialog.save_pdf()
    assert saved.read_bytes() == dialog.paper.path.read_bytes()
    controller, mailbox = smtp_server.start_server()
    try:
        from app.services import outgoing_mail

        outgoing_mail.save_mail_settings(None, {"host": "127.0.0.1", "port": controller.port, "security": "none",
                                                "user": smtp_server.LOGIN, "sender": smtp_server.LOGIN},
                                         smtp_server.PASSWORD)
        dialog.send()
        qtbot.waitUntil(lambda: "отправлен на test@test.ru" in dialog.status.text(), timeout=30_000)
    finally:
        controller.stop()
    assert asked == ["test@test.ru"] and len(mailbox.messages) == 1
    assert messages == [("open", dialog.paper.path.name)]
    qtbot.waitUntil(lambda: "отправлен на test@test.ru" in card.feed.model().index(
        card.feed.model().rowCount() - 1, 0).data())
    assert Attachment.select().where(Attachment.kind == "invoice").count() == 1  # one invoice, whatever was done


def test_each_print_of_a_contract_is_audited(qtbot, card, monkeypatch, messages):
    monkeypatch.setattr(card_papers, "ask_print", lambda parent, printer: False)  # cancelled: nothing printed
    monkeypatch.setattr(card_papers, "open_in_viewer", lambda path: messages.append(("open", path.name)))
    dialog = card.papers.make("contract")
    dialog.print_paper()
    dialog.open_pdf()
    details = [entry.details for entry in AuditEntry.select().where(AuditEntry.action == "passport_print")
               .order_by(AuditEntry.id)]
    assert details == ["Договор с паспортными данными, сделка №1", "Договор №1: открыт в PDF"]


def test_mail_failure_said_and_the_window_goes_on(qtbot, card, monkeypatch, messages):
    from app.services import outgoing_mail

    outgoing_mail.save_mail_settings(None, {"host": "127.0.0.1", "port": smtp_server.free_port(),
                                            "security": "none", "sender": smtp_server.LOGIN})
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": text)
    dialog = card.papers.make("order_form")
    assert dialog.send() is not None and not dialog.mail_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.mail_button.isEnabled(), timeout=30_000)
    [(title, text)] = messages
    assert title == "Письмо не отправлено" and "Нет связи с почтовым сервером 127.0.0.1" in text


def test_earlier_papers_reopened_without_a_new_number(qtbot, card, staff):
    first = card.papers.make("invoice").paper
    card.papers.make("order_form")
    card.papers.fill_earlier()
    names = [action.text().split(" · ")[0] for action in card.papers.earlier.actions()]
    assert names == ["Бланк заказа 1.pdf", "Счёт 2025-001, заказ 1.pdf"]
    card.papers.earlier.actions()[1].trigger()
    reopened = [d for d in card.findChildren(card_papers.PaperDialog) if d.paper.attachment_id == first.attachment_id]
    assert reopened and reopened[-1].paper.title == "Счёт №2025-001" and Invoice.select().count() == 1


def test_contract_greyed_out_for_the_designer(qtbot, staff, db):
    paper_settings.save_shop_details(None, DEMO_DETAILS)
    deal = complete_deal(staff["manager"])
    card = open_card(qtbot, staff["designer"], deal.id)
    assert not card.papers.actions_by_kind["contract"].isEnabled()
    assert not card.papers.actions_by_kind["invoice"].isEnabled()
    manager_card = open_card(qtbot, staff["manager"], deal.id)
    assert all(action.isEnabled() for action in manager_card.papers.actions_by_kind.values())


def test_refused_paper_says_what_to_fill_in(qtbot, staff, db, messages):
    deal = complete_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    assert card.papers.make("invoice") is None
    [(title, text)] = messages
    assert title == "Счёт на оплату не готов" and "Реквизиты магазина" in text and "ИНН: не заполнено" in text


def test_requisites_dialog_shows_each_problem_beside_its_field(qtbot, staff, db, messages):
    window = MainWindow(staff["admin"])
    qtbot.addWidget(window)
    dialog = install.details_dialog(window)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "problem:inn").text() == "не заполнено"
    for key, value in {**DEMO_DETAILS, "inn": "781234567871", "account": "40802810655000012346"}.items():
        editor = dialog.findChild(QLineEdit, f"field:{key}")
        if editor is not None:
            editor.setText(value)
    assert "контрольными" in dialog.findChild(QLabel, "problem:inn").text()
    assert "не сходится с БИК" in dialog.findChild(QLabel, "problem:account").text()
    assert dialog.findChild(QLabel, "problem:bik").isHidden()
    dialog.save()
    assert paper_settings.shop_details().inn == "" and dialog.result() == 0
    dialog.findChild(QLineEdit, "field:inn").setText(DEMO_DETAILS["inn"])
    dialog.findChild(QLineEdit, "field:account").setText(DEMO_DETAILS["account"])
    dialog.save()
    assert paper_settings.shop_details().account == DEMO_DETAILS["account"] and messages == []


def test_templates_dialog_previews_and_refuses_unknown_fields(qtbot, staff, db, messages):
    window = MainWindow(staff["admin"])
    qtbot.addWidget(window)
    dialog = install.templates_dialog(window)
    qtbot.addWidget(dialog)
    editor = dialog.findChild(QPlainTextEdit, "field:contract")
    editor.setPlainText("Договор {номер_договора} с {ФИО}, паспорт {паспорт}, {возраст}")
    preview = dialog.findChild(QPlainTextEdit, "settingsPreview").toPlainText()
    assert preview.startswith("Договор «номер договора (= номер заказа)» с «ФИО клиента полностью»")
    assert dialog.findChild(QLabel, "problem:contract").text() == "неизвестные поля: {возраст}"
    dialog.save()
    assert "{возраст}" not in paper_settings.templates().contract
    editor.setPlainText("Договор {номер_договора} с {ФИО}")
    dialog.save()
    assert paper_settings.templates().contract == "Договор {номер_договора} с {ФИО}"


def test_settings_menu_refuses_the_manager(qtbot, staff, db, messages):
    window = MainWindow(staff["manager"])
    qtbot.addWidget(window)
    install.install_papers(window)
    [details] = [a for a in window.settings_menu.actions() if a.text() == "Реквизиты магазина…"]
    details.trigger()
    [(title, text)] = messages
    assert "только для ролей: Администратор" in text
