"""«Настройки → Почта…»: the shop's mailbox (server, port, protection, login, folder, how often to look,
the shop's own address) and its password on this PC; «Проверить подключение» shows the Russian verdict
under the button, «Проверить почту сейчас» runs a round at once."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ServiceError
from app.domain.mail_account import DEFAULT_PORTS, SECURITY_NAMES, MailAccount
from app.integrations.imap_mail import check_account
from app.services import mail_settings
from app.services.mail_settings import MailSettings
from ui.common import msgbox
from ui.common.dialog_buttons import dialog_buttons

CHECK_TIMEOUT_S = 10


class MailSettingsDialog(QDialog):
    def __init__(self, window, check_mail: Callable[[], None] | None = None,
                 checker: Callable[[MailAccount], str] = lambda account: check_account(account, CHECK_TIMEOUT_S),
                 ) -> None:
        super().__init__(window, objectName="mailSettingsDialog")
        self.setWindowTitle("Почта магазина")
        self.window_, self.checker, self.check_mail = window, checker, check_mail
        current = mail_settings.load()
        self.host = QLineEdit(current.host, objectName="mailHost", placeholderText="например, imap.gmail.com")
        self.security = QComboBox(objectName="mailSecurity")
        for code, name in SECURITY_NAMES.items():
            self.security.addItem(name, code)
        self.security.setCurrentIndex(max(self.security.findData(current.security), 0))
        self.port = QSpinBox(objectName="mailPort", minimum=1, maximum=65535, value=current.port)
        self.security.currentIndexChanged.connect(
            lambda: self.port.setValue(DEFAULT_PORTS[self.security.currentData()]))
        self.login = QLineEdit(current.login, objectName="mailLogin", placeholderText="krovatispb@gmail.com")
        self.password = QLineEdit(objectName="mailPassword", echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("сохранён на этом компьютере" if mail_settings.password(current) else
                                         "пароль (для Gmail и Яндекса — пароль приложения)")
        self.folder = QLineEdit(current.folder, objectName="mailFolder")
        self.interval = QSpinBox(objectName="mailInterval", minimum=1, maximum=24 * 60, suffix=" мин",
                                 value=current.interval_minutes)
        self.own_address = QLineEdit(current.own_address, objectName="mailOwnAddress",
                                     placeholderText="письма с него не становятся заявками")
        self.enabled = QCheckBox("Проверять почту автоматически", objectName="mailEnabled", checked=current.enabled)
        form = QFormLayout()
        for label, widget in (("Сервер IMAP:", self.host), ("Защита:", self.security), ("Порт:", self.port),
                              ("Логин:", self.login), ("Пароль:", self.password), ("Папка:", self.folder),
                              ("Проверять каждые:", self.interval), ("Адрес магазина:", self.own_address)):
            form.addRow(label, widget)
        form.addRow("", self.enabled)

        self.check_button = QPushButton("Проверить подключение", objectName="mailCheckButton")
        self.check_button.clicked.connect(self.check)
        self.fetch_button = QPushButton("Проверить почту сейчас", objectName="mailFetchButton")
        self.fetch_button.clicked.connect(self.fetch_now)
        self.fetch_button.setEnabled(check_mail is not None)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.check_button)
        row_layout.addWidget(self.fetch_button)
        row_layout.addStretch(1)
        self.result = QLabel(objectName="mailCheckResult", wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = dialog_buttons("Сохранить", "Отмена", self.save, self.reject,
                                 accept_button=QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (row, self.result, buttons):
            layout.addWidget(widget)
        self.resize(520, 0)

    def settings(self) -> MailSettings:
        """The settings as typed."""
        return MailSettings(host=self.host.text().strip(), port=self.port.value(),
                            security=self.security.currentData(), login=self.login.text().strip(),
                            folder=self.folder.text().strip() or "INBOX", interval_minutes=self.interval.value(),
                            own_address=self.own_address.text().strip(), enabled=self.enabled.isChecked())

    def _show(self, ok: bool, message: str) -> None:
        self.result.setText(("✔ " if ok else "✖ ") + message)
        self.result.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020;")

    def check(self) -> bool:
        """Try the typed settings (and password); the verdict appears under the button."""
        settings = self.settings()
        problems = mail_settings.problems(settings)
        if problems:
            self._show(False, "; ".join(f"{mail_settings.LABELS[p.field]}: {p.message}" for p in problems))
            return False
        password = self.password.text() or mail_settings.password(settings) or ""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._show(True, self.checker(settings.account(password)))
            return True
        except ServiceError as error:
            self._show(False, str(error))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _store(self) -> bool:
        where = self.window_.action_runner.run(self, "Настройки почты", lambda: mail_settings.save(
            self.window_.user, self.settings(), self.password.text() or None))
        if where is None:
            return False
        if where.value:
            msgbox.info(self, "Настройки почты", f"Пароль почты сохранён {where.value}.")
        return True

    def fetch_now(self) -> None:
        """Save what is typed, then read the mailbox at once (in the background)."""
        if self._store() and self.check_mail is not None:
            self.check_mail()
            self._show(True, "Проверяю почту… итог появится в строке состояния.")

    def save(self) -> None:
        if self._store():
            self.accept()
