"""One test per gate field of PIPELINE.md, and the gate's all-or-nothing behaviour."""
from __future__ import annotations

import pytest

from app.domain import pipeline
from app.domain.errors import GateError, ValidationError
from app.services import deals
from app.store.models import Deal, Passport, StageHistory, Task
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES, complete_deal, new_deal

INVOICE_FIELDS = list(pipeline.INVOICE_GATE)
PAID_FIELDS = list(pipeline.PAID_GATE)


def _without(values: dict, key: str) -> dict:
    return {k: v for k, v in values.items() if k != key}


@pytest.mark.parametrize("missing", INVOICE_FIELDS)
def test_invoice_gate_refuses_each_missing_field(staff, counts, missing):
    deal = new_deal(staff["manager"], **_without(INVOICE_VALUES, missing))
    before = counts()
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "invoice", staff["manager"])
    assert refused.value.fields == [missing]
    assert pipeline.FIELD_LABELS[missing] in str(refused.value)
    assert counts() == before
    assert Deal.get_by_id(deal.id).stage == "new"
    # the gate form supplies the field: the move goes through
    deals.move_deal(deal.id, "invoice", staff["manager"], values={missing: INVOICE_VALUES[missing]})
    assert Deal.get_by_id(deal.id).stage == "invoice"


@pytest.mark.parametrize("missing", [f for f in PAID_FIELDS if f != "debt"])
def test_paid_gate_refuses_each_missing_field(staff, counts, missing):
    deal = new_deal(staff["manager"], **INVOICE_VALUES, **_without(PAID_VALUES, missing))
    before = counts()
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "paid", staff["manager"])
    assert missing in refused.value.fields
    assert counts() == before
    deals.move_deal(deal.id, "paid", staff["manager"], values={missing: PAID_VALUES[missing]})
    assert Deal.get_by_id(deal.id).stage == "paid"


def test_paid_gate_needs_debt_which_follows_prepayment(staff):
    deal = new_deal(staff["manager"], **INVOICE_VALUES, **_without(PAID_VALUES, "prepayment"))
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "paid", staff["manager"])
    assert refused.value.fields == ["prepayment", "debt"]
    deals.move_deal(deal.id, "paid", staff["manager"], values={"prepayment": "12 000"})
    moved = Deal.get_by_id(deal.id)
    assert (moved.prepayment, moved.debt) == (1_200_000, 2_000_000)


def test_empty_deal_lists_every_missing_field_by_name(staff):
    deal = new_deal(staff["manager"])
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "invoice", staff["manager"])
    assert refused.value.fields == INVOICE_FIELDS
    message = str(refused.value)
    assert message.startswith("Для этапа «Счет выставлен» нужно заполнить")
    for key in INVOICE_FIELDS:
        assert pipeline.FIELD_LABELS[key] in message


def test_zero_budget_counts_as_missing(staff):
    deal = new_deal(staff["manager"], **{**INVOICE_VALUES, "budget": "0"})
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "invoice", staff["manager"])
    assert refused.value.fields == ["budget"]


def test_gate_form_with_a_bad_value_stores_nothing(staff, counts):
    deal = new_deal(staff["manager"], **_without(INVOICE_VALUES, "passport.number"))
    before = counts()
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, "invoice", staff["manager"],
                        values={"passport.number": "12345", "contact.address": "Другой адрес"})
    assert refused.value.fields == ["passport.number"]
    assert counts() == before
    assert Deal.get_by_id(deal.id).contact.address == INVOICE_VALUES["contact.address"]


def test_moves_are_free_in_both_directions_and_recorded(staff):
    deal = complete_deal(staff["manager"])
    for code in ("design", "design_agreement", "won", "first_contact"):
        deals.move_deal(deal.id, code, staff["manager"])
    history = [(h.from_stage, h.to_stage) for h in
               StageHistory.select().where(StageHistory.deal == deal.id).order_by(StageHistory.id)]
    assert history == [(None, "new"), ("new", "design"), ("design", "design_agreement"),
                       ("design_agreement", "won"), ("won", "first_contact")]


def test_design_check_is_a_task_not_a_gate(staff):
    deal = new_deal(staff["manager"])
    result = deals.move_deal(deal.id, "design", staff["manager"])
    assert result.to_stage == "design"
    assert any("прикреплен бриф" in t.text for t in result.tasks)


def test_passport_kept_apart_from_contact(staff):
    deal = complete_deal(staff["manager"])
    passport = Passport.get(Passport.contact == deal.contact_id)
    assert (passport.series, passport.number) == ("3681", "543578")
    assert "543578" not in deal.search_text
    assert not hasattr(deal.contact, "series")


def test_move_to_same_stage_changes_nothing(staff, counts):
    deal = complete_deal(staff["manager"])
    before = counts()
    result = deals.move_deal(deal.id, "new", staff["manager"])
    assert result.tasks == [] and counts() == before
    assert Task.select().where(Task.deal == deal.id).count() == 1


@pytest.mark.parametrize("target", ["cutting", "painting", "shipped", "won"])
def test_no_path_skips_the_invoice_and_payment_gates(staff, counts, target):
    """A manager jumping from «Первичный контакт» past «Счет выставлен» meets both gates at once."""
    deal = new_deal(staff["manager"])
    deals.move_deal(deal.id, "first_contact", None)
    before = counts()
    with pytest.raises(GateError) as refused:
        deals.move_deal(deal.id, target, None)
    assert set(refused.value.fields) == set(INVOICE_FIELDS) | set(PAID_FIELDS)
    assert counts() == before and Deal.get_by_id(deal.id).stage == "first_contact"
    deals.move_deal(deal.id, target, None, values={**INVOICE_VALUES, **PAID_VALUES})
    assert Deal.get_by_id(deal.id).stage == target


def test_with_the_invoice_fields_only_the_payment_gate_is_left(staff):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    assert {p.field for p in deals.missing_for(deal.id, "production")} == set(PAID_FIELDS)
    assert deals.missing_for(deal.id, "design") == []


def test_moves_back_and_into_lost_stay_free(staff):
    deal = complete_deal(staff["manager"])
    deals.move_deal(deal.id, "paid", None)
    Deal.update(delivery_city="", prepayment=None).where(Deal.id == deal.id).execute()  # emptied later
    deals.move_deal(deal.id, "invoice", None)  # back: no gate
    assert deals.missing_for(deal.id, "first_contact") == []
    deals.move_deal(deal.id, "lost", None)
    assert Deal.get_by_id(deal.id).stage == "lost"
    with pytest.raises(GateError):  # a lost deal brought back to «Оплачено» meets the gate again
        deals.move_deal(deal.id, "paid", None)


def test_an_unknown_stage_is_the_services_own_error(staff):
    deal = new_deal(staff["manager"])
    with pytest.raises(ValidationError, match="Этап: Нет такого этапа: «nowhere»"):
        deals.move_deal(deal.id, "nowhere", staff["manager"])
