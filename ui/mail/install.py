"""Putting the mail intake into the main window: «Настройки → Почта…», «Проверить почту сейчас», the
background checker and its line in the status bar."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from app.services.mail_intake import OpenFolder
from ui.mail.checker import MailChecker, status_text
from ui.mail.settings_dialog import MailSettingsDialog

NOT_ON = ("workshop",)  # the terminal in the workshop never reads the shop's mail


class MailFeature:
    def __init__(self, window, checker: MailChecker) -> None:
        self.window = window
        self.checker = checker
        self.status = QLabel(objectName="mailStatus")
        window.statusBar().addPermanentWidget(self.status)
        checker.finished.connect(self.show_result)
        checker.changed.connect(window.announce)
        window.changed.connect(checker.on_changed)
        settings = QAction("Почта…", window, objectName="mailSettingsAction")
        settings.triggered.connect(self.open_settings)
        window.add_menu_action(window.settings_menu, settings)
        now = QAction("Проверить почту сейчас", window, objectName="mailCheckNowAction")
        now.triggered.connect(self.check_by_hand)
        window.add_menu_action(window.settings_menu, now)
        self.asked = False  # someone asked for a check: say so even when the mailbox is not set up here

    def check_by_hand(self) -> None:
        """«Проверить почту сейчас»."""
        self.asked = True
        self.checker.check_now()

    def show_result(self, result) -> None:
        text = status_text(result)
        self.status.setText(text if result is not None or self.asked else "")
        self.status.setToolTip(text)
        self.status.setStyleSheet("color: #b00020;" if result is not None and result.error else "")

    def open_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self.window, self.check_by_hand)
        dialog.open()
        return dialog


def install_mail(window, *, timer: QTimer | None = None, open_folder: OpenFolder | None = None,
                 threaded: bool = True, start: bool = True) -> MailFeature | None:
    """Add the mail intake to ``window`` and start reading in the background (tests pass a fake timer
    and folder, ``threaded=False``)."""
    if window.workstation in NOT_ON:
        return None
    options = {"open_folder": open_folder} if open_folder is not None else {}
    checker = MailChecker(window, timer=timer, threaded=threaded, **options)
    feature = MailFeature(window, checker)
    window.mail_feature = feature
    if start:
        checker.start()
    return feature
