"""SMS texts: the templates' placeholders, filling them, and how many parts a text takes."""
from __future__ import annotations

import string
from dataclasses import dataclass

from app.domain.labels import label

PLACEHOLDERS = {
    "name": "имя клиента",
    "order_no": "номер заказа",
    "debt": "долг",
    "transport_company": "транспортная компания",
    "waybill_no": "номер накладной",
    "delivery_city": "город доставки",
    "shop_phone": "телефон магазина",
}
# placeholders a deal must have filled before an SMS using them can go (the deal's field labels)
REQUIRED_DEAL_FIELDS = {key: label(key) for key in ("transport_company", "waybill_no")}

GSM7_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
              "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each takes two septets


@dataclass(frozen=True)
class SmsLength:
    """How a text goes out: its encoding, length in characters, parts, and room left in the last one."""

    encoding: str  # "GSM-7" (Latin) or "UCS-2" (Cyrillic and the rest)
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int
    per_part: int
    left: int  # characters still free in the last part

    def describe(self, max_parts: int | None = None) -> str:
        """«74 знака · 2 СМС (по 67, кириллица) · осталось 60»; a warning past the gateway's limit."""
        alphabet = "латиница" if self.encoding == "GSM-7" else "кириллица"
        text = f"{self.units} зн. · {self.parts} СМС (по {self.per_part}, {alphabet}) · осталось {self.left}"
        if max_parts is not None and self.parts > max_parts:
            text += f" — длиннее {max_parts} СМС, шлюз не примет"
        return text


def sms_length(text: str) -> SmsLength:
    """Parts of ``text``: GSM-7 160 characters for one SMS or 153 a part; UCS-2 70 or 67 a part."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units, single, multi, encoding = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text), 160, 153, "GSM-7"
    else:
        units, single, multi, encoding = len(text.encode("utf-16-le")) // 2, 70, 67, "UCS-2"
    if units <= single:
        return SmsLength(encoding, units, 1 if units else 0, single, single - units)
    parts = -(-units // multi)
    return SmsLength(encoding, units, parts, multi, parts * multi - units)


def template_problems(text: str) -> list[str]:
    """What is wrong with a template's text (Russian), empty when it can be used."""
    if not text.strip():
        return ["Шаблон пуст"]
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return ["Фигурные скобки не парные: подстановки пишутся как {name}"]
    return [f"Неизвестная подстановка {{{name}}}" for name in dict.fromkeys(names) if name not in PLACEHOLDERS]


def placeholders_used(text: str) -> set[str]:
    """The placeholder names a template uses."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def fill_template(text: str, values: dict[str, str]) -> str:
    """The template with ``values`` filled in (a missing value shows as «—»)."""
    return text.format_map({name: values.get(name) or "—" for name in PLACEHOLDERS})


def missing_fields(text: str, values: dict[str, str]) -> list[str]:
    """Labels of the deal fields the template needs but the deal lacks («Транспортная компания» …)."""
    used = placeholders_used(text)
    return [label for name, label in REQUIRED_DEAL_FIELDS.items() if name in used and not values.get(name)]
