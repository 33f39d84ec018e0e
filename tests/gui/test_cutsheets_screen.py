"""The constructor's cut-sheet screen: create a sheet from selected orders, edit an order's
documents with a spreadsheet paste, save the PDF built in the background, hand over to production."""
from __future__ import annotations

import threading

import pytest
from pypdf import PdfReader

from app.domain.specs import PART_COLUMNS
from app.services import cutsheets, deals
from app.store.models import PartSpec, Task
from tests.domain.helpers import cutting_deal
from tests.gui.print_helpers import print_dialog_to
from ui.cutsheets import order_docs
from ui.cutsheets import screen as screen_module
from ui.cutsheets.install import install_cutsheets, show_cutsheet
from ui.cutsheets.models import RowsModel, SpecTableModel
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, staff):
    win = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(win)
    install_cutsheets(win)
    return win


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: seen.append(text))
    monkeypatch.setattr("ui.common.msgbox.info", lambda parent, title, text: seen.append(text))
    monkeypatch.setattr("ui.common.msgbox.ask", lambda parent, title, text: True)
    return seen


def _select(screen, deal_ids):
    selection = screen.orders_view.selectionModel()
    for deal_id in deal_ids:
        row = screen.orders.row_of(deal_id)
        selection.select(screen.orders.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


def test_create_sheet_from_selected_orders_and_hand_over(window, staff, messages):
    first = cutting_deal(staff["manager"], name="Иванова Ярус")
    second = cutting_deal(staff["manager"], name="Петров Остров")
    screen = window.cutsheets
    screen.refresh()
    assert screen.orders.rowCount() == 2
    _select(screen, [first.id, second.id])
    screen.material.setCurrentText("Фанера 18")
    assert not screen.buttons["print"].isEnabled()  # no sheet open yet
    screen.create_sheet()
    assert messages == []
    assert screen.sheets.rowCount() == 1 and screen.current == 1
    assert screen.title.text() == "Лист раскроя №1"
    assert "Фанера 18" in screen.info.text()
    assert screen.sheet_orders.rowCount() == 2
    screen.to_production()
    assert {deals.load_deal(d.id).stage for d in (first, second)} == {"production"}
    assert Task.select().where(Task.rule == "production.accept").count() == 2
    assert screen.orders.rowCount() == 0  # the view refreshed after the announce
    assert not screen.buttons["production"].isEnabled()


def test_create_without_selection_says_why(window, messages):
    window.cutsheets.create_sheet()
    assert messages == ["Выберите заказы для листа раскроя"]


def test_save_pdf_built_in_background(window, staff, messages, monkeypatch, qtbot, tmp_path):
    deal = cutting_deal(staff["manager"], name="Краева Ярус", **{"contact.full_name": "Краева Ольга Сергеевна"})
    cutsheets.create_cut_sheet(staff["constructor"], [deal.id])
    target = tmp_path / "лист.pdf"
    monkeypatch.setattr("ui.common.msgbox.save_file", lambda parent, title, suggested, file_filter="": target)
    show_cutsheet(window, "cutsheet:1")
    screen = window.cutsheets
    assert screen.current == 1
    screen.save_pdf()
    assert screen.job is not None and not screen.progress.isHidden()
    assert not screen.buttons["save"].isEnabled()  # one build at a time
    qtbot.waitUntil(lambda: screen.job is None and target.exists(), timeout=30_000)
    text = "\n".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert f"ЗАКАЗ № {deal.order_no}" in text and "Краева" in text
    assert "Чертеж не приложен" in screen.warnings.text()
    assert screen.progress.isHidden() and screen.buttons["save"].isEnabled()


def test_order_documents_paste_and_save(window, staff, messages, qtbot):
    deal = cutting_deal(staff["manager"], name="Иванова Ярус")
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    dialog.parts.paste("Деталь\tМатериал\tТолщина\tДлина\tШирина\tКол-во\n"
                       "Боковина\tФанера 18\t18\t2000\t400\t2\t2\t2\n"
                       "Царга\tФанера 18\t18\t0\t150\t4\n")
    assert dialog.parts.model.rowCount() == 1
    assert messages and "Строка 3" in messages[0] and "Длина" in messages[0]
    dialog.hardware.paste("Конфирмат 7×50\tКФ-750\t48\tшт")
    dialog.fields["dimensions"].setText("1900×800")
    dialog.save()
    parts = list(PartSpec.select().where(PartSpec.deal == deal.id))
    assert [(p.name, p.length, p.edge_l1) for p in parts] == [("Боковина", 2000, "2")]
    assert dialog.result() == dialog.DialogCode.Accepted


def test_order_documents_import_a_cutting_programs_csv(window, staff, messages, qtbot, tmp_path):
    deal = cutting_deal(staff["manager"], name="Иванова Ярус")
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    export = tmp_path / "maxcut.csv"
    export.write_bytes("Name;Length;Width;Quantity;Material\nБоковина;2000;400;2;Фанера 18\nЦарга;0;150;4;Фанера 18\n"
                       .encode("cp1251"))
    dialog.parts.import_file(export)
    assert dialog.parts.model.rowCount() == 1
    assert messages and "Строка 3" in messages[0] and "Длина" in messages[0]
    dialog.save()
    assert [(p.name, p.length, p.thickness) for p in PartSpec.select().where(PartSpec.deal == deal.id)] == [
        ("Боковина", 2000, 18)]


def test_order_documents_bad_row_keeps_dialog_open(window, staff, messages, qtbot):
    deal = cutting_deal(staff["manager"], name="Иванова Ярус")
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    dialog.parts.model.insertRows(0, 1)
    dialog.parts.model.setData(dialog.parts.model.index(0, 0), "Боковина")
    dialog.save()
    assert messages and "Строка 1" in messages[-1]
    assert PartSpec.select().count() == 0 and dialog.result() != dialog.DialogCode.Accepted


def test_models_pass_the_model_tester(qtmodeltester, db):
    rows = RowsModel(["a", "b"])
    rows.set_rows([("1", "2"), ("3", "4")], [10, 20])
    qtmodeltester.check(rows)
    spec = SpecTableModel(PART_COLUMNS)
    spec.insertRows(0, 2)
    qtmodeltester.check(spec)


def test_print_renders_every_page_onto_the_printer(tmp_path, qapp):
    from PySide6.QtPrintSupport import QPrinter
    from reportlab.pdfgen import canvas

    from ui.cutsheets.printing import print_pdf

    source = tmp_path / "three.pdf"
    pdf = canvas.Canvas(str(source))
    for number in range(3):
        pdf.drawString(100, 700, f"page {number + 1}")
        pdf.showPage()
    pdf.save()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    seen = []
    assert print_pdf(source, printer, lambda done, total: seen.append((done, total))) == 3
    assert seen[-1] == (3, 3)
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == 3


def test_open_pdf_in_viewer_and_copy_parts(window, staff, messages, monkeypatch, qtbot):
    source = cutting_deal(staff["manager"], name="Иванова Ярус")
    target = cutting_deal(staff["manager"], name="Петрова Ярус")
    from app.services import specs
    specs.save_parts(source.id, None, [{"name": "Стойка", "material": "Массив сосны 40", "thickness": "40",
                                        "length": "1750", "width": "80", "quantity": "4"}])
    dialog = order_docs.OrderDocsDialog(window, target.id)
    qtbot.addWidget(dialog)
    dialog.copy_from(source.id)
    assert [line["name"] for line in dialog.parts.model.values()] == ["Стойка"]
    cutsheets.create_cut_sheet(staff["constructor"], [source.id, target.id])
    opened = []
    monkeypatch.setattr(screen_module, "open_in_viewer",
                        lambda path: opened.append((path, threading.current_thread() is threading.main_thread())))
    screen = window.cutsheets
    screen.open_sheet(1)
    screen.open_pdf()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    path, in_gui_thread = opened[0]
    assert path.name == "Лист раскроя 1.pdf" and path.stat().st_size > 0
    assert in_gui_thread  # the worker built it; the result came back to the GUI thread


def test_cutsheet_screenshot_from_command_line(screenshot):
    assert screenshot("--workstation", "constructor", "--show", "cutsheet:1").width() == 1600


def test_production_form_saved_from_dialog(window, staff, messages, qtbot):
    from app.services import specs

    deal = cutting_deal(staff["manager"], name="Сидорова Остров")
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    assert dialog.model_box.currentText() == "Остров"  # recognised in the deal's name
    dialog.model_box.setCurrentText("Замок")
    dialog.fields["colour"].setText("Розовый RAL 3015")
    dialog.options.setPlainText("окно в стене")
    dialog.save()
    form = specs.form_of(deals.load_deal(deal.id))
    assert (form.bed_model, form.colour, form.options) == ("Замок", "Розовый RAL 3015", "окно в стене")


def test_print_button_prints_every_page_from_the_worker(window, staff, messages, monkeypatch, qtbot, tmp_path):
    deal = cutting_deal(staff["manager"], name="Краева Ярус")
    cutsheets.create_cut_sheet(staff["constructor"], [deal.id])
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr(screen_module, "ask_print", print_dialog_to(printed))
    screen = window.cutsheets
    screen.open_sheet(1)
    screen.print_pack()
    qtbot.waitUntil(lambda: screen.job is None, timeout=60_000)
    assert messages == []
    assert len(PdfReader(str(printed)).pages) == screen.last_result.pages
    assert "Отправлено на печать" in window.statusBar().currentMessage()


def test_panel_under_the_constructor_queue_follows_its_selection(qtbot, staff, messages):
    from ui.shell import workstations

    deal = cutting_deal(staff["manager"], name="Краева Ярус")
    cutsheets.create_cut_sheet(staff["constructor"], [deal.id])
    win = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(win)
    workstations.install(win)
    install_cutsheets(win)
    host = win.screen_widget("constructor")
    assert host.panels.currentWidget() is win.cutsheets.left  # the lists under the queue
    show_cutsheet(win, "cutsheet:1")
    assert win.tabs.currentWidget() is host and win.cutsheets.current == 1
    host.orders_view.setCurrentIndex(host.orders.index(host.orders.row_of_deal(deal.id), 0))
    assert win.cutsheets.selected_deal_ids() == [deal.id]
