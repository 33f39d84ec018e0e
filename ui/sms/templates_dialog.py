"""The administrator's SMS templates: the list, the text with placeholder buttons, a live preview on a
sample order and the length counter (GSM-7 160/153 or Cyrillic 70/67 characters a part)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.domain.sms_text import PLACEHOLDERS, fill_template, sms_length, template_problems
from app.services import sms, sms_settings
from app.services.sms_manual import MAX_PARTS
from ui.common import msgbox

SAMPLE = {"name": "Анна Сергеевна", "order_no": "128", "debt": "12 500 руб", "transport_company": "СДЭК",
          "waybill_no": "1234567890", "delivery_city": "Москва"}


class TemplatesDialog(QDialog):
    def __init__(self, window, parent=None) -> None:
        super().__init__(parent or window)
        self.setObjectName("smsTemplatesDialog")
        self.setWindowTitle("Шаблоны СМС")
        self.window_ = window
        self.resize(760, 480)
        self.names = QListWidget(objectName="smsTemplateNames")
        self.names.currentTextChanged.connect(self._show)
        self.text = QPlainTextEdit(objectName="smsTemplateText")
        self.text.textChanged.connect(self._preview)
        self.preview = QLabel(objectName="smsTemplatePreview", wordWrap=True)
        self.preview.setStyleSheet("background: #f5f7fa; padding: 6px;")
        self.counter = QLabel(objectName="smsTemplateCounter")
        self.problems = QLabel(objectName="smsTemplateProblems", wordWrap=True)
        self.problems.setStyleSheet("color: #c62828;")
        placeholders = QGridLayout()
        for number, (name, label) in enumerate(PLACEHOLDERS.items()):
            button = QPushButton(label, objectName=f"smsPlaceholder:{name}")
            button.setToolTip(f"{{{name}}}")
            button.clicked.connect(lambda _=False, n=name: self.text.insertPlainText(f"{{{n}}}"))
            placeholders.addWidget(button, number // 4, number % 4)
        add = QPushButton("Новый шаблон…", objectName="smsTemplateAdd")
        add.clicked.connect(self.add)
        save = QPushButton("Сохранить шаблон", objectName="smsTemplateSave")
        save.clicked.connect(self.save)
        reset = QPushButton("Вернуть исходный", objectName="smsTemplateReset")
        reset.clicked.connect(self.reset)
        close = QPushButton("Закрыть")
        close.clicked.connect(self.accept)
        right = QVBoxLayout()
        right.addWidget(QLabel("Текст (подстановки — кнопками ниже):"))
        right.addWidget(self.text, 1)
        right.addLayout(placeholders)
        right.addWidget(QLabel("Так получит клиент:"))
        right.addWidget(self.preview)
        right.addWidget(self.counter)
        right.addWidget(self.problems)
        buttons = QHBoxLayout()
        for button in (add, save, reset):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        right.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.names, 1)
        body.addLayout(right, 3)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        chosen = select or (self.names.currentItem().text() if self.names.currentItem() else None)
        self.names.clear()
        self.names.addItems(list(sms.templates()))
        matches = self.names.findItems(chosen, Qt.MatchFlag.MatchExactly) if chosen else []
        self.names.setCurrentItem(matches[0] if matches else self.names.item(0))

    def _show(self, name: str) -> None:
        self.text.setPlainText(sms.templates().get(name, ""))

    def _preview(self) -> None:
        text = self.text.toPlainText()
        problems = template_problems(text)
        self.problems.setText("; ".join(problems))
        if problems:
            self.preview.setText("—")
            self.counter.setText("")
            return
        filled = fill_template(text, {**SAMPLE, "shop_phone": sms.settings().shop_phone})
        self.preview.setText(filled)
        self.counter.setText(sms_length(filled).describe(MAX_PARTS))

    def _name(self) -> str:
        return self.names.currentItem().text() if self.names.currentItem() else ""

    def save(self) -> None:
        name = self._name()
        if self.window_.action_runner.run(self, "Шаблон СМС", lambda: sms_settings.save_template(
                self.window_.user, name, self.text.toPlainText())) is not None:
            self.reload(name)

    def add(self) -> None:
        name = msgbox.ask_text(self, "Новый шаблон", "Название шаблона:")
        if name and self.window_.action_runner.run(self, "Шаблон СМС", lambda: sms_settings.save_template(
                self.window_.user, name, "{name}, ")) is not None:
            self.reload(name.strip())

    def reset(self) -> None:
        name = self._name()
        if self.window_.action_runner.run(self, "Шаблон СМС", lambda: sms_settings.reset_template(
                self.window_.user, name)) is not None:
            self.reload(name)
