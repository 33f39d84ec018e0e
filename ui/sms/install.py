"""Putting SMS into the main window: «Настройки → СМС…» (the administrator), the «СМС» outbox screen,
the background sender and its line in the status bar."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from app.domain.codes import Role
from ui.sms.outbox_screen import OutboxScreen
from ui.sms.sender import SmsSender
from ui.sms.settings_dialog import SmsSettingsDialog

SCREEN = "sms"
WORKSTATIONS = ("counter",)  # the shop's PCs; the constructor and the workshop have no clients to write to


def open_settings(window) -> SmsSettingsDialog:
    dialog = SmsSettingsDialog(window)
    dialog.open()
    return dialog


def install_sms(window, *, timer: QTimer | None = None, start: bool = True) -> SmsSender | None:
    """Add SMS to a counter window; ``start`` False (screenshots, tests) leaves the sender idle."""
    if window.workstation not in WORKSTATIONS:
        return None
    window.add_screen(SCREEN, "СМС", OutboxScreen(window))
    action = QAction("СМС…", window, objectName="smsSettingsAction")
    action.triggered.connect(lambda: open_settings(window))
    action.setVisible(window.user.role == Role.ADMIN)
    window.user_changed.connect(lambda user: action.setVisible(user.role == Role.ADMIN))
    window.add_menu_action(window.settings_menu, action)
    status = QLabel(objectName="smsStatus")
    window.statusBar().addPermanentWidget(status)
    sender = SmsSender(window, timer)
    sender.statusChanged.connect(status.setText)
    sender.sent.connect(window.announce)
    window.changed.connect(sender.on_changed)
    window.sms_sender = sender
    sender.show_status()
    if start:
        sender.start()
    return sender
