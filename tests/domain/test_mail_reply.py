"""The reply's subject and quote, and what a typed letter may hold (pure)."""
from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.mail_reply import FILES_LIMIT, letter_problems, quoted, reply_subject


@pytest.mark.parametrize("subject, expected", [
    ("Кровать МИА", "Re: Кровать МИА"),
    ("Re: Кровать МИА", "Re: Кровать МИА"),
    ("RE: re:Кровать", "Re: Кровать"),
    ("Re[2]: Цвет", "Re: Цвет"),
    ("Ответ: Отв: Доставка", "Re: Доставка"),
    ("  ", "Re: без темы"),
    ("Reklama", "Re: Reklama"),  # a word starting with «re» is not a prefix
])
def test_reply_subject_is_never_doubled(subject, expected):
    assert reply_subject(subject) == expected


def test_the_quote_has_the_attribution_and_every_line_marked():
    text = quoted("Здравствуйте!\n\nКогда?", "Ирина <i@mail.ru>", datetime(2025, 6, 2, 8, 40))
    assert text == "\n\n02.06.2025 11:40, Ирина <i@mail.ru> написал(а):\n> Здравствуйте!\n>\n> Когда?\n"


def test_letter_checked_field_by_field():
    assert letter_problems(" Client@Mail.RU ", "Re: x", "текст") == ("client@mail.ru", [])
    address, problems = letter_problems(None, None, None, FILES_LIMIT + 1)
    assert address == "" and [p.label for p in problems] == ["Кому", "Тема", "Текст письма", "Вложения"]
    [problem] = letter_problems("a@b.ru", "Тема\nвторая строка", "т")[1]
    assert problem.label == "Тема" and "управляющие" in problem.message
