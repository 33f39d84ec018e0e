"""«Быстрое добавление» at the top of «Неразобранное»: a name and a phone, Enter creates the deal."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.changes import Changes
from app.services import deals


class QuickAdd(QFrame):
    """Two fields; Enter in either creates a deal (with its automatic task) through the service."""

    def __init__(self, window, parent: QWidget | None = None,
                 after: Callable[[Changes], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickAdd")
        self.window_ = window
        self.after = after
        self.name = QLineEdit(objectName="quickAddName", placeholderText="Имя клиента или сделки")
        self.phone = QLineEdit(objectName="quickAddPhone", placeholderText="Телефон, затем Enter")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        title = QLabel("Быстрое добавление")
        title.setStyleSheet("color: #7a8694; font-size: 11px;")
        layout.addWidget(title)
        layout.addWidget(self.name)
        layout.addWidget(self.phone)
        self.name.returnPressed.connect(self.submit)
        self.phone.returnPressed.connect(self.submit)
        self.setStyleSheet("#quickAdd { background: white; border: 1px dashed #c5ccd6; border-radius: 6px; }")

    def submit(self) -> None:
        """Create the deal; on a refusal keep what was typed and say why."""
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        values = {"contact.full_name": name}
        if self.phone.text().strip():
            values["contact.phone"] = self.phone.text()
        if self.window_.action_runner.run(self, "Сделка не создана", lambda: deals.create_deal(
                self.window_.user, name=name, values=values)) is not None:
            self.name.clear()
            self.phone.clear()
            self.name.setFocus()
