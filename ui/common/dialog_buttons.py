"""The «Сохранить / Отмена» row of a dialog, with Russian button texts."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialogButtonBox

Button = QDialogButtonBox.StandardButton


def dialog_buttons(accept_text: str, reject_text: str, on_accept: Callable[[], object],
                   on_reject: Callable[[], object], *, accept_button: Button = Button.Ok) -> QDialogButtonBox:
    """A button box whose accept button reads ``accept_text`` and the cancel one ``reject_text``."""
    buttons = QDialogButtonBox(accept_button | Button.Cancel)
    buttons.button(accept_button).setText(accept_text)
    buttons.button(Button.Cancel).setText(reject_text)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(on_reject)
    return buttons
