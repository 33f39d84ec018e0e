"""«Настройки → СМС…»: the gateway, its key (this PC's keyring), sender name, test mode, quiet hours,
shop phone, background sending; «Проверить» asks the gateway's balance on a worker thread."""
from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
)

from app.domain.money import format_rub
from app.domain.sms_rules import GATEWAY_NAMES, SmsSettings, parse_hhmm
from app.domain.sms_status import Balance
from app.integrations.sms_gateways import make_gateway
from app.services import sms, sms_settings
from app.store import secrets
from ui.common.dialog_buttons import dialog_buttons
from ui.sms.background import Background
from ui.sms.templates_dialog import TemplatesDialog


def ask_balance(settings: SmsSettings, key: str) -> Balance:
    """The gateway's balance with these settings and key (on the worker thread)."""
    gateway = make_gateway(settings, key)
    try:
        return gateway.balance()
    finally:
        gateway.close()


class SmsSettingsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("smsSettingsDialog")
        self.setWindowTitle("Настройки СМС")
        self.window_ = window
        current = sms.settings()
        self.gateway = QComboBox(objectName="smsGateway")
        for code, name in GATEWAY_NAMES.items():
            self.gateway.addItem(name, code)
        self.gateway.setCurrentIndex(max(self.gateway.findData(current.gateway), 0))
        self.gateway.currentIndexChanged.connect(lambda *_: self._gateway_chosen())
        self.login = QLineEdit(current.login, objectName="smsLogin")
        self.key = QLineEdit(objectName="smsKey", echoMode=QLineEdit.EchoMode.Password)
        self.sender_name = QLineEdit(current.sender, objectName="smsSenderName",
                                     placeholderText="как согласовано со шлюзом, латиницей")
        self.test_mode = QCheckBox("Тестовый режим (SMS.ru: без отправки и без оплаты)", objectName="smsTestMode")
        self.test_mode.setChecked(current.test_mode)
        self.quiet_from = QTimeEdit(self._time(current.quiet_from), objectName="smsQuietFrom", displayFormat="HH:mm")
        self.quiet_to = QTimeEdit(self._time(current.quiet_to), objectName="smsQuietTo", displayFormat="HH:mm")
        self.shop_phone = QLineEdit(current.shop_phone, objectName="smsShopPhone")
        self.auto_send = QCheckBox("Отправлять автоматически (каждую минуту)", objectName="smsAutoSend")
        self.auto_send.setChecked(current.auto_send)
        self.check = QPushButton("Проверить", objectName="smsCheck")
        self.check.clicked.connect(self.check_gateway)
        self.check_result = QLabel(objectName="smsCheckResult", wordWrap=True)
        self.base_url = current.base_url

        form = QFormLayout()
        form.addRow("СМС-шлюз", self.gateway)
        form.addRow("Логин", self.login)
        form.addRow("Ключ API / пароль", self.key)
        form.addRow("Имя отправителя", self.sender_name)
        form.addRow("", self.test_mode)
        quiet = QHBoxLayout()
        quiet.addWidget(QLabel("с"))
        quiet.addWidget(self.quiet_from)
        quiet.addWidget(QLabel("до"))
        quiet.addWidget(self.quiet_to)
        quiet.addWidget(QLabel("(Москва)"))
        quiet.addStretch(1)
        form.addRow("Не отправлять ночью", quiet)
        form.addRow("Телефон магазина", self.shop_phone)
        form.addRow("", self.auto_send)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check)
        check_row.addWidget(self.check_result, 1)
        templates = QPushButton("Шаблоны СМС…", objectName="smsTemplatesButton")
        templates.clicked.connect(self.open_templates)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(check_row)
        layout.addWidget(templates)
        layout.addWidget(dialog_buttons("Сохранить", "Отмена", self.save, self.reject))
        self.background = Background(self, "smsCheckBackground")
        self.background.done.connect(self._checked)
        self.background.failed.connect(lambda message: self.check_result.setText(f"Ошибка: {message}"))
        self._gateway_chosen()

    @staticmethod
    def _time(text: str) -> QTime:
        moment = parse_hhmm(text)
        return QTime(moment.hour, moment.minute)

    def _gateway_chosen(self) -> None:
        settings = self.settings()
        self.login.setEnabled(settings.gateway == "smsc")
        self.test_mode.setEnabled(settings.gateway == "smsru")
        stored = sms_settings.has_key(settings)
        self.key.clear()
        self.key.setPlaceholderText("сохранён на этом компьютере — оставьте пустым, чтобы не менять"
                                    if stored else "не задан на этом компьютере")

    def settings(self) -> SmsSettings:
        """The settings as the dialog shows them."""
        return SmsSettings(gateway=self.gateway.currentData(), login=self.login.text().strip(),
                           sender=self.sender_name.text().strip(), test_mode=self.test_mode.isChecked(),
                           quiet_from=self.quiet_from.time().toString("HH:mm"),
                           quiet_to=self.quiet_to.time().toString("HH:mm"),
                           shop_phone=self.shop_phone.text().strip(), auto_send=self.auto_send.isChecked(),
                           base_url=self.base_url)

    def check_gateway(self) -> None:
        """Ask the balance with the typed (or stored) key, without blocking the window."""
        settings = self.settings()
        key = self.key.text().strip() or secrets.store().get(settings.secret_key) or ""
        if not key:
            self.check_result.setText("Введите ключ API")
            return
        self.check_result.setText("Проверяю…")
        self.background.start(lambda: ask_balance(settings, key))

    def _checked(self, balance: Balance) -> None:
        if balance.problem is not None:
            self.check_result.setText(f"Не получилось: {balance.problem.message}")
        else:
            self.check_result.setText(f"Связь есть. Баланс: {format_rub(balance.kopecks)}")

    def save(self) -> None:
        key = self.key.text()
        done = self.window_.action_runner.run(
            self, "Настройки СМС", lambda: sms_settings.save_settings(self.window_.user, self.settings(), key))
        if done is not None:
            if done.value:
                self.window_.statusBar().showMessage(f"Ключ шлюза сохранён {done.value}", 10_000)
            self.accept()

    def open_templates(self) -> None:
        TemplatesDialog(self.window_, self).open()
