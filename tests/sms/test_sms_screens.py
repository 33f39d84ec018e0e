"""The SMS screens as the administrator and a manager use them: settings with «Проверить», the
templates editor, the deal card's «СМС» tab, the outbox screen and sending in the background."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QThreadPool, QTime, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from app.domain.sms_status import SmsState
from app.services import sms
from app.store.models import OutboxSms
from tests.domain.helpers import complete_deal
from tests.gui.card_helpers import click, type_text
from tests.sms.conftest import queue
from ui.common import msgbox
from ui.shell.main_window import MainWindow
from ui.sms.install import install_sms, open_settings
from ui.sms.models import SmsModel
from ui.sms.templates_dialog import TemplatesDialog


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: pytest.fail(f"unexpected error: {text}"))


@pytest.fixture
def window(qtbot, staff):
    windows = []

    def make(user=None):
        made = MainWindow(user or staff["manager"])
        qtbot.addWidget(made)
        sender = install_sms(made, timer=QTimer(), start=False)
        windows.append(sender)
        return made

    yield make
    for sender in windows:
        sender.stop()
    QThreadPool.globalInstance().waitForDone()


def test_settings_dialog_checks_the_balance_and_keeps_the_key_in_the_keyring(window, smsru, staff, qtbot,
                                                                              memory_secrets):
    memory_secrets.delete("sms:smsru")
    main = window(staff["admin"])
    dialog = open_settings(main)
    key = dialog.findChild(QLineEdit, "smsKey")
    assert key.placeholderText() == "не задан на этом компьютере"
    key.setText("test-key")
    dialog.findChild(QLineEdit, "smsSenderName").setText("Manya")
    dialog.quiet_from.setTime(QTime(22, 0))
    click(qtbot, dialog, "smsCheck")
    result = dialog.findChild(QLabel, "smsCheckResult")
    qtbot.waitUntil(lambda: "Баланс" in result.text())
    assert result.text() == "Связь есть. Баланс: 4\u202f122,56 руб"
    dialog.save()
    assert memory_secrets.get("sms:smsru") == "test-key"
    stored = sms.settings()
    assert stored.sender == "Manya" and stored.quiet_from == "22:00" and "test-key" not in str(stored.to_dict())


def test_settings_are_the_administrators(window, staff):
    action = window(staff["manager"]).findChild(object, "smsSettingsAction")
    assert action is not None and not action.isVisible()


def test_templates_editor_previews_and_counts(window, db, staff, qtbot):
    dialog = TemplatesDialog(window(staff["admin"]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.names.setCurrentRow(list(sms.templates()).index("Отгружено ТК"))
    assert "СДЭК, накладная 1234567890" in dialog.preview.text()
    text = dialog.findChild(QPlainTextEdit, "smsTemplateText")
    text.setPlainText("{name}, ")
    text.moveCursor(QTextCursor.MoveOperation.End)
    click(qtbot, dialog, "smsPlaceholder:order_no")
    assert text.toPlainText() == "{name}, {order_no}"
    assert dialog.preview.text() == "Анна Сергеевна, 128"
    assert dialog.counter.text() == "19 зн. · 1 СМС (по 70, кириллица) · осталось 51"
    text.setPlainText("{клиент}")
    assert dialog.problems.text() == "Неизвестная подстановка {клиент}"
    text.setPlainText("Заказ №{order_no} готов")
    click(qtbot, dialog, "smsTemplateSave")
    assert sms.templates()["Отгружено ТК"] == "Заказ №{order_no} готов"


def test_deal_tab_writes_cancels_and_sends_the_tk_template(window, smsru, staff, qtbot, qtmodeltester):
    deal = complete_deal(staff["manager"], delivery_type="Транспортная компания")
    main = window()
    kicked = []  # the sender is asked to send at once (here it only counts: no pass races the clicks)
    main.sms_sender.kick = lambda forced=False: kicked.append(forced)
    card = main.open_deal(deal.id)
    qtbot.waitExposed(card)
    card.show_tab("sms")
    panel = card.sms
    type_text(panel.findChild(QPlainTextEdit, "smsText"), "Кровать готова")
    assert panel.findChild(QLabel, "smsCounter").text().startswith("14 зн. · 1 СМС (по 70, кириллица)")
    click(qtbot, panel, "smsSendText")
    assert kicked[-1] is True
    qtmodeltester.check(panel.model)
    assert [line.text for line in panel.model.rows] == ["Кровать готова"]
    panel.view.selectRow(0)
    click(qtbot, panel, "smsCancel")
    assert panel.model.rows[0].status_name == "отменено"
    panel.template.setCurrentText("Отгружено ТК")
    assert panel.tk_form.isVisible()
    panel.findChild(QLineEdit, "smsTransportCompany").setText("СДЭК")
    panel.findChild(QLineEdit, "smsWaybillNo").setText("555")
    click(qtbot, panel, "smsSendTemplate")
    assert "СДЭК, накладная 555" in panel.model.rows[0].text and panel.model.rows[0].status == SmsState.PENDING
    assert main.findChild(QLabel, "smsStatus").text().startswith("СМС: ждут 1")


def test_background_sending_updates_the_outbox_and_status_bar(window, smsru, staff, qtbot):
    ids = queue(staff, 2)
    main = window()
    screen = main.screen_widget("sms")
    assert len(screen.model.rows) == 2
    with qtbot.waitSignal(main.sms_sender.sent, timeout=10_000):
        assert main.sms_sender.kick()
    assert {OutboxSms.get_by_id(i).status for i in ids} == {SmsState.SENT} and smsru.sends == 2
    assert main.findChild(QLabel, "smsStatus").text() == "СМС: очередь пуста"
    assert screen.model.rows == []  # «Ждут отправки»
    screen.filter.setCurrentIndex(2)
    assert [line.status_name for line in screen.model.rows] == ["отправлено", "отправлено"]


def test_outbox_model(qtmodeltester, smsru, staff):
    queue(staff, 1)
    from app.queries import sms_outbox

    model = SmsModel(with_deal=True)
    model.set_rows(sms_outbox.outbox())
    qtmodeltester.check(model)
    assert model.headers[0] == "Заказ"


def test_status_bar_says_when_night_sms_will_go(window, smsru, staff, qtbot, fake_clock):
    queue(staff, 1)
    fake_clock.advance(timedelta(hours=10))  # 22:00 in Moscow
    main = window()
    with qtbot.waitSignal(main.sms_sender.statusChanged, timeout=10_000) as shown:
        assert main.sms_sender.kick()
    assert shown.args[0] == "СМС: ждут 1 — ночью не отправляются, уйдут в 09:00" and smsru.sends == 0
