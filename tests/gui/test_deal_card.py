"""The deal card as the manager, the designer and the constructor use it: passport visibility,
the design loop between three users, files with thumbnails in the timeline, tasks, unsaved edits,
conflicts, and the card of order 15 from the command line."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QStyleOptionViewItem

from app.domain import clock
from app.domain.changes import Changes
from app.domain.codes import TaskType
from app.services import deals, tasks
from app.store.models import AuditEntry, Task
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES, complete_deal, new_deal
from tests.gui.card_helpers import (
    choose,
    click,
    field,
    message,
    open_card,
    type_into,
    type_text,
)
from ui.common import msgbox
from ui.deal import files_panel
from ui.deal.timeline_view import THUMB, Role


@pytest.fixture
def asked(monkeypatch):
    """Questions the card asks; the answer is ``asked.answer``."""
    class Asked(list):
        answer = False
    questions = Asked()

    def ask(parent, title, text):
        questions.append(text)
        return questions.answer
    monkeypatch.setattr(msgbox, "ask", ask)
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: pytest.fail(f"unexpected error: {text}"))
    return questions


def _picture(path: Path, colour: str = "#c62828") -> Path:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def _drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def _open_task_row(card, text_part: str) -> int:
    for row, line in enumerate(card.tasks.model.rows):
        if text_part in line.text:
            card.tasks.view.setCurrentIndex(card.tasks.model.index(row, 0))
            return line.id
    raise AssertionError(f"no open task with «{text_part}»: {[line.text for line in card.tasks.model.rows]}")


def test_passport_masked_for_designer_and_shown_to_manager_with_audit(qtbot, staff, asked):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    designer_card = open_card(qtbot, staff["designer"], deal.id)
    series, number = field(designer_card, "passport.series"), field(designer_card, "passport.number")
    assert (series.text(), number.text()) == ("••••", "••••••") and series.isReadOnly()
    assert "3681" not in designer_card.grab().toImage().text()  # nothing else shows it either
    views = AuditEntry.select().where(AuditEntry.action == "passport_view")
    assert views.count() == 0

    manager_card = open_card(qtbot, staff["manager"], deal.id)
    assert (field(manager_card, "passport.series").text(), field(manager_card, "passport.number").text()) == (
        "3681", "543578")
    assert [(row.user_id, row.deal_id) for row in views] == [(staff["manager"].id, deal.id)]

    # another PC changes the passport: the refreshed card shows the new one only with a new audit row
    deals.update_deal(deal.id, staff["manager2"], {"passport.number": "111222"})
    manager_card.reload()
    assert field(manager_card, "passport.number").text() == "111222"
    assert views.count() == 2
    manager_card.reload()  # nothing new to show: no new view
    assert views.count() == 2

    # fields the designer has no right to change are read-only, with the reason
    assert field(designer_card, "budget").isReadOnly() and field(designer_card, "prepayment").isReadOnly()
    assert "Недостаточно прав" in field(designer_card, "budget").toolTip()
    assert not field(manager_card, "budget").isReadOnly()
    stages = designer_card.stage.model()
    allowed = {designer_card.stage.itemData(i) for i in range(stages.rowCount()) if stages.item(i).isEnabled()}
    assert {"design", "order_form"} <= allowed and "invoice" not in allowed and "paid" not in allowed
    # the designer edits the contact: the masked passport is never sent back
    type_into(qtbot, designer_card, "contact.company", "ООО Ромашка")
    assert designer_card.save()
    stored = deals.load_deal(deal.id)
    assert stored.contact.company == "ООО Ромашка"
    assert stored.contact.passport_rows.get().series == "3681"


def test_design_loop_between_designer_constructor_and_manager(qtbot, staff, asked, tmp_path):
    deal = new_deal(staff["manager"], kind="individual")
    deals.move_deal(deal.id, "design", staff["manager"])
    designer = open_card(qtbot, staff["designer"], deal.id)
    assert designer.tasks.design_box.isVisible()
    assert "Прикрепите рисунок" in designer.tasks.design_hint.text()
    designer.show_tab("files")
    assert designer.files.kind.currentData() == "design"
    _drop(designer.files, [_picture(tmp_path / "izbushka.png")])
    assert "Спросить конструктора" in designer.tasks.design_hint.text()
    click(qtbot, designer, "askFeasibility")
    assert designer.tasks.design_hint.text() == "Вопрос у конструктора — ждём ответа."

    constructor = open_card(qtbot, staff["constructor"], deal.id)
    assert not constructor.tasks.design_box.isVisible()
    question_id = _open_task_row(constructor, tasks.FEASIBILITY_QUESTION)
    assert constructor.tasks.yes_button.isVisible() and not constructor.tasks.complete_button.isVisible()
    question_line = next(line for line in constructor.feed.feed_model.rows if line.kind == "task_created"
                         and tasks.FEASIBILITY_QUESTION in line.text)
    assert question_line.file_name == "izbushka.png"  # the question carries the design picture
    type_text(constructor.tasks.result, "ножки толще 50 мм")
    click(qtbot, constructor, "answerNo")
    assert Task.get_by_id(question_id).result == "нет, ножки толще 50 мм"

    designer.reload()
    assert "Доработайте рисунок" in designer.tasks.design_hint.text()
    _open_task_row(designer, "Ответ конструктора: нет, ножки толще 50 мм")
    type_text(designer.tasks.result, "адаптирую дизайн")
    click(qtbot, designer, "completeTask")
    click(qtbot, designer, "askFeasibility")

    constructor.reload()
    _open_task_row(constructor, tasks.FEASIBILITY_QUESTION)
    type_text(constructor.tasks.result, "такую кровать сделать можем")
    click(qtbot, constructor, "answerYes")

    designer.reload()
    assert "нажмите «Дизайн готов»" in designer.tasks.design_hint.text()
    _open_task_row(designer, "Ответ конструктора: да, такую кровать сделать можем")
    click(qtbot, designer, "completeTask")
    click(qtbot, designer, "designReady")
    assert designer.tasks.design_hint.text() == "«Дизайн готов» передано в «Магазины»."

    manager = open_card(qtbot, staff["manager"], deal.id)
    ready = next(line for line in manager.tasks.model.rows if line.text == tasks.DESIGN_READY)
    assert (ready.addressee, ready.type) == ("Магазины", TaskType.CONTACT)
    feed = [line.text for line in manager.feed.feed_model.rows]
    assert any("Возможно ли создать такую кровать технически" in text and "— да, такую кровать сделать можем"
               in text for text in feed)
    assert any("нет, ножки толще 50 мм" in text for text in feed)


def test_dropped_picture_is_listed_and_shown_in_the_timeline_with_a_thumbnail(qtbot, staff, asked, tmp_path,
                                                                              monkeypatch):
    opened = []
    monkeypatch.setattr(files_panel, "open_with_system_viewer", lambda path: opened.append(path) or True)
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    card.show_tab("files")
    choose(card.files.kind, "brief")
    _drop(card.files, [_picture(tmp_path / "бриф.jpg", "#1565c0")])
    files_model = card.files.model
    assert files_model.rowCount() == 1
    assert files_model.index(0, 0).data() == "Бриф\nбриф.jpg"
    assert not files_model.index(0, 0).data(Qt.ItemDataRole.DecorationRole).isNull()

    feed = card.feed.feed_model
    last = feed.index(feed.rowCount() - 1, 0)
    assert last.data() == "Бриф: бриф.jpg" and last.data(Role.PICTURE)
    option = QStyleOptionViewItem()
    option.initFrom(card.feed)
    height = card.feed.itemDelegate().sizeHint(option, last).height()
    assert height > THUMB * 300 // 400  # the thumbnail is part of the line
    qtbot.waitUntil(card.feed.is_at_latest)  # newest at the bottom, in view
    image = card.feed.viewport().grab().toImage()
    rect = card.feed.visualRect(last)
    row = [image.pixelColor(x, rect.bottom() - 20) for x in range(rect.left(), rect.left() + 150)]
    assert any(abs(c.red() - 0x15) + abs(c.green() - 0x65) + abs(c.blue() - 0xc0) < 30 for c in row)  # drawn

    card.files.view.setCurrentIndex(files_model.index(0, 0))
    click(qtbot, card, "openFile")
    assert opened and opened[0].read_bytes() == (tmp_path / "бриф.jpg").read_bytes()


def test_attach_button_uses_the_file_chooser(qtbot, staff, asked, tmp_path, monkeypatch):
    deal = new_deal(staff["manager"])  # managers create deals; the constructor attaches the drawing
    card = open_card(qtbot, staff["constructor"], deal.id)
    card.show_tab("files")
    drawing = tmp_path / "чертеж.pdf"
    drawing.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(msgbox, "open_files", lambda parent, title, file_filter="": [drawing])
    click(qtbot, card, "attachFile")
    assert card.files.model.index(0, 0).data() == "Чертеж\nчертеж.pdf"
    assert card.feed.feed_model.rows[-1].text == "Чертеж: чертеж.pdf"


def test_unsaved_edits_ask_before_closing_and_bad_values_are_never_stored(qtbot, staff, asked):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    card = open_card(qtbot, staff["manager"], deal.id)
    card.show_tab("contact")
    type_into(qtbot, card, "contact.emails", "мама мыла")
    assert "Неверный e-mail" in message(card, "contact.emails")  # while typing
    assert not card.save()
    assert [c.value for c in deals.load_deal(deal.id).contact.channels if c.kind == "email"] == ["test@test.ru"]

    asked.answer = False
    card.close()
    assert card.isVisible() and len(asked) == 1 and "несохранённые" in asked[0]
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert card.isVisible() and len(asked) == 2

    type_into(qtbot, card, "contact.emails", "new@mail.ru, second@mail.ru")
    click(qtbot, card, "saveDeal")
    assert [c.value for c in deals.load_deal(deal.id).contact.channels if c.kind == "email"] == [
        "new@mail.ru", "second@mail.ru"]
    assert "E-mail: new@mail.ru, second@mail.ru" in card.feed.feed_model.rows[-1].text
    card.close()
    assert not card.isVisible() and len(asked) == 2  # nothing unsaved: no question


def test_budget_and_prepayment_show_the_debt_and_the_no_debt_flag(qtbot, staff, asked):
    deal = new_deal(staff["manager"], budget="30 000")
    card = open_card(qtbot, staff["manager"], deal.id)
    card.show_tab("payment")
    assert card.no_debt.isHidden()
    type_into(qtbot, card, "prepayment", "10 000")
    assert field(card, "debt").text() == "20\u202f000" and card.no_debt.isHidden()
    type_into(qtbot, card, "prepayment", "30 000")
    assert field(card, "debt").text() == "0" and not card.no_debt.isHidden()
    assert card.save()
    assert (deals.load_deal(deal.id).debt, card.header_flag.isHidden()) == (0, False)


def _conflict_answer(monkeypatch, choice):
    """Replace the conflict dialog: remember what it would show, answer ``choice``."""
    from ui.deal import conflict_dialog

    shown = []

    def answer(parent, conflict):
        shown.append({row.label: (row.theirs, row.mine) for row in conflict.fields})
        return choice

    monkeypatch.setattr(conflict_dialog, "ask_choice", answer)
    return shown


def test_a_change_from_another_pc_is_a_conflict_with_reload(qtbot, staff, asked, monkeypatch):
    from ui.deal.conflict_dialog import RELOAD

    shown = _conflict_answer(monkeypatch, RELOAD)
    deal = new_deal(staff["manager"], budget="30 000")
    card = open_card(qtbot, staff["manager"], deal.id)
    deals.update_deal(deal.id, staff["manager2"], {"budget": "35 000"})  # the other PC
    type_into(qtbot, card, "budget", "40 000")
    assert not card.save()
    assert shown == [{"Бюджет сделки": ("35 000 руб", "40 000 руб")}]
    assert deals.load_deal(deal.id).budget == 3_500_000
    assert field(card, "budget").text() == "35 000" and not card.is_dirty()


def test_conflict_after_live_refresh_can_reapply_mine(qtbot, staff, asked, monkeypatch):
    from ui.deal.conflict_dialog import REAPPLY

    shown = _conflict_answer(monkeypatch, REAPPLY)
    deal = new_deal(staff["manager"], budget="30 000")
    card = open_card(qtbot, staff["manager"], deal.id)
    type_into(qtbot, card, "budget", "40 000")
    deals.update_deal(deal.id, staff["manager2"], {"budget": "35 000", "delivery_city": "Тверь"})
    card.on_changed(Changes(frozenset({deal.id})))  # the other PC's change arrives while typing
    assert field(card, "budget").text() == "40 000" and card.is_dirty()
    assert card.save()
    assert shown[0]["Бюджет сделки"] == ("35 000 руб", "40 000 руб")
    saved = deals.load_deal(deal.id)
    assert (saved.budget, saved.delivery_city) == (4_000_000, "Тверь") and not card.is_dirty()


def test_tasks_added_with_a_quick_due_completed_and_rescheduled(qtbot, staff, asked):
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    panel = card.tasks
    click(qtbot, card, "newTask")
    choose(panel.task_type, TaskType.MEETING)
    panel.addressee.setCurrentIndex(panel.addressee.findText("Группа «Конструктор»"))
    qtbot.mouseClick(panel.new_due.quick["завтра"], Qt.MouseButton.LeftButton)
    type_text(panel.task_text, "Замер в квартире")
    click(qtbot, card, "addTask")
    task = Task.get(Task.text == "Замер в квартире")
    assert (task.type, task.assignee_group.name) == (TaskType.MEETING, "Конструктор")
    assert clock.to_local(task.due_at).date() == clock.local_today() + timedelta(days=1)
    assert panel.new_form.isHidden()

    _open_task_row(card, "Замер в квартире")
    qtbot.mouseClick(panel.reschedule_due.quick["через 3 дня"], Qt.MouseButton.LeftButton)
    click(qtbot, card, "rescheduleTask")
    assert clock.to_local(Task.get_by_id(task.id).due_at).date() == clock.local_today() + timedelta(days=3)

    _open_task_row(card, "Замер в квартире")
    type_text(panel.result, "Замер сделан")
    click(qtbot, card, "completeTask")
    assert Task.get_by_id(task.id).result == "Замер сделан"
    assert all(line.id != task.id for line in panel.model.rows)
    assert card.feed.feed_model.rows[-1].text == "Встреча: Замер в квартире — Замер сделан"


def test_shipped_deal_offers_confirm_receipt_in_one_click(qtbot, staff, asked):
    deal = complete_deal(staff["manager"], planned_delivery_date=date(2025, 7, 20))
    for code in ("invoice", "paid"):
        deals.move_deal(deal.id, code, staff["manager"])
    deals.move_deal(deal.id, "shipped", staff["chief"])  # the production chief ships
    card = open_card(qtbot, staff["manager"], deal.id)
    assert card.tasks.receipt_box.isVisible() and "на 21.07.2025" in card.tasks.receipt_label.text()
    click(qtbot, card, "confirmReceipt")
    task = Task.get(Task.text == tasks.CONFIRM_RECEIPT)
    assert clock.to_local(task.due_at).date() == date(2025, 7, 21) and task.assignee_user_id == staff["manager"].id
    assert card.tasks.receipt_box.isHidden()


def test_notes_go_to_the_timeline(qtbot, staff, asked):
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    type_text(card.note, "Клиент просит перезвонить вечером")
    qtbot.keyClick(card.note, Qt.Key.Key_Return)
    assert card.feed.feed_model.rows[-1].text == "Клиент просит перезвонить вечером"
    assert card.note.text() == ""


def test_card_models_pass_the_model_tester(qtbot, staff, asked, qtmodeltester, tmp_path):
    deal = new_deal(staff["manager"], **INVOICE_VALUES, **PAID_VALUES)
    card = open_card(qtbot, staff["manager"], deal.id)
    _drop(card.files, [_picture(tmp_path / "a.png")])
    for model in (card.feed.feed_model, card.files.model, card.tasks.model):
        qtmodeltester.check(model)


def test_card_of_order_15_from_the_command_line(screenshot):
    image = screenshot("--show", "deal:15:contact")
    assert (image.width(), image.height()) == (1600, 900)


def test_closing_the_program_asks_for_a_card_with_unsaved_edits(qtbot, staff, asked):
    deal = new_deal(staff["manager"])
    card = open_card(qtbot, staff["manager"], deal.id)
    window = card.window_
    window.show()
    type_into(qtbot, card, "name", "Новое имя")
    asked.answer = False
    window.close()
    assert window.isVisible() and card.isVisible() and len(asked) == 1
    asked.answer = True
    window.close()
    assert not window.isVisible() and deals.load_deal(deal.id).name == "Тест Тестович CRM"
