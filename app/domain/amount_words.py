"""An amount written out in Russian words, as invoices print it: «Тридцать две тысячи рублей 00 копеек».

num2words reads the roubles (a Decimal: given an int, its currency mode takes the last two digits for
kopecks); kopecks stay two digits, with the word agreeing with them («01 копейка», «22 копейки»).
"""
from __future__ import annotations

from decimal import Decimal


def amount_in_words(kopecks: int) -> str:
    """``kopecks`` (≥ 0) in words, capitalised, kopecks always two digits."""
    from num2words import num2words  # its languages load on first use, not at the program's start

    if kopecks < 0:
        raise ValueError("сумма не может быть отрицательной")
    amount = Decimal(int(kopecks)).scaleb(-2)
    text = num2words(amount, lang="ru", to="currency", currency="RUB", cents=False, separator="")
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
