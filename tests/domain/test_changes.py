"""Every service that changes data says what it changed, so each screen refreshes only what it shows."""
from __future__ import annotations

from datetime import timedelta

from app.domain import clock
from app.domain.changes import Changes
from app.domain.reminder_rules import ReminderSettings
from app.services import (
    auth,
    cutsheets,
    deals,
    my_tasks,
    notes,
    permissions,
    personal_data,
    reminders,
    specs,
    stale,
    stock_boards,
    tasks,
    users,
)
from tests.domain.helpers import cutting_deal, new_deal

PART = {"name": "Стойка", "material": "Массив сосны 40", "thickness": "40", "length": "1750", "width": "80",
        "quantity": "4"}


def _on(changes: Changes) -> set[str]:
    """The names of the fields a ``Changes`` sets."""
    return {name for name, value in vars(changes).items() if value}


def test_changes_combine_and_say_what_a_list_must_refresh():
    moved = Changes(frozenset({1}), frozenset({"new", "first_contact"}), tasks=True)
    noted = Changes(frozenset({2}), timeline=True, snoozed=frozenset({7}))
    both = moved | noted
    assert both.deal_ids == {1, 2} and both.stages == {"new", "first_contact"} and both.snoozed == {7}
    assert both.tasks and both.timeline and not both.cut_sheets
    assert both.touches(("first_contact",)) and both.touches(("sawing",), [2]) and not both.touches(("sawing",), [3])
    assert Changes().is_empty() and not both.is_empty()
    anything = Changes.anything()
    assert anything.users and anything.audit and anything.cut_sheets and anything.settings
    assert not anything.signed_in and not anything.snoozed


def test_deal_edits_notes_and_files_name_the_deal(staff, tmp_path):
    manager = staff["manager"]
    deal = new_deal(manager)
    edited = deals.update_deal(deal.id, manager, {"budget": "50 000"}).changes
    assert edited.deal_ids == {deal.id} and edited.stages == {"new"} and _on(edited) == {
        "deal_ids", "stages", "timeline"}
    assert deals.update_deal(deal.id, manager, {"budget": "50 000"}).changes.is_empty()  # nothing new
    passport = deals.update_deal(deal.id, staff["admin"], {"passport.series": "4010", "passport.number": "123456"})
    assert passport.changes.audit  # a passport change is in the «Журнал»
    assert _on(notes.add_note(deal.id, manager, "Перезвонить").changes) == {"deal_ids", "timeline"}
    photo = tmp_path / "фото.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    assert _on(notes.attach_file(deal.id, manager, photo, "design").changes) == {"deal_ids", "timeline", "files"}
    created = deals.create_deal(manager, name="Новая").changes
    assert created.stages == {"new"} and created.tasks  # no «None» stage for a deal that came from nowhere


def test_task_actions_name_the_task_lists_and_the_deal(staff, fake_clock):
    manager = staff["manager"]
    deal = new_deal(manager)
    added = tasks.add_task(deal.id, manager, text="Позвонить", user=manager)
    assert _on(added.changes) == {"deal_ids", "stages", "tasks", "timeline"} and added.changes.deal_ids == {deal.id}
    own = tasks.add_task(None, manager, text="Заказать фанеру", user=manager)
    assert _on(own.changes) == {"tasks"}  # no deal: no card, no feed
    assert tasks.complete_task(own.value.id, manager, "заказала").changes.tasks
    later = tasks.reschedule_task(added.value.id, manager, clock.now() + timedelta(days=1)).changes
    assert later.deal_ids == {deal.id} and later.tasks
    assert my_tasks.tomorrow(added.value.id, manager).changes.deal_ids == {deal.id}
    fake_clock.advance(timedelta(days=3))
    snoozed = reminders.snooze([added.value.id], manager, 15)
    assert snoozed.changes.snoozed == {added.value.id} and snoozed.value == clock.now() + timedelta(minutes=15)
    every = reminders.snooze_all(manager, ReminderSettings(), 15)
    assert every.changes.snoozed == set(every.value)


def test_cut_sheets_specs_and_stock_boards_say_so(staff, tmp_path):
    constructor = staff["constructor"]
    deal = cutting_deal(staff["manager"])
    assert _on(specs.save_parts(deal.id, constructor, [PART]).changes) == {"deal_ids", "timeline", "specs"}
    drawing = tmp_path / "чертеж.pdf"
    drawing.write_bytes(b"%PDF-1.4")
    assert {"files", "specs"} <= _on(specs.attach_drawing(deal.id, constructor, drawing).changes)
    sheet = cutsheets.create_cut_sheet(constructor, [deal.id])
    assert _on(sheet.changes) == {"deal_ids", "timeline", "cut_sheets"} and sheet.value.number == 1
    handed = cutsheets.send_to_production(1, constructor).changes
    assert handed.cut_sheets and handed.stages == {"cutting", "production"} and handed.deal_ids == {deal.id}
    other = cutting_deal(staff["manager"], name="Вторая Ярус")
    cutsheets.create_cut_sheet(constructor, [other.id])
    assert cutsheets.cancel_cut_sheet(2, constructor, "ошибка").changes.cut_sheets
    boards = [{"material": "Фанера 18", "length": 2440, "width": 1220, "trim": 10, "kerf": 4}]
    assert _on(stock_boards.save_stock_boards(constructor, boards).changes) == {"stock_boards"}
    assert _on(stale.set_threshold("cutting", 5)) == {"stages", "settings"}


def test_people_rights_and_personal_data_are_in_the_journal(staff):
    admin = staff["admin"]
    added = users.add_user(admin, "masha", "Мария", "manager", "1234")
    assert _on(added.changes) == {"users", "audit"} and added.value.login == "masha"
    assert _on(users.set_active(admin, added.value.id, False).changes) == {"users", "audit"}
    rules = permissions.set_roles(admin, permissions.EXPORT, ["manager"])
    assert _on(rules.changes) == {"users", "audit"} and "manager" in rules.value[permissions.EXPORT]
    deal = new_deal(staff["manager"])
    assert _on(personal_data.read_passport(deal.id, admin).changes) == {"audit"}
    users.reset_password(admin, staff["manager"].id, "5678")
    assert _on(auth.sign_in(staff["manager"].id, "5678").changes) == {"audit"}


def test_several_files_attach_each_on_its_own_and_say_so_once(staff, tmp_path):
    deal = new_deal(staff["manager"])
    photos = [tmp_path / "один.jpg", tmp_path / "два.jpg"]
    for photo in photos:
        photo.write_bytes(b"\xff\xd8\xff")
    result = notes.attach_files(deal.id, staff["manager"], [photos[0], tmp_path / "нет.jpg", photos[1]], "design")
    assert [a.original_name for a in result.attached] == ["один.jpg", "два.jpg"]
    assert result.refused == ["Файл не найден: нет.jpg"]
    assert _on(result.changes) == {"deal_ids", "timeline", "files"} and result.changes.deal_ids == {deal.id}
    assert notes.attach_files(deal.id, staff["manager"], [tmp_path / "нет.jpg"]).changes.is_empty()
