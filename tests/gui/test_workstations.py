"""The workstations: the workshop terminal, the constructor's queue, signing in and switching
user, the administrator's «Пользователи» and «Журнал» screens."""
from __future__ import annotations

import argparse

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from app.domain.codes import Role
from app.services import deals, personal_data, tasks
from app.store.models import AuditEntry, Deal, StageHistory, User
from app.store.session import Opened
from tests.domain.helpers import complete_deal
from tests.gui.qt_settings import own_settings  # noqa: F401 (autouse fixture)
from ui.common import msgbox
from ui.shell import signin, workstations
from ui.shell.main_window import MainWindow


@pytest.fixture
def no_dialogs(monkeypatch):
    """Every message box answered, and recorded, instead of shown."""
    shown = []
    monkeypatch.setattr(msgbox, "ask", lambda parent, title, text: shown.append(("ask", text)) or True)
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: shown.append(("error", text)))
    monkeypatch.setattr(msgbox, "info", lambda parent, title, text: shown.append(("info", text)))
    return shown


def open_window(qtbot, user, workstation) -> MainWindow:
    window = MainWindow(user, workstation)
    workstations.install(window)
    qtbot.addWidget(window)
    return window


def at_stage(actor, stage, **values) -> Deal:
    deal = complete_deal(actor, **values)
    deals.move_deal(deal.id, stage, None)
    return Deal.get_by_id(deal.id)


def all_texts(root: QWidget) -> list[str]:
    """Every text the screen shows: labels, buttons, fields, table cells and headers."""
    from PySide6.QtWidgets import QAbstractItemView

    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
                for row in range(model.rowCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        texts.append(str(model.data(model.index(row, column), role) or ""))
    return texts


def test_workshop_terminal_moves_scanned_order_from_sawing_to_milling(qtbot, staff, no_dialogs):
    other = at_stage(staff["manager"], "sawing")
    deal = at_stage(staff["manager"], "sawing", **{"contact.full_name": "Тихонова Елена Павловна"})
    window = open_window(qtbot, staff["chief"], "workshop")
    terminal = window.screen_widget("workshop")
    qtbot.keyClicks(terminal.scan, f"{deal.order_no:06d}")  # a scanner types the code, then Enter
    qtbot.keyClick(terminal.scan, Qt.Key.Key_Return)
    assert terminal.current_row().order_no == deal.order_no and terminal.current_row().surname == "Тихонова"
    assert terminal.table.hasFocus() or not terminal.isVisible()
    qtbot.keyClick(terminal.table, Qt.Key.Key_Return)
    bar = terminal.confirm_bar
    assert no_dialogs == []  # the question is on the terminal's screen, not a dialog box
    assert bar.isVisibleTo(terminal) and bar.order.text() == f"Заказ №{deal.order_no} · Тихонова"
    assert "«Распил» → «Фрезеровка»" in bar.step.text() and not terminal.undo_bar.isVisibleTo(terminal)
    assert Deal.get_by_id(deal.id).stage == "sawing"
    qtbot.keyClick(bar.yes, Qt.Key.Key_Return)  # the scanner's (or the chief's) Enter: «Да, перевести»
    assert not bar.isVisibleTo(terminal)
    assert terminal.undo_bar.isVisibleTo(terminal) and "Фрезеровка" in terminal.undo_label.text()
    assert Deal.get_by_id(deal.id).stage == "sawing"  # a few seconds to undo
    terminal.undo_timer.timeout.emit()  # the undo time is over
    assert Deal.get_by_id(deal.id).stage == "milling"
    last = StageHistory.select().where(StageHistory.deal == deal.id).order_by(StageHistory.id.desc()).get()
    assert (last.from_stage, last.to_stage, last.user_id) == ("sawing", "milling", staff["chief"].id)
    assert not terminal.undo_bar.isVisibleTo(terminal)
    row = terminal.model.row_of_deal(deal.id)
    assert terminal.model.data(terminal.model.index(row, 3)) == "Фрезеровка"
    assert Deal.get_by_id(other.id).stage == "sawing"


def test_workshop_terminal_puts_late_orders_on_top_in_red_and_pages_with_big_buttons(qtbot, staff, no_dialogs):
    # today is 02.06.2025 (the tests' clock)
    relaxed = at_stage(staff["manager"], "sawing", ship_deadline="20.06.2025")
    soon = at_stage(staff["manager"], "packing", ship_deadline="04.06.2025")
    late = at_stage(staff["manager"], "priming", ship_deadline="28.05.2025", payment_date="20.05.2025")
    later = at_stage(staff["manager"], "sawing", ship_deadline="30.06.2025")
    window = open_window(qtbot, staff["chief"], "workshop")
    window.resize(1366, 768)
    window.show()
    terminal = window.screen_widget("workshop")
    assert [row.deal_id for row in terminal.model.rows] == [late.id, soon.id, relaxed.id, later.id]
    model = terminal.model
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole).color().name() == "#a40000"
    assert model.data(model.index(2, 1), Qt.ItemDataRole.ForegroundRole) is None
    for _ in range(12):
        at_stage(staff["manager"], "sawing")
    terminal.refresh()
    qtbot.waitUntil(lambda: terminal.table.verticalScrollBar().maximum() > 0)
    down, up = terminal.page_buttons["down"], terminal.page_buttons["up"]
    assert down.height() >= 64 and down.isEnabled() and not up.isEnabled()
    qtbot.mouseClick(down, Qt.MouseButton.LeftButton)
    assert terminal.table.verticalScrollBar().value() > 0 and up.isEnabled()


def test_every_terminal_row_is_readable_at_1366x768(qtbot, staff, no_dialogs):
    """No cell of the workshop terminal is cut short on a small laptop: the bed's name gets the room."""
    at_stage(staff["manager"], "priming", products="Замок с комодом",
             **{"contact.full_name": "Добровольская Анна Геннадьевна"})
    at_stage(staff["manager"], "painting", products="Ярус с ящиками и лестницей-комодом")
    window = open_window(qtbot, staff["chief"], "workshop")
    window.resize(1366, 768)
    window.show()
    terminal = window.screen_widget("workshop")
    table, model = terminal.table, terminal.model
    qtbot.waitUntil(lambda: table.columnWidth(2) > 0)
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = str(model.data(model.index(row, column)) or "")
            room = QRect(0, 0, table.columnWidth(column) - 4, 10_000)
            wrap = Qt.TextFlag.TextWordWrap if table.wordWrap() else Qt.TextFlag(0)
            needed = metrics.boundingRect(room, wrap, text)
            assert needed.width() <= room.width() and needed.height() <= table.rowHeight(row), (row, column, text)


def test_workshop_terminal_undo_keeps_the_order_where_it_was(qtbot, staff, no_dialogs):
    deal = at_stage(staff["manager"], "packing")
    window = open_window(qtbot, staff["chief"], "workshop")
    terminal = window.screen_widget("workshop")
    terminal.table.clicked.emit(terminal.model.index(terminal.model.row_of_deal(deal.id), 1))  # a tap
    assert "«Упаковка» → «Отгружено»" in terminal.confirm_bar.step.text()
    terminal.confirm_bar.yes.click()  # a tap on «Да, перевести»
    assert "Отгружено" in terminal.undo_label.text()
    qtbot.mouseClick(terminal.undo_button, Qt.MouseButton.LeftButton)
    terminal.undo_timer.timeout.emit()
    assert Deal.get_by_id(deal.id).stage == "packing" and "отменён" in terminal.status.text()


def test_workshop_terminal_refuses_for_a_manager_with_the_service_message(qtbot, staff, no_dialogs):
    deal = at_stage(staff["manager"], "sawing")
    window = open_window(qtbot, staff["manager"], "workshop")
    terminal = window.screen_widget("workshop")
    terminal.advance_row(terminal.model.row_of_deal(deal.id))
    terminal.confirm_bar.yes.click()
    terminal.commit_pending()
    assert no_dialogs[-1][0] == "error" and "Недостаточно прав" in no_dialogs[-1][1]
    assert Deal.get_by_id(deal.id).stage == "sawing"


def test_workshop_terminal_never_shows_budget_phone_or_passport(qtbot, staff, no_dialogs):
    deal = at_stage(staff["manager"], "sawing", budget="48 750", ship_deadline="05.06.2025")
    window = open_window(qtbot, staff["chief"], "workshop")
    window.resize(1280, 800)
    window.show()
    terminal = window.screen_widget("workshop")
    terminal.select_deal(deal.id)
    terminal.advance_row(terminal.model.row_of_deal(deal.id))
    for answer in (None, terminal.confirm_bar.yes):  # the question, then the countdown to undo
        if answer is not None:
            qtbot.mouseClick(answer, Qt.MouseButton.LeftButton)
        texts = " | ".join(all_texts(window))
        assert str(deal.order_no) in texts and "Тестов" in texts and "Распил" in texts
        for secret in ("48", "750", "руб", "3681", "543578", "8008008000", "+7", "800-80-00", "test@test.ru",
                       "Бюджет", "Паспорт", "паспорт", "Телефон", "Нью-Йорк"):
            assert secret not in texts, secret
    assert not window.menuBar().isVisible() and not window.tabs.tabBar().isVisible()
    row = terminal.model.row_of_deal(deal.id)
    assert terminal.model.data(terminal.model.index(row, 5), Qt.ItemDataRole.BackgroundRole) is not None
    window.close()  # the waiting move goes through when the terminal closes
    assert Deal.get_by_id(deal.id).stage == "milling"


def test_workshop_confirmation_is_big_and_says_no_with_esc_or_a_tap_and_gives_way_to_a_scan(qtbot, staff,
                                                                                             no_dialogs):
    deal = at_stage(staff["manager"], "sawing")
    other = at_stage(staff["manager"], "milling")
    window = open_window(qtbot, staff["chief"], "workshop")
    window.resize(1280, 800)
    with qtbot.waitActive(window):  # keys go where the focus is, as on the shop's terminal
        window.show()
        window.activateWindow()
    terminal = window.screen_widget("workshop")
    bar = terminal.confirm_bar
    row = terminal.model.row_of_deal(deal.id)
    terminal.select_deal(deal.id)
    terminal.table.setFocus()
    qtbot.keyClick(terminal.table, Qt.Key.Key_Enter)
    assert bar.isVisible() and bar.yes.hasFocus()
    assert min(bar.yes.height(), bar.no.height()) >= 64 and bar.yes.width() >= 200
    assert [bar.yes.text(), bar.no.text()] == ["Да, перевести", "Нет"]
    qtbot.keyClick(bar.yes, Qt.Key.Key_Escape)  # Esc — «Нет»
    assert not bar.isVisible() and not terminal.undo_bar.isVisible() and terminal.table.hasFocus()
    terminal.advance_row(row)
    qtbot.mouseClick(bar.no, Qt.MouseButton.LeftButton)  # a tap on «Нет»
    assert not bar.isVisible() and not terminal.undo_bar.isVisible()
    terminal.advance_row(row)
    qtbot.keyClicks(QApplication.focusWidget(), f"{other.order_no:06d}")  # a scan while asking
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not bar.isVisible() and terminal.current_row().deal_id == other.id and terminal.table.hasFocus()
    assert Deal.get_by_id(deal.id).stage == "sawing" and Deal.get_by_id(other.id).stage == "milling"
    qtbot.keyClick(terminal.table, Qt.Key.Key_Return)  # the scanned order's question, Enter — yes
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert terminal.pending.deal_id == other.id and no_dialogs == []
    terminal.cancel_pending()


def test_constructor_screen_lists_its_queue_and_tasks(qtbot, staff, no_dialogs, monkeypatch):
    cutting = at_stage(staff["manager"], "cutting")
    production = at_stage(staff["manager"], "production")
    at_stage(staff["manager"], "sawing")
    question = tasks.ask_feasibility(cutting.id, staff["designer"]).value
    window = open_window(qtbot, staff["constructor"], "constructor")
    screen = window.screen_widget("constructor")
    assert [row.deal_id for row in screen.orders.rows] == [cutting.id, production.id]
    texts = [task.text for task in screen.tasks.rows]
    assert "Заказ оплачен. Принять в работу" in texts and question.text in texts
    screen.tasks_view.setCurrentIndex(screen.tasks.index(texts.index(question.text), 0))
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": "с усилением")
    screen.complete_selected_task()
    reply = question.children.get()
    assert reply.text == "Ответ конструктора: да, с усилением" and reply.assignee_user_id == staff["designer"].id
    assert question.text not in [task.text for task in screen.tasks.rows]
    screen.orders_view.setCurrentIndex(screen.orders.index(0, 0))
    qtbot.mouseClick(screen.findChild(QAbstractButton, "constructorToProduction"), Qt.MouseButton.LeftButton)
    assert Deal.get_by_id(cutting.id).stage == "production"
    assert screen.panels.tabText(0) == "Задачи конструктора"
    screen.add_panel("Листы раскроя", QLabel("листы"))
    assert screen.panels.count() == 2


def test_switching_user_swaps_the_administrator_screens(qtbot, staff, monkeypatch):
    window = open_window(qtbot, staff["manager"], "counter")
    assert not window.has_screen("users") and not window.has_screen("journal")
    monkeypatch.setattr(signin, "ask_sign_in", lambda parent, preselect="": staff["admin"])
    with qtbot.waitSignal(window.user_changed):
        window.findChild(type(window.actions()[0]), "switchUserAction").trigger()
    assert window.user.id == staff["admin"].id and "Администратор" in window.user_label.text()
    assert window.has_screen("users") and window.has_screen("journal")
    monkeypatch.setattr(signin, "ask_sign_in", lambda parent, preselect="": staff["designer"])
    window.findChild(type(window.actions()[0]), "switchUserAction").trigger()
    assert not window.has_screen("users") and window.user.role == Role.DESIGNER


def test_after_switching_user_each_role_lands_on_its_main_screen(qtbot, staff, monkeypatch):
    window = open_window(qtbot, staff["admin"], "constructor")
    window.add_screen("board", "Сделки", QLabel("доска"))
    switch = window.findChild(type(window.actions()[0]), "switchUserAction")
    for who, screen in (("admin", "users"), ("manager", "board"), ("constructor", "constructor")):
        window.show_screen("journal" if window.has_screen("journal") else "board")
        monkeypatch.setattr(signin, "ask_sign_in", lambda parent, preselect="", who=who: staff[who])
        switch.trigger()
        assert window.tabs.currentWidget() is window.screen_widget(screen), who


def test_users_screen_adds_and_deactivates(qtbot, staff, no_dialogs, monkeypatch, qtmodeltester):
    from ui.admin import users as users_ui

    window = open_window(qtbot, staff["admin"], "counter")
    screen = window.show_screen("users")
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.rights)
    monkeypatch.setattr(users_ui, "ask_user_form", lambda parent, user=None: {
        "login": "irina", "full_name": "Ирина Козлова", "role": Role.MANAGER, "groups": ["Магазины"],
        "secret": "2580"})
    screen.add()
    irina = User.get(User.login == "irina")
    assert screen.selected_id() == irina.id and irina.password_hash.startswith("$argon2")
    assert "Ирина Козлова" in [screen.model.data(screen.model.index(r, 0)) for r in range(screen.model.rowCount())]
    screen.toggle_active()
    assert not User.get_by_id(irina.id).active
    row = next(r for r in range(screen.model.rowCount()) if screen.model.rows[r][0].id == irina.id)
    assert screen.model.data(screen.model.index(row, 4)) == "отключён"


def test_rights_table_changes_a_rule(qtbot, staff, no_dialogs):
    from app.services import permissions

    window = open_window(qtbot, staff["admin"], "counter")
    rights = window.screen_widget("users").rights
    row = rights.actions.index(permissions.PASSPORT_VIEW)
    column = rights.ROLES.index(Role.DESIGNER)
    assert rights.setData(rights.index(row, column), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert Role.DESIGNER in permissions.roles_for(permissions.PASSPORT_VIEW)
    admin_column = rights.ROLES.index(Role.ADMIN)
    assert not rights.setData(rights.index(row, admin_column), Qt.CheckState.Unchecked.value,
                              Qt.ItemDataRole.CheckStateRole)


def test_journal_screen_shows_passport_views_with_filters(qtbot, staff, qtmodeltester):
    deal = complete_deal(staff["manager"])
    personal_data.read_passport(deal.id, staff["manager"])
    window = open_window(qtbot, staff["admin"], "counter")
    journal = window.show_screen("journal")
    qtmodeltester.check(journal.model)
    journal.what.setCurrentIndex(journal.what.findData("passport_view"))
    assert journal.model.rowCount() == 1
    cells = [journal.model.data(journal.model.index(0, c)) for c in range(5)]
    assert cells[1] == "Татьяна" and cells[2] == "Просмотр паспорта" and cells[3].startswith(f"№{deal.order_no}")
    journal.order.setText(str(deal.order_no + 1))
    assert journal.model.rowCount() == 0
    assert AuditEntry.select().count() >= 1


def test_sign_in_dialog_remembers_the_user_and_reports_wrong_password(qtbot, staff):
    from app.services import users

    users.reset_password(staff["admin"], staff["chief"].id, "4711")
    dialog = signin.SignInDialog(None, preselect="chief")
    qtbot.addWidget(dialog)
    assert "Михаил" in dialog.people.currentItem().text()
    dialog.secret.setText("0000")
    dialog.try_sign_in()
    assert dialog.user is None and "Неверный пароль" in dialog.message.text()
    dialog.secret.setText("4711")
    dialog.try_sign_in()
    assert dialog.user.id == staff["chief"].id and signin.remembered_login() == "chief"


def test_start_without_demo_creates_the_administrator_first(qtbot, db, monkeypatch):
    from ui.shell.app import build_window

    asked = []
    monkeypatch.setattr(signin, "ask_first_admin",
                        lambda parent: asked.append("first") or User.create(login="boss", full_name="Босс",
                                                                            role=Role.ADMIN))
    monkeypatch.setattr(signin, "ask_sign_in", lambda parent, preselect="": asked.append("sign in"))
    args = argparse.Namespace(workstation="counter", user=None, show=None)
    window = build_window(args, Opened(db, "", False))
    qtbot.addWidget(window)
    window.tasks_feature.scheduler.timer.stop()  # no reminder check after this test's database is gone
    assert asked == ["first"] and window.user.login == "boss" and window.has_screen("users")


@pytest.mark.parametrize("workstation,extra", [("workshop", []), ("constructor", []),
                                               ("counter", ["--show", "users"])])
def test_screenshot_of_each_mode(screenshot, workstation, extra):
    image = screenshot("--workstation", workstation, *extra, "--size", "1280x800")
    assert (image.width(), image.height()) == (1280, 800)
