"""The screens speak Russian: shortcut names as Russian Qt shows them."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence


def test_shortcut_names_are_russian(qapp):
    from ui.shell.app import application

    application()
    native = QKeySequence.SequenceFormat.NativeText
    assert QKeySequence("Ctrl+Return").toString(native) == "Ctrl+Ввод"
    assert QKeySequence("Ctrl+Right").toString(native) == "Ctrl+Вправо"  # qtbase_ru still answers the rest
