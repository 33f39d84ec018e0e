"""The program's main window: the screens of the workstation, a status bar, and the one
``changed`` signal every view listens to after a user action."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from app.domain.changes import Changes
from app.domain.version import program_version
from app.store.models import User
from ui.common.actions import ActionRunner

APP_TITLE = "Детские кровати Маня — CRM мастерской"


class MainWindow(QMainWindow):
    changed = Signal(object)  # app.domain.changes.Changes
    user_changed = Signal(object)  # app.store.models.User, after «Сменить пользователя»

    def __init__(self, user: User, workstation: str = "counter", *, demo: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.user = user
        self.workstation = workstation
        self.demo = demo
        self.action_runner = ActionRunner(self.announce)  # runs every user action of its widgets
        self.setWindowTitle(f"{APP_TITLE} {program_version()}" + (" (демо)" if demo else ""))
        self.tabs = QTabWidget(objectName="mainTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._screens: dict[str, QWidget] = {}
        self._cards: dict[int, QWidget] = {}
        self.quitting = False  # «Выход» chosen: closing ends the program even with a tray icon
        # set where a tray icon keeps the program running: hides the window, True when it did
        self.close_to_tray: Callable[[], bool] | None = None
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menu()
        self._show_user()

    def _build_menu(self) -> None:
        self.file_menu = self.menuBar().addMenu("&Файл")
        quit_action = QAction("Выход", self, shortcut=QKeySequence("Ctrl+Q"))  # Windows has no standard one
        quit_action.triggered.connect(self.quit_program)
        self.file_menu.addAction(quit_action)
        # features add their own entries with add_menu_action: shop-wide settings and help
        self.settings_menu = self.menuBar().addMenu("&Настройки")
        self.help_menu = self.menuBar().addMenu("Спр&авка")
        for menu in (self.settings_menu, self.help_menu):
            menu.menuAction().setVisible(False)  # until a feature puts something there

    def add_menu(self, title: str) -> QMenu:
        """A feature's own menu, placed before «Настройки» and «Справка»."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.settings_menu.menuAction(), menu)
        return menu

    def add_menu_action(self, menu, action: QAction) -> None:
        """Put ``action`` into ``menu`` (``settings_menu``, ``help_menu`` …) and show the menu."""
        menu.addAction(action)
        menu.menuAction().setVisible(True)

    def _show_user(self) -> None:
        self.user_label.setText(f"{self.user.full_name} · {self.user.role_name}")

    def set_user(self, user: User) -> None:
        """Work as ``user`` from now on (switching user without restarting); views refresh."""
        self.user = user
        self._show_user()
        self.user_changed.emit(user)
        self.announce(replace(Changes.anything(), signed_in=True))

    def add_screen(self, key: str, title: str, widget: QWidget) -> None:
        """Add a screen (a tab) under ``key``."""
        widget.setObjectName(widget.objectName() or key)
        self._screens[key] = widget
        self.tabs.addTab(widget, title)

    def remove_screen(self, key: str) -> None:
        """Take the screen ``key`` away (e.g. an administrator's screen after switching user)."""
        widget = self._screens.pop(key, None)
        if widget is not None:
            self.tabs.removeTab(self.tabs.indexOf(widget))
            widget.deleteLater()

    def has_screen(self, key: str) -> bool:
        return key in self._screens

    def screen_widget(self, key: str) -> QWidget:
        """The screen (tab) added under ``key`` (not QWidget.screen(), the monitor, which Qt's and our
        own code ask of every window)."""
        return self._screens[key]

    def show_screen(self, key: str) -> QWidget:
        widget = self._screens[key]
        self.tabs.setCurrentWidget(widget)
        return widget

    def open_deal(self, deal_id: int) -> QWidget:
        """Open (or bring to the front) the card of deal ``deal_id``."""
        from ui.deal.card import DealCard

        card = self._cards.get(deal_id)
        if card is None:
            card = self._cards[deal_id] = DealCard(self, deal_id)
            card.destroyed.connect(lambda *_: self._cards.pop(deal_id, None))
        card.show()
        card.raise_()
        card.activateWindow()
        return card

    def quit_program(self) -> None:
        """«Выход»: close for real (the deal cards first, which may refuse) and end the program."""
        self.quitting = True
        if self.close():
            QApplication.quit()
        else:
            self.quitting = False

    def closeEvent(self, event) -> None:
        """Closing the window hides it to the tray where there is one (see ``close_to_tray``); else,
        and on «Выход», it closes the open deal cards first — one with unsaved edits may refuse."""
        if not self.quitting and self.close_to_tray is not None and self.close_to_tray():
            event.ignore()
        elif all(card.close() for card in list(self._cards.values())):
            event.accept()
        else:
            event.ignore()

    def announce(self, changes: Changes) -> None:
        """Tell every view what a user action changed."""
        self.changed.emit(changes)
