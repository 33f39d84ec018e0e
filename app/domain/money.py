"""Money is held as integer kopecks; these turn it into shop text and back."""
from __future__ import annotations

import re

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


def parse_rub(text: str | int | None) -> int | None:
    """Read «32 000», «32000,50», «1 500 руб» into kopecks; empty → None.

    Raises MoneyError with a Russian message for anything that is not an amount.
    """
    if text is None:
        return None
    if isinstance(text, int):
        return text * 100
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).lower()
    cleaned = cleaned.removesuffix("руб.").removesuffix("руб").removesuffix("₽")
    if cleaned == "":
        return None
    if cleaned.startswith("-"):
        raise MoneyError("Сумма не может быть отрицательной")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise MoneyError(f"«{text}» — не сумма; пример: 32 000 или 1500,50")
    rub, kop = match.groups()
    return int(rub) * 100 + int((kop or "0").ljust(2, "0"))
