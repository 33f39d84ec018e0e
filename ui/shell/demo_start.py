"""``--demo``: a copy of today's demo template; when it has to be built first (the first start of
a day, some seconds), a small window says so and stays painted while the demo is built."""
from __future__ import annotations

import threading

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QLabel

from app.demo import template
from app.demo.opening import open_demo
from app.store.session import Opened

POLL_S = 0.05


def open_demo_showing_progress() -> Opened:
    """Open a fresh demo database, building today's template in a thread meanwhile if needed
    (the database is not open in this thread until then, so the build has it to itself)."""
    if template.is_ready():
        return open_demo()
    from ui.shell.app import application

    app = application()
    notice = QLabel("Готовлю демонстрационную базу…\nЭто нужно раз в день, займёт несколько секунд.",
                    objectName="demoBuilding", alignment=Qt.AlignmentFlag.AlignCenter)
    notice.setWindowTitle(app.applicationDisplayName())
    notice.setMargin(32)
    notice.show()
    failure: list[BaseException] = []

    def build() -> None:
        try:
            template.ensure_template()
        except BaseException as error:  # noqa: BLE001 - raised again in the window's thread
            failure.append(error)

    worker = threading.Thread(target=build, name="demo-template", daemon=True)
    worker.start()
    while worker.is_alive():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, int(POLL_S * 1000))
        worker.join(POLL_S)
    notice.close()
    notice.deleteLater()
    if failure:
        raise failure[0]
    return open_demo()
