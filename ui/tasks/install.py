"""Putting «Задачи» into the main window: the screen, the scheduler, and the tray icon — or, where
the system has no tray, the reminder panel — plus the overdue count in the window title. With a
tray icon, closing the window hides it there and the reminders go on; «Выход» ends the program."""
from __future__ import annotations

import re

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.domain.reminder_rules import ReminderSettings
from app.services import permissions, tasks
from app.services.reminders import ReminderCounts
from ui.common import msgbox
from ui.tasks import settings as settings_store
from ui.tasks.actions import TaskActions
from ui.tasks.panel import ReminderPanel
from ui.tasks.scheduler import Notice, ReminderScheduler
from ui.tasks.tray import ReminderTray
from ui.tasks.view import TasksView

OVERDUE_SUFFIX = re.compile(r" \(\d+ просрочено\)$")
IN_TRAY_TITLE = "CRM «Детские кровати Маня»"
IN_TRAY_TEXT = "Программа продолжает работать в трее — напоминания придут вовремя"
QUITS_ON_CLOSE = ("workshop",)  # the full-screen terminal: closing it ends the program


def overdue_title(title: str, overdue: int) -> str:
    """``title`` with «(3 просрочено)» at its end when tasks are overdue (replacing an older count)."""
    base = OVERDUE_SUFFIX.sub("", title)
    return f"{base} ({overdue} просрочено)" if overdue else base


class TasksFeature:
    """Everything «Задачи» adds to a window; ``tray`` is None and ``panel`` carries the notices
    when the system has no tray."""

    def __init__(self, window, store: QSettings, timer: QTimer | None, tray_available: bool) -> None:
        self.window = window
        self.store = store
        self.settings = settings_store.load(store)
        self.counts = ReminderCounts(0, 0)
        self.actions = TaskActions(window, lambda: self.settings)
        self.view = TasksView(window, self.actions, self.settings)
        self.view.settingsChanged.connect(self.set_settings)
        window.add_screen("tasks", "Задачи", self.view)
        self.scheduler = ReminderScheduler(window.user, self.settings, timer, window)
        window.changed.connect(self.scheduler.on_changed)
        window.user_changed.connect(self.follow_user)  # before the broadcast that makes it check
        self.scheduler.countsChanged.connect(self.show_counts)
        self.scheduler.failed.connect(lambda message: window.statusBar().showMessage(message, 30_000))
        # sections move with the clock (today's task becomes overdue): refresh the list each minute
        self.scheduler.timer.timeout.connect(self.view.refresh)
        self.panel = ReminderPanel(window, self.actions, lambda: self.settings)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.tray: ReminderTray | None = None
        if tray_available:
            self.tray = ReminderTray(window)
            self.tray.openProgram.connect(self.raise_window)
            self.tray.openTasks.connect(self.show_tasks)
            self.tray.snoozeAll.connect(lambda: self.actions.snooze_all(15))
            self.tray.quitProgram.connect(window.quit_program)
            self.tray.openDeal.connect(self.open_from_balloon)
            if window.workstation not in QUITS_ON_CLOSE:
                window.close_to_tray = self.hide_to_tray
        self.told_about_tray = False
        self.scheduler.noticed.connect(self.notify)
        self._add_menu()

    def _add_menu(self) -> None:
        menu = self.window.add_menu("&Задачи")
        show = QAction("Мои задачи", self.window, shortcut=QKeySequence("F4"))
        show.triggered.connect(self.show_tasks)
        snooze = QAction("Отложить все напоминания на 15 минут", self.window)
        snooze.triggered.connect(lambda: self.actions.snooze_all(15))
        menu.addAction(show)
        menu.addAction(snooze)
        self.grace_action = QAction("Отсрочка задачи нового обращения…", self.window, objectName="leadGraceAction")
        self.grace_action.triggered.connect(self.set_lead_grace)
        self.window.add_menu_action(self.window.settings_menu, self.grace_action)
        self.grace_action.setVisible(permissions.allowed(self.window.user, permissions.SETTINGS_MANAGE))

    def set_lead_grace(self) -> None:
        """The administrator: how long a new lead's «Связаться с клиентом» waits before it turns red."""
        minutes = msgbox.ask_number(self.window, "Отсрочка задачи нового обращения",
                                    "Через сколько минут задача «Связаться с клиентом» нового обращения\n"
                                    "становится просроченной:", int(tasks.new_lead_grace().total_seconds() // 60),
                                    0, tasks.MAX_GRACE_MINUTES)
        if minutes is not None:
            self.window.action_runner.run(self.window, "Отсрочка не изменена",
                                          lambda: tasks.set_new_lead_grace(self.window.user, minutes))

    def notify(self, notices: list[Notice]) -> None:
        """Balloons in the tray, or the panel when there is no tray."""
        if self.tray is not None:
            self.tray.show_notices(notices)
        else:
            self.panel.show_notices(notices)

    def show_counts(self, counts: ReminderCounts) -> None:
        self.counts = counts
        self.window.setWindowTitle(overdue_title(self.window.windowTitle(), counts.overdue))
        if self.tray is not None:
            self.tray.set_counts(counts)

    def set_settings(self, settings: ReminderSettings) -> None:
        """New reminder settings of this PC: saved, and applied at once."""
        self.settings = settings
        settings_store.save(self.store, settings)
        self.scheduler.set_settings(settings)

    def follow_user(self, user) -> None:
        """After «Сменить пользователя»: remind the person now at the PC."""
        self.scheduler.user = user
        self.grace_action.setVisible(permissions.allowed(user, permissions.SETTINGS_MANAGE))

    def hide_to_tray(self) -> bool:
        """Closing the window: hide it, keep reminding (told once per run); True — it is hidden."""
        # an open deal card closed while the window is hidden must not end the program
        QApplication.setQuitOnLastWindowClosed(False)
        self.window.hide()
        if not self.told_about_tray:
            self.told_about_tray = True
            self.tray.show_message(IN_TRAY_TITLE, IN_TRAY_TEXT)
        return True

    def raise_window(self) -> None:
        """Bring the window back (from the tray too) to the front."""
        QApplication.setQuitOnLastWindowClosed(True)
        if self.window.isMinimized():
            self.window.showNormal()
        else:
            self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def show_tasks(self) -> None:
        self.raise_window()
        self.window.show_screen("tasks")

    def open_from_balloon(self, deal_id: int | None, task_id: int) -> None:
        self.raise_window()
        self.actions.open_deal(deal_id, task_id)


def install_tasks(window, *, store: QSettings | None = None, timer: QTimer | None = None,
                  tray_available: bool | None = None) -> TasksFeature:
    """Add «Задачи» to ``window`` and begin checking for due tasks (``store``, ``timer`` and
    ``tray_available`` are this PC's settings, a QTimer and the tray's presence; tests pass fakes)."""
    if tray_available is None:
        tray_available = QSystemTrayIcon.isSystemTrayAvailable()
    feature = TasksFeature(window, store if store is not None else QSettings(), timer, tray_available)
    window.tasks_feature = feature
    feature.scheduler.start()
    return feature
