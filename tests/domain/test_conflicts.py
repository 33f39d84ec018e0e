"""Two cards of one deal: the second save does not overwrite, it shows both versions."""
from __future__ import annotations

import pytest

from app.domain.errors import ConflictError
from app.queries.conflicts import describe_deal_conflict, reapply_mine
from app.services import deal_fields, deals
from app.store.models import Deal
from tests.domain.helpers import new_deal


def _open_card(deal_id: int) -> tuple[dict, int]:
    deal = Deal.get_by_id(deal_id)
    return {**deal_fields.current_values(deal), "stage": deal.stage}, deal.version


@pytest.fixture
def two_cards(db, staff):
    deal = new_deal(staff["manager"], budget="40 000", **{"delivery_city": "Москва"})
    first, second = _open_card(deal.id), _open_card(deal.id)
    deals.update_deal(deal.id, staff["manager2"], {"budget": "50 000", "delivery_city": "Тверь"},
                      expected_version=first[1])
    deals.move_deal(deal.id, "first_contact", staff["manager2"])
    return deal.id, second


def test_second_save_is_refused_and_changes_nothing(two_cards, staff, counts):
    deal_id, (loaded, version) = two_cards
    before = counts()
    with pytest.raises(ConflictError, match="изменили на другом компьютере"):
        deals.update_deal(deal_id, staff["manager"], {"budget": "45 000"}, expected_version=version)
    assert counts() == before
    assert Deal.get_by_id(deal_id).budget == 50_000_00


def test_conflict_shows_theirs_and_mine_field_by_field(two_cards, staff):
    deal_id, (loaded, _) = two_cards
    mine = {"budget": "45 000", "products": "Ярус с комодом"}
    conflict = describe_deal_conflict(deal_id, loaded, mine)
    rows = {row.key: row for row in conflict.fields}
    assert set(rows) == {"budget", "delivery_city", "stage", "products"}
    budget = rows["budget"]
    assert (budget.loaded, budget.theirs, budget.mine) == ("40\u202f000 руб", "50\u202f000 руб", "45\u202f000 руб")
    assert budget.clash
    city = rows["delivery_city"]
    assert (city.theirs, city.mine, city.they_changed, city.i_changed) == ("Тверь", "Тверь", True, False)
    assert (rows["stage"].loaded, rows["stage"].theirs) == ("Неразобранное", "Первичный контакт")
    assert rows["products"].i_changed and not rows["products"].they_changed
    assert "Ольга" in conflict.message and f"№{conflict.order_no}" in conflict.message


def test_reapply_mine_keeps_their_other_fields(two_cards, staff):
    deal_id, (loaded, _) = two_cards
    mine = {"budget": "45 000", "products": "Ярус с комодом"}
    conflict = describe_deal_conflict(deal_id, loaded, mine)
    reapply_mine(conflict, staff["manager"], mine)
    deal = Deal.get_by_id(deal_id)
    assert (deal.budget, deal.products, deal.delivery_city, deal.stage) == (
        45_000_00, "Ярус с комодом", "Тверь", "first_contact")


def test_reapply_refused_again_if_changed_meanwhile(two_cards, staff):
    deal_id, (loaded, _) = two_cards
    conflict = describe_deal_conflict(deal_id, loaded, {"budget": "45 000"})
    deals.update_deal(deal_id, staff["manager2"], {"budget": "51 000"})
    with pytest.raises(ConflictError):
        reapply_mine(conflict, staff["manager"], {"budget": "45 000"})
    assert Deal.get_by_id(deal_id).budget == 51_000_00


def test_passport_values_never_shown(db, staff):
    deal = new_deal(staff["manager"], **{"contact.full_name": "Иванова Анна"})
    loaded, version = _open_card(deal.id)
    deals.update_deal(deal.id, staff["manager2"], {"passport.series": "4010", "passport.number": "123456"})
    conflict = describe_deal_conflict(deal.id, loaded, {"passport.number": "654321"})
    shown = {row.key: (row.theirs, row.mine) for row in conflict.fields}
    assert shown["passport.number"] == ("••••", "••••")
    assert "123456" not in repr(conflict.fields)
