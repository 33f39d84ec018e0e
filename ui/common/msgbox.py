"""Every message box and every small question of the program (a line of text, a number, a choice
from a list, a file or folder to open or save) goes through here, so tests can answer them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for «Да»."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("Да")
    box.button(QMessageBox.StandardButton.No).setText("Нет")
    return box.exec() == QMessageBox.StandardButton.Yes


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save(parent: QWidget | None, title: str, text: str, save_label: str = "Сохранить") -> str:
    """Unsaved edits: «Сохранить» (SAVE; ``save_label`` names it), «Не сохранять» (DISCARD) or «Отмена»
    (CANCEL, also Esc)."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons.Save | buttons.Discard | buttons.Cancel, parent)
    for button, label in ((buttons.Save, save_label), (buttons.Discard, "Не сохранять"), (buttons.Cancel, "Отмена")):
        box.button(button).setText(label)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(buttons(answer), CANCEL)


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_text(parent: QWidget | None, title: str, prompt: str, text: str = "") -> str | None:
    """A line of text the user types (``text`` to start from); None when cancelled."""
    typed, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, text)
    return typed if ok else None


def ask_number(parent: QWidget | None, title: str, prompt: str, value: int, lowest: int, highest: int) -> int | None:
    """A whole number between ``lowest`` and ``highest``; None when cancelled."""
    number, ok = QInputDialog.getInt(parent, title, prompt, value, lowest, highest)
    return number if ok else None


def choose(parent: QWidget | None, title: str, prompt: str, items: list[str]) -> int | None:
    """The index of the item the user picks from ``items`` (the first preselected); None when cancelled."""
    picked, ok = QInputDialog.getItem(parent, title, prompt, items, 0, False)
    return items.index(picked) if ok and picked in items else None


def open_file(parent: QWidget | None, title: str, file_filter: str = "") -> Path | None:
    """One existing file the user picks; None when cancelled."""
    name = QFileDialog.getOpenFileName(parent, title, "", file_filter)[0]
    return Path(name) if name else None


def open_files(parent: QWidget | None, title: str, file_filter: str = "") -> list[Path]:
    """Existing files the user picks; empty when cancelled."""
    return [Path(name) for name in QFileDialog.getOpenFileNames(parent, title, "", file_filter)[0]]


def save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str = "", *,
              confirm_overwrite: bool = True) -> Path | None:
    """Where to write a file (``suggested`` to start from); None when cancelled."""
    options = QFileDialog.Option(0) if confirm_overwrite else QFileDialog.Option.DontConfirmOverwrite
    name = QFileDialog.getSaveFileName(parent, title, suggested, file_filter, options=options)[0]
    return Path(name) if name else None


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    """A folder the user picks; None when cancelled."""
    name = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(name) if name else None
