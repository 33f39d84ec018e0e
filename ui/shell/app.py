"""Building the QApplication and the main window; the offscreen screenshot mode.

A start paints the window with its board first (``start_window``) and then loads and installs
the other features (``finish_window``: their modules, screens, menus and timers), so the window
is there in a fraction of the time the whole program takes to load."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.version import program_version
from app.store.session import Opened, default_user
from ui.board.board import BoardWidget
from ui.common import msgbox, window_fit
from ui.shell import signin, single_instance, workstations
from ui.shell.app_icon import app_icon
from ui.shell.crash import CrashHandler, previous_crash_text
from ui.shell.key_names import KeyNamesTranslator
from ui.shell.logs import setup_logging
from ui.shell.main_window import MainWindow
from ui.tasks.install import install_tasks

log = logging.getLogger(__name__)
ORGANIZATION, APPLICATION = "Manya", "workshop-crm"


def application() -> QApplication:
    """The one QApplication (created on first call), with Qt's own dialogs in Russian."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if app.findChild(QTranslator, "qtRussian") is None:
        translator = QTranslator(app, objectName="qtRussian")
        if translator.load(QLocale(QLocale.Language.Russian), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
        app.installTranslator(KeyNamesTranslator(app, objectName="keyNames"))  # installed last: asked first
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    # no applicationDisplayName: Qt would append it to every dialog's title; the main window names the shop
    app.setApplicationVersion(program_version())
    app.setWindowIcon(app_icon())
    window_fit.install(app)
    return app


def handed_over(args: argparse.Namespace) -> bool:
    """Whether another copy of the program runs for this user and was asked to come forward (then
    this start ends); otherwise this copy starts listening for later starts. Screenshots run apart."""
    if args.screenshot:
        return False
    app = application()
    name = single_instance.instance_name(bool(getattr(args, "demo", False)))
    if single_instance.hand_over(name):
        return True
    single_instance.InstanceServer(app, name).listen()
    return False


def workstation_of(args: argparse.Namespace) -> str:
    """The workstation mode: from the command line (and remembered), else this PC's last one."""
    settings = QSettings()
    if args.workstation:
        settings.setValue("workstation", args.workstation)
        return args.workstation
    return str(settings.value("workstation", "counter"))


def start_window(args: argparse.Namespace, opened: Opened) -> MainWindow | None:
    """The main window of this PC's workstation with its first screens (the board, the tasks, the
    workstation's own), for the demo user or whoever signs in (None: the sign-in was cancelled)."""
    workstation = workstation_of(args)
    if args.show in workstations.ADMIN_SCREENS and workstation == "workshop":
        workstation = "counter"  # the terminal has no administrator's screens: show them on the counter's
    if opened.demo:
        user = default_user(workstation, args.user or workstations.login_for_show(args.show))
    else:
        user = signin.sign_in_at_start(args.user or "")
    if user is None:
        return None
    window = MainWindow(user, workstation, demo=opened.demo)
    window.add_screen("board", "Сделки", BoardWidget(window))  # the counter's main screen
    install_tasks(window)
    workstations.install(window)
    return window


def finish_window(window: MainWindow, args: argparse.Namespace, opened: Opened) -> None:
    """Install the rest of the program into ``window`` (loaded here, after the first paint)."""
    from ui.amocrm.install import install_data_exchange
    from ui.analytics.install import install_analytics, show_analytics
    from ui.cutsheets.install import install_cutsheets, show_cutsheet
    from ui.cutsheets.settings_install import install_cutting_settings
    from ui.database import multipc
    from ui.mail.install import install_mail
    from ui.papers.install import install_papers
    from ui.shell import about, autostart
    from ui.sms.install import install_sms

    running = not getattr(args, "screenshot", None)
    install_cutsheets(window)
    install_analytics(window)
    install_sms(window, start=running)
    show_cutsheet(window, args.show)
    show_analytics(window, args.show)
    if args.show in ("tasks", "sms") or args.show in workstations.ADMIN_SCREENS:
        window.show_screen(args.show)
    multipc.install(window, opened, start=running)
    install_mail(window, start=running)
    about.install(window, opened)
    install_data_exchange(window)
    if window.workstation != "workshop":  # the terminal has no menu bar; its PC is set up once
        autostart.install(window)
        install_papers(window)
        install_cutting_settings(window)


def build_window(args: argparse.Namespace, opened: Opened) -> MainWindow | None:
    """The whole main window at once (screenshots, tests): ``start_window`` and ``finish_window``."""
    window = start_window(args, opened)
    if window is not None:
        finish_window(window, args, opened)
    return window


def show_deal_card(window: MainWindow, what: str) -> QWidget:
    """``deal:ORDER_NO[:TAB]`` (TAB: main, contact, payment, files): open that order's card."""
    from app.services.deals import deal_id_for_order

    _, order_no, *tab = what.split(":")
    card = window.open_deal(deal_id_for_order(int(order_no)))
    if tab:
        card.show_tab(tab[0])
    return card


def show_letter(window: MainWindow, what: str) -> QWidget:
    """``letter:ORDER_NO``: that order's card answering its latest incoming letter (a new letter when none);
    the card alone for a user who may not write letters (a screenshot never waits on a message box)."""
    from app.services import permissions

    card = show_deal_card(window, what)
    if not permissions.allowed(window.user, permissions.PAPERS):
        return card
    return card.mail.reply() or card.mail.write() or card


def show_scan(window: MainWindow, what: str) -> QWidget:
    """``scan:TEXT`` (with ``--workstation workshop``): the terminal after TEXT was scanned («scan:OC3»)."""
    terminal = window.screen_widget("workshop")
    terminal.scan.setText(what.split(":", 1)[1])
    terminal.jump_to_scanned()
    return window


def show_windows() -> dict:
    """``--show`` keys of the screens in their own window (the rest are tabs of the main one)."""
    from ui.amocrm.install import show_import_dialog
    from ui.cutsheets.install import show_cut_done
    from ui.cutsheets.settings_install import SHOW_DIALOGS as CUTTING_DIALOGS
    from ui.cutsheets.settings_install import show_dialog as show_cutting_dialog
    from ui.papers.install import SHOW_DIALOGS, show_dialog

    return {"deal": show_deal_card, "letter": show_letter, "amocrm-import": show_import_dialog,
            "cutdone": show_cut_done, "scan": show_scan, **{key: show_dialog for key in SHOW_DIALOGS},
            **{key: show_cutting_dialog for key in CUTTING_DIALOGS}}


def shown_widget(window: MainWindow, what: str | None) -> QWidget:
    """The window to photograph for ``--show WHAT`` (the main window unless WHAT has its own)."""
    handler = show_windows().get((what or "").split(":", 1)[0])
    return handler(window, what) if handler else window


def save_screenshot(window: QWidget, target: Path, size: str | None) -> None:
    """Render the window offscreen and save it as PNG: the main window fills a screen of ``size``
    («1600x900»), any other window opens at its own size fitted to that screen (None: its own size)."""
    if size:
        window_fit.simulate_screen(window_fit.parse_size(size))
        if isinstance(window, MainWindow):
            window_fit.fill_screen(window)
        else:
            window_fit.fit_to_screen(window)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise OSError(f"Не удалось сохранить снимок в {target}")


def run_gui(args: argparse.Namespace, opened: Opened, previous_crash: Path | None = None) -> int:
    """Run the program's window until it is closed; an uncaught error is logged and explained."""
    app = application()
    log.info("Started (%s database)", "demo" if opened.demo else "the shop's")
    if args.screenshot:  # for tools, nobody to read a message: an error ends the run with its traceback
        return _screenshot(args, opened)
    if previous_crash is not None:
        msgbox.info(None, "Программа была закрыта аварийно", previous_crash_text(previous_crash))
    window = start_window(args, opened)
    if window is None:
        return 0
    window.setWindowState(window.windowState() | workstations.show_mode(window))
    window.show()
    app.processEvents()  # painted now; the rest of the program loads right after
    QTimer.singleShot(0, lambda: finish_window(window, args, opened))
    server = app.findChild(single_instance.InstanceServer, "instanceServer")
    if server is not None:
        server.activate.connect(lambda: single_instance.bring_forward(window))
    crash_handler = CrashHandler(setup_logging(), app)
    crash_handler.install()  # while the window runs; errors before or after it end the run
    try:
        return app.exec()
    finally:
        crash_handler.uninstall()


def _screenshot(args: argparse.Namespace, opened: Opened) -> int:
    if not opened.demo:
        # Nobody is there to sign in: photograph what a person would see first, never sign in.
        save_screenshot(signin.start_dialog(args.user or ""), Path(args.screenshot), None)
        return 0
    window_fit.simulate_screen(window_fit.parse_size(args.size))  # the windows open on the screen played
    window = build_window(args, opened)
    if window is not None:
        save_screenshot(shown_widget(window, args.show), Path(args.screenshot), args.size)
    return 0
