"""Several PCs in the window: live refresh from another connection, the connection state, the
conflict dialog, «Подключение», backups, and the start on a damaged database."""
from __future__ import annotations

import shutil

import pytest

from app.domain.errors import ConnectionLostError
from app.services import deal_fields, deals
from app.store import backups, files
from app.store.change_feed import ALL_STAGES
from app.store.connection import open_database
from app.store.connection_settings import POSTGRES, SettingsStore
from app.store.db import close_database
from app.store.models import Deal
from app.store.session import Opened
from tests.connections import second_connection
from tests.domain.helpers import new_deal
from ui.common import msgbox
from ui.database import multipc
from ui.database.connection_dialog import ConnectionDialog
from ui.deal import conflict_dialog
from ui.shell.main_window import MainWindow


class Boxes:
    """ui.common.msgbox replaced: records what would have been shown, answers questions with ``answer``."""

    def __init__(self, monkeypatch, answer=True) -> None:
        self.shown: list[tuple[str, str, str]] = []
        for kind in ("info", "error"):
            monkeypatch.setattr(msgbox, kind, lambda parent, title, text, kind=kind:
                                self.shown.append((kind, title, text)))
        monkeypatch.setattr(msgbox, "ask", lambda parent, title, text:
                            self.shown.append(("ask", title, text)) or answer)


@pytest.fixture
def window(qtbot, db, db_url, staff):
    win = MainWindow(staff["manager"])
    qtbot.addWidget(win)
    win.multipc_parts = multipc.install(win, Opened(db, db_url, False), start=False)
    return win


def test_move_on_another_connection_is_announced(qtbot, window, db_url, staff):
    deal = new_deal(staff["manager"])
    poller = window.multipc_parts.poller
    poller.poll()  # first look: remembers where the counter is
    with second_connection(db_url):
        deals.move_deal(deal.id, "first_contact", staff["manager2"])
    with qtbot.waitSignal(window.changed, timeout=2000) as announced:
        poller.timer.timeout.emit()
    changes = announced.args[0]
    assert changes.deal_ids == {deal.id} and changes.stages == ALL_STAGES and changes.tasks
    assert Deal.get_by_id(deal.id).stage == "first_contact"  # what the board will read on refresh
    with qtbot.assertNotEmitted(window.changed):
        deals.move_deal(deal.id, "design", staff["manager"])  # this window's own move
        poller.poll()
    assert poller.timer.objectName() == "changePollTimer" and poller.timer.interval() == 1000


def test_lost_connection_shown_retried_and_back(qtbot, window, monkeypatch):
    parts = window.multipc_parts
    now = [100.0]
    parts.poller.monotonic = lambda: now[0]
    parts.poller.poll()
    place = parts.status.text()

    def server_gone(self):
        raise ConnectionLostError()

    monkeypatch.setattr("app.store.change_feed.ChangeFeed.poll", server_gone)
    parts.poller.poll()
    assert parts.status.text() == "Нет связи с сервером, повторяю…"
    monkeypatch.undo()
    now[0] += 0.5
    with qtbot.assertNotEmitted(window.changed):
        parts.poller.poll()  # too early for the next try
    now[0] += 1
    with qtbot.waitSignal(window.changed, timeout=2000) as announced:
        parts.poller.poll()
    assert parts.status.text() == place and announced.args[0].stages == ALL_STAGES


def _conflict_on(deal, staff):
    loaded = {**deal_fields.current_values(deal), "stage": deal.stage}
    version = deal.version
    deals.update_deal(deal.id, staff["manager2"], {"budget": "50 000", "delivery_city": "Тверь"},
                      expected_version=version)
    return loaded, version


def test_conflict_dialog_shows_both_versions_and_reapplies_mine(qtbot, window, staff, monkeypatch):
    boxes = Boxes(monkeypatch)
    deal = new_deal(staff["manager"], budget="40 000")
    loaded, version = _conflict_on(deal, staff)
    mine = {"budget": "45 000", "products": "Замок с лестницей"}
    with pytest.raises(Exception, match="изменили на другом компьютере"):
        deals.update_deal(deal.id, staff["manager"], mine, expected_version=version)
    seen = {}

    def look_and_reapply(parent, conflict):
        dialog = conflict_dialog.ConflictDialog(conflict, parent)
        qtbot.addWidget(dialog)
        seen.update({dialog.cell(row, 0): [dialog.cell(row, c) for c in (1, 2, 3)]
                     for row in range(dialog.table.rowCount())})
        seen["header"] = dialog.table.horizontalHeaderItem(2).text()
        dialog.grab().save("/tmp/conflict_dialog.png")
        dialog.reapply_button.click()
        return dialog.choice

    monkeypatch.setattr(conflict_dialog, "ask_choice", look_and_reapply)
    saved = conflict_dialog.resolve_conflict(window, deal.id, loaded, mine, staff["manager"]).value
    assert seen["Бюджет сделки"] == ["40\u202f000 руб", "50\u202f000 руб", "45\u202f000 руб"]
    assert seen["Город доставки"][1:] == ["Тверь", "Тверь"]
    assert "Ольга" in seen["header"]
    assert (saved.budget, saved.products, saved.delivery_city) == (45_000_00, "Замок с лестницей", "Тверь")
    assert boxes.shown == []


def test_conflict_reload_keeps_theirs(qtbot, window, staff, monkeypatch):
    deal = new_deal(staff["manager"], budget="40 000")
    loaded, _ = _conflict_on(deal, staff)
    monkeypatch.setattr(conflict_dialog, "ask_choice", lambda parent, conflict: conflict_dialog.RELOAD)
    assert conflict_dialog.resolve_conflict(window, deal.id, loaded, {"budget": "1"}, staff["manager"]) is None
    assert Deal.get_by_id(deal.id).budget == 50_000_00


def test_connection_dialog_checks_and_saves_without_password_in_file(qtbot, tmp_path, monkeypatch):
    boxes = Boxes(monkeypatch)
    store = SettingsStore(tmp_path / "config")
    dialog = ConnectionDialog(store)
    qtbot.addWidget(dialog)
    dialog.server_radio.setChecked(True)
    assert dialog.pages.currentIndex() == 1
    assert not dialog.check().ok and "Заполните" in dialog.result.text()
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    dialog.database.setText("crm")
    dialog.user.setText("shop")
    dialog.password.setText("секрет")
    qtbot.mouseClick(dialog.check_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert "Сервер 127.0.0.1:1 недоступен" in dialog.result.text()
    dialog.show()
    dialog.grab().save("/tmp/connection_dialog.png")
    dialog.save()
    assert store.load().kind == POSTGRES and store.password(store.load()) == "секрет"
    assert "секрет" not in (tmp_path / "config" / "connection.json").read_text()
    assert boxes.shown[-1][0] == "info" and "следующем запуске" in boxes.shown[-1][2]


def test_backup_action_makes_a_zip(qtbot, window, db_url, tmp_path, monkeypatch):
    boxes = Boxes(monkeypatch)
    runner = window.multipc_parts.backups
    runner.threaded = False
    runner.folder = tmp_path / "backups"
    with qtbot.waitSignal(runner.finished, timeout=5000):
        window.multipc_parts.backup_action.trigger()
    kind, title, text = boxes.shown[-1]
    if db_url.startswith("sqlite") or shutil.which("pg_dump"):
        assert kind == "info" and "Резервная копия сохранена" in text
        assert backups.latest_backup(runner.folder) is not None
    else:
        assert kind == "error" and "pg_dump не найдена" in text


def test_start_on_damaged_file_offers_latest_backup(qtbot, tmp_path, fake_clock, monkeypatch):
    from ui.shell.startup_recovery import open_or_recover

    path = tmp_path / "crm.sqlite3"
    files.set_files_root(tmp_path / "files")
    open_database(f"sqlite:///{path}")
    for n in range(60):
        new_deal(None, name=f"Заказ {n}", products="Ярус " * 40)
    backups.backup_sqlite(path, tmp_path / "files")
    close_database()
    data = bytearray(path.read_bytes())
    data[8192:20000] = b"\xa5" * (20000 - 8192)
    path.write_bytes(bytes(data))
    shutil.copyfile(path, tmp_path / "damaged.sqlite3")

    boxes = Boxes(monkeypatch, answer=False)
    assert open_or_recover(f"sqlite:///{path}", False) is None
    assert boxes.shown[0][0] == "ask" and "повреждён" in boxes.shown[0][2]
    assert "Восстановить последнюю резервную копию" in boxes.shown[0][2]

    boxes = Boxes(monkeypatch, answer=True)
    opened = open_or_recover(f"sqlite:///{path}", False)
    try:
        assert opened is not None and Deal.select().count() == 60
        assert boxes.shown[-1][0] == "info"
        assert opened.check.endswith("ошибок нет.")  # the restored file passed the check at start
    finally:
        close_database()
        files.set_files_root(None)


def test_move_on_another_connection_appears_on_this_windows_board(qtbot, window, db_url, staff, tmp_path):
    from app.domain import pipeline
    from tests.gui.board_helpers import board_settings
    from ui.board.board import BoardWidget

    deal = new_deal(staff["manager"])
    board = BoardWidget(window, board_settings(tmp_path))
    window.add_screen("board", "Сделки", board)
    first = pipeline.FIRST_STAGE.code
    assert deal.id in board.column(first).model.deal_ids()
    poller = window.multipc_parts.poller
    poller.poll()
    with second_connection(db_url):  # the workshop terminal moves it
        deals.move_deal(deal.id, "first_contact", staff["manager2"])
    poller.timer.timeout.emit()
    qtbot.waitUntil(lambda: deal.id in board.column("first_contact").model.deal_ids(), timeout=2000)
    assert deal.id not in board.column(first).model.deal_ids()
