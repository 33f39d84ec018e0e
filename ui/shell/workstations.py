"""The workstation modes of a PC and the screens each user gets there.

- counter: the board (registered by the board's own module) — the default;
- constructor: the queue at «Раскрой» and «Производство» with the constructor's tasks;
- workshop: the full-screen terminal of the production chief (no tabs, no menu bar).
The administrator also gets «Пользователи» and «Журнал» (not on the workshop terminal). Switching
user («Файл → Сменить пользователя», Ctrl+L) keeps the window and swaps these screens.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.domain.codes import Role
from app.services import permissions
from ui.shell import signin

WORKSTATIONS = ("counter", "constructor", "workshop")
WORKSTATION_NAMES = {"counter": "Магазин", "constructor": "Конструктор", "workshop": "Цех"}
ADMIN_SCREENS = {"users": (permissions.USERS_MANAGE, "Пользователи"),
                 "journal": (permissions.AUDIT_VIEW, "Журнал")}


# the screen each role works on first, in the order tried (a screen this PC's mode lacks is skipped)
MAIN_SCREENS = {Role.MANAGER: ("board",), Role.DESIGNER: ("board",),
                Role.CONSTRUCTOR: ("constructor", "cutsheets", "board"),
                Role.PRODUCTION_CHIEF: ("workshop", "constructor", "board"), Role.ADMIN: ("users", "board")}


def login_for_show(show: str | None) -> str | None:
    """The demo user a ``--show`` screen needs (the administrator's screens), else None."""
    return "admin" if show in ADMIN_SCREENS else None


def install(window) -> None:
    """Put the workstation's screens into ``window`` and the «Сменить пользователя» action."""
    switch = QAction("Сменить пользователя…", window, objectName="switchUserAction",
                     shortcut=QKeySequence("Ctrl+L"))
    switch.triggered.connect(lambda: switch_user(window))
    window.addAction(switch)  # its shortcut works with the menu bar hidden too
    window.file_menu.insertAction(window.file_menu.actions()[0], switch)
    if window.workstation == "constructor":
        from ui.constructor.queue import ConstructorScreen

        window.add_screen("constructor", "Конструктор", ConstructorScreen(window))
        window.show_screen("constructor")
    elif window.workstation == "workshop":
        from ui.workshop.terminal import WorkshopTerminal

        terminal = WorkshopTerminal(window)
        terminal.switch_button.clicked.connect(switch.trigger)
        window.add_screen("workshop", "Цех", terminal)
        window.show_screen("workshop")  # the only screen the terminal shows (no tab bar)
        window.tabs.tabBar().hide()
        window.menuBar().hide()
    _admin_screens(window)
    window.user_changed.connect(lambda _user: _admin_screens(window))


def _admin_screens(window) -> None:
    """Show the administrator's screens to those allowed, hide them from the rest."""
    if window.workstation == "workshop":
        return
    from ui.admin.journal import JournalScreen
    from ui.admin.users import UsersScreen

    builders = {"users": UsersScreen, "journal": JournalScreen}
    for key, (action, title) in ADMIN_SCREENS.items():
        allowed = permissions.allowed(window.user, action)
        if allowed and not window.has_screen(key):
            window.add_screen(key, title, builders[key](window))
        elif not allowed and window.has_screen(key):
            window.remove_screen(key)


def switch_user(window) -> None:
    """Ask who works now and carry on as them (the same window, views refreshed)."""
    user = signin.ask_sign_in(window)
    if user is not None:
        window.set_user(user)
        show_main_screen(window)


def show_main_screen(window) -> None:
    """The signed-in person's own main screen: a manager «Сделки», a constructor «Конструктор» …"""
    for key in MAIN_SCREENS.get(window.user.role, ("board",)):
        if window.has_screen(key):
            window.show_screen(key)
            return


def show_mode(window) -> Qt.WindowState:
    """How the window opens: the workshop terminal full screen, the others maximised."""
    return Qt.WindowState.WindowFullScreen if window.workstation == "workshop" else Qt.WindowState.WindowMaximized
