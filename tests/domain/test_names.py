"""One name splitter for every screen, document and SMS."""
from __future__ import annotations

import pytest

from app.domain.names import PersonName
from app.queries.workstation_queues import surname_of
from app.services.sms import client_name


@pytest.mark.parametrize("full_name, surname, short, address", [
    ("Тестов Тест Тестович", "Тестов", "Тестов Т. Т.", "Тест Тестович"),
    ("Иванова (Румянцева) София Леонидовна", "Иванова (Румянцева)", "Иванова (Румянцева) С. Л.", "София Леонидовна"),
    ("Краева", "Краева", "Краева", ""),
    ("  Петров   Иван  ", "Петров", "Петров И.", "Иван"),
    ("", "", "", ""),
])
def test_a_name_splits_into_surname_initials_and_address(full_name, surname, short, address):
    name = PersonName.parse(full_name)
    assert (name.surname, name.short, name.address) == (surname, short, address)


def test_screens_and_sms_use_the_same_split():
    full = "Иванова (Румянцева) София Леонидовна"
    assert surname_of(full, "—") == "Иванова" and surname_of("", "Сделка") == "Сделка"
    assert client_name(full) == "София Леонидовна"  # not «(Румянцева) София»
    assert client_name("Краева") == "Краева"
