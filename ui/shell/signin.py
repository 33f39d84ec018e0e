"""Signing in: the user list + password or PIN (the last user of this PC is remembered), the
first start (create the administrator), and switching user without restarting.

``ask_first_admin`` and ``ask_sign_in`` are the seams tests patch: nothing here blocks a test.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ServiceError
from app.services import auth, users
from app.store.models import User
from ui.common.dialog_buttons import dialog_buttons

LAST_LOGIN_KEY = "last_login"


def remembered_login() -> str:
    """The login that last signed in on this PC."""
    return str(QSettings().value(LAST_LOGIN_KEY, ""))


def remember(user: User) -> None:
    QSettings().setValue(LAST_LOGIN_KEY, user.login)


class SignInDialog(QDialog):
    """Pick yourself in the list, type the password or PIN, Enter."""

    def __init__(self, parent: QWidget | None = None, preselect: str = "") -> None:
        super().__init__(parent, objectName="signInDialog")
        self.setWindowTitle("Вход")
        self.user: User | None = None
        self.people = QListWidget(objectName="signInUsers")
        for person in auth.sign_in_choices():
            item = QListWidgetItem(f"{person.full_name} · {person.role_name}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.people.addItem(item)
            if person.login == preselect:
                self.people.setCurrentItem(item)
        if self.people.currentRow() < 0 and self.people.count():
            self.people.setCurrentRow(0)
        self.secret = QLineEdit(objectName="signInPassword", echoMode=QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("Пароль или PIN")
        self.message = QLabel(objectName="signInMessage", wordWrap=True)
        self.message.setStyleSheet("color: #a40000")
        buttons = dialog_buttons("Войти", "Отмена", self.try_sign_in, self.reject)
        self.people.itemActivated.connect(lambda _item: self.secret.setFocus())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Кто работает?"))
        layout.addWidget(self.people, 1)
        layout.addWidget(self.secret)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.secret.setFocus()
        self.resize(420, 480)

    def try_sign_in(self) -> None:
        item = self.people.currentItem()
        if item is None:
            self.message.setText("Выберите себя в списке")
            return
        try:
            self.user = auth.sign_in(item.data(Qt.ItemDataRole.UserRole), self.secret.text()).value
        except ServiceError as error:
            self.secret.clear()
            self.message.setText(str(error))
            return
        remember(self.user)
        self.accept()


class FirstAdminDialog(QDialog):
    """The first start: the shop's administrator (then the users, on the «Пользователи» screen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="firstAdminDialog")
        self.setWindowTitle("Первый запуск: администратор")
        self.user: User | None = None
        self.login = QLineEdit("admin", objectName="firstAdminLogin")
        self.full_name = QLineEdit(objectName="firstAdminName")
        self.secret = QLineEdit(objectName="firstAdminPassword", echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(objectName="firstAdminRepeat", echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel(objectName="firstAdminMessage", wordWrap=True)
        self.message.setStyleSheet("color: #a40000")
        form = QFormLayout()
        form.addRow("Имя входа", self.login)
        form.addRow("Имя и фамилия", self.full_name)
        form.addRow("Пароль (не короче 8 знаков)", self.secret)
        form.addRow("Пароль ещё раз", self.repeat)
        buttons = dialog_buttons("Создать", "Отмена", self.create, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("В базе ещё нет пользователей. Создайте администратора: он добавит "
                                "остальных на экране «Пользователи».", wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def create(self) -> None:
        if self.secret.text() != self.repeat.text():
            self.message.setText("Пароли не совпадают")
            return
        try:
            self.user = users.create_first_admin(self.login.text(), self.full_name.text(), self.secret.text()).value
        except ServiceError as error:
            self.message.setText(str(error))
            return
        remember(self.user)
        self.accept()


def ask_first_admin(parent: QWidget | None) -> User | None:
    """Seam: the first-start dialog; the created administrator, or None if cancelled."""
    dialog = FirstAdminDialog(parent)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_sign_in(parent: QWidget | None, preselect: str = "") -> User | None:
    """Seam: the sign-in dialog; the signed-in user, or None if cancelled."""
    dialog = SignInDialog(parent, preselect or remembered_login())
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


def start_dialog(preselect: str = "") -> QDialog:
    """The dialog a start without --demo opens first: the first-start one or the sign-in."""
    if auth.needs_first_admin():
        return FirstAdminDialog(None)
    return SignInDialog(None, preselect or remembered_login())


def sign_in_at_start(preselect: str = "") -> User | None:
    """Start-up without --demo: the first start if needed, then the sign-in (None: quit)."""
    if auth.needs_first_admin():
        return ask_first_admin(None)  # who just typed the password is signed in
    return ask_sign_in(None, preselect)
