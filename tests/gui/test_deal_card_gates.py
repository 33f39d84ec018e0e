"""The gate forms of «Счет выставлен» and «Оплачено», opened by the card's stage selector: each
field's message shows while typing, a refused move changes nothing, good values move the deal."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain.codes import Role
from app.services import deals, permissions
from app.store.models import Deal
from tests.domain.helpers import INVOICE_VALUES, new_deal
from tests.gui.card_helpers import choose, click, field, message, open_card, type_into
from ui.common import msgbox


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    errors = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(msgbox, "ask", lambda parent, title, text: pytest.fail(f"unexpected question: {text}"))
    return errors


def test_stage_selector_refuses_a_gated_move_and_opens_the_gate_form(qtbot, staff, counts):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    card = open_card(qtbot, staff["manager"], deal.id)
    before = counts()
    choose(card.stage, "paid")
    assert Deal.get_by_id(deal.id).stage == "new" and counts() == before
    assert card.stage.currentData() == "new"
    gate = card.gate_form
    assert gate is not None and gate.isVisible() and gate.stage.code == "paid"
    for key in ("payment_date", "prepayment", "debt", "ship_deadline", "delivery_type", "delivery_city"):
        assert message(gate, key) == "не заполнено", key


BAD_INVOICE = [
    ("contact.full_name", "", "не заполнено"),
    ("contact.email", "test@", "Неверный e-mail"),
    ("contact.phone", "вечером", "номер телефона"),
    ("passport.series", "36a1", "4 цифры"),
    ("passport.number", "5435", "6 цифр"),
    ("contact.address", "", "не заполнено"),
    ("budget", "сто рублей", "не сумма"),
]


def test_invoice_gate_form_bad_values_refused_then_good_values_move(qtbot, staff, counts):
    deal = new_deal(staff["manager"], **{"contact.full_name": "Тестов Тест"})
    card = open_card(qtbot, staff["manager"], deal.id)
    choose(card.stage, "invoice")
    gate = card.gate_form
    for key, bad, expected in BAD_INVOICE:
        type_into(qtbot, gate, key, bad)
        assert expected in message(gate, key), key  # shown while typing, before any click
    before = counts()
    click(qtbot, gate, "gateMove")
    assert gate.isVisible() and Deal.get_by_id(deal.id).stage == "new" and counts() == before
    for key, _, expected in BAD_INVOICE:
        assert expected in message(gate, key), key

    type_into(qtbot, gate, "contact.phone", "12 34 56")  # the client's number as given: kept, with a warning
    assert message(gate, "contact.phone") == "номер не удалось проверить — сохранится как введён"
    for key, good in INVOICE_VALUES.items():
        type_into(qtbot, gate, key, good)
        assert message(gate, key) == "", key
    click(qtbot, gate, "gateMove")
    assert not gate.isVisible()
    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.budget, stored.contact.full_name) == ("invoice", 3_200_000, "Тестов Тест Тестович")
    assert card.stage.currentData() == "invoice"  # the card shows the move at once
    assert any(line.text == "Новый этап: Счет выставлен из Неразобранное" for line in card.feed.feed_model.rows)


def test_paid_gate_form_checks_each_field_and_rules_between_them(qtbot, staff, counts):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    deals.move_deal(deal.id, "invoice", staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    choose(card.stage, "paid")
    gate = card.gate_form
    type_into(qtbot, gate, "payment_date", "31.02.2025")
    assert "не дата" in message(gate, "payment_date")
    type_into(qtbot, gate, "prepayment", "сто")
    assert "не сумма" in message(gate, "prepayment")
    type_into(qtbot, gate, "prepayment", "50 000")
    assert "больше бюджета" in message(gate, "prepayment")
    type_into(qtbot, gate, "payment_date", "10.06.2025")
    type_into(qtbot, gate, "ship_deadline", "01.06.2025")
    assert "раньше даты оплаты" in message(gate, "ship_deadline")
    assert message(gate, "delivery_type") == "не заполнено"
    assert message(gate, "delivery_city") == "не заполнено"
    before = counts()
    click(qtbot, gate, "gateMove")
    assert gate.isVisible() and Deal.get_by_id(deal.id).stage == "invoice" and counts() == before

    type_into(qtbot, gate, "prepayment", "20 000")
    assert message(gate, "prepayment") == "" and message(gate, "debt") == ""
    assert field(gate, "debt").text() == "12\u202f000"  # computed while typing
    type_into(qtbot, gate, "ship_deadline", "14.07.2025")
    choose(field(gate, "delivery_type"), "До дома")
    type_into(qtbot, gate, "delivery_city", "Санкт-Петербург")
    for key in ("payment_date", "prepayment", "ship_deadline", "delivery_type", "delivery_city"):
        assert message(gate, key) == "", key
    click(qtbot, gate, "gateMove")
    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.prepayment, stored.debt, stored.payment_date, stored.delivery_type) == (
        "paid", 2_000_000, 1_200_000, date(2025, 6, 10), "До дома")
    assert card.no_debt.isHidden()


def test_ungated_move_from_the_selector_goes_straight_through(qtbot, staff):
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    choose(card.stage, "first_contact")
    assert Deal.get_by_id(deal.id).stage == "first_contact" and card.gate_form is None
    assert card.stage.currentData() == "first_contact"


def test_designer_sees_the_passport_masked_in_the_invoice_gate_and_can_still_move(qtbot, staff):
    values = {key: value for key, value in INVOICE_VALUES.items() if key != "contact.email"}
    deal = new_deal(staff["manager"], **values)
    # invoices are the managers' by default: the administrator lets designers issue them here
    permissions.set_roles(staff["admin"], permissions.move_action("invoice"), [Role.MANAGER, Role.DESIGNER])
    card = open_card(qtbot, staff["designer"], deal.id)
    choose(card.stage, "invoice")
    gate = card.gate_form
    assert (field(gate, "passport.series").text(), field(gate, "passport.number").text()) == ("••••", "••••••")
    assert field(gate, "passport.series").isReadOnly() and message(gate, "contact.email") == "не заполнено"
    type_into(qtbot, gate, "contact.email", "test@test.ru")
    click(qtbot, gate, "gateMove")
    stored = Deal.get_by_id(deal.id)
    assert stored.stage == "invoice" and stored.contact.passport_rows.get().number == "543578"


def test_cancelled_gate_form_changes_nothing_and_the_card_opens_once(qtbot, staff, counts):
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    assert card.window_.open_deal(deal.id) is card
    choose(card.stage, "invoice")
    before = counts()
    card.gate_form.reject()  # «Отмена»
    assert not card.gate_form.isVisible() and counts() == before and card.stage.currentData() == "new"


def test_board_seam_asks_for_the_gate_values_and_returns_them_only_when_right(qtbot, staff, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ui.deal import gate_form

    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    deals.move_deal(deal.id, "invoice", staff["manager"])
    from ui.shell.main_window import MainWindow
    window = MainWindow(staff["manager"])
    qtbot.addWidget(window)
    seen = {}

    def user_fills(form):  # stands in for the modal loop: what the user sees and does
        seen["kept"] = field(form, "delivery_city").text()
        seen["problem"] = message(form, "payment_date")
        form.submit()
        seen["refused_open"] = form.result() != QDialog.DialogCode.Accepted
        type_into(qtbot, form, "payment_date", "02.06.2025")
        type_into(qtbot, form, "prepayment", "32 000")
        type_into(qtbot, form, "ship_deadline", "14.07.2025")
        choose(field(form, "delivery_type"), "Самовывоз")
        form.submit()
        return form.result()

    monkeypatch.setattr(gate_form.GateForm, "exec", user_fills)
    values = gate_form.ask_gate_values(window, deal.id, "paid", typed={"delivery_city": "Луга"},
                                       problems=deals.missing_for(deal.id, "paid"))
    assert seen == {"kept": "Луга", "problem": "не заполнено", "refused_open": True}
    assert values["delivery_city"] == "Луга" and values["delivery_type"] == "Самовывоз"
    assert Deal.get_by_id(deal.id).stage == "invoice"  # the caller moves it
    deals.move_deal(deal.id, "paid", staff["manager"], values)
    assert Deal.get_by_id(deal.id).debt == 0
