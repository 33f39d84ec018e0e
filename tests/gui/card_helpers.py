"""Driving the deal card as a user would: typing into fields, choosing, clicking."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget

from ui.deal.field_form import editor_key, message_key
from ui.shell.main_window import MainWindow


def open_card(qtbot, user, deal_id: int):
    """The card of ``deal_id`` in a main window of ``user``."""
    window = MainWindow(user)
    qtbot.addWidget(window)
    card = window.open_deal(deal_id)
    qtbot.waitExposed(card)
    return card


def field(root: QWidget, key: str) -> QWidget:
    return root.findChild(QWidget, editor_key(key))


def message(root: QWidget, key: str) -> str:
    from PySide6.QtWidgets import QLabel

    return root.findChild(QLabel, message_key(key)).text()


def type_into(qtbot, root: QWidget, key: str, text: str) -> None:
    """Replace the text of field ``key`` by typing ``text``."""
    editor: QLineEdit = field(root, key)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    type_text(editor, text)


def type_text(editor: QWidget, text: str) -> None:
    """Key presses carrying ``text`` (QTest.keyClicks cannot type Cyrillic)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def choose(combo: QComboBox, data) -> None:
    """Pick the item carrying ``data`` as a user would (the ``activated`` signal)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def click(qtbot, root: QWidget, name: str) -> None:
    button = root.findChild(QPushButton, name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
