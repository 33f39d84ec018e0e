"""The papers' services called with generated junk in one argument at a time: only the services' own
error escapes (a Russian message), and a refusal writes nothing (the same rule as tests/domain/test_junk_input)."""
from __future__ import annotations

import pytest

from app.demo.shop_details import DEMO_DETAILS
from app.services import client_papers, outgoing_mail, paper_settings
from tests.domain.helpers import complete_deal
from tests.domain.test_junk_input import assert_junk_refused

KEYS = [*DEMO_DETAILS, "contract", "invoice_note", "prepayment_percent", "city", "host", "port", "security",
        "user", "sender", "sender_name", "no.such.field"]


@pytest.fixture
def papers(staff):
    paper_settings.save_shop_details(None, DEMO_DETAILS)
    deal = complete_deal(staff["manager"])
    invoice = client_papers.issue_invoice(deal.id, staff["manager"]).value
    admin, manager = staff["admin"], staff["manager"]
    return {
        "shop_details": (lambda values: paper_settings.save_shop_details(admin, values), dict(values=DEMO_DETAILS)),
        "templates": (lambda values: paper_settings.save_templates(admin, values), dict(values={"city": "Москва"})),
        "mail": (lambda values, password: outgoing_mail.save_mail_settings(admin, values, password),
                 dict(values={"host": "smtp.test", "port": 587, "sender": "a@b.ru"}, password=None)),
        "make_paper": (lambda kind, deal_id: client_papers.make_paper(kind, deal_id, manager),
                       dict(kind="order_form", deal_id=deal.id)),
        "send_paper": (lambda attachment_id, to: outgoing_mail.send_paper(attachment_id, manager, to),
                       dict(attachment_id=invoice.attachment_id, to="test@test.ru")),
    }


@pytest.mark.parametrize("name", ["shop_details", "templates", "mail", "make_paper", "send_paper"])
def test_junk_gets_the_services_own_error_and_writes_nothing(papers, name):
    call, valid = papers[name]
    assert_junk_refused(name, call, valid, KEYS, merge_values=True, examples=20)
