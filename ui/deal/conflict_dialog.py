"""«Сделку изменили на другом компьютере»: both versions side by side; reload theirs or re-apply mine.

A card whose save raised ConflictError calls ``resolve_conflict`` with the values it loaded and the
user's edits; it returns the saved deal (mine re-applied) or None (reload the card).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Done
from app.domain.errors import ConflictError
from app.queries.conflicts import Conflict, describe_deal_conflict, reapply_mine
from app.store.models import Deal, User

RELOAD, REAPPLY = "reload", "reapply"
CLASH_BRUSH = QBrush(QColor("#fde2e1"))


class ConflictDialog(QDialog):
    """The three versions of the changed fields; ``choice`` is RELOAD or REAPPLY after closing."""

    def __init__(self, conflict: Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="conflictDialog")
        self.setWindowTitle(f"Сделка №{conflict.order_no} изменена на другом компьютере")
        self.choice = RELOAD
        message = QLabel(conflict.message, objectName="conflictMessage", wordWrap=True)
        self.table = QTableWidget(len(conflict.fields), 4, objectName="conflictTable")
        self.table.setHorizontalHeaderLabels(
            ["Поле", "Было при открытии", f"Сейчас в базе ({conflict.changed_by})", "Мои изменения"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        bold = QFont()
        bold.setBold(True)
        for row, field in enumerate(conflict.fields):
            cells = (field.label, field.loaded, field.theirs, field.mine)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if field.clash:
                    item.setBackground(CLASH_BRUSH)
                if (column == 2 and field.they_changed) or (column == 3 and field.i_changed):
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        legend = QLabel("Жирным — что изменено; красным — поля, которые изменили и вы, и другой "
                        "пользователь.", wordWrap=True)
        buttons = QDialogButtonBox()
        self.reload_button = QPushButton("Загрузить их версию", objectName="reloadButton")
        self.reload_button.setToolTip("Ваши изменения будут отброшены; карточка покажет данные из базы")
        self.reapply_button = QPushButton("Применить мои поля", objectName="reapplyButton")
        self.reapply_button.setToolTip("Сохранить ваши поля поверх; остальные их изменения останутся")
        self.reapply_button.setShortcut(QKeySequence("Ctrl+Return"))
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.reapply_button.clicked.connect(lambda: self._choose(REAPPLY))
        layout = QVBoxLayout(self)
        for widget in (message, self.table, legend, buttons):
            layout.addWidget(widget)
        self.resize(820, 160 + 32 * len(conflict.fields))

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def cell(self, row: int, column: int) -> str:
        return self.table.item(row, column).text()


def ask_choice(parent: QWidget | None, conflict: Conflict) -> str:
    """Show the dialog and return the user's choice (the seam tests replace)."""
    dialog = ConflictDialog(conflict, parent)
    dialog.exec()
    return dialog.choice


def resolve_conflict(parent: QWidget | None, deal_id: int, loaded: dict[str, Any], mine: dict[str, Any],
                     actor: User | None) -> Done[Deal] | None:
    """After a ConflictError: show the versions until the user reloads (None) or their fields are
    saved on top (the save's result). A conflict that happens again meanwhile is shown again; any
    other refusal reaches the caller (the card's action runner shows it)."""
    while True:
        conflict = describe_deal_conflict(deal_id, loaded, mine)
        if ask_choice(parent, conflict) != REAPPLY:
            return None
        try:
            return reapply_mine(conflict, actor, mine)
        except ConflictError:
            continue
