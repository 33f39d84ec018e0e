"""«Пользователи»: the administrator adds, renames, sets role and groups, resets passwords and
deactivates users (never deletes them), and changes who may do what («Права»)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import ServiceError
from app.services import people, permissions, users
from app.store.models import User
from ui.common import msgbox
from ui.common.dialog_buttons import dialog_buttons
from ui.common.list_table_model import ListTableModel

INACTIVE = QColor("#8a8a8a")


class UsersModel(ListTableModel):
    HEADERS = ("Имя", "Вход", "Роль", "Группы", "Состояние")

    def set_users(self, rows: list[User]) -> None:
        self.set_rows([(user, ", ".join(g.name for g in people.groups_of(user))) for user in rows])

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        user, groups = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (user.full_name, user.login, user.role_name, groups,
                    "работает" if user.active else "отключён")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QBrush(INACTIVE)
        if role == Qt.ItemDataRole.UserRole:
            return user.id
        return None


class PermissionsModel(QAbstractTableModel):
    """Actions × roles, checkable; the administrator's column is always on."""

    ROLES = permissions.EDITABLE_ROLES + (Role.ADMIN,)

    def __init__(self, set_roles: Callable[[str, set[str]], dict[str, frozenset[str]] | None],
                 parent=None) -> None:
        super().__init__(parent)
        self.set_roles = set_roles  # the screen's action: the new rules, None when refused
        self.actions = list(permissions.ACTION_NAMES)
        self.current: dict[str, frozenset[str]] = {}

    def reload(self) -> None:
        self.beginResetModel()
        self.current = permissions.rules()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.actions)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ROLES)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return Role.NAMES[self.ROLES[section]]
        return permissions.ACTION_NAMES[self.actions[section]]

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.ROLES[index.column()] == Role.ADMIN:
            return Qt.ItemFlag.ItemIsUserCheckable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return None
        role_code = self.ROLES[index.column()]
        on = role_code == Role.ADMIN or role_code in self.current.get(self.actions[index.row()], ())
        return Qt.CheckState.Checked.value if on else Qt.CheckState.Unchecked.value

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        role_code, action = self.ROLES[index.column()], self.actions[index.row()]
        if role_code == Role.ADMIN:
            return False
        roles = set(self.current.get(action, ()))
        (roles.add if value == Qt.CheckState.Checked.value else roles.discard)(role_code)
        rules = self.set_roles(action, roles)
        if rules is None:
            return False
        self.current = rules
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class UserForm(QDialog):
    """Add (login and password too) or change (name, role, groups) a user."""

    def __init__(self, parent: QWidget | None, user: User | None = None) -> None:
        super().__init__(parent, objectName="userForm")
        self.setWindowTitle("Новый пользователь" if user is None else f"Пользователь {user.full_name}")
        self.full_name = QLineEdit(user.full_name if user else "", objectName="userName")
        self.role = QComboBox(objectName="userRole")
        for code, name in Role.NAMES.items():
            self.role.addItem(name, code)
        if user is not None:
            self.role.setCurrentIndex(list(Role.NAMES).index(user.role))
        current = {g.name for g in people.groups_of(user)} if user else set()
        self.groups = {name: QCheckBox(name, checked=name in current) for name in users.group_names()}
        groups_box = QVBoxLayout()
        for box in self.groups.values():
            groups_box.addWidget(box)
        form = QFormLayout(self)
        self.login = self.secret = None
        if user is None:
            self.login = QLineEdit(objectName="userLogin")
            self.secret = QLineEdit(objectName="userPassword", echoMode=QLineEdit.EchoMode.Password)
            form.addRow("Имя входа", self.login)
        form.addRow("Имя и фамилия", self.full_name)
        form.addRow("Роль", self.role)
        form.addRow("Группы", groups_box)
        if self.secret is not None:
            form.addRow("Пароль или PIN", self.secret)
        form.addRow(dialog_buttons("Сохранить", "Отмена", self.accept, self.reject))

    def values(self) -> dict:
        values = {"full_name": self.full_name.text(), "role": self.role.currentData(),
                  "groups": [name for name, box in self.groups.items() if box.isChecked()]}
        if self.login is not None:
            values.update(login=self.login.text(), secret=self.secret.text())
        return values


def ask_user_form(parent: QWidget | None, user: User | None = None) -> dict | None:
    """Seam: the add/change form; its values, or None if cancelled."""
    form = UserForm(parent, user)
    return form.values() if form.exec() == QDialog.DialogCode.Accepted else None


def ask_new_password(parent: QWidget | None, user: User) -> str | None:
    """Seam: a new password or PIN for ``user``, or None if cancelled."""
    dialog = QDialog(parent, objectName="passwordDialog")
    dialog.setWindowTitle(f"Новый пароль: {user.full_name}")
    secret = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    layout = QFormLayout(dialog)
    layout.addRow("Пароль (не короче 8 знаков)" if user.role == Role.ADMIN else "Пароль или PIN", secret)
    layout.addRow(dialog_buttons("Задать пароль", "Отмена", dialog.accept, dialog.reject))
    return secret.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class UsersScreen(QWidget):
    """The administrator's «Пользователи» screen (users and, on its second tab, rights)."""

    def __init__(self, window) -> None:
        super().__init__(objectName="usersScreen")
        self.window_ = window
        self.model = UsersModel(self)
        self.table = QTableView(objectName="usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        buttons = QHBoxLayout()
        for name, title, slot in (("usersAdd", "Добавить…", self.add), ("usersEdit", "Изменить…", self.edit),
                                  ("usersPassword", "Сбросить пароль…", self.reset_password),
                                  ("usersActive", "Отключить / включить", self.toggle_active)):
            button = QPushButton(title, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        people_tab = QWidget()
        people_layout = QVBoxLayout(people_tab)
        people_layout.addLayout(buttons)
        people_layout.addWidget(self.table)
        people_layout.addWidget(QLabel("Пользователей не удаляют: отключённый не может войти и не получает "
                                       "задач, а его имя остаётся в истории сделок.", wordWrap=True))
        self.rights = PermissionsModel(self._set_roles, self)
        self.rights_table = QTableView(objectName="permissionsTable")
        self.rights_table.setModel(self.rights)
        self.rights_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rights_tab = QWidget()
        rights_layout = QVBoxLayout(rights_tab)
        rights_layout.addWidget(QLabel("Кто что может. Администратор может всё; изменения действуют сразу "
                                       "на всех компьютерах.", wordWrap=True))
        rights_layout.addWidget(self.rights_table)
        tabs = QTabWidget(objectName="usersTabs")
        tabs.addTab(people_tab, "Пользователи")
        tabs.addTab(rights_tab, "Права")
        QVBoxLayout(self).addWidget(tabs)
        window.changed.connect(self.on_changed)
        self.refresh()

    def on_changed(self, changes: Changes) -> None:
        if changes.users:
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        try:
            self.model.set_users(users.list_users(self.window_.user))
        except ServiceError:
            self.model.set_users([])
        self.rights.reload()
        self.rights_table.resizeColumnsToContents()
        if selected is not None:
            self.select(selected)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, user_id: int) -> None:
        for row, (user, _) in enumerate(self.model.rows):
            if user.id == user_id:
                self.table.setCurrentIndex(self.model.index(row, 0))

    def _run(self, title: str, action: Callable[[], Done[User]]) -> None:
        done = self.window_.action_runner.run(self, title, action)
        if done is not None:
            self.select(done.value.id)

    def _set_roles(self, action: str, roles: set[str]) -> dict[str, frozenset[str]] | None:
        done = self.window_.action_runner.run(self, "Права не изменены",
                                              lambda: permissions.set_roles(self.window_.user, action, roles))
        return None if done is None else done.value

    def _selected_user(self) -> User | None:
        user_id = self.selected_id()
        if user_id is None:
            msgbox.info(self, "Пользователи", "Выберите пользователя в списке")
            return None
        return User.get_by_id(user_id)

    def add(self) -> None:
        values = ask_user_form(self)
        if values is not None:
            self._run("Пользователь не добавлен", lambda: users.add_user(
                self.window_.user, values["login"], values["full_name"], values["role"], values["secret"],
                values["groups"]))

    def edit(self) -> None:
        user = self._selected_user()
        values = ask_user_form(self, user) if user else None
        if values is not None:
            self._run("Пользователь не изменён", lambda: users.edit_user(
                self.window_.user, user.id, full_name=values["full_name"], role=values["role"],
                groups=values["groups"]))

    def reset_password(self) -> None:
        user = self._selected_user()
        secret = ask_new_password(self, user) if user else None
        if secret is not None:
            self._run("Пароль не изменён", lambda: users.reset_password(self.window_.user, user.id, secret))

    def toggle_active(self) -> None:
        user = self._selected_user()
        if user is None:
            return
        verb = "Включить" if not user.active else "Отключить"
        if msgbox.ask(self, "Пользователи", f"{verb} пользователя «{user.full_name}»?"):
            self._run("Не получилось", lambda: users.set_active(self.window_.user, user.id, not user.active))
