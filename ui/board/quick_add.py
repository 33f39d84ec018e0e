"""«Быстрое добавление» at the top of «Неразобранное»: the client's name, a phone and (if known) the bed
model; Enter creates the deal «Фамилия Имя (модель)» with the contact «Фамилия Имя»."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.bed_models import BED_MODELS
from app.domain.changes import Changes
from app.domain.names import quick_deal_names
from app.services import deals


class QuickAdd(QFrame):
    """Three fields; Enter in any creates a deal (with its automatic task) through the service."""

    def __init__(self, window, parent: QWidget | None = None,
                 after: Callable[[Changes], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickAdd")
        self.window_ = window
        self.after = after
        self.name = QLineEdit(objectName="quickAddName", placeholderText="Фамилия Имя клиента")
        self.phone = QLineEdit(objectName="quickAddPhone", placeholderText="Телефон, затем Enter")
        self.model = QComboBox(objectName="quickAddModel", editable=True)
        self.model.addItems(["", *BED_MODELS])
        self.model.lineEdit().setPlaceholderText("Модель кровати (если известна)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        title = QLabel("Быстрое добавление")
        title.setStyleSheet("color: #7a8694; font-size: 11px;")
        layout.addWidget(title)
        layout.addWidget(self.name)
        layout.addWidget(self.phone)
        layout.addWidget(self.model)
        for edit in (self.name, self.phone, self.model.lineEdit()):
            edit.returnPressed.connect(self.submit)
        self.setStyleSheet("#quickAdd { background: white; border: 1px dashed #c5ccd6; border-radius: 6px; }")

    def submit(self) -> None:
        """Create the deal; on a refusal keep what was typed and say why."""
        client, name = quick_deal_names(self.name.text(), self.model.currentText())
        if not client:
            self.name.setFocus()
            return
        values = {"contact.full_name": client}
        if self.phone.text().strip():
            values["contact.phone"] = self.phone.text()
        if self.window_.action_runner.run(self, "Сделка не создана", lambda: deals.create_deal(
                self.window_.user, name=name, values=values)) is not None:
            self.name.clear()
            self.phone.clear()
            self.model.setCurrentIndex(0)
            self.name.setFocus()
