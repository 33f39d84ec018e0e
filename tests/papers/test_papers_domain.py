"""The rules of the client's papers: amounts in words, the shop's requisites, the payment string."""
from __future__ import annotations

import pytest

from app.domain.amount_words import amount_in_words
from app.domain.payment_qr import parse_payment_string, payment_string
from app.domain.requisites import (
    COMPANY,
    IP,
    ShopDetails,
    corr_account_valid,
    inn_valid,
    ogrn_valid,
    settlement_account_valid,
    validate,
)


@pytest.mark.parametrize("kopecks, words", [
    (0, "Ноль рублей 00 копеек"),
    (100, "Один рубль 00 копеек"),
    (200, "Два рубля 00 копеек"),
    (500, "Пять рублей 00 копеек"),
    (1100, "Одиннадцать рублей 00 копеек"),
    (2100, "Двадцать один рубль 00 копеек"),
    (100_000, "Одна тысяча рублей 00 копеек"),
    (100_100_000, "Один миллион одна тысяча рублей 00 копеек"),
    (3_200_000, "Тридцать две тысячи рублей 00 копеек"),
    (1, "Ноль рублей 01 копейка"),
    (221, "Два рубля 21 копейка"),
    (522, "Пять рублей 22 копейки"),
    (1199, "Одиннадцать рублей 99 копеек"),
    (3_200_099, "Тридцать две тысячи рублей 99 копеек"),
])
def test_amount_in_words(kopecks, words):
    assert amount_in_words(kopecks) == words


# a sole trader (ИП) and a company with valid check digits; Сбербанк's Северо-Западный банк
IP_DETAILS = ShopDetails(
    kind=IP, name="ИП Смирнова Мария Андреевна", inn="781234567870", ogrn="321784700123457",
    address="г. Санкт-Петербург, ул. Седова, д. 12", phone="+7 812 555-01-02", bank_name="ПАО Сбербанк",
    bik="044030653", corr_account="30101810500000000653", account="40802810655000012345")


def test_check_digits():
    assert inn_valid("7707083893") and not inn_valid("7707083894")  # Сбербанк's ИНН
    assert inn_valid(IP_DETAILS.inn) and not inn_valid("781234567871") and not inn_valid("78123456789")
    assert ogrn_valid("1027700132195") and not ogrn_valid("1027700132194")  # Сбербанк's ОГРН
    assert ogrn_valid(IP_DETAILS.ogrn) and not ogrn_valid("321784700123458")
    assert corr_account_valid("30101810500000000653", "044030653")
    assert not corr_account_valid("30101810500000000653", "044525225")
    assert settlement_account_valid(IP_DETAILS.account, IP_DETAILS.bik)
    assert not settlement_account_valid("40802810655000012346", IP_DETAILS.bik)


def test_valid_details_have_no_problems():
    assert validate(IP_DETAILS) == []
    company = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "kind": COMPANY, "name": "ООО «Маня»",
                                     "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"})
    assert validate(company) == []


def test_each_bad_requisite_named_by_its_label():
    bad = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "inn": "781234567871", "kpp": "781001001",
                                 "ogrn": "1027700132195", "bik": "04403065", "account": "4080281065500001234",
                                 "name": ""})
    messages = {p.label: p.message for p in validate(bad)}
    assert set(messages) == {"ИНН", "КПП", "ОГРН / ОГРНИП", "БИК", "Расчётный счёт", "Наименование"}
    assert "контрольными" in messages["ИНН"] and "у ИП КПП нет" in messages["КПП"]
    assert messages["Расчётный счёт"] == "20 цифр" and messages["Наименование"] == "не заполнено"
    wrong_key = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "account": "40802810655000012346",
                                       "corr_account": "30101810400000000225"})
    assert {p.field for p in validate(wrong_key)} == {"shop.account", "shop.corr_account"}
    no_kpp = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "kind": COMPANY, "inn": "7707083893",
                                    "ogrn": "1027700132195"})
    assert [(p.label, p.message) for p in validate(no_kpp)] == [("КПП", "не заполнено")]


def test_typed_numbers_are_cleaned():
    typed = ShopDetails.from_dict({"inn": " 7812 3456 7870 ", "account": "40802 810 6 5500 0012345"})
    assert typed.inn == "781234567870" and typed.account == "40802810655000012345"


def test_payment_string_of_a_sole_trader_leaves_kpp_out():
    text = payment_string(IP_DETAILS, 3_200_000, "Оплата по счёту №2026-014 (заказ №15)")
    assert text == ("ST00012|Name=ИП Смирнова Мария Андреевна|PersonalAcc=40802810655000012345|"
                    "BankName=ПАО Сбербанк|BIC=044030653|CorrespAcc=30101810500000000653|"
                    "PayeeINN=781234567870|Sum=3200000|Purpose=Оплата по счёту №2026-014 (заказ №15)")
    company = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "kind": COMPANY, "kpp": "773601001"})
    assert parse_payment_string(payment_string(company, 1, "x"))["KPP"] == "773601001"


def test_payment_string_keeps_limits_and_separator_out():
    long_name = ShopDetails.from_dict({**IP_DETAILS.as_dict(), "name": "ИП | " + "Я" * 300})
    fields = parse_payment_string(payment_string(long_name, 100, "Оплата|" + "п" * 400))
    assert len(fields["Name"]) == 160 and "|" not in fields["Name"]
    assert len(fields["Purpose"]) == 210 and fields["Purpose"].startswith("Оплата/")
    with pytest.raises(ValueError):
        parse_payment_string("ST00011|Name=x")
