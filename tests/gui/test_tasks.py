"""«Задачи», the reminder scheduler, the tray and the reminder panel, with a frozen clock and a timer
whose timeout the test fires by hand."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QPushButton,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.reminder_rules import Section
from app.services import people, tasks
from app.services.reminders import ReminderCounts
from app.store.models import Task, TimelineEntry
from tests.domain.helpers import INVOICE_VALUES, new_deal
from ui.common import msgbox
from ui.shell.app_icon import icon_pixmap
from ui.shell.main_window import MainWindow
from ui.tasks import dialogs
from ui.tasks.install import IN_TRAY_TEXT, install_tasks, overdue_title
from ui.tasks.model import TaskRole
from ui.tasks.tray import count_icon


class FakeTimer(QTimer):
    """A QTimer that never runs by itself: the test emits ``timeout``."""

    def start(self, *args) -> None:
        self.started = True


@pytest.fixture
def make_window(qtbot, qtlog, staff, tmp_path):
    def make(user=None, tray=False, workstation="counter"):
        window = MainWindow(user or staff["manager"], workstation)
        qtbot.addWidget(window)
        store = QSettings(str(tmp_path / f"pc-{len(list(tmp_path.iterdir()))}.ini"), QSettings.Format.IniFormat)
        if not tray:
            install_tasks(window, store=store, timer=FakeTimer(), tray_available=False)
            return window
        # A tray icon forced onto the offscreen platform, which has none: Qt warns that it cannot
        # connect to the platform's tray signal (expected here; a real desktop has the signal).
        with qtlog.disabled():
            install_tasks(window, store=store, timer=FakeTimer(), tray_available=True)
        return window
    return make


def _panel_texts(window):
    return [f"{n.title} | {n.text}" for n in window.tasks_feature.panel.model.notices]


def _task_in(staff, minutes, text="Перезвонить клиенту", deal=None, **to):
    to = to or {"user": staff["manager"]}
    return tasks.add_task(deal.id if deal else None, staff["manager2"], text=text,
                          due_at=tasks.clock.now() + timedelta(minutes=minutes), **to).value


def test_timer_is_named_and_ticks_every_minute(make_window):
    window = make_window()
    timer = window.findChild(QTimer, "reminderTimer")
    assert timer is window.tasks_feature.scheduler.timer and timer.interval() == 60_000 and timer.started


def test_panel_receives_the_notice_once_when_there_is_no_tray(make_window, staff, fake_clock):
    task = _task_in(staff, 30)
    window = make_window()
    panel = window.tasks_feature.panel
    assert window.tasks_feature.tray is None and panel.isHidden() and _panel_texts(window) == []
    fake_clock.advance(timedelta(minutes=14))
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert _panel_texts(window) == []
    fake_clock.advance(timedelta(minutes=1))  # 15 minutes ahead, the default lead
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert _panel_texts(window) == ["Задача: Связаться с клиентом | Перезвонить клиенту · до 02.06.2025 12:30"]
    assert not panel.isHidden()
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert len(_panel_texts(window)) == 1
    # the program restarts (or the person sits at the second PC): nothing again
    again = make_window()
    assert _panel_texts(again) == []
    assert Task.get_by_id(task.id).done_at is None


def test_complete_from_the_notice_updates_the_timeline(make_window, staff, fake_clock, monkeypatch):
    deal = new_deal(staff["manager"], name="Краева Ольга (МИА)")
    window = make_window()
    (notice,) = window.tasks_feature.panel.model.notices
    assert notice.deal_id == deal.id and "Краева Ольга (МИА)" in notice.text
    prompts = []
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": prompts.append(prompt)
                        or "Дозвонилась, придёт в субботу")
    window.tasks_feature.panel.findChild(QPushButton, "reminderComplete").click()
    assert prompts[0].startswith(f"Заказ №{deal.order_no} «Краева Ольга (МИА)»")  # says what it acts on
    feed = [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal.id)]
    assert "Связаться с клиентом: Связаться с клиентом — Дозвонилась, придёт в субботу" in feed
    assert _panel_texts(window) == [] and window.tasks_feature.panel.isHidden()
    done = window.tasks_feature.view.model.index_of_task(notice.task_id)
    assert done.data(TaskRole.SECTION) == Section.DONE


def test_cancelled_result_keeps_the_task_open(make_window, staff, monkeypatch):
    new_deal(staff["manager"])
    window = make_window()
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, prompt, text="": None)
    window.tasks_feature.panel.findChild(QPushButton, "reminderComplete").click()
    assert len(_panel_texts(window)) == 1 and Task.select().where(Task.done_at.is_null()).count() == 1


def test_snooze_from_the_panel_brings_the_task_back(make_window, staff, fake_clock):
    _task_in(staff, 0)
    window = make_window()
    window.tasks_feature.panel.findChild(QToolButton, "reminderSnooze").click()
    assert _panel_texts(window) == []
    fake_clock.advance(timedelta(minutes=15))
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert len(_panel_texts(window)) == 1


def test_change_broadcast_checks_at_once(make_window, staff):
    window = make_window()
    _task_in(staff, 5, text="Срочно перезвонить")
    window.announce(Changes(tasks=True))
    assert [n.text.split(" · ")[0] for n in window.tasks_feature.panel.model.notices] == ["Срочно перезвонить"]


def test_group_task_reaches_each_member_at_their_own_pc(make_window, staff):
    _task_in(staff, 0, text="Согласовать доставку", group=people.group_named("Магазины"))
    tatiana, olga, designer = (make_window(staff[key]) for key in ("manager", "manager2", "designer"))
    assert len(_panel_texts(tatiana)) == 1 and len(_panel_texts(olga)) == 1
    assert _panel_texts(designer) == []


def test_wake_after_sleep_is_noticed_and_checked(make_window, staff, fake_clock, qtbot):
    window = make_window()
    _task_in(staff, 120)
    scheduler = window.tasks_feature.scheduler
    fake_clock.advance(timedelta(minutes=1))
    with qtbot.assertNotEmitted(scheduler.woke):
        scheduler.timer.timeout.emit()
    fake_clock.advance(timedelta(hours=2))  # the lid was closed
    with qtbot.waitSignal(scheduler.woke, timeout=0):
        scheduler.timer.timeout.emit()
    assert len(_panel_texts(window)) == 1


def test_invoice_control_task_fires_three_days_after_the_move(make_window, staff, fake_clock):
    from app.services import deals

    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    tasks.complete_task(Task.get(Task.deal == deal.id).id, staff["manager"], "ок")
    deals.move_deal(deal.id, "invoice", staff["manager"])
    window = make_window()
    assert _panel_texts(window) == []
    fake_clock.advance(timedelta(days=3, minutes=-15))
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert [n.text.split(" — ")[1].split(" · ")[0] for n in window.tasks_feature.panel.model.notices] == [
        "Контроль оплаты счета (счет действителен 3 дня)"]


def test_window_title_shows_the_overdue_count(make_window, staff, fake_clock):
    _task_in(staff, -60)
    _task_in(staff, -30)
    _task_in(staff, 5)
    window = make_window()
    assert window.windowTitle().endswith("(2 просрочено)")
    assert window.tasks_feature.counts == ReminderCounts(due=1, overdue=2)
    fake_clock.advance(timedelta(minutes=6))
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert window.windowTitle().endswith("(3 просрочено)")


def test_tasks_view_lists_sections_filters_and_moves_due(make_window, staff, fake_clock, qtmodeltester,
                                                          monkeypatch):
    deal = new_deal(staff["manager"], name="Краева Ольга (МИА)")
    _task_in(staff, 60 * 24, text="Завтрашняя")
    window = make_window()
    view = window.screen_widget("tasks")
    assert view.objectName() == "tasksView"
    qtmodeltester.check(view.model)
    model = view.model
    assert [model.index(r, 0).data() for r in range(5)] == [
        "Просрочено (0)", "Сегодня (1)", "Завтра (1)", "Позже (0)", "Выполнено (0)"]
    today = model.index(0, 1, model.index(1, 0))
    assert today.data() == f"№{deal.order_no} Краева Ольга (МИА)"
    assert [model.index(0, c, model.index(1, 0)).data() for c in (0, 2, 4, 5)] == [
        "02.06.2025 12:15", "Связаться с клиентом", "Система", staff["manager"].full_name]  # after the grace

    view.who.setCurrentIndex(view.who.findText(staff["manager2"].full_name))
    assert [model.index(r, 0).data() for r in range(3)] == ["Просрочено (0)", "Сегодня (0)", "Завтра (0)"]
    view.who.setCurrentIndex(0)

    task_id = Task.get(Task.deal == deal.id).id
    assert view.select_task(task_id)
    view.findChild(QPushButton, "plusHour").click()
    assert tasks.clock.to_local(Task.get_by_id(task_id).due_at).strftime("%H:%M") == "13:15"
    assert view.selected_task().id == task_id  # the selection survives the refresh
    view.findChild(QPushButton, "tomorrow").click()
    assert view.selected_task().section == Section.TOMORROW

    opened = []
    window.open_deal = opened.append
    view.findChild(QPushButton, "openDeal").click()
    assert opened == [deal.id]

    monkeypatch.setattr(dialogs, "ask_due", lambda parent, day, at, subject="": (day + timedelta(days=7), None))
    view.findChild(QPushButton, "pickDate").click()
    moved = Task.get_by_id(task_id)
    assert moved.all_day and view.selected_task().section == Section.LATER


def test_reminder_settings_are_kept_on_this_pc(make_window, staff, tmp_path):
    _task_in(staff, 45)
    window = make_window()
    view = window.screen_widget("tasks")
    assert _panel_texts(window) == []
    view.lead.setCurrentIndex(view.lead.findData(60))
    assert window.tasks_feature.scheduler.settings.lead_minutes == 60
    assert len(_panel_texts(window)) == 1
    assert int(window.tasks_feature.store.value("reminders/lead_minutes")) == 60


def test_tray_balloon_opens_the_deal_and_icon_counts(make_window, staff):
    deal = new_deal(staff["manager"])
    window = make_window(tray=True)
    tray = window.tasks_feature.tray
    assert window.tasks_feature.panel.isHidden() and tray.current.deal_id == deal.id
    assert "Задач к выполнению: 1" in tray.icon.toolTip()
    opened = []
    window.open_deal = opened.append
    tray.icon.messageClicked.emit()
    assert opened == [deal.id]
    titles = [a.text() for a in tray.menu.actions() if a.text()]
    assert titles == ["Открыть программу", "Мои задачи", "Отложить все на 15 минут", "Выход"]
    tray.menu.actions()[2].trigger()
    assert window.tasks_feature.counts.total == 1  # still due, only snoozed for this person
    assert Task.get(Task.deal == deal.id).reminders.get().snoozed_until is not None


def test_tray_shows_a_balloon_for_each_new_task_in_turn(make_window, staff):
    first = _task_in(staff, 0, text="Первая")
    second = _task_in(staff, 1, text="Вторая")
    window = make_window(tray=True)
    tray = window.tasks_feature.tray
    assert tray.current.task_id == first.id and [n.task_id for n in tray.queue] == [second.id]
    tray.balloon_timer.timeout.emit()
    assert tray.current.task_id == second.id and tray.queue == []


def test_many_reminders_at_once_make_one_summary_balloon(make_window, staff, fake_clock, monkeypatch):
    """A morning after a long holiday: one balloon sums them up and opens «Мои задачи», the panel lists all."""
    window = make_window(tray=True)
    tray = window.tasks_feature.tray
    shown = _balloons(monkeypatch, tray)
    due = fake_clock.now() - timedelta(days=2)
    Task.insert_many([{"text": f"Перезвонить {n}", "type": "contact", "assignee_user": staff["manager"].id,
                       "due_at": due, "created_at": due} for n in range(1240)]).execute()
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert shown == ["Просрочено 1\u00a0240 задач — открыть"] and tray.queue == []
    window.tasks_feature.show_tasks = lambda: shown.append("«Мои задачи»")
    tray.openTasks.disconnect()
    tray.openTasks.connect(window.tasks_feature.show_tasks)
    tray.icon.messageClicked.emit()
    assert shown[-1] == "«Мои задачи»"


@pytest.fixture
def quits(monkeypatch):
    """QApplication.quit recorded instead of ending the test run; the last-window rule restored."""
    calls = []
    monkeypatch.setattr(QApplication, "quit", lambda: calls.append("quit"))
    yield calls
    QApplication.setQuitOnLastWindowClosed(True)


def _balloons(monkeypatch, tray):
    shown = []
    monkeypatch.setattr(tray.icon, "showMessage", lambda title, text, *rest: shown.append(text))
    return shown


class RefusingCard(QWidget):
    """A deal card with unsaved edits whose owner answered «Отмена»."""

    def closeEvent(self, event) -> None:
        event.ignore()


def test_closing_with_a_tray_hides_the_window_and_reminders_go_on(make_window, staff, fake_clock, quits,
                                                                 monkeypatch):
    window = make_window(tray=True)
    tray = window.tasks_feature.tray
    balloons = _balloons(monkeypatch, tray)
    window.show()
    assert not window.close()  # the close button of the window
    assert not window.isVisible() and quits == [] and not QApplication.quitOnLastWindowClosed()
    assert balloons == [IN_TRAY_TEXT]
    task = _task_in(staff, 30)
    fake_clock.advance(timedelta(minutes=15))
    window.tasks_feature.scheduler.timer.timeout.emit()
    assert tray.current.task_id == task.id and balloons[-1].startswith("Перезвонить клиенту")
    tray.menu.actions()[0].trigger()  # «Открыть программу»
    assert window.isVisible() and QApplication.quitOnLastWindowClosed()
    window.close()
    assert not window.isVisible() and balloons.count(IN_TRAY_TEXT) == 1  # told once per run
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)  # a click on the icon
    assert window.isVisible() and quits == []


def test_quit_from_tray_or_file_menu_ends_the_program_after_the_cards(make_window, quits):
    window = make_window(tray=True)
    window.show()
    card = RefusingCard()
    window._cards[1] = card
    tray_quit = window.tasks_feature.tray.menu.actions()[-1]
    assert tray_quit.text() == "Выход"
    tray_quit.trigger()
    assert quits == [] and window.isVisible() and not window.quitting  # the card kept its edits
    del window._cards[1]
    file_quit = next(a for a in window.file_menu.actions() if a.text() == "Выход")
    assert file_quit.shortcut().toString() == "Ctrl+Q"
    file_quit.trigger()
    assert quits == ["quit"] and not window.isVisible()
    card.deleteLater()


def test_without_a_tray_or_on_the_workshop_terminal_closing_quits_as_before(make_window, quits):
    for window in (make_window(tray=False), make_window(tray=True, workstation="workshop")):
        window.show()
        assert window.close_to_tray is None
        assert window.close() and not window.isVisible()
        assert QApplication.quitOnLastWindowClosed()  # Qt ends the program with its last window


def test_count_icon_is_the_bed_with_a_red_badge_for_overdue_and_plain_when_calm(qapp):
    def badge_colour(counts):
        image = count_icon(counts).pixmap(64, 64).toImage()
        return image.pixelColor(34, 50).name()  # inside the badge, left of its number
    assert badge_colour(ReminderCounts(0, 3)) == "#c62828"
    assert badge_colour(ReminderCounts(2, 0)) == "#ef6c00"
    calm = count_icon(ReminderCounts(0, 0)).pixmap(64, 64).toImage()
    assert calm == icon_pixmap(64).toImage()  # the program's own icon, no badge


def test_show_tasks_screenshot_from_command_line(screenshot):
    assert screenshot("--show", "tasks").width() == 1600


def test_due_dialog_gives_a_time_or_the_whole_day(qtbot):
    from datetime import date, time

    dialog = dialogs.DueDialog(None, date(2025, 6, 3), time(14, 30))
    qtbot.addWidget(dialog)
    assert dialog.value() == (date(2025, 6, 3), time(14, 30))
    dialog.all_day.setChecked(True)
    assert not dialog.time_edit.isEnabled() and dialog.value() == (date(2025, 6, 3), None)
    whole_day = dialogs.DueDialog(None, date(2025, 6, 3), None)
    qtbot.addWidget(whole_day)
    assert whole_day.all_day.isChecked() and whole_day.value() == (date(2025, 6, 3), None)


def test_overdue_count_replaces_itself_in_any_title():
    assert overdue_title("CRM (демо)", 3) == "CRM (демо) (3 просрочено)"
    assert overdue_title("CRM (демо) (3 просрочено)", 4) == "CRM (демо) (4 просрочено)"
    assert overdue_title("CRM (демо) (4 просрочено)", 0) == "CRM (демо)"


def test_opening_from_a_notice_shows_the_deal_card_or_the_task(make_window, staff, qtbot):
    deal = new_deal(staff["manager"])
    loose = _task_in(staff, 15, text="Сверить остатки")  # due with the new lead's task, set after it
    window = make_window()
    panel = window.tasks_feature.panel
    assert [n.deal_id for n in panel.model.notices] == [deal.id, None]
    panel.list.setCurrentIndex(panel.model.index(0))
    panel.findChild(QPushButton, "reminderOpenDeal").click()
    from ui.deal.card import DealCard

    (card,) = window.findChildren(DealCard)
    assert card.deal_id == deal.id and card.isVisible()
    panel.list.setCurrentIndex(panel.model.index(1))
    panel.findChild(QPushButton, "reminderOpenDeal").click()
    assert window.tabs.currentWidget() is window.screen_widget("tasks")
    assert window.screen_widget("tasks").selected_task().id == loose.id


def test_scheduler_fires_at_0955_for_1000_once_not_after_restart_again_after_snooze(qtbot, staff, fake_clock):
    from app.domain import clock
    from app.domain.reminder_rules import ReminderSettings
    from app.services import reminders
    from ui.tasks.scheduler import ReminderScheduler

    task = tasks.add_task(None, staff["manager2"], text="Перезвонить", user=staff["manager"],
                          due_at=clock.from_local(datetime(2025, 6, 3, 10, 0))).value
    lead5 = ReminderSettings(lead_minutes=5)

    def scheduler():
        made = ReminderScheduler(staff["manager"], lead5, FakeTimer())
        seen = []
        made.noticed.connect(lambda notices: seen.extend(n.task_id for n in notices))
        made.start()
        return made, seen

    fake_clock.at = clock.from_local(datetime(2025, 6, 3, 9, 54))
    first, seen = scheduler()
    assert seen == []
    fake_clock.advance(timedelta(minutes=1))  # 09:55
    first.timer.timeout.emit()
    assert seen == [task.id]
    fake_clock.advance(timedelta(minutes=1))
    first.timer.timeout.emit()
    assert seen == [task.id]

    second, seen_after_restart = scheduler()
    second.timer.timeout.emit()
    assert seen_after_restart == []

    reminders.snooze([task.id], staff["manager"], 15)
    fake_clock.advance(timedelta(minutes=15))
    second.timer.timeout.emit()
    assert seen_after_restart == [task.id]


def test_the_administrator_sets_the_new_leads_grace_from_the_settings_menu(make_window, staff, monkeypatch):
    manager_window = make_window()
    assert not manager_window.findChild(QAction, "leadGraceAction").isVisible()
    window = make_window(user=staff["admin"])
    action = window.findChild(QAction, "leadGraceAction")
    assert action.isVisible() and action in window.settings_menu.actions()
    asked = []
    monkeypatch.setattr(msgbox, "ask_number", lambda parent, title, prompt, value, low, high:
                        asked.append((value, low, high)) or 45)
    action.trigger()
    assert asked == [(15, 0, 24 * 60)]
    assert tasks.new_lead_grace() == timedelta(minutes=45)
