"""Key names in shortcuts as Russian Qt shows them («Ввод», not «Return»): the few that Qt's own
Russian translation (qtbase_ru) leaves in English."""
from __future__ import annotations

from PySide6.QtCore import QTranslator

KEY_NAMES = {"Return": "Ввод", "Enter": "Ввод"}  # Del, Esc, PgUp… are printed so on Russian keyboards


class KeyNamesTranslator(QTranslator):
    """Answers Qt's ``QShortcut`` context (where key names are translated) from KEY_NAMES."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        if context == "QShortcut" and source in KEY_NAMES:
            return KEY_NAMES[source]
        return None  # a null string: the next translator (qtbase_ru) answers

    def isEmpty(self) -> bool:
        return False
