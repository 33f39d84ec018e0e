"""The client's papers made from a deal: invoice numbers, the printed texts and QR, the contract's
right and audit, the order form without passport data, the CLI."""
from __future__ import annotations

import multiprocessing
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from app.demo.shop_details import DEMO_DETAILS
from app.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from app.domain.payment_qr import parse_payment_string
from app.services import client_papers, deals, paper_settings, permissions
from app.services.notes import attachments_of
from app.services.timeline import feed
from app.store import files
from app.store.models import AuditEntry, Invoice
from main import main
from tests.domain.helpers import INVOICE_VALUES, complete_deal
from tests.papers import workers


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


@pytest.fixture
def shop(db):
    paper_settings.save_shop_details(None, DEMO_DETAILS)
    return paper_settings.shop_details()


@pytest.fixture
def deal(staff, shop):
    return complete_deal(staff["manager"], products="Замок с комодом\nящики на роликах")


def test_invoice_prints_every_text(staff, deal):
    paper = client_papers.issue_invoice(deal.id, staff["manager"]).value
    assert paper.title == "Счёт №2025-001" and paper.amount == 3_200_000
    text = pdf_text(paper.path)
    for expected in ["Счёт на оплату № 2025-001 от 02.06.2025", "Северо-Западный банк ПАО Сбербанк",
                     "БИК 044030653", "30101810500000000653", "40802810655000012345", "ИНН 781234567870",
                     "ОГРНИП 321784700123457", "ИП Маньковская Мария Андреевна", "ул. Заставская, д. 33",
                     "+7 (812) 555-01-02", "Тестов Тест Тестович", "+7 800 800-80-00", "test@test.ru",
                     "Заказ № 1", "Замок с комодом; ящики на роликах", "32 000,00",
                     "Итого: 32 000,00", "Предоплата к оплате: 32 000,00",
                     "Всего наименований 1, на сумму 32 000,00 руб.", "Тридцать две тысячи рублей 00 копеек",
                     "Счёт действителен до 05.06.2025", "Оплата по счёту №2025-001 (заказ №1)",
                     "Маньковская М. А.", "Банк получателя", "Получатель", "Исполнитель:", "Заказчик:",
                     "Без налога (НДС): —", "Индивидуальный предприниматель", "Оплата по QR-коду",
                     "Оплата счёта означает согласие с условиями изготовления по заказу № 1",
                     "после поступления предоплаты 32 000,00 руб", "сумма 32 000,00 руб заполнятся сами"]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u202f", ""), (expected, text)
    for secret in (INVOICE_VALUES["passport.number"], INVOICE_VALUES["contact.address"]):
        assert secret not in text
    # attached to the deal, on its timeline, and the invoice's record keeps the number
    assert [(line.kind, line.name) for line in attachments_of(deal.id)] == [("invoice", "Счёт 2025-001, заказ 1.pdf")]
    assert feed(deal.id)[-1].text == "Счёт: Счёт 2025-001, заказ 1.pdf — на 32 000 руб"
    invoice = Invoice.get()
    assert (invoice.code, invoice.amount, invoice.to_pay, invoice.valid_until) == (
        "2025-001", 3_200_000, 3_200_000, date(2025, 6, 5))


def test_invoice_numbers_sequential_per_year_and_never_reused(staff, deal, fake_clock):
    from datetime import timedelta

    codes = [client_papers.issue_invoice(deal.id, staff["manager"]).value.title for _ in range(3)]
    assert codes == ["Счёт №2025-001", "Счёт №2025-002", "Счёт №2025-003"]
    fake_clock.advance(timedelta(days=220))  # 2026
    assert client_papers.issue_invoice(deal.id, staff["manager"]).value.title == "Счёт №2026-001"
    with pytest.raises(ServiceError):  # a refused invoice gives no number away
        client_papers.issue_invoice(deal.id, staff["designer"])
    assert client_papers.issue_invoice(deal.id, staff["manager"]).value.title == "Счёт №2026-002"


def test_invoice_asks_the_templates_prepayment_and_refuses_without_budget(staff, shop):
    deal = deals.create_deal(staff["manager"], name="Без оплаты", values={"budget": "30 300,50"}).deal
    paper = client_papers.issue_invoice(deal.id, staff["manager"]).value
    invoice = Invoice.get()
    assert invoice.to_pay == 1_515_025  # 50 % of 30 300,50, rounded to a kopeck
    assert parse_payment_string(zbar_text(paper.path))["Sum"] == "1515025"
    empty = deals.create_deal(staff["manager"], name="Пустая").deal
    with pytest.raises(ServiceError, match="не указан бюджет"):
        client_papers.issue_invoice(empty.id, staff["manager"])


def test_invoice_refused_until_the_shop_has_requisites(staff, db, counts):
    deal = complete_deal(staff["manager"])
    before = counts()
    with pytest.raises(ValidationError, match="Заполните реквизиты магазина") as refused:
        client_papers.issue_invoice(deal.id, staff["manager"])
    assert "ИНН: не заполнено" in str(refused.value)
    assert counts() == before


def zbar_text(pdf_path) -> str:
    """The QR code of the PDF's first page, read by zbar from the page rendered at 200 dpi."""
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("нет zbarimg или pdftoppm (apt-get install zbar-tools poppler-utils)")
    png = pdf_path.parent / "qr-page"
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(png)],
                   check=True)
    found = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", f"{png}.png"],
                           capture_output=True, check=True)
    return found.stdout.decode("utf-8").strip()


def test_printed_qr_reads_back_as_the_payment_string(staff, deal):
    paper = client_papers.issue_invoice(deal.id, staff["manager"]).value
    assert zbar_text(paper.path) == (
        "ST00012|Name=ИП Маньковская Мария Андреевна|PersonalAcc=40802810655000012345|"
        "BankName=Северо-Западный банк ПАО Сбербанк|BIC=044030653|CorrespAcc=30101810500000000653|"
        "PayeeINN=781234567870|Sum=3200000|Purpose=Оплата по счёту №2025-001 (заказ №1). Без НДС")


def test_contract_refused_without_the_passport_right_and_audited_with_it(staff, deal, counts):
    before = counts()
    permissions.set_roles(None, permissions.PAPERS, ["manager", "designer"])
    before = counts()
    with pytest.raises(PermissionDeniedError, match="Просмотр паспортных данных"):
        client_papers.make_contract(deal.id, staff["designer"])
    assert counts() == before
    paper = client_papers.make_contract(deal.id, staff["manager"]).value
    text = pdf_text(paper.path)
    for expected in ["ДОГОВОР № 1", "Тестов Тест Тестович", "паспорт 3681 543578", "г. Нью-Йорк, ул. Бродвей",
                     "заказу № 1", "32 000,00 руб (Тридцать две тысячи рублей 00 копеек)", "до 14.07.2025",
                     "ИП Маньковская Мария Андреевна", "р/с 40802810655000012345"]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u202f", ""), (expected, text)
    entry = AuditEntry.select().where(AuditEntry.action == "passport_print").get()
    assert (entry.user_id, entry.deal_id) == (staff["manager"].id, deal.id)
    assert attachments_of(deal.id)[0].kind == "contract"


def test_order_form_has_what_was_agreed_and_no_passport(staff, deal):
    from app.services import specs

    specs.save_form(deal.id, staff["constructor"], specs.FormValues("Замок", "1900×800", "Белый", "ящики"))
    paper = client_papers.make_order_form(deal.id, staff["manager"]).value
    text = pdf_text(paper.path)
    for expected in ["Бланк заказа № 1", "Замок", "1900×800", "Белый", "ящики", "32 000,00 руб",
                     "Остаток к оплате 0,00 руб", "14.07.2025", "Тестов Тест Тестович"]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u202f", ""), (expected, text)
    assert "543578" not in text and "3681" not in text and "Бродвей" not in text


def test_invoice_numbers_unique_with_two_processes(db_url, staff, deal, fake_clock):
    other = complete_deal(staff["manager"], name="Второй")
    ctx = multiprocessing.get_context("spawn")
    together, results = ctx.Barrier(2), ctx.Queue()
    ids = [deal.id, other.id]
    proc = ctx.Process(target=workers.second_pc,
                       args=(db_url, str(files.files_root()), fake_clock.now(), ids, together, results))
    proc.start()
    mine = workers.issue_invoices(ids, together)
    theirs = results.get(timeout=120)
    proc.join(60)
    assert proc.exitcode == 0
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in mine + theirs)
    total = 2 * 2 * workers.INVOICES_EACH
    assert numbers == list(range(1, total + 1))
    assert Invoice.select().count() == total and len({i.attachment_id for i in Invoice.select()}) == total


def test_cli_prints_invoice_and_order_form(db_url, db, staff, shop, tmp_path, capsys):
    deal = complete_deal(staff["manager"])
    assert main(["--db", db_url, "print-invoice", str(deal.order_no), "-o", str(tmp_path / "inv.pdf")]) == 0
    assert "Счёт №2025-001 (заказ №1)" in capsys.readouterr().out
    assert "Счёт на оплату № 2025-001" in pdf_text(tmp_path / "inv.pdf")
    assert main(["--db", db_url, "print-order-form", "1", "-o", str(tmp_path / "form.pdf")]) == 0
    assert "Бланк заказа № 1" in pdf_text(tmp_path / "form.pdf")
    assert main(["--db", db_url, "print-invoice", "99", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "Нет сделки с номером заказа 99" in capsys.readouterr().err
