"""The client's papers made from a deal: the invoice (numbered per year, never reused), the contract
(passport data: only for the roles with the right, every one written to the audit log) and the order
form (what was agreed, no passport data). Every paper made is attached to the deal as a file, which
puts it on the timeline, in the same transaction as its invoice number."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.documents.papers_data import Client, ContractData, InvoiceData, OrderFormData, PaperLine
from app.domain import clock, paper_templates, validation
from app.domain.amount_words import amount_in_words
from app.domain.changes import Changes, Done
from app.domain.errors import NotFoundError, ServiceError
from app.domain.money import format_rub
from app.domain.money import format_rub_kopecks as money
from app.domain.payment_qr import payment_string
from app.domain.requisites import ShopDetails
from app.services import deal_fields, notes, numbering, paper_settings, permissions, specs
from app.services.deals import load_deal
from app.services.timeline import audit
from app.store import files
from app.store.db import database
from app.store.models import Attachment, Deal, Invoice, User

INVOICE, CONTRACT, ORDER_FORM = paper_templates.INVOICE, paper_templates.CONTRACT, paper_templates.ORDER_FORM
TITLES = {INVOICE: "Счёт на оплату", CONTRACT: "Договор", ORDER_FORM: "Бланк заказа"}  # menu items, papers


# The PDF builders are imported when a paper is made: reportlab takes a second to load, which opening
# the program must not wait for (plain imports in functions, so the bundle's analysis still finds them).
def _invoice_pdf(data, path: Path) -> Path:
    from app.documents.invoice_pdf import build_invoice

    return build_invoice(data, path)


def _order_form_pdf(data, path: Path) -> Path:
    from app.documents.order_form_pdf import build_order_form

    return build_order_form(data, path)


def _contract_pdf(data, path: Path) -> Path:
    from app.documents.contract_pdf import build_contract

    return build_contract(data, path)


def invoice_counter(year: int) -> str:
    """The counter of the invoice numbers of ``year`` (they start at 1 every year)."""
    return f"invoice_no:{year}"


@dataclass(frozen=True)
class Paper:
    """A paper made and attached to its deal."""

    kind: str
    title: str  # «Счёт №2026-014», «Договор №15», «Бланк заказа №15»
    deal_id: int
    order_no: int
    attachment_id: int
    path: Path  # the attached file
    file_name: str  # its name as the deal's files list it
    amount: int | None = None  # an invoice's total, kopecks


def _client(state: dict) -> Client:
    phone = state["contact.phone"]
    return Client(full_name=state["contact.full_name"] or "—",
                  phone=validation.format_phone(phone) if phone else "",
                  email=state["contact.email"], address=state["contact.address"])


def _products_text(deal: Deal, bed_model: str) -> str:
    products = "; ".join(line.strip() for line in (deal.products or "").splitlines() if line.strip())
    what = products or bed_model or deal.name
    if bed_model and bed_model.casefold() not in what.casefold():
        what = f"{bed_model}: {what}"
    return f"Детская кровать по заказу № {deal.order_no} — {what}"


def _to_pay(deal: Deal, percent: int) -> int:
    if deal.prepayment:
        return min(deal.prepayment, deal.budget)
    return (deal.budget * percent + 50) // 100


def purpose(code: str, order_no: int) -> str:
    """The payment's purpose as the QR and the bank statement carry it."""
    return f"Оплата по счёту №{code} (заказ №{order_no}). Без НДС"


def _attach(deal: Deal, actor: User | None, kind: str, file_name: str, build, comment: str) -> Attachment:
    with tempfile.TemporaryDirectory(prefix="workshop-crm-paper-") as folder:
        path = build(Path(folder) / file_name)
        return notes.attach_file(deal.id, actor, path, kind, comment).value


def _paper(kind: str, title: str, deal: Deal, attachment: Attachment, amount: int | None = None) -> Done[Paper]:
    paper = Paper(kind, title, deal.id, deal.order_no, attachment.id, files.path_of(attachment.stored_name),
                  attachment.original_name, amount)
    return Done(paper, Changes(frozenset({deal.id}), timeline=True, files=True))


def paper_of(attachment_id: int) -> Paper:
    """The paper behind an attached file (an invoice, a contract or an order form)."""
    attachment = Attachment.get_or_none(Attachment.id == attachment_id) if validation.is_id(attachment_id) else None
    if attachment is None or attachment.kind not in TITLES or attachment.deal is None:
        raise NotFoundError("Документ не найден (возможно, удалён на другом компьютере)")
    deal = attachment.deal
    title, amount = f"{TITLES[attachment.kind]} №{deal.order_no}", None
    if attachment.kind == INVOICE:
        invoice = Invoice.get_or_none(Invoice.attachment == attachment.id)
        if invoice is None:
            raise NotFoundError("Это не счёт, выставленный программой")
        title, amount = f"Счёт №{invoice.code}", invoice.amount
    return _paper(attachment.kind, title, deal, attachment, amount).value


def issue_invoice(deal_id: int, actor: User | None) -> Done[Paper]:
    """A new invoice for the deal's budget: the next number of this year, valid 3 days, with the
    prepayment asked for (the deal's, else the templates' percentage) in its payment QR."""
    permissions.require(actor, permissions.PAPERS)
    shop = paper_settings.ready_shop_details()
    texts = paper_settings.templates()
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        if deal.budget <= 0:
            raise ServiceError(f"У сделки №{deal.order_no} не указан бюджет — счёт выставить не на что")
        today = clock.local_today()
        number = numbering.next_number(invoice_counter(today.year))
        to_pay = _to_pay(deal, texts.prepayment_percent)
        invoice = Invoice.create(year=today.year, number=number, deal=deal, amount=deal.budget, to_pay=to_pay,
                                 valid_until=today + paper_templates.VALID_FOR, created_by=actor,
                                 created_at=clock.now())
        data = invoice_data(deal, invoice, shop, texts)
        title = f"Счёт №{invoice.code}"
        attachment = _attach(deal, actor, INVOICE, f"Счёт {invoice.code}, заказ {deal.order_no}.pdf",
                             lambda path: _invoice_pdf(data, path),
                             f"на {format_rub(deal.budget)}")
        invoice.attachment = attachment
        invoice.save()
        return _paper(INVOICE, title, deal, attachment, deal.budget)


def invoice_data(deal: Deal, invoice: Invoice, shop: ShopDetails, texts: paper_templates.PaperTemplates) -> InvoiceData:
    """What the invoice prints (no passport data)."""
    form = specs.form_of(deal)
    note = paper_templates.fill(texts.invoice_note, {
        "номер_счёта": invoice.code, "действителен_до": invoice.valid_until.strftime("%d.%m.%Y"),
        "заказ": str(deal.order_no), "предоплата": money(invoice.to_pay), "сумма": money(invoice.amount)})
    return InvoiceData(
        code=invoice.code, issued_on=clock.to_local(invoice.created_at).date(), valid_until=invoice.valid_until,
        order_no=deal.order_no, shop=shop, client=_client(deal_fields.current_values(deal)),
        lines=[PaperLine(_products_text(deal, form.bed_model), 1, "шт", invoice.amount)], to_pay=invoice.to_pay,
        note=note, qr_text=payment_string(shop, invoice.to_pay, purpose(invoice.code, deal.order_no)))


def order_form_data(deal: Deal, shop: ShopDetails) -> OrderFormData:
    """What was agreed with the client, from the production form (no passport data)."""
    form = specs.form_of(deal)
    state = deal_fields.current_values(deal)
    delivery = ", ".join(value for value in (deal.delivery_type, deal.delivery_city) if value)
    return OrderFormData(
        order_no=deal.order_no, made_on=clock.local_today(), shop=shop, client=_client(state),
        bed_model=form.bed_model, dimensions=form.dimensions, colour=form.colour, options=form.options,
        products=deal.products, budget=deal.budget, prepayment=deal.prepayment, deadline=deal.ship_deadline,
        delivery=delivery + (", со сборкой" if deal.assembly_needed else ""))


def make_order_form(deal_id: int, actor: User | None) -> Done[Paper]:
    """The order form for the client (model, sizes, colour, options, sums, deadline)."""
    permissions.require(actor, permissions.PAPERS)
    shop = paper_settings.ready_shop_details()
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        data = order_form_data(deal, shop)
        attachment = _attach(deal, actor, ORDER_FORM, f"Бланк заказа {deal.order_no}.pdf",
                             lambda path: _order_form_pdf(data, path), "для клиента")
        return _paper(ORDER_FORM, f"{TITLES[ORDER_FORM]} №{deal.order_no}", deal, attachment)


def contract_values(deal: Deal, shop: ShopDetails, texts: paper_templates.PaperTemplates, state: dict) -> dict:
    """The placeholders of the contract filled from the deal (passport included)."""
    form = specs.form_of(deal)
    prepayment = _to_pay(deal, texts.prepayment_percent)
    passport = " ".join(value for value in (state["passport.series"], state["passport.number"]) if value)
    return {
        "номер_договора": str(deal.order_no), "дата": clock.local_today().strftime("%d.%m.%Y"),
        "город": texts.city, "продавец": shop.name, "подписант": shop.signer or shop.name,
        "ФИО": state["contact.full_name"], "паспорт": passport, "адрес": state["contact.address"],
        "телефон": _client(state).phone, "заказ": str(deal.order_no), "кровать": form.bed_model or deal.products,
        "размеры": form.dimensions, "цвет": form.colour, "опции": form.options, "сумма": money(deal.budget),
        "сумма_прописью": amount_in_words(deal.budget), "предоплата": money(prepayment),
        "остаток": money(deal.budget - prepayment),
        "срок": deal.ship_deadline.strftime("%d.%m.%Y") if deal.ship_deadline else "",
        "реквизиты": requisites_line(shop),
    }


def requisites_line(shop: ShopDetails) -> str:
    kpp = f", КПП {shop.kpp}" if not shop.is_ip and shop.kpp else ""
    return (f"{shop.name}, ИНН {shop.inn}{kpp}, {'ОГРНИП' if shop.is_ip else 'ОГРН'} {shop.ogrn}, "
            f"{shop.address}, р/с {shop.account} в {shop.bank_name}, БИК {shop.bik}, к/с {shop.corr_account}")


def make_contract(deal_id: int, actor: User | None) -> Done[Paper]:
    """The contract with the client's passport data: refused without the right to see it; every
    contract made is written to the audit log (152-ФЗ)."""
    permissions.require(actor, permissions.PAPERS)
    permissions.require(actor, permissions.PASSPORT_VIEW)
    shop = paper_settings.ready_shop_details()
    texts = paper_settings.templates()
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        state = deal_fields.current_values(deal)
        data = ContractData(deal.order_no, clock.local_today(), shop, state["contact.full_name"],
                            paper_templates.fill(texts.contract, contract_values(deal, shop, texts, state)))
        attachment = _attach(deal, actor, CONTRACT, f"Договор {deal.order_no}.pdf",
                             lambda path: _contract_pdf(data, path), "с паспортными данными")
        audit(actor, "passport_print", deal, f"Договор с паспортными данными, сделка №{deal.order_no}")
        done = _paper(CONTRACT, f"{TITLES[CONTRACT]} №{deal.order_no}", deal, attachment)
        return Done(done.value, done.changes | Changes(audit=True))


def record_use(paper: Paper, actor: User | None, what: str) -> Done[Paper]:
    """A contract printed, opened or saved again from the card: checked and written to the audit log
    (152-ФЗ: every print of passport data); other papers need no record."""
    if paper.kind != CONTRACT:
        return Done(paper, Changes())
    permissions.require(actor, permissions.PASSPORT_VIEW)
    with database.atomic():
        audit(actor, "passport_print", paper.deal_id, f"{paper.title}: {what}")
    return Done(paper, Changes(audit=True))


MAKERS = {INVOICE: issue_invoice, CONTRACT: make_contract, ORDER_FORM: make_order_form}


def make_paper(kind: str, deal_id: int, actor: User | None) -> Done[Paper]:
    """Make the paper ``kind`` (invoice, contract, order_form) of the deal."""
    maker = MAKERS.get(kind) if isinstance(kind, str) else None
    if maker is None:
        raise ServiceError("Неизвестный вид документа: выберите счёт, договор или бланк заказа")
    return maker(deal_id, actor)


def preview_contract(template: str) -> str:
    """The contract ``template`` filled with a sample client (for the administrator's editor)."""
    sample = {name: f"«{description}»" for name, description in paper_templates.CONTRACT_FIELDS.items()}
    return paper_templates.fill(template, sample)


def sent_text(paper: Paper, to: str) -> str:
    """The timeline's line for a paper e-mailed: «Счёт №2026-014 на 32 000 руб отправлен на test@test.ru»."""
    if paper.kind == INVOICE:
        return f"{paper.title} на {format_rub(paper.amount)} отправлен на {to}"
    return f"{paper.title} отправлен на {to}"
