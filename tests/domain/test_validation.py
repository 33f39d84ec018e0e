"""Every validation rule: the bad value is refused with its message and nothing changes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain import validation
from app.domain.errors import ValidationError
from app.domain.money import MoneyError, parse_rub
from app.domain.validation import clean_phone, phone_search_digits
from app.services import deals
from app.store.models import Deal
from tests.domain.helpers import complete_deal, run_together

BAD = [
    ("contact.phone", "звонить после 18", "номер телефона"),
    ("contact.phone", "+7 912 ABC", "номер телефона"),
    ("contact.email", "test@", "e-mail"),
    ("contact.email", "мама мыла", "e-mail"),
    ("passport.series", "36815", "4 цифры"),
    ("passport.series", "36a1", "4 цифры"),
    ("passport.number", "54357", "6 цифр"),
    ("passport.number", "5435789", "6 цифр"),
    ("budget", "-100", "отрицательной"),
    ("budget", "сто рублей", "не сумма"),
    ("prepayment", -5, "отрицательной"),
    ("debt", "-1", "отрицательной"),
    ("payment_date", "31.02.2025", "не дата"),
    ("delivery_type", "Телепортация", "выберите из списка"),
    ("name", "   ", "не заполнено"),
]


@pytest.mark.parametrize("field,value,fragment", BAD, ids=[f"{f}={v}" for f, v, _ in BAD])
def test_bad_value_refused_with_message(staff, counts, field, value, fragment):
    deal = complete_deal(staff["manager"])
    before = counts()
    version = Deal.get_by_id(deal.id).version
    with pytest.raises(ValidationError) as refused:
        deals.update_deal(deal.id, staff["manager"], {field: value, "tags": "изменено"})
    (problem,) = refused.value.problems
    assert problem.field == field and fragment.lower() in problem.message.lower()
    assert counts() == before
    after = Deal.get_by_id(deal.id)
    assert (after.version, after.tags) == (version, "")


def test_prepayment_above_budget_refused(staff, counts):
    deal = complete_deal(staff["manager"])
    before = counts()
    with pytest.raises(ValidationError) as refused:
        deals.update_deal(deal.id, staff["manager"], {"prepayment": "40 000"})
    assert refused.value.fields == ["prepayment"]
    assert "больше бюджета" in str(refused.value)
    assert counts() == before


def test_shipping_deadline_before_payment_refused(staff, counts):
    deal = complete_deal(staff["manager"])
    before = counts()
    with pytest.raises(ValidationError) as refused:
        deals.update_deal(deal.id, staff["manager"], {"ship_deadline": date(2025, 6, 1)})
    assert refused.value.fields == ["ship_deadline"]
    assert "раньше даты оплаты" in str(refused.value)
    assert counts() == before


def test_debt_is_budget_minus_prepayment_unless_set_by_hand(staff):
    deal = complete_deal(staff["manager"], prepayment="10 000")
    assert Deal.get_by_id(deal.id).debt == 2_200_000
    deals.update_deal(deal.id, staff["manager"], {"budget": "35 000"})
    assert Deal.get_by_id(deal.id).debt == 2_500_000
    deals.update_deal(deal.id, staff["manager"], {"debt": "5 000"})
    deals.update_deal(deal.id, staff["manager"], {"budget": "36 000"})
    stored = Deal.get_by_id(deal.id)
    assert (stored.debt, stored.debt_manual) == (500_000, True)
    deals.update_deal(deal.id, staff["manager"], {"debt": ""})
    assert Deal.get_by_id(deal.id).debt == 2_600_000


def test_money_is_exact_kopecks(staff):
    deal = complete_deal(staff["manager"], budget="22 320,50", prepayment="10 000")
    assert Deal.get_by_id(deal.id).budget == 2_232_050


@pytest.mark.parametrize("typed", ["8 (912) 345-67-89", "+7 912 345 67 89", "89123456789", "9123456789"])
def test_phone_normalised_in_any_format(typed):
    assert clean_phone(typed) == "+79123456789"
    assert phone_search_digits(typed) == "79123456789"


def test_contact_fields_stored_normalised(staff):
    deal = complete_deal(staff["manager"], **{"contact.email": " Test@Test.RU "})
    contact = Deal.get_by_id(deal.id).contact
    assert [c.value for c in contact.channels] == ["+78008008000", "test@test.ru"]


def test_stale_version_is_a_conflict(staff):
    from app.domain.errors import ConflictError

    deal = complete_deal(staff["manager"])
    version = Deal.get_by_id(deal.id).version
    deals.update_deal(deal.id, staff["manager2"], {"tags": "срочно"}, expected_version=version)
    with pytest.raises(ConflictError):
        deals.update_deal(deal.id, staff["manager"], {"tags": "инд"}, expected_version=version)
    assert Deal.get_by_id(deal.id).tags == "срочно"


def test_two_deals_of_one_client_edited_at_once_both_land(db_url, staff):
    """Two PCs editing two deals of the same client at the same moment: both edits are kept
    (no deadlock between the deals' locks), and each deal's search text has the new phone."""
    first = complete_deal(staff["manager"])
    second = deals.create_deal(staff["manager"], name="Второй заказ").deal
    Deal.update(contact=first.contact_id).where(Deal.id == second.id).execute()

    def edit(deal_id, values):
        return lambda: [deals.update_deal(deal_id, staff["manager"], values).value for _ in range(10)]

    errors = run_together(edit(first.id, {"contact.phone": "+7 912 345-67-89"}),
                          edit(second.id, {"contact.company": "ООО Ромашка"}))
    assert errors == []
    for deal_id in (first.id, second.id):
        stored = Deal.get_by_id(deal_id)
        assert "79123456789" in stored.search_text and "ромашка" in stored.search_text


@pytest.mark.parametrize("given, kopecks", [
    ("32 000", 3_200_000), ("32000,50", 3_200_050), ("32 000,00", 3_200_000), ("32000.5", 3_200_050),
    ("1 500 руб", 150_000), ("7\u202f990 ₽", 799_000), (32000, 3_200_000), (Decimal("32000.50"), 3_200_050),
    (32000.5, 3_200_050), (0, 0), ("", None), (None, None),
])
def test_a_number_typed_or_passed_means_roubles(given, kopecks):
    assert parse_rub(given) == kopecks
    assert validation.clean_amount(given) == kopecks


@pytest.mark.parametrize("given, message", [
    (-5, "отрицательной"), ("-5", "отрицательной"), (10**19, "Слишком большая"), ("9" * 30, "не сумма"),
    (float("nan"), "числом"), (float("inf"), "числом"), (True, "числом"), ([1], "числом"), ("сто", "не сумма"),
    ("32000,555", "не сумма"), (Decimal("1.005"), "двух знаков"), (2_000_000_000, "Слишком большая"),
])
def test_what_is_not_an_amount_is_refused_in_russian(given, message):
    with pytest.raises(MoneyError, match=message):
        parse_rub(given)
    with pytest.raises(validation.FieldError, match=message):
        validation.clean_amount(given)
