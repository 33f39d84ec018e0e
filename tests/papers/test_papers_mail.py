"""Papers e-mailed to the client through the shop's mailbox, received by a local SMTP server."""
from __future__ import annotations

import ssl

import pytest

from app.demo.shop_details import DEMO_DETAILS
from app.domain.errors import PermissionDeniedError, ValidationError
from app.domain.money import format_rub
from app.integrations import smtp_mail
from app.integrations.smtp_mail import MailError
from app.services import client_papers, outgoing_mail, paper_settings
from app.services.timeline import feed
from app.store.models import AuditEntry, TimelineEntry
from tests.domain.helpers import complete_deal
from tests.papers import smtp_server
from tests.papers.smtp_server import LOGIN, PASSWORD


@pytest.fixture
def server():
    controller, mailbox = smtp_server.start_server()
    yield controller, mailbox
    controller.stop()


def mail_values(port: int, security: str = smtp_mail.PLAIN) -> dict:
    return {"host": "127.0.0.1", "port": port, "security": security, "user": LOGIN, "sender": LOGIN,
            "sender_name": "Детские кровати Маня"}


@pytest.fixture
def invoice(staff, db):
    paper_settings.save_shop_details(None, DEMO_DETAILS)
    deal = complete_deal(staff["manager"])
    return client_papers.issue_invoice(deal.id, staff["manager"]).value


def test_invoice_received_with_the_pdf_and_noted_on_the_timeline(staff, invoice, server):
    controller, mailbox = server
    where = outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), PASSWORD).value
    assert where  # the keyring or the user's own file, never the settings
    assert PASSWORD not in str(outgoing_mail.mail_settings().as_dict())
    outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], " Test@Test.ru ")
    [(recipients, message)] = mailbox.messages
    assert recipients == ["test@test.ru"]
    assert message["Subject"] == "Счёт №2025-001 — ИП Маньковская Мария Андреевна"
    assert "Детские кровати Маня" in message["From"] and LOGIN in message["From"]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == "Счёт 2025-001, заказ 1.pdf" and pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == invoice.path.read_bytes()
    last = feed(invoice.deal_id)[-1]
    assert (last.kind, last.text) == (TimelineEntry.MAIL_OUT,
                                      f"Счёт №2025-001 на {format_rub(3_200_000)} отправлен на test@test.ru")


def test_wrong_password_and_unreachable_server_are_said_in_russian(staff, invoice, server, counts):
    controller, mailbox = server
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), "не тот")
    before = counts()
    with pytest.raises(MailError, match="не принял логин"):
        outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@test.ru")
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(smtp_server.free_port()), PASSWORD)
    with pytest.raises(MailError, match="Нет связи с почтовым сервером 127.0.0.1"):
        outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@test.ru")
    with pytest.raises(ValidationError, match="Кому: Неверный e-mail"):
        outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@")
    assert mailbox.messages == [] and counts()["TimelineEntry"] == before["TimelineEntry"]


def test_settings_checked_and_only_for_the_administrator(staff, db):
    with pytest.raises(PermissionDeniedError):
        outgoing_mail.save_mail_settings(staff["manager"], mail_values(587))
    with pytest.raises(ValidationError) as refused:
        outgoing_mail.save_mail_settings(staff["admin"], {"host": "", "port": "x", "sender": "zakaz"})
    assert {p.label for p in refused.value.problems} == {"Сервер", "Порт", "Адрес отправителя"}


def test_starttls_with_the_servers_certificate(staff, invoice, tmp_path, monkeypatch):
    cert, key = smtp_server.self_signed(tmp_path)
    controller, mailbox = smtp_server.start_server(tls_files=(cert, key))
    try:
        outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port, smtp_mail.STARTTLS), PASSWORD)
        with pytest.raises(MailError, match="защищённое соединение"):  # an unknown certificate is refused
            outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@test.ru")
        monkeypatch.setattr(smtp_mail, "tls_context", lambda: ssl.create_default_context(cafile=str(cert)))
        outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@test.ru")
        assert len(mailbox.messages) == 1
        plain = mail_values(controller.port)
        outgoing_mail.save_mail_settings(staff["admin"], plain, PASSWORD)
        with pytest.raises(MailError):  # the server insists on STARTTLS
            outgoing_mail.send_paper(invoice.attachment_id, staff["manager"], "test@test.ru")
    finally:
        controller.stop()


def test_contract_sent_only_with_the_passport_right_and_audited(staff, invoice, server):
    controller, mailbox = server
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), PASSWORD)
    contract = client_papers.make_contract(invoice.deal_id, staff["manager"]).value
    from app.services import permissions

    permissions.set_roles(None, permissions.PAPERS, ["manager", "designer"])
    with pytest.raises(PermissionDeniedError):
        outgoing_mail.send_paper(contract.attachment_id, staff["designer"], "test@test.ru")
    outgoing_mail.send_paper(contract.attachment_id, staff["manager"], "test@test.ru")
    assert mailbox.messages[0][1]["Subject"].startswith("Договор №1")
    assert AuditEntry.select().where(AuditEntry.action == "passport_export").count() == 1
    assert feed(invoice.deal_id)[-1].text == "Договор №1 отправлен на test@test.ru"
