"""The payment string of ГОСТ Р 56042-2014 that Russian bank apps read from a QR code.

``ST0001`` + ``2`` (UTF-8) + the separator ``|``, then the required block (Name, PersonalAcc,
BankName, BIC, CorrespAcc) and the additional fields used here (PayeeINN, KPP for an organisation,
Sum in kopecks, Purpose). Values never contain the separator; free texts are cut to the standard's
limits.
"""
from __future__ import annotations

from app.domain.requisites import ShopDetails

HEADER = "ST00012"
SEPARATOR = "|"
LIMITS = {"Name": 160, "PersonalAcc": 20, "BankName": 45, "BIC": 9, "CorrespAcc": 20,
          "PayeeINN": 12, "KPP": 9, "Sum": 18, "Purpose": 210}


def _clean(value: str, limit: int) -> str:
    text = " ".join(str(value).replace(SEPARATOR, "/").split())
    return text[:limit].rstrip()


def payment_string(shop: ShopDetails, sum_kopecks: int, purpose: str) -> str:
    """The QR's text for paying ``sum_kopecks`` to ``shop`` with ``purpose`` (already validated details)."""
    pairs = [("Name", shop.name), ("PersonalAcc", shop.account), ("BankName", shop.bank_name),
             ("BIC", shop.bik), ("CorrespAcc", shop.corr_account), ("PayeeINN", shop.inn)]
    if not shop.is_ip and shop.kpp:
        pairs.append(("KPP", shop.kpp))
    pairs += [("Sum", str(max(int(sum_kopecks), 0))), ("Purpose", purpose)]
    return SEPARATOR.join([HEADER] + [f"{key}={_clean(value, LIMITS[key])}" for key, value in pairs])


def parse_payment_string(text: str) -> dict[str, str]:
    """The fields of a payment string (for checks and tests); ValueError when it is not one."""
    if not text.startswith(HEADER + SEPARATOR):
        raise ValueError("не платёжная строка ГОСТ Р 56042-2014")
    return dict(part.split("=", 1) for part in text[len(HEADER) + 1:].split(SEPARATOR))
