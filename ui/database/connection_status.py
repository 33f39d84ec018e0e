"""The status bar's connection indicator: where the data is, or that the server is not answering."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.store.connection_settings import ConnectionSettings


class ConnectionStatus(QLabel):
    def __init__(self, url: str, demo: bool = False) -> None:
        super().__init__(objectName="connectionStatus")
        self.place = "Демо-база" if demo or not url else ConnectionSettings.from_url(url).describe()
        self.show_state(True, "")

    def show_state(self, online: bool, text: str) -> None:
        """Show ``text`` (red) while offline, else where the data is."""
        if online:
            self.setText(self.place)
            self.setStyleSheet("")
            self.setToolTip("Подключение к базе данных в порядке")
        else:
            self.setText(text)
            self.setStyleSheet("color: #b00020; font-weight: bold;")
            self.setToolTip("Сервер базы данных не отвечает. Несохранённые данные в окнах остаются; "
                            "программа продолжит работу, когда связь восстановится.")
