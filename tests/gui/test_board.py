"""The kanban board: columns, totals, cards, moves by drop / keyboard / menu, gate form, undo,
quick add, search and filters, folds, refresh keeping scroll and selection."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playhouse.test_utils import count_queries
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit

from app.domain.changes import Changes
from app.services import deals
from app.store.models import Deal, Task
from tests.domain.helpers import INVOICE_VALUES, complete_deal, new_deal
from tests.gui.board_helpers import board_settings, bulk_deals
from tests.gui.card_helpers import choose, field, message
from ui.board.board import GROUP_KEY, BoardWidget
from ui.board.column_model import MIME_TYPE, ColumnModel, decode_ids
from ui.board.quick_add import QuickAdd
from ui.deal import gate_form
from ui.shell.main_window import MainWindow

MOVE = Qt.DropAction.MoveAction


@pytest.fixture(autouse=True)
def no_unexpected_messages(monkeypatch):
    """A message box in a test would wait for a click forever: fail instead (tests expecting one
    patch it themselves)."""
    def unexpected(parent, title, text):
        raise AssertionError(f"message box «{title}»: {text}")
    monkeypatch.setattr("ui.common.msgbox.error", unexpected)


@pytest.fixture
def window(qtbot, staff):
    win = MainWindow(staff["manager"])
    qtbot.addWidget(win)
    win.resize(1600, 900)
    return win


@pytest.fixture
def make_board(window, tmp_path):
    def make() -> BoardWidget:
        board = BoardWidget(window, board_settings(tmp_path))
        window.add_screen(f"board{len(window._screens)}", "Сделки", board)
        window.show()
        return board
    return make


def ids_in(board: BoardWidget, key: str) -> list[int]:
    return board.column(key).model.deal_ids()


def drop(board: BoardWidget, source_key: str, rows: list[int], target_key: str) -> bool:
    """Drag ``rows`` of a column and drop them on another, the way Qt does: mimeData → dropMimeData."""
    source = board.column(source_key).model
    mime = source.mimeData([source.index(row) for row in rows])
    assert MIME_TYPE in mime.formats()
    target = board.column(target_key).model
    assert target.canDropMimeData(mime, MOVE, -1, -1, QModelIndex())
    return target.dropMimeData(mime, MOVE, -1, -1, QModelIndex())


def test_column_model_passes_qtmodeltester_and_pages(qtmodeltester, staff):
    bulk_deals(95, "paid")
    model = ColumnModel(("paid",), page_size=40)
    model.reload()
    assert model.rowCount() == 40 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 95 and not model.canFetchMore()
    assert len(set(model.deal_ids())) == 95
    model.set_filter(model.filter)
    qtmodeltester.check(model)  # from a first page: the tester fetches the rest itself
    assert model.rowCount() == 95


def test_every_stage_has_its_column_with_totals_and_plurals(make_board, staff):
    bulk_deals(1, "first_contact", 32_000_00)
    bulk_deals(3, "design", 1_000_00)
    bulk_deals(17, "cutting", 27_969_00)
    bulk_deals(45, "paid", 100_00)
    board = make_board()
    assert [c.objectName() for c in board.visible_columns()][:3] == [
        "column_new", "column_first_contact", "column_design_agreement"]
    assert len(board.visible_columns()) == 22
    assert board.column("first_contact").header.totals_text == "1 сделка: 32\u202f000 руб"
    assert board.column("design").header.totals_text == "3 сделки: 3\u202f000 руб"
    assert board.column("cutting").header.totals_text == "17 сделок: 475\u202f473 руб"
    assert board.column("won").header.totals_text == "0 сделок: 0 руб"
    # totals count every deal of the column, not the loaded page only
    assert len(ids_in(board, "paid")) < 45
    assert board.column("paid").header.totals_text == "45 сделок: 4\u202f500 руб"


def test_card_text_today_yesterday_and_older(make_board, staff, fake_clock):
    older = new_deal(staff["manager"], "Старая", **{"contact.full_name": "Краева Ольга Сергеевна"})
    fake_clock.advance(timedelta(days=2, hours=1, minutes=4))  # 13:04 local, two days later
    yesterday = new_deal(staff["manager"], "Вчерашняя")
    fake_clock.advance(timedelta(hours=11, minutes=21))  # 00:25 local the next day
    today = new_deal(staff["manager"], "Сегодняшняя", budget="475 470")
    board = make_board()
    column = board.column("new")
    texts = {deal_id: board.delegate.card_texts(column.model.card(deal_id)) for deal_id in ids_in(board, "new")}
    assert texts[today.id]["date"] == "Сегодня 00:25"
    assert texts[today.id]["budget"] == "475\u202f470 руб"
    assert texts[today.id]["order"] == f"№{today.order_no}"
    assert texts[yesterday.id]["date"] == "Вчера 13:04"
    assert texts[older.id]["date"] == "02.06.2025"
    assert texts[older.id]["contact"] == "Краева Ольга Сергеевна"
    assert ids_in(board, "new") == [today.id, yesterday.id, older.id]
    assert not column.view.grab().isNull()  # the delegate paints every card


def test_overdue_and_stale_marks(make_board, staff, fake_clock):
    deal = new_deal(staff["manager"], "Просрочка")
    done = new_deal(staff["manager"], "Без задач")
    for task in Task.select().where(Task.deal == done.id):
        task.done_at = fake_clock.now()
        task.save()
    fake_clock.advance(timedelta(days=3, hours=2))
    board = make_board()
    card = board.delegate.card_texts(board.column("new").model.card(deal.id))
    assert (card["task"], card["task_kind"]) == ("3 дн", "overdue")
    assert card["stale"] == "3 дн на этапе"  # «Неразобранное» allows 1 day
    assert board.delegate.card_texts(board.column("new").model.card(done.id))["task"] == "Нет задач"


def test_drop_moves_the_deal_in_the_database_and_never_removes_rows_itself(make_board, staff):
    deal = complete_deal(staff["manager"])
    board = make_board()
    source = board.column("new").model
    assert not source.removeRows(0, 1)
    assert source.rowCount() == 1
    assert drop(board, "new", [0], "first_contact")
    assert Deal.get_by_id(deal.id).stage == "first_contact"
    assert ids_in(board, "new") == [] and ids_in(board, "first_contact") == [deal.id]
    assert board.column("first_contact").header.totals_text.startswith("1 сделка")


def test_drop_on_a_gated_stage_asks_for_exactly_the_missing_fields(make_board, staff, monkeypatch):
    values = {k: v for k, v in INVOICE_VALUES.items() if k not in ("passport.series", "passport.number")}
    deal = new_deal(staff["manager"], **values)
    asked = []

    def fill(parent, deal_id, stage_code, problems, typed=None):
        asked.append((deal_id, stage_code, [p.field for p in problems]))
        return {"passport.series": "4012", "passport.number": "123456"}

    monkeypatch.setattr(gate_form, "ask_gate_values", fill)
    board = make_board()
    assert drop(board, "new", [0], "invoice")
    assert asked == [(deal.id, "invoice", ["passport.series", "passport.number"])]
    assert Deal.get_by_id(deal.id).stage == "invoice"
    assert ids_in(board, "invoice") == [deal.id]


def test_gate_form_asks_again_with_the_problem_beside_the_field(make_board, staff, monkeypatch):
    deal = new_deal(staff["manager"], **{k: v for k, v in INVOICE_VALUES.items() if k != "passport.number"})
    answers = iter([{"passport.number": "12"}, {"passport.number": "123456"}])
    seen = []

    def fill(parent, deal_id, stage_code, problems, typed=None):
        seen.append([(p.field, p.message) for p in problems])
        return next(answers)

    monkeypatch.setattr(gate_form, "ask_gate_values", fill)
    board = make_board()
    assert drop(board, "new", [0], "invoice")
    assert seen[0] == [("passport.number", "не заполнено")]
    assert seen[1][0][0] == "passport.number" and "6 цифр" in seen[1][0][1]
    assert Deal.get_by_id(deal.id).stage == "invoice"


def test_cancelling_the_gate_form_leaves_the_deal_where_it_was(make_board, staff, monkeypatch, counts):
    deal = new_deal(staff["manager"], "Без данных")
    monkeypatch.setattr(gate_form, "ask_gate_values", lambda *args, **kwargs: None)
    board = make_board()
    before = counts()
    assert not drop(board, "new", [0], "invoice")
    assert counts() == before
    assert Deal.get_by_id(deal.id).stage == "new"
    assert ids_in(board, "new") == [deal.id] and ids_in(board, "invoice") == []
    assert not board.undo_bar.isVisible()


def test_gate_form_shows_only_missing_fields_prefilled_with_problems_beside(qtbot, staff, monkeypatch):
    deal = new_deal(staff["manager"], **{"contact.full_name": "Краева Ольга", "budget": "57 500"})
    from app.domain.errors import FieldProblem

    window = MainWindow(staff["manager"])
    qtbot.addWidget(window)
    seen = []

    def look(form):  # stands in for the modal loop: what the user sees, then «Отмена» or a choice
        seen.append({key: (field(form, key).text() if hasattr(field(form, key), "text") else None,
                           message(form, key)) for key in form.form.specs})
        if "delivery_type" in form.form.specs:
            choose(field(form, "delivery_type"), "Самовывоз")
            form.submit()
        return form.result()

    monkeypatch.setattr(gate_form.GateForm, "exec", look)
    problems = [FieldProblem("passport.number", "Номер паспорта — 6 цифр, например 123456"),
                FieldProblem("contact.email", "не заполнено")]
    assert gate_form.ask_gate_values(window, deal.id, "invoice", problems, {"contact.address": "СПб"}) is None
    assert list(seen[0]) == ["contact.email", "passport.number", "contact.address"]
    assert seen[0]["passport.number"][1].startswith("Номер паспорта — 6 цифр")
    assert seen[0]["contact.address"] == ("СПб", "")
    gate_form.ask_gate_values(window, deal.id, "invoice")
    assert "budget" not in seen[1] and "contact.full_name" not in seen[1]
    paid = gate_form.ask_gate_values(window, deal.id, "paid", [FieldProblem("delivery_type", "не заполнено")])
    assert paid == {"delivery_type": "Самовывоз"}


def test_multi_card_move_with_selection_keyboard_and_menu(make_board, staff, qtbot):
    first, second, third = (complete_deal(staff["manager"]) for _ in range(3))
    board = make_board()
    view = board.column("new").view
    model = board.column("new").model
    selection = view.selectionModel()
    selection.select(model.index(0), QItemSelectionModel.SelectionFlag.Select)
    selection.select(model.index(2), QItemSelectionModel.SelectionFlag.Select)
    picked = view.selected_ids()
    assert decode_ids(model.mimeData(selection.selectedIndexes())) == picked
    assert drop(board, "new", [0, 2], "design")
    assert {d.id for d in Deal.select().where(Deal.stage == "design")} == set(picked)
    # keyboard: Ctrl+→ moves the selected card one column right
    (left,) = ids_in(board, "new")
    view.setCurrentIndex(model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert Deal.get_by_id(left).stage == "first_contact"
    assert board.column("first_contact").view.selected_ids() == [left]
    # context menu: «Перевести на этап…» → «Раскрой»
    column = board.column("design")
    column.view.selectAll()
    menu = board.context_menu(column)
    (moves,) = [a.menu() for a in menu.actions() if a.text() == "Перевести на этап…"]
    (cutting,) = [a for a in moves.actions() if a.text() == "Раскрой"]
    (production,) = [a for a in moves.actions() if a.text() == "Производство"]
    assert cutting.isEnabled() and not production.isEnabled()  # a manager's rights
    cutting.trigger()
    assert {d.stage for d in Deal.select().where(Deal.id.in_(picked))} == {"cutting"}
    assert sorted(ids_in(board, "cutting")) == sorted(picked)
    assert {first.id, second.id, third.id} == set(picked) | {left}


def test_undo_of_the_last_move_from_the_status_bar(make_board, staff, qtbot):
    deal = new_deal(staff["manager"])
    board = make_board()
    drop(board, "new", [0], "design")
    bar = board.undo_bar
    assert bar.isVisible() and bar.label.text() == f"Сделка №{deal.order_no} переведена в «Дизайн»"
    assert bar.timer.isActive()
    tasks_of_move = Task.select().where(Task.deal == deal.id, Task.rule.startswith("design.")).count()
    assert tasks_of_move == 2
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert Deal.get_by_id(deal.id).stage == "new"
    assert Task.select().where(Task.deal == deal.id, Task.rule.startswith("design.")).count() == 0
    assert ids_in(board, "new") == [deal.id] and ids_in(board, "design") == []
    assert not bar.isVisible()
    status = board.window_.statusBar().currentMessage()
    assert status == f"Перевод отменён: сделка №{deal.order_no} снова в «Неразобранное»"
    # the offer runs out after a few seconds
    drop(board, "new", [0], "first_contact")
    assert bar.isVisible()
    bar.timer.timeout.emit()
    assert not bar.isVisible()
    bar.undo()
    assert Deal.get_by_id(deal.id).stage == "first_contact"


def test_quick_add_creates_the_deal_with_its_task(make_board, staff, qtbot, monkeypatch):
    errors = []
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: errors.append(text))
    board = make_board()
    quick = board.column("new").findChild(QuickAdd, "quickAdd")
    quick.name.setText("Маякова Анастасия")  # QTest types ASCII only
    qtbot.keyClicks(quick.phone, "8 (912) 345-67-89")
    qtbot.keyClick(quick.phone, Qt.Key.Key_Return)
    deal = Deal.get(Deal.name == "Маякова Анастасия")
    assert deal.stage == "new" and deal.contact.full_name == "Маякова Анастасия"
    assert [c.value for c in deal.contact.channels] == ["+79123456789"]
    assert Task.select().where(Task.deal == deal.id).count() == 1
    assert ids_in(board, "new") == [deal.id]
    assert quick.name.text() == "" and errors == []
    quick.name.setText("Ошибка")
    qtbot.keyClicks(quick.phone, "12")
    qtbot.keyClick(quick.name, Qt.Key.Key_Return)
    assert errors and "телефон" in errors[0].lower()
    assert quick.name.text() == "Ошибка"  # nothing lost on bad input
    assert Deal.select().count() == 1


def test_quick_add_names_the_deal_after_the_model_never_the_contact(make_board, staff, qtbot):
    board = make_board()
    quick = board.column("new").findChild(QuickAdd, "quickAdd")
    quick.name.setText("Петрова Анна (Замок)")
    qtbot.keyClick(quick.name, Qt.Key.Key_Return)
    quick.name.setText("Сидорова Мария")
    quick.model.setCurrentText("Ярус")
    qtbot.keyClick(quick.name, Qt.Key.Key_Return)
    assert sorted((deal.name, deal.contact.full_name) for deal in Deal.select()) == [
        ("Петрова Анна (Замок)", "Петрова Анна"), ("Сидорова Мария (Ярус)", "Сидорова Мария")]


def test_esc_in_the_search_field_clears_it(make_board, staff, qtbot):
    board = make_board()
    search = board.filters.search
    search.setText("Иванова")
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""


def test_search_by_phone_typed_in_any_format(make_board, staff, qtbot):
    maria = new_deal(staff["manager"], "Воскресенская Ярус", **{"contact.phone": "+7 912 345-67-89"})
    bulk_deals(30, "new")
    board = make_board()
    search = board.findChild(QLineEdit, "boardSearch")
    search.setText("8 (912) 345-67-89")
    with qtbot.waitSignal(board.filters.filter_changed):
        board.filters.timer.timeout.emit()
    assert ids_in(board, "new") == [maria.id]
    assert board.column("new").header.totals_text == "1 сделка: 0 руб"
    search.clear()
    board.filters.apply()
    assert len(ids_in(board, "new")) == 31 or board.column("new").model.canFetchMore()
    assert board.column("new").header.totals_text.startswith("31 сделка")


def test_filters_mine_and_overdue(make_board, staff, fake_clock):
    mine = new_deal(staff["manager"], "Моя")
    deals.create_deal(staff["manager2"], name="Чужая")
    board = make_board()
    board.filters.mine.setChecked(True)
    assert ids_in(board, "new") == [mine.id]
    board.filters.mine.setChecked(False)
    board.filters.overdue.setChecked(True)
    assert ids_in(board, "new") == []
    fake_clock.advance(timedelta(hours=1))
    board.filters.apply()
    assert len(ids_in(board, "new")) == 2


def test_fold_and_unfold_production_remembered_per_pc(make_board, staff):
    chief_deal = complete_deal(staff["manager"])
    deals.move_deal(chief_deal.id, "sawing", staff["chief"])
    bulk_deals(2, "production", 10_00)
    board = make_board()
    assert "sawing" in board.columns and GROUP_KEY not in board.columns
    board.filters.fold.click()
    assert GROUP_KEY in board.columns
    assert not {"production", "sawing", "packing"} & set(board.columns)
    group = board.column(GROUP_KEY)
    assert group.header.totals_text.startswith("3 сделки")
    assert board.delegate.card_texts(group.model.card(chief_deal.id))["stage"] == "Распил"
    assert chief_deal.id in ids_in(board, GROUP_KEY)
    row = group.model.row_of(chief_deal.id)
    mime = group.model.mimeData([group.model.index(row)])
    assert not group.model.canDropMimeData(mime, MOVE, -1, -1, QModelIndex())  # its own column
    assert not group.model.dropMimeData(mime, MOVE, -1, -1, QModelIndex())
    assert Deal.get_by_id(chief_deal.id).stage == "sawing"
    waiting = complete_deal(staff["manager"])
    board.window_.announce(deals.move_deal(waiting.id, "cutting", staff["manager"]).changes)
    board.window_.user = staff["constructor"]  # the constructor hands orders to production
    assert drop(board, "cutting", [0], GROUP_KEY)  # a drop on the group enters «Производство»
    assert Deal.get_by_id(waiting.id).stage == "production"
    group = board.column(GROUP_KEY)
    assert make_board().filters.fold.isChecked()  # remembered
    group.header.fold_button.click()
    assert "sawing" in board.columns and GROUP_KEY not in board.columns
    board.filters.hide_closed.click()
    assert "won" not in board.columns and "lost" not in board.columns
    assert "won" not in make_board().columns


def test_refresh_keeps_scroll_position_and_selection(make_board, staff, window, qtbot):
    bulk_deals(60, "paid")
    board = make_board()
    column = board.column("paid")
    view = column.view
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())  # the next page comes in
    qtbot.waitUntil(lambda: len(ids_in(board, "paid")) > 20)
    picked = ids_in(board, "paid")[10]
    view.select_ids([picked], picked)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    scroll = view.verticalScrollBar().value()
    assert scroll > 0
    other = new_deal(staff["manager"], "Новая в оплачено")
    Deal.update(stage="paid").where(Deal.id == other.id).execute()
    window.announce(Changes(frozenset({other.id}), frozenset({"paid"})))
    assert ids_in(board, "paid")[0] == other.id
    assert view.selected_ids() == [picked]
    assert view.verticalScrollBar().value() == scroll


def test_enter_and_double_click_open_the_deal(make_board, staff, window, qtbot, monkeypatch):
    deal = new_deal(staff["manager"])
    opened = []
    monkeypatch.setattr(window, "open_deal", opened.append)
    board = make_board()
    view = board.column("new").view
    view.setCurrentIndex(view.model().index(0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    view.doubleClicked.emit(view.model().index(0))
    assert opened == [deal.id, deal.id]


def test_painting_the_board_costs_the_same_queries_for_any_number_of_deals(make_board, staff):
    new_deal(staff["manager"], "С задачей")

    def queries_to_paint() -> int:
        with count_queries() as counter:
            make_board().grab()
        return counter.count

    for stage in ("new", "paid", "cutting", "won"):
        bulk_deals(5, stage)
    few = queries_to_paint()
    for stage in ("new", "paid", "cutting", "won"):
        bulk_deals(400, stage)
    assert queries_to_paint() == few
    assert few <= 3 + 3 * 22  # users, settings, totals; per column a page and its cards (2)


def test_stale_threshold_set_from_the_column_header(make_board, staff, fake_clock, monkeypatch):
    deal = new_deal(staff["manager"])
    deals.move_deal(deal.id, "first_contact", staff["manager"])
    fake_clock.advance(timedelta(days=2))
    board = make_board()
    card = board.column("first_contact").model.card(deal.id)
    assert board.delegate.card_texts(card)["stale"] == ""  # «Первичный контакт» allows 3 days
    asked = []
    monkeypatch.setattr("ui.common.msgbox.ask_number", lambda parent, title, prompt, current, lowest, highest:
                        asked.append((prompt.split("«")[1].split("»")[0], current, lowest, highest)) or 1)
    menu = board.header_menu(board.column("first_contact"))
    (action,) = [a for a in menu.actions() if a.text().startswith("Срок на этапе: 3 дн")]
    action.trigger()
    assert asked == [("Первичный контакт", 3, 0, 365)]
    assert board.delegate.card_texts(card)["stale"] == "2 дн на этапе"
    assert make_board().delegate.stale_days["first_contact"] == 1  # shop-wide, in the database


def test_a_card_painted_before_is_painted_anew_when_the_deal_changes(make_board, staff, window):
    deal = new_deal(staff["manager"], "Замок")
    board = make_board()
    view = board.column("new").view
    painted = view.viewport().grab().toImage()
    assert view.viewport().grab().toImage() == painted  # the same card again: the same picture
    deals.update_deal(deal.id, staff["manager"], {"name": "Избушка", "budget": "32000"})
    window.announce(Changes(frozenset({deal.id}), frozenset({"new"})))
    assert view.viewport().grab().toImage() != painted
