"""Every window and dialog of the program opens inside a small laptop's screen (1366×768, 1280×800)
with its buttons reachable; sizes are remembered per PC but never restored larger than the screen.

The windows are found by walking ``ui``: a new QDialog or QMainWindow subclass that this test cannot
open fails it until a way to open it is added to FACTORIES (one taking ``(window)`` is opened as is).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from argparse import Namespace
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QDialog, QMainWindow, QWidget

import ui
from app.services.deals import deal_id_for_order
from app.store import files
from app.store.connection import open_database
from app.store.connection_settings import SettingsStore
from app.store.db import close_database
from app.store.models import User
from app.store.session import Opened
from tests.conftest import copy_demo
from ui.common import window_fit

SCREENS = [QSize(1366, 768), QSize(1280, 800)]


def _dialog_classes() -> dict[str, type]:
    """Every QDialog / QMainWindow subclass defined under ui/."""
    found = {}
    for module_info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, (QDialog, QMainWindow)):
                found[f"{cls.__module__}.{name}"] = cls
    return found


@pytest.fixture
def demo(demo_shop, tmp_path, fake_clock, qapp):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    copy_demo(demo_shop, url, tmp_path / "files")
    files.set_files_root(tmp_path / "files")
    opened = Opened(open_database(url), url, True)
    yield opened
    close_database()
    files.set_files_root(None)


def _main_window(opened, workstation="counter", login="admin"):
    from ui.shell.app import build_window

    args = Namespace(workstation=workstation, user=login, show=None, screenshot="x.png")
    return build_window(args, opened)


def _conflict(window):
    from app.queries.conflicts import describe_deal_conflict

    deal_id = deal_id_for_order(15)
    return describe_deal_conflict(deal_id, {"name": "Было"}, {"name": "Моё"})


FACTORIES = {
    "ui.shell.main_window.MainWindow": lambda w, o: _main_window(o),
    "ui.deal.card.DealCard": lambda w, o: w.open_deal(deal_id_for_order(15)),
    "ui.deal.gate_form.GateForm": lambda w, o: __import__("ui.deal.gate_form", fromlist=["x"]).GateForm(
        w, deal_id_for_order(1), "invoice"),
    "ui.deal.conflict_dialog.ConflictDialog": lambda w, o: __import__(
        "ui.deal.conflict_dialog", fromlist=["x"]).ConflictDialog(_conflict(w), w),
    "ui.tasks.dialogs.DueDialog": lambda w, o: __import__("ui.tasks.dialogs", fromlist=["x"]).DueDialog(
        w, date(2026, 12, 3), time(10, 0)),
    "ui.cutsheets.order_docs.OrderDocsDialog": lambda w, o: __import__(
        "ui.cutsheets.order_docs", fromlist=["x"]).OrderDocsDialog(w, deal_id_for_order(15)),
    "ui.shell.about.AboutDialog": lambda w, o: __import__("ui.shell.about", fromlist=["x"]).AboutDialog(w, o),
    "ui.admin.users.UserForm": lambda w, o: __import__("ui.admin.users", fromlist=["x"]).UserForm(
        w, User.get(User.login == "admin")),
    "ui.database.connection_dialog.ConnectionDialog": lambda w, o: __import__(
        "ui.database.connection_dialog", fromlist=["x"]).ConnectionDialog(SettingsStore(Path(o.url[10:]).parent), w),
    "ui.shell.signin.SignInDialog": lambda w, o: __import__("ui.shell.signin", fromlist=["x"]).SignInDialog(w),
    "ui.shell.signin.FirstAdminDialog": lambda w, o: __import__("ui.shell.signin", fromlist=["x"]).FirstAdminDialog(w),
    "ui.papers.settings_form.SettingsForm": lambda w, o: __import__(  # the requisites: the largest of the three
        "ui.papers.install", fromlist=["x"]).details_dialog(w),
    "ui.papers.card_papers.PaperDialog": lambda w, o: __import__("ui.papers.card_papers", fromlist=["x"]).PaperDialog(
        w, _paper()),
    "ui.mail.compose.ComposeDialog": lambda w, o: __import__("ui.mail.compose", fromlist=["x"]).ComposeDialog(
        w, _letter_form()),
    "ui.cutsheets.banding_dialog.BandingTypesDialog": lambda w, o: __import__(
        "ui.cutsheets.banding_dialog", fromlist=["x"]).BandingTypesDialog(w),
    "ui.cutsheets.labels_dialog.LabelSettingsDialog": lambda w, o: __import__(
        "ui.cutsheets.labels_dialog", fromlist=["x"]).LabelSettingsDialog(w),
    "ui.cutsheets.part_files.ColumnMappingDialog": lambda w, o: _column_mapping(w),
    "ui.cutsheets.cut_done.CutDoneDialog": lambda w, o: __import__(
        "ui.cutsheets.cut_done", fromlist=["x"]).CutDoneDialog(w, 1, _proposed_offcuts(), [2]),
}


def _letter_form():
    from app.services.mail_replies import LetterForm

    quote = "\n".join(f"> строка письма клиента {number}" for number in range(80))
    return LetterForm(deal_id_for_order(15), 1, "test@test.ru", "Re: Кровать МИА", f"\n\n{quote}",
                      "Ответ на письмо «Кровать МИА» от Ирина Петрова <test@test.ru>")


def _column_mapping(window):
    """The columns of the widest sample (MaxCut's 15 columns), as for a spreadsheet of the shop's own."""
    from app.services.part_import import open_parts_file
    from ui.cutsheets.part_files import ColumnMappingDialog

    table = open_parts_file(Path(__file__).parents[1] / "fixtures" / "parts" / "maxcut.xlsx").value.table
    return ColumnMappingDialog(window, table, table.columns)


def _proposed_offcuts():
    from app.domain.offcuts import NewOffcut

    return [NewOffcut("Фанера 18", 2420, 300 + 10 * n, f"Фанера 18, лист {n} из 9") for n in range(1, 10)]


def _paper():
    from app.services.client_papers import ORDER_FORM, Paper

    return Paper(ORDER_FORM, "Бланк заказа №15", deal_id_for_order(15), 15, 0, Path("бланк.pdf"), "бланк.pdf")


EXTRA = {  # top-level windows shown by functions, not classes of their own; and the other workstations
    "constructor window": lambda w, o: _main_window(o, "constructor", "constructor"),
    "workshop window": lambda w, o: _main_window(o, "workshop", "chief"),
}


def _open(qtbot, make, window, opened) -> QWidget:
    widget = make(window, opened)
    if widget is not window and not widget.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
        qtbot.addWidget(widget)
    return widget


def _assert_fits(widget: QWidget, screen: QSize, what: str) -> None:
    area = QRect(0, 0, screen.width(), screen.height())
    frame = widget.frameGeometry()
    assert area.contains(frame), f"{what}: {frame} does not fit {screen}"
    for button in widget.findChildren(QAbstractButton):
        in_scroll = isinstance(button.parent(), QWidget) and _scrolled(button)
        if button.isVisibleTo(widget) and button.window() is widget and not in_scroll:
            corner = button.mapTo(widget, button.rect().bottomRight())
            assert widget.rect().contains(corner), f"{what}: «{button.text()}» is outside the window"


def _scrolled(widget: QWidget) -> bool:
    """Whether ``widget`` sits in a scrolled area (reachable by scrolling)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _fits_every_screen(widget: QWidget, what: str) -> None:
    """Shown on each laptop screen in turn, as if opened there first."""
    for screen in SCREENS:
        widget.hide()
        widget.setProperty(window_fit._FITTED, None)
        window_fit.simulate_screen(screen)
        if isinstance(widget, QMainWindow):
            widget.resize(screen)  # as maximised: its minimum size must fit
        widget.show()
        QApplication.processEvents()
        _assert_fits(widget, screen, what)


def test_every_window_and_dialog_fits_a_laptop_screen(qtbot, demo, own_qsettings):
    window_fit.install(QApplication.instance())
    window = _main_window(demo)
    qtbot.addWidget(window)
    missing = []
    for name, cls in sorted(_dialog_classes().items()):
        make = FACTORIES.get(name)
        if make is None and list(inspect.signature(cls).parameters)[:1] == ["window"]:
            make = lambda w, o, cls=cls: cls(w)  # noqa: E731
        if make is None:
            missing.append(name)
            continue
        widget = _open(qtbot, make, window, demo)
        _fits_every_screen(widget, name)
        if widget is not window:
            widget.close()
    for what, make in EXTRA.items():
        widget = _open(qtbot, make, window, demo)
        _fits_every_screen(widget, what)
        widget.close()
    assert not missing, f"add a way to open these windows to FACTORIES: {missing}"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_remembered_size_is_never_restored_larger_than_the_screen(qtbot, own_qsettings, monkeypatch):
    window_fit.install(QApplication.instance())
    monkeypatch.setattr(window_fit, "_simulated", QSize(1920, 1080))
    dialog = QDialog(objectName="fitProbe")
    qtbot.addWidget(dialog)
    dialog.resize(1700, 1000)
    dialog.show()
    dialog.hide()  # remembered: 1700×1000
    monkeypatch.setattr(window_fit, "_simulated", QSize(1280, 800))
    again = QDialog(objectName="fitProbe")
    qtbot.addWidget(again)
    again.show()
    assert QRect(0, 0, 1280, 800).contains(again.frameGeometry())
    assert again.width() > 1200 and again.height() > 700
    again.resize(900, 600)
    again.hide()
    third = QDialog(objectName="fitProbe")
    qtbot.addWidget(third)
    third.show()
    assert (third.width(), third.height()) == (900, 600)


def test_the_main_window_is_fitted_to_the_real_screen_when_the_program_starts(qtbot, demo, own_qsettings,
                                                                              monkeypatch):
    """As `python main.py` shows it: no screen played, the window asks Qt for its monitor (the main
    window's own screens must not hide QWidget.screen(): the start crashed in Qt's event filter)."""
    window_fit.install(QApplication.instance())
    monkeypatch.setattr(window_fit, "_simulated", None)
    window = _main_window(demo)
    qtbot.addWidget(window)
    window.show()
    area = QApplication.primaryScreen().availableGeometry()
    assert window_fit.available_area(window) == area  # its monitor's free area, asked of Qt
    assert area.contains(window.geometry().topLeft()) and window.screen_widget("board").isVisible()


def _columns_shown(board) -> float:
    """How many stage columns the board's visible width holds (the first column's pitch)."""
    first = board.visible_columns()[0]
    pitch = board.visible_columns()[1].x() - first.x()
    return board.scroll.viewport().width() / pitch


def test_reminders_fold_to_a_strip_and_the_board_shows_four_and_a_half_columns(qtbot, demo, own_qsettings,
                                                                               monkeypatch):
    monkeypatch.setattr(window_fit, "_simulated", QSize(1280, 800))
    window = _main_window(demo, "counter", "tatiana")
    qtbot.addWidget(window)
    window_fit.fill_screen(window)
    window.show()
    panel = window.tasks_feature.panel
    panel.show()
    QApplication.processEvents()
    assert panel.collapsed and panel.width() <= 40  # a 1280 px screen: a strip at first
    assert _columns_shown(window.screen_widget("board")) >= 4.5
    panel.findChild(QAbstractButton, "reminderStrip").click()
    assert not panel.collapsed and panel.body.isVisible()
    again = _main_window(demo, "counter", "tatiana")  # the next start on this PC: as left
    qtbot.addWidget(again)
    assert not again.tasks_feature.panel.collapsed
    again.tasks_feature.panel.findChild(QAbstractButton, "reminderCollapse").click()
    third = _main_window(demo, "counter", "tatiana")
    qtbot.addWidget(third)
    assert third.tasks_feature.panel.collapsed


def test_show_users_on_a_pc_remembered_as_the_workshop_terminal(screenshot):
    from PySide6.QtCore import QSettings

    QSettings().setValue("workstation", "workshop")  # this PC is remembered as the terminal
    image = screenshot("--show", "users", "--size", "1280x800")  # was a KeyError
    assert (image.width(), image.height()) == (1280, 800)
