"""The terminal's answer to a scanned offcut label («OC7»): a large bar on the screen with the offcut —
number, material, size and area, the sheet and orders it came from, and where it is now (in the
store, taken by a sheet's layouts, used on a sheet, written off). No modal dialog: a tap on
«Закрыть», Esc or the next scan hides it, and keys typed while it shows go on into the scan field."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.domain import clock
from app.domain.offcuts import area_text
from app.services.offcuts import ScannedOffcut
from app.store.models import Offcut

BUTTON_HEIGHT = 72
STYLES = {  # background, border: in the store blue, gone (used, written off) grey-red
    "ok": ("#e3f2e5", "#2e7d32"),
    "gone": ("#fdecea", "#c62828"),
}


def offcut_lines(found: ScannedOffcut) -> tuple[str, str, str]:
    """The bar's three lines: what the offcut is, where it came from, where it is now."""
    row = found.row
    title = f"Остаток №{row.number} · {row.material} · {row.size} мм · {area_text(row.area)}"
    origin = f"Принят на склад {clock.to_local(row.created_at):%d.%m.%Y}"
    origin += f" с листа раскроя №{row.from_sheet}" if row.from_sheet else ", лист раскроя не записан"
    if found.orders:
        origin += " (заказ" + ("ы " if len(found.orders) > 1 else " ") + ", ".join(found.orders) + ")"
    closed = f" {clock.to_local(found.closed_at):%d.%m.%Y}" if found.closed_at else ""
    if row.status == Offcut.WRITTEN_OFF:
        state = f"Списан{closed} — его нет на складе, в раскрой не брать"
    elif row.status == Offcut.USED:
        state = f"Использован{closed}" + (f" на листе раскроя №{row.used_on}" if row.used_on else "") + \
            " — его уже нет на складе"
    elif row.reserved_for is not None:
        state = f"На складе, взят в раскрой листа №{row.reserved_for}"
    else:
        state = "На складе, свободен"
    return title, origin, state


class OffcutBar(QFrame):
    """Shows one scanned offcut at a time (``number`` None: nothing shown)."""

    typed = Signal(str)  # text typed while it shows (the next scan)
    closed = Signal()

    def __init__(self, point_size: int) -> None:
        super().__init__(objectName="workshopOffcutBar")
        self.number: int | None = None
        self.title = QLabel(objectName="workshopOffcutTitle")
        self.title.setFont(QFont(self.font().family(), point_size + 2, QFont.Weight.Bold))
        self.origin = QLabel(objectName="workshopOffcutOrigin")
        self.state = QLabel(objectName="workshopOffcutState")
        for label in (self.origin, self.state):
            label.setFont(QFont(self.font().family(), point_size))
            label.setWordWrap(True)
        self.title.setWordWrap(True)
        self.close_button = QPushButton("Закрыть", objectName="workshopOffcutClose")
        self.close_button.setFont(QFont(self.font().family(), point_size))  # not inherited inside a styled frame
        self.close_button.setMinimumSize(180, BUTTON_HEIGHT)
        self.close_button.setStyleSheet("QPushButton { background: #eceff1; border: 1px solid #90a4ae;"
                                        " border-radius: 8px; padding: 0 24px; }")
        self.close_button.clicked.connect(self.close_bar)
        texts = QVBoxLayout()
        texts.addWidget(self.title)
        texts.addWidget(self.origin)
        texts.addWidget(self.state)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(16)
        layout.addLayout(texts, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_offcut(self, found: ScannedOffcut) -> None:
        self.number = found.row.number
        title, origin, state = offcut_lines(found)
        self.title.setText(title)
        self.origin.setText(origin)
        self.state.setText(state)
        gone = found.row.status != Offcut.STORED
        background, border = STYLES["gone" if gone else "ok"]
        self.setProperty("gone", gone)
        self.setStyleSheet(f"#workshopOffcutBar {{ background: {background}; border: 2px solid {border};"
                           " border-radius: 10px; }")
        self.show()

    def close_bar(self) -> None:
        if self.number is not None or self.isVisible():
            self.number = None
            self.hide()
            self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc or Enter — close; typing — the next scan."""
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close_bar()
        elif event.text().strip():
            self.typed.emit(event.text())
        else:
            super().keyPressEvent(event)
