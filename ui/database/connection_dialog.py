"""«Подключение»: this PC works on the SQLite file or on the shop's PostgreSQL server.

«Проверить подключение» tries the settings and shows the Russian diagnosis in the dialog; «Сохранить»
remembers them for this PC (the password in the keyring or a private file), used from the next start.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.store.connection_check import CheckResult, check_connection
from app.store.connection_settings import POSTGRES, SQLITE, ConnectionSettings, SettingsStore
from app.store.db import default_url, sqlite_path
from ui.common import msgbox
from ui.common.dialog_buttons import dialog_buttons


def _with_browse(edit: QLineEdit, pick: Callable[[], Path | None]) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit)
    button = QPushButton("Обзор…")
    button.clicked.connect(lambda: (chosen := pick()) is not None and edit.setText(str(chosen)))
    row.addWidget(button)
    return box


class ConnectionDialog(QDialog):
    def __init__(self, store: SettingsStore, parent: QWidget | None = None,
                 checker: Callable[[str], CheckResult] = check_connection) -> None:
        super().__init__(parent, objectName="connectionDialog")
        self.setWindowTitle("Подключение к базе данных")
        self.store, self.checker = store, checker
        current = store.load() or ConnectionSettings()

        self.sqlite_radio = QRadioButton("Файл на этом компьютере (SQLite) — один компьютер",
                                         objectName="sqliteRadio")
        self.server_radio = QRadioButton("Сервер магазина (PostgreSQL) — несколько компьютеров",
                                         objectName="serverRadio")
        kinds = QButtonGroup(self)
        kinds.addButton(self.sqlite_radio)
        kinds.addButton(self.server_radio)

        self.sqlite_file = QLineEdit(current.sqlite_file, objectName="sqliteFile",
                                     placeholderText=str(sqlite_path(default_url())))
        sqlite_page = QWidget()
        sqlite_form = QFormLayout(sqlite_page)
        sqlite_form.addRow("Файл базы:", _with_browse(self.sqlite_file, self._pick_file))

        self.host = QLineEdit(current.host, objectName="host", placeholderText="например, 192.168.1.10")
        self.port = QSpinBox(objectName="port", minimum=1, maximum=65535, value=current.port)
        self.database = QLineEdit(current.database, objectName="database")
        self.user = QLineEdit(current.user, objectName="user")
        self.password = QLineEdit(objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("сохранён" if store.password(current) else "")
        self.files_dir = QLineEdit(current.files_dir, objectName="filesDir",
                                   placeholderText="общая папка на сервере, например \\\\server\\crm-files")
        server_page = QWidget()
        server_form = QFormLayout(server_page)
        server_form.addRow("Сервер:", self.host)
        server_form.addRow("Порт:", self.port)
        server_form.addRow("База данных:", self.database)
        server_form.addRow("Пользователь:", self.user)
        server_form.addRow("Пароль:", self.password)
        server_form.addRow("Папка файлов:", _with_browse(self.files_dir, self._pick_folder))

        self.pages = QStackedWidget()
        self.pages.addWidget(sqlite_page)
        self.pages.addWidget(server_page)
        self.sqlite_radio.toggled.connect(lambda on: self.pages.setCurrentIndex(0 if on else 1))
        (self.server_radio if current.kind == POSTGRES else self.sqlite_radio).setChecked(True)
        self.pages.setCurrentIndex(1 if current.kind == POSTGRES else 0)

        self.check_button = QPushButton("Проверить подключение", objectName="checkButton")
        self.check_button.clicked.connect(self.check)
        self.result = QLabel(objectName="checkResult", wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = dialog_buttons("Сохранить", "Отмена", self.save, self.reject,
                                 accept_button=QDialogButtonBox.StandardButton.Save)
        self.check_button.setShortcut(QKeySequence("Ctrl+T"))

        layout = QVBoxLayout(self)
        for widget in (self.sqlite_radio, self.server_radio, self.pages, self.check_button, self.result,
                       buttons):
            layout.addWidget(widget)
        self.resize(560, 0)

    def settings(self) -> ConnectionSettings:
        """The settings as typed."""
        if self.sqlite_radio.isChecked():
            return ConnectionSettings(kind=SQLITE, sqlite_file=self.sqlite_file.text().strip())
        return ConnectionSettings(kind=POSTGRES, host=self.host.text().strip(), port=self.port.value(),
                                  database=self.database.text().strip(), user=self.user.text().strip(),
                                  files_dir=self.files_dir.text().strip())

    def _password(self, settings: ConnectionSettings) -> str | None:
        return self.password.text() or self.store.password(settings)

    def _missing(self, settings: ConnectionSettings) -> str:
        if settings.kind == POSTGRES:
            empty = [name for name, value in (("сервер", settings.host), ("база данных", settings.database),
                                              ("пользователь", settings.user)) if not value]
            if empty:
                return "Заполните: " + ", ".join(empty) + "."
        return ""

    def check(self) -> CheckResult:
        """Try the typed settings; the verdict appears under the button."""
        settings = self.settings()
        problem = self._missing(settings)
        if problem:
            result = CheckResult(False, problem)
        else:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                result = self.checker(settings.url(self._password(settings)))
            finally:
                QGuiApplication.restoreOverrideCursor()
        self.result.setText(("✔ " if result.ok else "✖ ") + result.message)
        self.result.setStyleSheet("color: #1b5e20;" if result.ok else "color: #b00020;")
        return result

    def save(self) -> None:
        settings = self.settings()
        problem = self._missing(settings)
        if problem:
            msgbox.error(self, "Подключение", problem)
            return
        where = self.store.save(settings, self.password.text() or None)
        text = "Настройки подключения сохранены на этом компьютере."
        if where:
            text += f" Пароль хранится {where}."
        msgbox.info(self, "Подключение", text + " Программа подключится к выбранной базе при следующем запуске.")
        self.accept()

    def _pick_file(self) -> Path | None:
        return msgbox.save_file(self, "Файл базы данных", self.sqlite_file.text(), "База SQLite (*.sqlite3 *.db)",
                                confirm_overwrite=False)

    def _pick_folder(self) -> Path | None:
        return msgbox.choose_folder(self, "Папка файлов", self.files_dir.text())
