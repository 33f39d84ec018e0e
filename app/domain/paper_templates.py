"""The texts of the client's papers the administrator may edit: the contract and the invoice's fixed
lines, with placeholders in braces («{ФИО}») filled from the deal when a paper is made."""
from __future__ import annotations

import string
from dataclasses import asdict, dataclass, fields

from app.domain import pipeline
from app.domain.errors import FieldProblem

INVOICE, CONTRACT, ORDER_FORM = "invoice", "contract", "order_form"  # the kinds of papers

# placeholder → what it is replaced with (shown beside the template editor)
CONTRACT_FIELDS = {
    "номер_договора": "номер договора (= номер заказа)",
    "дата": "дата договора",
    "город": "город магазина",
    "продавец": "наименование продавца (ИП или организация)",
    "подписант": "кто подписывает за продавца",
    "ФИО": "ФИО клиента полностью",
    "паспорт": "серия и номер паспорта клиента",
    "адрес": "адрес клиента",
    "телефон": "телефон клиента",
    "заказ": "номер заказа",
    "кровать": "модель кровати (из бланка заказа)",
    "размеры": "размеры",
    "цвет": "цвет / покраска",
    "опции": "опции",
    "сумма": "цена кровати, руб",
    "сумма_прописью": "цена прописью",
    "предоплата": "предоплата, руб",
    "остаток": "остаток к оплате, руб",
    "срок": "срок изготовления (дата отгрузки)",
    "реквизиты": "реквизиты продавца одной строкой",
}
INVOICE_FIELDS = {
    "номер_счёта": "номер счёта",
    "действителен_до": "дата, до которой действителен счёт",
    "заказ": "номер заказа",
    "предоплата": "предоплата, руб",
    "сумма": "сумма счёта, руб",
}
# «Счет выставлен»: the invoice is valid as long as the stage's payment check waits (3 days)
VALID_FOR = next(task.due for task in pipeline.stage("invoice").tasks if task.rule == "invoice.control")

DEFAULT_CONTRACT = """ДОГОВОР № {номер_договора}
на изготовление мебели по индивидуальному заказу

г. {город}, {дата}

{продавец}, именуемый в дальнейшем «Исполнитель», в лице {подписант}, с одной стороны, и {ФИО}, паспорт {паспорт}, \
проживающий(ая) по адресу: {адрес}, именуемый(ая) в дальнейшем «Заказчик», с другой стороны, заключили настоящий \
договор о нижеследующем.

1. Предмет договора
1.1. Исполнитель изготавливает по заказу № {заказ} детскую кровать «{кровать}» (размеры: {размеры}; цвет: {цвет}; \
опции: {опции}) по согласованному с Заказчиком бланку заказа, а Заказчик принимает и оплачивает её.

2. Цена и порядок оплаты
2.1. Цена изделия: {сумма} руб ({сумма_прописью}).
2.2. Заказчик вносит предоплату {предоплата} руб; остаток {остаток} руб оплачивается до отгрузки.

3. Сроки
3.1. Срок изготовления и отгрузки: до {срок}. Срок начинает течь со дня поступления предоплаты.

4. Прочие условия
4.1. Изделие изготавливается по индивидуальным размерам Заказчика; претензии по качеству принимаются в порядке, \
установленном Законом РФ «О защите прав потребителей».
4.2. Заказчик даёт согласие на обработку своих персональных данных для исполнения договора (152-ФЗ).

Реквизиты Исполнителя: {реквизиты}
"""
DEFAULT_INVOICE_NOTE = ("Счёт действителен до {действителен_до}. Оплата счёта означает согласие с условиями "
                        "изготовления по заказу № {заказ}. Изготовление начинается после поступления "
                        "предоплаты {предоплата} руб.")
TEXT_MAX = 20_000


@dataclass(frozen=True)
class PaperTemplates:
    contract: str = DEFAULT_CONTRACT
    invoice_note: str = DEFAULT_INVOICE_NOTE
    prepayment_percent: int = 50  # asked on the invoice when the deal has no prepayment yet
    city: str = "Санкт-Петербург"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict | None) -> PaperTemplates:
        """Templates from stored or typed values (unknown keys ignored; ``check`` refuses wrong types)."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in (values if isinstance(values, dict) else {}).items()
                      if key in known})


PREFIX = "papers."  # the templates' keys in app.domain.labels


def placeholders(template: str) -> list[str]:
    """The placeholder names used in ``template`` (ValueError for broken braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def template_problems(key: str, template: str, known: dict[str, str]) -> list[FieldProblem]:
    """What is wrong with a template text: broken braces, unknown placeholders, too long."""
    field = PREFIX + key
    if len(template) > TEXT_MAX:
        return [FieldProblem(field, f"не длиннее {TEXT_MAX} знаков")]
    try:
        unknown = [name for name in placeholders(template) if name not in known]
    except ValueError:
        return [FieldProblem(field, "непарная фигурная скобка: поля пишутся как {ФИО}")]
    if unknown:
        return [FieldProblem(field, "неизвестные поля: " + ", ".join(f"{{{name}}}" for name in unknown))]
    return []


def check(values: PaperTemplates) -> list[FieldProblem]:
    """Every problem of the edited templates (empty: they may be saved)."""
    texts = {"contract": values.contract, "invoice_note": values.invoice_note, "city": values.city}
    wrong = [FieldProblem(PREFIX + key, "ожидается текст") for key, text in texts.items() if not isinstance(text, str)]
    if wrong:
        return wrong
    problems = (template_problems("contract", values.contract, CONTRACT_FIELDS)
                + template_problems("invoice_note", values.invoice_note, INVOICE_FIELDS))
    if not values.contract.strip():
        problems.append(FieldProblem(PREFIX + "contract", "не заполнено"))
    percent = values.prepayment_percent
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 < percent <= 100:
        problems.append(FieldProblem(PREFIX + "prepayment_percent", "целое число от 1 до 100"))
    if not values.city.strip() or len(values.city) > 100:
        problems.append(FieldProblem(PREFIX + "city", "от 1 до 100 знаков"))
    return problems


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its placeholders replaced («—» for a value the deal does not have)."""
    return template.format_map({name: (values.get(name) or "—") for name in placeholders(template)})
