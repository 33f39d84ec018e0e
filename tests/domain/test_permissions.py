"""Permissions are enforced in the services: each refused for the wrong role with a Russian
message and nothing changed, allowed for the right one; the administrator can change them."""
from __future__ import annotations

import pytest

from app.domain import pipeline
from app.domain.codes import Role
from app.domain.errors import PermissionDeniedError
from app.services import audit_log, deals, permissions, personal_data, users
from app.store.models import AuditEntry, Deal, Passport, StageHistory
from tests.domain.helpers import INVOICE_VALUES, complete_deal, new_deal

SALES = ["new", "first_contact", "invoice", "paid"]
DESIGN = ["design_agreement", "design", "order_form"]
WORKSHOP = list(pipeline.WORKSHOP_STAGES) + ["shipped"]
CLOSED = ["won", "lost"]

# (stage, allowed roles, one refused role)
MOVES = (
    [(code, ["manager", "admin"], "chief") for code in SALES]
    + [(code, ["manager", "designer", "admin"], "constructor") for code in DESIGN]
    + [("cutting", ["manager", "constructor", "admin"], "chief"),
       ("production", ["constructor", "admin"], "manager"),
       ("delivered", ["manager", "chief", "admin"], "designer")]
    + [(code, ["chief", "admin"], "manager") for code in WORKSHOP]
    + [(code, ["manager", "admin"], "constructor") for code in CLOSED]
)


def test_every_stage_has_a_rule():
    assert {code for code, _, _ in MOVES} == set(pipeline.STAGE_CODES)


@pytest.mark.parametrize("code,allowed,refused", MOVES)
def test_move_refused_for_wrong_role_and_allowed_for_right_one(staff, counts, code, allowed, refused):
    deal = complete_deal(None)
    if code == "new":
        deals.move_deal(deal.id, "first_contact", None)
    before = counts()
    with pytest.raises(PermissionDeniedError) as denied:
        deals.move_deal(deal.id, code, staff[refused])
    assert "Недостаточно прав" in str(denied.value) and pipeline.stage(code).name in str(denied.value)
    assert counts() == before and Deal.get_by_id(deal.id).stage != code
    for key in allowed:
        deals.move_deal(deal.id, "first_contact" if code == "new" else "new", None)
        deals.move_deal(deal.id, code, staff[key])
        last = StageHistory.select().where(StageHistory.deal == deal.id).order_by(StageHistory.id.desc()).get()
        assert (last.to_stage, last.user_id) == (code, staff[key].id)


def test_creating_a_deal_is_for_managers(staff, counts):
    before = counts()
    with pytest.raises(PermissionDeniedError):
        deals.create_deal(staff["chief"], name="Заказ из цеха")
    assert counts() == before
    assert deals.create_deal(staff["manager"], name="Заказ магазина").deal.stage == "new"


@pytest.mark.parametrize("field,value", [("passport.number", "111222"), ("budget", "40 000"),
                                         ("prepayment", "1 000")])
def test_passport_and_money_edits_need_their_right(staff, field, value):
    deal = complete_deal(staff["manager"])
    for role in ("designer", "constructor", "chief"):
        with pytest.raises(PermissionDeniedError):
            deals.update_deal(deal.id, staff[role], {field: value})
    deals.update_deal(deal.id, staff["manager"], {field: value})
    deals.update_deal(deal.id, staff["admin"], {field: INVOICE_VALUES.get(field, "2 000")})


def test_unchanged_protected_fields_do_not_need_the_right(staff):
    """A form that sends the budget back unchanged along with the tags is not a budget change."""
    deal = complete_deal(staff["manager"])
    deals.update_deal(deal.id, staff["designer"], {"budget": "32 000", "tags": "инд"})
    assert Deal.get_by_id(deal.id).tags == "инд"


def test_gate_values_through_a_move_need_the_right_too(staff):
    deal = new_deal(staff["manager"], **{k: v for k, v in INVOICE_VALUES.items() if k != "passport.number"})
    permissions.set_roles(staff["admin"], permissions.move_action("invoice"), [Role.MANAGER, Role.DESIGNER])
    with pytest.raises(PermissionDeniedError, match="паспорт"):
        deals.move_deal(deal.id, "invoice", staff["designer"], {"passport.number": "543578"})
    assert Passport.get(Passport.contact == deal.contact_id).number == ""


def test_passport_read_only_for_allowed_roles_and_every_view_audited(staff):
    deal = complete_deal(staff["manager"])
    for role in ("designer", "constructor", "chief"):
        with pytest.raises(PermissionDeniedError):
            personal_data.read_passport(deal.id, staff[role])
        assert not personal_data.can_see_passport(staff[role])
        assert personal_data.masked_passport(deal.id) == personal_data.PassportView("••••", "••••••")
    assert AuditEntry.select().where(AuditEntry.action == "passport_view").count() == 0
    for viewer in ("manager", "manager", "admin"):
        passport = personal_data.read_passport(deal.id, staff[viewer]).value
        assert (passport.series, passport.number) == ("3681", "543578")
    views = list(AuditEntry.select().where(AuditEntry.action == "passport_view").order_by(AuditEntry.id))
    assert [(v.user_id, v.deal_id) for v in views] == [
        (staff["manager"].id, deal.id), (staff["manager"].id, deal.id), (staff["admin"].id, deal.id)]


def test_passport_change_is_audited(staff):
    deal = complete_deal(staff["manager"])
    deals.update_deal(deal.id, staff["manager"], {"passport.number": "111222"})
    entry = AuditEntry.select().where(AuditEntry.action == "passport_change").order_by(AuditEntry.id.desc()).get()
    assert (entry.user_id, entry.deal_id) == (staff["manager"].id, deal.id)
    assert "111222" not in entry.details


def test_export_needs_the_right_and_is_audited_per_deal(staff):
    deal = complete_deal(staff["manager"])
    with pytest.raises(PermissionDeniedError, match="Выгрузка"):
        personal_data.record_export(staff["chief"], [deal.id], "список заказов", with_passport=False)
    personal_data.record_export(staff["manager"], [deal.id], "список для ТК", with_passport=True)
    entry = AuditEntry.get(AuditEntry.action == "passport_export")
    assert (entry.user_id, entry.deal_id) == (staff["manager"].id, deal.id)


def test_user_management_and_journal_only_for_admin(staff):
    for role in ("manager", "designer", "constructor", "chief"):
        with pytest.raises(PermissionDeniedError, match="Управление пользователями"):
            users.add_user(staff[role], "new", "Новый", Role.MANAGER, "1234")
        with pytest.raises(PermissionDeniedError, match="журнала"):
            audit_log.entries(staff[role])
        with pytest.raises(PermissionDeniedError):
            permissions.set_roles(staff[role], permissions.PASSPORT_VIEW, [role])
    users.add_user(staff["admin"], "new", "Новый", Role.MANAGER, "1234")
    assert audit_log.entries(staff["admin"])[0].action == "user_add"


def test_admin_changes_a_rule_and_services_follow_it(staff):
    deal = complete_deal(staff["manager"])
    with pytest.raises(PermissionDeniedError):
        personal_data.read_passport(deal.id, staff["designer"])
    permissions.set_roles(staff["admin"], permissions.PASSPORT_VIEW, [Role.MANAGER, Role.DESIGNER])
    assert personal_data.read_passport(deal.id, staff["designer"]).value.number == "543578"
    permissions.set_roles(staff["admin"], permissions.PASSPORT_VIEW, [])
    with pytest.raises(PermissionDeniedError):
        personal_data.read_passport(deal.id, staff["manager"])
    assert personal_data.read_passport(deal.id, staff["admin"]).value.number == "543578"  # admin always
    permissions.set_roles(staff["admin"], permissions.PASSPORT_VIEW, [Role.MANAGER])
    assert permissions.rules() == permissions.DEFAULTS  # back to the defaults
    assert AuditEntry.select().where(AuditEntry.action == "permissions_change").count() == 3


def test_deactivated_user_is_refused(staff):
    users.set_active(staff["admin"], staff["manager2"].id, False)
    olga = users.list_users(staff["admin"])[-1]
    assert olga.login == "olga" and not olga.active
    with pytest.raises(PermissionDeniedError, match="отключён"):
        deals.create_deal(olga, name="Заказ")


def test_design_loop_is_open_to_designer_and_constructor(staff):
    from app.services import tasks

    deal = new_deal(staff["manager"])
    deals.move_deal(deal.id, "design", staff["manager"])
    question = tasks.ask_feasibility(deal.id, staff["designer"]).value
    _, reply = tasks.answer_feasibility(question.id, staff["constructor"], True, "можем").value
    tasks.complete_task(reply.id, staff["designer"], "ок")
    tasks.design_ready(deal.id, staff["designer"])
    deals.move_deal(deal.id, "order_form", staff["designer"])
    assert Deal.get_by_id(deal.id).stage == "order_form"
