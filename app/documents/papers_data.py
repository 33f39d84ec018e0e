"""What the client's papers print, as plain data (the PDF builders never touch the database).

The invoice and the order form carry no passport data; only the contract does, and only a service
that checked the right to see it fills ``ContractData.passport``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain.requisites import ShopDetails


@dataclass(frozen=True)
class PaperLine:
    """One line of an invoice: what, how many, the price and the sum (kopecks)."""

    text: str
    quantity: int
    unit: str
    price: int

    @property
    def total(self) -> int:
        return self.price * self.quantity


@dataclass(frozen=True)
class Client:
    full_name: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class InvoiceData:
    code: str  # «2026-014»
    issued_on: date
    valid_until: date
    order_no: int
    shop: ShopDetails
    client: Client
    lines: list[PaperLine]
    to_pay: int  # kopecks asked for now: the QR's sum
    note: str  # the template's fixed lines, filled
    qr_text: str

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


@dataclass(frozen=True)
class OrderFormData:
    """What was agreed with the client: the production form's fields, the sums and the deadline."""

    order_no: int
    made_on: date
    shop: ShopDetails
    client: Client
    bed_model: str
    dimensions: str
    colour: str
    options: str
    products: str
    budget: int
    prepayment: int | None
    deadline: date | None
    delivery: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContractData:
    order_no: int
    made_on: date
    shop: ShopDetails
    client_name: str
    text: str  # the template filled with the client's data (passport included)
