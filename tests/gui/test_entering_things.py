"""Entering things: a calendar pop-up on the card's date fields, short dates typed by hand."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget

from tests.domain.helpers import new_deal
from tests.gui.card_helpers import field, message, open_card, type_into
from tests.gui.test_deal_card import asked  # noqa: F401  (the fixture)
from ui.common import date_field


def test_a_date_field_has_a_calendar_and_reads_short_forms(qtbot, staff, asked):  # noqa: F811
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    card.show_tab("payment")
    edit = field(card, "payment_date")
    (action,) = [a for a in edit.actions() if a.objectName().endswith(".calendar")]
    action.trigger()
    calendar = QApplication.activePopupWidget() or card.findChild(QCalendarWidget, "datePopup")
    assert calendar.selectedDate() == QDate(2025, 6, 2)  # today, the field being empty
    calendar.clicked.emit(QDate(2025, 6, 20))
    assert edit.text() == "20.06.2025" and message(card, "payment_date") == ""
    assert card.is_dirty()
    type_into(qtbot, card, "payment_date", "2.07")
    assert message(card, "payment_date") == ""
    type_into(qtbot, card, "payment_date", "31.02")
    assert "пример: 14.07.2025" in message(card, "payment_date")


def test_calendar_icon_is_drawn(qapp):
    assert not date_field.calendar_icon().isNull()


def test_esc_in_order_documents_asks_before_losing_a_pasted_part_list(qtbot, staff, monkeypatch):
    from app.services import specs
    from tests.domain.helpers import cutting_deal
    from ui.common import msgbox
    from ui.cutsheets.order_docs import OrderDocsDialog
    from ui.shell.main_window import MainWindow

    window = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(window)
    deal = cutting_deal(staff["manager"])
    before = len(specs.parts_of(deal.id))
    dialog = OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.parts.paste("Полка\tЛДСП 16\t16\t700\t300\t2")  # no «Поворот» given
    assert dialog.parts.model.values()[-1]["may_rotate"] in ("нет", False)
    answers = [msgbox.CANCEL, msgbox.SAVE]
    questions = []
    monkeypatch.setattr(msgbox, "ask_save", lambda parent, title, text: questions.append(text) or answers.pop(0))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "несохранённые" in questions[0]  # «Отмена»: the pasted rows stay
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # «Сохранить»
    assert not dialog.isVisible()
    parts = specs.parts_of(deal.id)
    assert len(parts) == before + 1 and parts[-1].may_rotate is False
