"""Live refresh: a change committed on another connection shows up in this one's next poll."""
from __future__ import annotations

import pytest

from app.domain.errors import GateError
from app.services import deals, notes, tasks
from app.store.change_feed import ALL_STAGES, ChangeFeed
from tests.connections import second_connection
from tests.domain.helpers import new_deal


def test_move_on_another_connection_is_reported_with_its_deal(db, db_url, staff):
    deal = new_deal(staff["manager"])
    feed = ChangeFeed()
    assert feed.poll() is None
    with second_connection(db_url):
        deals.move_deal(deal.id, "first_contact", staff["manager2"])
    changes = feed.poll()
    assert changes is not None and changes.deal_ids == {deal.id}
    assert changes.stages == ALL_STAGES and changes.tasks and changes.cut_sheets and changes.users
    assert feed.poll() is None  # reported once


def test_own_changes_are_not_reported_back(db, staff):
    deal = new_deal(staff["manager"])
    feed = ChangeFeed()
    deals.move_deal(deal.id, "first_contact", staff["manager"])
    notes.add_note(deal.id, staff["manager"], "Перезвонить вечером")
    assert feed.poll() is None


def test_task_without_deal_and_mixed_changes(db, db_url, staff):
    deal = new_deal(staff["manager"])
    feed = ChangeFeed()
    deals.move_deal(deal.id, "first_contact", staff["manager"])  # ours
    with second_connection(db_url):
        tasks.add_task(None, staff["manager2"], text="Заказать фанеру", user=staff["manager2"])
    changes = feed.poll()
    assert changes is not None and changes.tasks and changes.deal_ids == frozenset()


def test_refused_action_moves_nothing(db, db_url, staff):
    deal = new_deal(staff["manager"])
    feed = ChangeFeed()
    with second_connection(db_url):
        with pytest.raises(GateError):
            deals.move_deal(deal.id, "invoice", staff["manager2"])
    assert feed.poll() is None


def test_retry_policy_backs_off_and_comes_back():
    from app.store.connection_watch import LOST_TEXT, ConnectionWatch

    watch = ConnectionWatch()
    assert watch.should_try(0) and watch.text == ""
    assert watch.failed(0.0) is True and watch.text == LOST_TEXT
    assert not watch.should_try(0.5) and watch.should_try(1.0)
    assert watch.failed(1.0) is False
    assert not watch.should_try(2.9) and watch.should_try(3.0)
    for moment in range(10):
        watch.failed(100.0 + moment)
    assert watch.next_try == 119.0  # never more than 10 s apart
    assert watch.succeeded() is True and watch.online and watch.should_try(0)
    assert watch.succeeded() is False
