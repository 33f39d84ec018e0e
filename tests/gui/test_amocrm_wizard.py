"""«Импорт из amoCRM…»: check (nothing written), map an unknown stage and person once, import, the
report saved; «Выгрузить…» with passports only when asked and allowed."""
from __future__ import annotations

import pytest

from app.integrations.amocrm_files import read_table
from app.store.models import AuditEntry, Deal
from tests.domain import amocrm_samples as samples
from ui.amocrm import install as exchange
from ui.amocrm.import_dialog import ImportDialog
from ui.common import msgbox
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, db, staff):
    win = MainWindow(staff["manager"])
    qtbot.addWidget(win)
    exchange.install_data_exchange(win)
    return win


def test_check_map_import_and_save_the_report(qtbot, window, staff, tmp_path, monkeypatch, counts):
    leads = samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, samples.shop_leads(),
                              encoding="cp1251", delimiter=";")
    errors = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(msgbox, "ask", lambda *args: True)
    monkeypatch.setattr(msgbox, "save_file", lambda *args, **kwargs: tmp_path / "report.xlsx")
    announced = []
    window.changed.connect(announced.append)
    dialog = ImportDialog(window, threaded=False)
    qtbot.addWidget(dialog)
    dialog.leads_edit.setText(str(leads))
    before = counts()
    dialog.check_button.click()
    assert errors == [] and counts() == before and "Будет: сделок новых 4" in dialog.summary.text()
    assert dialog.model.rowCount() == 4 and dialog.import_button.isEnabled()
    stage_box = dialog.findChild(type(dialog.stage_boxes["Воронка/Замер"]), "stageMap:Воронка/Замер")
    stage_box.setCurrentIndex(stage_box.findData("first_contact"))
    person = dialog.people_boxes["Пётр Незнакомый"]
    person.setCurrentIndex(person.findData(staff["manager2"].id))
    dialog.import_button.click()
    assert "Сделано: сделок новых 5" in dialog.summary.text() and Deal.select().count() == 5
    assert Deal.get(Deal.amo_id == 105).manager_id == staff["manager2"].id
    assert announced and 5 <= len(announced[-1].deal_ids)
    dialog.save_button.click()
    rows = read_table(tmp_path / "report.xlsx").rows
    assert [cells[1:3] for _, cells in rows if cells[2] == "отказ"] == [[4, "отказ"]]


def test_export_with_passports_only_when_asked(qtbot, window, staff, tmp_path, monkeypatch):
    from tests.domain.helpers import complete_deal

    complete_deal(staff["manager"])
    monkeypatch.setattr(msgbox, "save_file", lambda *args, **kwargs: tmp_path / "out.xlsx")
    monkeypatch.setattr(msgbox, "info", lambda *args: None)
    monkeypatch.setattr(msgbox, "ask", lambda *args: False)
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: pytest.fail(text))
    assert exchange.export_data(window) == tmp_path / "out.xlsx"
    assert "Серия паспорта" not in read_table(tmp_path / "out.xlsx").header
    monkeypatch.setattr(msgbox, "ask", lambda *args: True)
    exchange.export_data(window)
    assert "Серия паспорта" in read_table(tmp_path / "out.xlsx").header
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)][-2:] == ["export", "passport_export"]


def test_import_runs_in_a_worker_thread_with_progress(qtbot, window, tmp_path, monkeypatch):
    leads = samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, samples.shop_leads())
    monkeypatch.setattr(msgbox, "ask", lambda *args: True)
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: pytest.fail(text))
    dialog = ImportDialog(window)
    qtbot.addWidget(dialog)
    dialog.leads_edit.setText(str(leads))
    steps = []
    dialog.signals.progress.connect(lambda done, total: steps.append((done, total)))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.worker is None, timeout=30_000)
    dialog.import_button.click()
    assert dialog.cancel_button.isEnabled() or dialog.worker is None  # «Отмена» while it runs
    qtbot.waitUntil(lambda: not dialog.report.dry_run and dialog.worker is None, timeout=30_000)
    assert Deal.select().count() == 4 and not dialog.progress.isVisible()
    assert steps[0] == (0, 5) and steps[-1] == (5, 5)  # 5 rows read (one then refused for its stage)
