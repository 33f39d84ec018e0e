"""The one action runner: a refusal is shown through the message-box seam and changes nothing;
a success announces what the service changed; each screen refreshes only on the fields it shows;
the small questions (a reason, an order to copy from, a file) go through the seam too."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from app.domain.changes import Changes, Done
from app.domain.errors import ConflictError, GateError, ServiceError
from app.services import cutsheets, specs
from app.store.models import Attachment, CutSheet, PartSpec, Task
from tests.domain.helpers import cutting_deal, new_deal
from tests.gui.qt_settings import own_settings  # noqa: F401 (autouse fixture)
from ui.common import msgbox
from ui.common.actions import ActionRunner
from ui.cutsheets import order_docs
from ui.cutsheets.install import install_cutsheets
from ui.database.connection_dialog import ConnectionDialog
from ui.shell import workstations
from ui.shell.main_window import MainWindow

PART = {"name": "Стойка", "material": "Массив сосны 40", "thickness": "40", "length": "1750", "width": "80",
        "quantity": "4"}


@pytest.fixture
def shown(monkeypatch):
    """Message boxes recorded instead of shown; questions answered «Да»."""
    seen = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: seen.append((title, text)))
    monkeypatch.setattr(msgbox, "info", lambda parent, title, text: seen.append((title, text)))
    monkeypatch.setattr(msgbox, "ask", lambda parent, title, text: True)
    return seen


def _window(qtbot, user, workstation: str) -> MainWindow:
    window = MainWindow(user, workstation)
    workstations.install(window)
    qtbot.addWidget(window)
    return window


# --- the runner ------------------------------------------------------------------------------
def test_a_refusal_is_shown_and_nothing_is_announced(shown):
    announced = []
    runner = ActionRunner(announced.append)

    def refuse():
        raise ServiceError("Напишите текст задачи")

    assert runner.run(None, "Задача не поставлена", refuse) is None
    assert shown == [("Задача не поставлена", "Напишите текст задачи")] and announced == []
    assert runner.run(None, "Задача", refuse, stale=Changes(tasks=True)) is None
    assert announced == [Changes(tasks=True)]  # what may be stale is refreshed


def test_a_success_announces_what_the_service_changed(shown):
    announced = []
    runner = ActionRunner(announced.append)
    changed = Changes(frozenset({3}), timeline=True)
    assert runner.run(None, "Примечание", lambda: Done("записано", changed)).value == "записано"
    assert runner.run(None, "Сохранить", lambda: Done("без изменений", Changes())).value == "без изменений"
    assert announced == [changed] and shown == []  # an empty change is not announced


def test_a_handler_takes_its_kind_of_refusal_and_may_stand_in_for_the_result(shown):
    announced, gates = [], []
    runner = ActionRunner(announced.append)

    def gate():
        raise GateError("Счёт", [])

    def conflict():
        raise ConflictError("Сделку уже изменили")

    assert runner.run(None, "Перевод", gate, refused={GateError: gates.append}) is None
    assert len(gates) == 1 and shown == []
    reapplied = Done("поверх", Changes(frozenset({5}), timeline=True))
    assert runner.run(None, "Сохранить", conflict, refused={ConflictError: lambda _error: reapplied}) is reapplied
    assert announced == [reapplied.changes]

    def refuse_again(_error):
        raise ServiceError("Бюджет сделки: больше 0")

    assert runner.run(None, "Сохранить", conflict, refused={ConflictError: refuse_again}) is None
    assert shown == [("Сохранить", "Бюджет сделки: больше 0")]


def test_a_bug_is_not_hidden_as_a_refusal(shown):
    runner = ActionRunner(lambda changes: None)
    with pytest.raises(ZeroDivisionError):
        runner.run(None, "Действие", lambda: 1 / 0)
    with pytest.raises(TypeError, match="does not say what it changed"):
        runner.run(None, "Действие", lambda: "a service that forgot its changes")
    assert shown == []


# --- screens refresh on what they show -------------------------------------------------------
def _count_refreshes(monkeypatch, *screens) -> list[int]:
    counts = [0] * len(screens)
    for index, screen in enumerate(screens):
        monkeypatch.setattr(screen, "refresh", lambda *_args, i=index, **_kwargs: counts.__setitem__(i, counts[i] + 1))
    return counts


def test_admin_screens_refresh_only_on_people_and_journal_entries(qtbot, staff, shown, monkeypatch):
    window = _window(qtbot, staff["admin"], "counter")
    people, journal = window.screen_widget("users"), window.screen_widget("journal")
    counts = _count_refreshes(monkeypatch, people, journal)
    deal = new_deal(staff["manager"])
    window.announce(Changes(frozenset({deal.id}), frozenset({"new"}), tasks=True, timeline=True))
    window.announce(Changes(cut_sheets=True, specs=True, stock_boards=True))
    assert counts == [0, 0]
    window.announce(Changes(audit=True))
    assert counts == [0, 1]
    window.announce(Changes(users=True, audit=True))
    assert counts == [1, 2]
    window.announce(Changes.anything())  # another PC: anything may have changed
    assert counts == [2, 3]


def test_workstation_lists_refresh_only_on_their_stages_and_orders(qtbot, staff, shown, monkeypatch):
    at_cutting = cutting_deal(staff["manager"])
    constructor = _window(qtbot, staff["constructor"], "constructor")
    queue = constructor.screen_widget("constructor")
    sheets = install_cutsheets(constructor)
    workshop = _window(qtbot, staff["chief"], "workshop")
    terminal = workshop.screen_widget("workshop")
    counts = _count_refreshes(monkeypatch, queue, sheets, terminal)
    for window in (constructor, workshop):
        window.announce(Changes(users=True, audit=True))
        window.announce(Changes(frozenset({999}), frozenset({"new"}), timeline=True))
    assert counts == [0, 0, 0]
    for window in (constructor, workshop):
        window.announce(Changes(frozenset({at_cutting.id}), frozenset({"cutting"}), timeline=True))
    assert counts == [1, 1, 0]  # the terminal lists «Производство» and the workshop's stages only
    for window in (constructor, workshop):
        window.announce(Changes(frozenset({at_cutting.id}), frozenset({"cutting", "production"}), timeline=True))
    assert counts == [2, 2, 1]
    constructor.announce(Changes(stock_boards=True))
    assert counts == [2, 3, 1]  # the open sheet's layouts are cut from the stock boards


def test_the_open_sheet_follows_its_orders_into_the_workshop(qtbot, staff, shown, monkeypatch):
    screen = _sheet_one_open(qtbot, staff)
    (deal_id,) = screen.sheet_orders.ids
    cutsheets.send_to_production(1, staff["constructor"])
    screen.refresh()
    assert screen.orders.ids == [] and screen.sheet_orders.ids == [deal_id]  # no longer at «Раскрой»
    counts = _count_refreshes(monkeypatch, screen)
    screen.window_.announce(Changes(frozenset({deal_id}), frozenset({"production", "sawing"}), timeline=True))
    assert counts == [1]  # the sheet's list shows the order's stage: «Распил» now


# --- dialogs through the seam: both answers --------------------------------------------------
def _sheet_one_open(qtbot, staff):
    """The constructor's «Листы раскроя» with cut sheet №1 (one order) open."""
    deal = cutting_deal(staff["manager"])
    cutsheets.create_cut_sheet(staff["constructor"], [deal.id])
    screen = install_cutsheets(_window(qtbot, staff["constructor"], "constructor"))
    screen.open_sheet(1)
    return screen


def test_cancelling_a_cut_sheet_asks_the_reason(qtbot, staff, shown, monkeypatch):
    screen = _sheet_one_open(qtbot, staff)
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": None)
    screen.cancel_sheet()
    assert CutSheet.get(CutSheet.number == 1).status != CutSheet.CANCELLED  # «Отмена»: nothing happens
    asked = []
    monkeypatch.setattr(msgbox, "ask_text",
                        lambda parent, title, prompt, text="": asked.append(prompt) or "не тот материал")
    screen.cancel_sheet()
    sheet = CutSheet.get(CutSheet.number == 1)
    assert asked == ["Причина аннулирования листа №1:"]
    assert sheet.status == CutSheet.CANCELLED and sheet.cancel_reason == "не тот материал"
    assert "аннулирован" in screen.sheets.data(screen.sheets.index(0, 4)).lower()  # the list refreshed


def test_copying_parts_asks_which_order(qtbot, staff, shown, monkeypatch):
    source = cutting_deal(staff["manager"], name="Иванова Ярус")
    target = cutting_deal(staff["manager"], name="Петрова Ярус")
    specs.save_parts(source.id, None, [PART])
    window = _window(qtbot, staff["constructor"], "constructor")
    dialog = order_docs.OrderDocsDialog(window, target.id)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(msgbox, "choose", lambda parent, title, prompt, items: None)
    dialog.copy_parts()
    assert dialog.parts.model.values() == [] and not PartSpec.select().where(PartSpec.deal == target.id).exists()
    offered = []
    monkeypatch.setattr(msgbox, "choose", lambda parent, title, prompt, items: offered.extend(items) or 0)
    dialog.copy_parts()
    assert offered == [f"№{source.order_no} — Иванова Ярус"]
    assert [line["name"] for line in dialog.parts.model.values()] == ["Стойка"]


def test_attaching_a_drawing_asks_for_the_file(qtbot, staff, shown, monkeypatch, tmp_path):
    deal = cutting_deal(staff["manager"])
    window = _window(qtbot, staff["constructor"], "constructor")
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(msgbox, "open_file", lambda parent, title, file_filter="": None)
    dialog.attach("drawing")
    assert not Attachment.select().where(Attachment.deal == deal.id, Attachment.kind == "drawing").exists()
    drawing = tmp_path / "чертеж.pdf"
    drawing.write_bytes(b"%PDF-1.4")
    filters = []
    monkeypatch.setattr(msgbox, "open_file",
                        lambda parent, title, file_filter="": filters.append(file_filter) or drawing)
    dialog.attach("drawing")
    assert "*.pdf" in filters[0] and dialog.drawings.count() == 1
    assert Attachment.get(Attachment.deal == deal.id).original_name == "чертеж.pdf"


def test_saving_a_pdf_asks_where_and_a_cancel_builds_nothing(qtbot, staff, shown, monkeypatch):
    screen = _sheet_one_open(qtbot, staff)
    monkeypatch.setattr(msgbox, "save_file", lambda parent, title, suggested, file_filter="": None)
    screen.save_pdf()
    assert screen.job is None  # nothing built for a cancelled dialog


def test_dropping_files_refreshes_the_card_once_and_names_each_refused_file(qtbot, staff, shown, tmp_path):
    from tests.gui.card_helpers import open_card

    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    good = [tmp_path / f"бриф{n}.pdf" for n in range(3)]
    for path in good:
        path.write_bytes(b"%PDF-1.4")
    announced = []
    card.window_.changed.connect(announced.append)
    card.files.add_files([good[0], tmp_path / "пропал.pdf", *good[1:]])
    assert card.files.model.rowCount() == 3 and len(announced) == 1
    assert shown == [("Файл не прикреплён", "Файл не найден: пропал.pdf")]


def test_stale_days_asked_and_cancelled(qtbot, staff, shown, monkeypatch, tmp_path):
    from app.services import stale
    from tests.gui.board_helpers import board_settings
    from ui.board.board import BoardWidget

    stale.set_threshold("first_contact", 7)  # not the stage's default: a cancel must not reset it
    window = MainWindow(staff["manager"], "counter")
    qtbot.addWidget(window)
    board = BoardWidget(window, board_settings(tmp_path))
    offered = []
    monkeypatch.setattr(msgbox, "ask_number", lambda parent, title, prompt, value, lowest, highest:
                        offered.append(value))
    board.change_stale_days("first_contact")
    assert offered == [7]
    assert stale.thresholds()["first_contact"] == 7 and board.delegate.stale_days["first_contact"] == 7


def test_completing_a_constructor_task_asks_the_result(qtbot, staff, shown, monkeypatch):
    cutting_deal(staff["manager"])
    window = _window(qtbot, staff["constructor"], "constructor")
    screen = window.screen_widget("constructor")
    texts = [task.text for task in screen.tasks.rows]
    screen.tasks_view.setCurrentIndex(screen.tasks.index(texts.index("Заказ оплачен. Принять в работу"), 0))
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": None)
    screen.complete_selected_task()
    task = Task.get(Task.text == "Заказ оплачен. Принять в работу")
    assert task.done_at is None
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": "принял")
    screen.complete_selected_task()
    assert Task.get_by_id(task.id).result == "принял"
    assert "Заказ оплачен. Принять в работу" not in [t.text for t in screen.tasks.rows]


def test_connection_settings_browse_for_the_file_and_folder(qtbot, monkeypatch, tmp_path):
    from app.store.connection_settings import SettingsStore

    dialog = ConnectionDialog(SettingsStore(tmp_path / "config"))
    qtbot.addWidget(dialog)
    before = dialog.sqlite_file.text()
    monkeypatch.setattr(msgbox, "save_file", lambda parent, title, suggested, file_filter="", **kw: None)
    def browse(edit) -> None:
        edit.parentWidget().findChild(QPushButton).click()  # «Обзор…» beside the field

    browse(dialog.sqlite_file)
    assert dialog.sqlite_file.text() == before
    chosen = []
    monkeypatch.setattr(msgbox, "save_file", lambda parent, title, suggested, file_filter="", **kw:
                        chosen.append(kw) or Path(tmp_path / "мастерская.sqlite3"))
    browse(dialog.sqlite_file)
    assert dialog.sqlite_file.text() == str(tmp_path / "мастерская.sqlite3")
    assert chosen == [{"confirm_overwrite": False}]  # an existing file is opened, not replaced
    monkeypatch.setattr(msgbox, "choose_folder", lambda parent, title, start="": tmp_path)
    browse(dialog.files_dir)
    assert dialog.files_dir.text() == str(tmp_path)


def test_changes_mark_the_signed_in_user_only_on_switching(qtbot, staff):
    window = MainWindow(staff["manager"], "counter")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.changed) as announced:
        window.set_user(staff["designer"])
    assert announced.args[0] == replace(Changes.anything(), signed_in=True)
