"""Dates typed by hand in short forms: «2.12», «02.12», «2.12.26», «завтра», «пн», «через 3 дня»."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain.validation import FieldError, clean_date

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize("text,day", [
    ("2.12", date(2026, 12, 2)), ("02.12", date(2026, 12, 2)), ("2.12.26", date(2026, 12, 2)),
    ("14.07.2017", date(2017, 7, 14)), ("2017-07-14", date(2017, 7, 14)), ("1/3", date(2026, 3, 1)),
    ("завтра", date(2026, 12, 4)), ("Сегодня", THURSDAY), ("через 3 дня", date(2026, 12, 6)),
    ("пн", date(2026, 12, 7)), ("чт", date(2026, 12, 10)), ("пятницу", date(2026, 12, 4))])
def test_short_forms(text, day):
    assert clean_date(text, THURSDAY) == day


def test_the_example_of_the_error_is_this_year():
    with pytest.raises(FieldError, match="пример: 14.07.2026"):
        clean_date("31.02", THURSDAY)
