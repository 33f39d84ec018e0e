"""The board's quick-add: the contact's full name and the deal's name from what was typed."""
from __future__ import annotations

import pytest

from app.domain.names import quick_deal_names


@pytest.mark.parametrize("typed,model,names", [
    ("Петрова Анна (Замок)", "", ("Петрова Анна", "Петрова Анна (Замок)")),
    ("Петрова  Анна", "Замок", ("Петрова Анна", "Петрова Анна (Замок)")),
    ("Маякова Анастасия", "", ("Маякова Анастасия", "Маякова Анастасия")),
    ("Иванова (Румянцева)", "", ("Иванова (Румянцева)", "Иванова (Румянцева)")),  # a former surname
    ("Иванова (Ярус)", "", ("Иванова", "Иванова (Ярус)"))])
def test_quick_add_names(typed, model, names):
    assert quick_deal_names(typed, model) == names
