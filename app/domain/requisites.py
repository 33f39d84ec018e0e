"""The shop's requisites (реквизиты) as printed on invoices and put into the payment QR, and their
checks: ИНН, ОГРН/ОГРНИП and bank accounts carry check digits; a bank account is checked against
the bank's БИК with the Central Bank's key algorithm (weights 7, 1, 3 over 23 digits)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from app.domain.errors import FieldProblem

IP, COMPANY = "ip", "company"
KIND_NAMES = {IP: "Индивидуальный предприниматель", COMPANY: "Организация (ООО, АО)"}

PREFIX = "shop."  # the requisites' keys in app.domain.labels: «shop.inn» is «ИНН»
NAME_MAX = 160  # ГОСТ Р 56042-2014: Name up to 160 characters
BANK_NAME_MAX = 45  # BankName up to 45 characters
TEXT_MAX = 250  # the other free-text fields (same limit on SQLite and PostgreSQL: JSON settings)


def problem(key: str, message: str) -> FieldProblem:
    """A problem of requisite ``key`` (named by its Russian label «shop.<key>»)."""
    return FieldProblem(PREFIX + key, message)


@dataclass(frozen=True)
class ShopDetails:
    """The seller on an invoice; every value as typed (digits only for the numbers)."""

    kind: str = IP
    name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bik: str = ""
    corr_account: str = ""
    account: str = ""
    signer: str = ""

    @property
    def is_ip(self) -> bool:
        return self.kind == IP

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict | None) -> ShopDetails:
        """Details from stored or typed values (unknown keys ignored, numbers stripped of spaces)."""
        values = values if isinstance(values, dict) else {}
        known = {f.name for f in fields(cls)}
        cleaned = {key: str(value or "").strip() for key, value in values.items() if key in known}
        for key in ("inn", "kpp", "ogrn", "bik", "corr_account", "account"):
            if key in cleaned:
                cleaned[key] = re.sub(r"[\s\-]", "", cleaned[key]).upper()
        return cls(**cleaned)


def _digits(value: str, count: int) -> bool:
    return len(value) == count and value.isdigit()


def inn_valid(inn: str) -> bool:
    """A 10-digit (organisation) or 12-digit (person, ИП) ИНН with correct check digits."""
    def check(digits: str, weights: tuple[int, ...]) -> int:
        return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10

    if _digits(inn, 10):
        return check(inn, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[9])
    if _digits(inn, 12):
        return (check(inn, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[10])
                and check(inn, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[11]))
    return False


def ogrn_valid(ogrn: str) -> bool:
    """ОГРН (13 digits, the first 12 mod 11) or ОГРНИП (15 digits, the first 14 mod 13)."""
    if _digits(ogrn, 13):
        return int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    if _digits(ogrn, 15):
        return int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    return False


def kpp_valid(kpp: str) -> bool:
    """КПП: 4 digits (tax office), 2 digits or Latin capitals (reason), 3 digits."""
    return re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", kpp) is not None


def account_key_valid(prefix3: str, account: str) -> bool:
    """The Central Bank's key check of a 20-digit account with its 3-digit bank prefix."""
    number = prefix3 + account
    weights = (7, 1, 3) * 8
    return sum(int(d) * w for d, w in zip(number, weights)) % 10 == 0


def settlement_account_valid(account: str, bik: str) -> bool:
    """Расчётный счёт: 20 digits whose key matches the last 3 digits of the БИК."""
    return _digits(account, 20) and _digits(bik, 9) and account_key_valid(bik[-3:], account)


def corr_account_valid(account: str, bik: str) -> bool:
    """Корр. счёт: 20 digits starting 30101 whose key matches «0» + the 5th–6th digits of the БИК."""
    return (_digits(account, 20) and _digits(bik, 9) and account.startswith("30101")
            and account_key_valid("0" + bik[4:6], account))


def validate(details: ShopDetails) -> list[FieldProblem]:
    """Every problem of ``details`` (empty: they may be printed on an invoice)."""
    problems: list[FieldProblem] = []
    if details.kind not in KIND_NAMES:
        problems.append(problem("kind", "выберите: ИП или организация"))
    required = ("name", "inn", "ogrn", "address", "bank_name", "bik", "corr_account", "account")
    for key in required + (() if details.is_ip else ("kpp",)):
        if not getattr(details, key):
            problems.append(problem(key, "не заполнено"))
    if details.name and len(details.name) > NAME_MAX:
        problems.append(problem("name", f"не длиннее {NAME_MAX} знаков"))
    if details.bank_name and len(details.bank_name) > BANK_NAME_MAX:
        problems.append(problem("bank_name", f"не длиннее {BANK_NAME_MAX} знаков (так читает QR банка)"))
    for key in ("address", "phone", "email", "signer"):
        if len(getattr(details, key)) > TEXT_MAX:
            problems.append(problem(key, f"не длиннее {TEXT_MAX} знаков"))
    inn_length = 12 if details.is_ip else 10
    if details.inn and not (len(details.inn) == inn_length and inn_valid(details.inn)):
        problems.append(problem("inn", f"{inn_length} цифр с верными контрольными цифрами"
                                       f" ({'у ИП' if details.is_ip else 'у организации'})"))
    ogrn_length = 15 if details.is_ip else 13
    if details.ogrn and not (len(details.ogrn) == ogrn_length and ogrn_valid(details.ogrn)):
        name = "ОГРНИП" if details.is_ip else "ОГРН"
        problems.append(problem("ogrn", f"{name}: {ogrn_length} цифр с верной контрольной цифрой"))
    if details.kpp and (details.is_ip or not kpp_valid(details.kpp)):
        problems.append(problem("kpp", "у ИП КПП нет — оставьте пустым" if details.is_ip
                                else "9 знаков: 4 цифры, 2 цифры или буквы, 3 цифры"))
    if details.bik and not _digits(details.bik, 9):
        problems.append(problem("bik", "9 цифр"))
    bik_ok = _digits(details.bik, 9)
    if details.corr_account:
        if not _digits(details.corr_account, 20):
            problems.append(problem("corr_account", "20 цифр"))
        elif bik_ok and not corr_account_valid(details.corr_account, details.bik):
            problems.append(problem("corr_account", "не сходится с БИК (проверьте обе цифры)"))
    if details.account:
        if not _digits(details.account, 20):
            problems.append(problem("account", "20 цифр"))
        elif bik_ok and not settlement_account_valid(details.account, details.bik):
            problems.append(problem("account", "не сходится с БИК (контрольный ключ счёта неверен)"))
    return problems
