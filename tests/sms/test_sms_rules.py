"""Lengths of SMS texts, quiet hours, retry pauses, templates' placeholders (pure rules)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.sms_rules import quiet_until, retry_delay
from app.domain.sms_text import fill_template, missing_fields, sms_length, template_problems


@pytest.mark.parametrize("text,encoding,parts,left", [
    ("a" * 160, "GSM-7", 1, 0), ("a" * 161, "GSM-7", 2, 145), ("[" * 80, "GSM-7", 1, 0),
    ("я" * 70, "UCS-2", 1, 0), ("я" * 71, "UCS-2", 2, 63), ("я" * 134, "UCS-2", 2, 0), ("", "GSM-7", 0, 160),
])
def test_length_counts_latin_and_cyrillic_parts(text, encoding, parts, left):
    length = sms_length(text)
    assert (length.encoding, length.parts, length.left) == (encoding, parts, left)


def test_length_warns_past_the_gateways_limit():
    assert "длиннее 8 СМС" in sms_length("я" * 600).describe(8)
    assert sms_length("Привет").describe(8) == "6 зн. · 1 СМС (по 70, кириллица) · осталось 64"


@pytest.mark.parametrize("utc,expected", [
    (datetime(2025, 6, 2, 9, 0), None),  # 12:00 in Moscow
    (datetime(2025, 6, 2, 18, 0), datetime(2025, 6, 3, 6, 0)),  # 21:00 → tomorrow 09:00
    (datetime(2025, 6, 2, 3, 0), datetime(2025, 6, 2, 6, 0)),  # 06:00 → 09:00 today
    (datetime(2025, 6, 2, 6, 0), None),  # 09:00 sharp
])
def test_quiet_hours_in_moscow_time(utc, expected):
    assert quiet_until(utc, "21:00", "09:00") == expected


def test_retry_pauses_grow_and_are_bounded():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert retry_delay(30) == timedelta(hours=1)


def test_templates_know_their_placeholders():
    assert template_problems("{name}, заказ №{order_no}") == []
    assert template_problems("{имя}") == ["Неизвестная подстановка {имя}"]
    assert template_problems("{name") == ["Фигурные скобки не парные: подстановки пишутся как {name}"]
    text = "{name}: {transport_company}, накладная {waybill_no}"
    assert missing_fields(text, {"transport_company": "СДЭК"}) == ["Номер накладной"]
    assert fill_template(text, {"name": "Анна"}) == "Анна: —, накладная —"
