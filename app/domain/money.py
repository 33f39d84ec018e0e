"""Money is held as integer kopecks; these turn it into shop text and back."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

THIN_SPACE = "\u202f"


class MoneyError(ValueError):
    """A money amount that cannot be read."""


def format_rub(kopecks: int | None, *, with_unit: bool = True) -> str:
    """«475 470 руб» (thin spaces between thousands; kopecks shown only when non-zero)."""
    if kopecks is None:
        return ""
    sign = "-" if kopecks < 0 else ""
    rub, kop = divmod(abs(kopecks), 100)
    text = f"{rub:,}".replace(",", THIN_SPACE)
    if kop:
        text += f",{kop:02d}"
    return sign + text + (" руб" if with_unit else "")


_AMOUNT = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")
MAX_RUB = 1_000_000_000  # a bed shop's amounts stay far below; keeps every sum inside a bigint of kopecks


def _checked(kopecks: int) -> int:
    if kopecks < 0:
        raise MoneyError("Сумма не может быть отрицательной")
    if kopecks > MAX_RUB * 100:
        raise MoneyError(f"Слишком большая сумма: больше {format_rub(MAX_RUB * 100)}")
    return kopecks


def _from_number(value: int | float | Decimal) -> int:
    try:
        exact = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    except (InvalidOperation, ValueError):
        raise MoneyError("Сумма должна быть числом") from None
    if not exact.is_finite():
        raise MoneyError("Сумма должна быть числом")
    if exact < 0:
        raise MoneyError("Сумма не может быть отрицательной")
    if exact > MAX_RUB:
        raise MoneyError(f"Слишком большая сумма: больше {format_rub(MAX_RUB * 100)}")
    kopecks = exact * 100
    if kopecks != kopecks.to_integral_value():
        raise MoneyError("Копейки — не больше двух знаков после запятой")
    return _checked(int(kopecks))


def parse_rub(text: str | int | float | Decimal | None) -> int | None:
    """Roubles typed or passed — «32 000», «32000,50», «1 500 руб», 32000, Decimal("32000.50") — as
    kopecks (the store's unit); empty → None. A number always means roubles.

    Raises MoneyError with a Russian message for anything that is not an amount ≥ 0 within MAX_RUB.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise MoneyError("Сумма должна быть числом")
    if isinstance(text, (int, float, Decimal)):
        return _from_number(text)
    if not isinstance(text, str):
        raise MoneyError("Сумма должна быть числом")
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).lower()
    cleaned = cleaned.removesuffix("руб.").removesuffix("руб").removesuffix("₽")
    if cleaned == "":
        return None
    if cleaned.startswith("-"):
        raise MoneyError("Сумма не может быть отрицательной")
    match = _AMOUNT.match(cleaned)
    if not match or len(match.group(1)) > 15:
        raise MoneyError(f"«{text.strip()[:40]}» — не сумма; пример: 32 000 или 1500,50")
    rub, kop = match.groups()
    return _checked(int(rub) * 100 + int((kop or "0").ljust(2, "0")))
