"""The deal card: header with the stage selector, the tabs «Основное», «Контакт», «Оплата и
доставка», «Файлы», the tasks between roles and the timeline, in one window.

Every edit goes through ``deals.update_deal`` with the version the card was loaded at; a refused
value is shown beside its field and nothing is stored; closing with unsaved edits asks.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock, pipeline
from app.domain.changes import Changes, Done
from app.domain.codes import OrderKind
from app.domain.errors import ConflictError, GateError, ServiceError, ValidationError
from app.domain.money import format_rub
from app.services import deal_fields, deals, notes, permissions, personal_data
from app.store.models import Deal
from ui.common import msgbox
from ui.deal import conflict_dialog
from ui.deal.choices import field_choices
from ui.deal.field_form import (
    AMOUNT,
    CHECK,
    CHOICE,
    DATE,
    LIST,
    LONG,
    FieldForm,
    FieldSpec,
)
from ui.deal.files_panel import FilesPanel
from ui.deal.gate_form import PASSPORT_HIDDEN, GateForm
from ui.deal.tasks_panel import TasksPanel
from ui.deal.timeline_view import FeedView
from ui.mail.card_mail import CardMail
from ui.papers.card_papers import PapersButton
from ui.sms.deal_panel import DealSmsPanel

TABS = {
    "main": ("Основное", [FieldSpec("name"), FieldSpec("budget", AMOUNT), FieldSpec("products", LONG),
                          FieldSpec("tags", hint="через пробел: инд срочно"), FieldSpec("kind", CHOICE),
                          FieldSpec("assembly_needed", CHECK), FieldSpec("responsible", CHOICE)]),
    "contact": ("Контакт", [FieldSpec("contact.full_name"), FieldSpec("contact.company"),
                            FieldSpec("contact.phones", LIST, "+7 912 345-67-89, …"),
                            FieldSpec("contact.emails", LIST, "ivanova@mail.ru, …"),
                            FieldSpec("contact.address", LONG),
                            FieldSpec("passport.series", hint="4 цифры"),
                            FieldSpec("passport.number", hint="6 цифр")]),
    "payment": ("Оплата и доставка", [FieldSpec("payment_date", DATE), FieldSpec("prepayment", AMOUNT),
                                      FieldSpec("debt", AMOUNT, "считается из бюджета и предоплаты"),
                                      FieldSpec("ship_deadline", DATE), FieldSpec("delivery_type", CHOICE),
                                      FieldSpec("delivery_city"), FieldSpec("planned_delivery_date", DATE),
                                      FieldSpec("transport_company"), FieldSpec("waybill_no")]),
}
TAB_ORDER = ("main", "contact", "payment", "files", "sms")
FLAG_STYLE = "background: #e8f5e9; color: #2e7d32; border-radius: 8px; padding: 2px 8px; font-weight: bold;"


def _local(moment) -> str:
    return clock.to_local(moment).strftime("%d.%m.%Y %H:%M")


class DealCard(QDialog):
    """One order in one window; ``MainWindow.open_deal(deal_id)`` opens it."""

    def __init__(self, window, deal_id: int) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("dealDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window_, self.deal_id, self.user = window, deal_id, window.user
        self.version = 0
        self.loaded: dict = {}  # the deal's values the unsaved edits started from (for conflicts)
        self.stage_code = ""
        self.gate_form: GateForm | None = None
        self.forms: dict[str, FieldForm] = {}
        self.resize(1400, 900)

        self.tabs = QTabWidget(objectName="dealTabs")
        choices = field_choices()
        for key, (title, specs) in TABS.items():
            form = FieldForm(specs, choices=choices)
            form.setObjectName(f"form:{key}")
            form.values_source = self.edited_values
            form.edited.connect(self._on_edited)
            form.forbid_without_rights(self.user)
            self.forms[key] = form
            self.tabs.addTab(self._tab_page(key, form), title)
        self.files = FilesPanel(window, deal_id)
        self.tabs.addTab(self.files, "Файлы")
        self.sms = DealSmsPanel(window, deal_id)
        self.tabs.addTab(self.sms, "СМС")
        self.tasks = TasksPanel(window, deal_id)
        self.feed = FeedView()

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.tabs)
        left.addWidget(self.tasks)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        body = QSplitter(Qt.Orientation.Horizontal, objectName="dealBody")
        body.addWidget(left)
        body.addWidget(self._timeline_column())
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([820, 580])

        layout = QVBoxLayout(self)
        layout.addWidget(self._header())
        layout.addWidget(body, 1)
        layout.addLayout(self._buttons())
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        window.changed.connect(self.on_changed)
        self.passport_shown: tuple[str, str] | None = None  # the passport as last read with its audit row
        self.reload(show_passport=True)

    # --- building ------------------------------------------------------------------------------
    def _tab_page(self, key: str, form: FieldForm) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if key == "contact":
            self.passport_note = QLabel(objectName="passportNote", wordWrap=True)
            self.passport_note.setStyleSheet("color: #607d8b;")
            layout.addWidget(form)
            layout.addWidget(self.passport_note)
        elif key == "payment":
            self.no_debt = QLabel("Нет задолженности", objectName="noDebtFlag")
            self.no_debt.setStyleSheet(FLAG_STYLE)
            row = QHBoxLayout()
            row.addWidget(self.no_debt)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addWidget(form)
        else:
            layout.addWidget(form)
        layout.addStretch(1)
        return page

    def _header(self) -> QWidget:
        header = QFrame(objectName="dealHeader", frameShape=QFrame.Shape.StyledPanel)
        header.setStyleSheet("#dealHeader { background: #f5f7fa; }")
        self.title = QLabel(objectName="dealTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.order_no = QLabel(objectName="dealOrderNo")
        self.kind_label = QLabel(objectName="dealKind")
        self.times = QLabel(objectName="dealTimes")
        self.times.setStyleSheet("color: #607d8b;")
        self.stage = QComboBox(objectName="dealStage")
        for stage in pipeline.STAGES:
            self.stage.addItem(stage.name, stage.code)
            if not permissions.allowed(self.user, permissions.move_action(stage.code)):
                item = self.stage.model().item(self.stage.count() - 1)
                item.setEnabled(False)
                item.setToolTip("Недостаточно прав для перевода в этот этап")
        self.stage.setMaxVisibleItems(len(pipeline.STAGES))
        self.stage.activated.connect(lambda index: self.change_stage(self.stage.itemData(index)))
        self.responsible = QLabel(objectName="dealResponsible")
        self.budget = QLabel(objectName="dealBudget")
        self.tags = QLabel(objectName="dealTags")
        self.header_flag = QLabel("Нет задолженности")
        self.header_flag.setStyleSheet(FLAG_STYLE)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.order_no)
        top.addWidget(self.kind_label)
        top.addStretch(1)
        top.addWidget(self.times)
        second = QHBoxLayout()
        second.addWidget(QLabel("Этап:"))
        second.addWidget(self.stage)
        for widget in (self.responsible, self.budget, self.header_flag, self.tags):
            second.addSpacing(18)
            second.addWidget(widget)
        second.addStretch(1)
        layout = QVBoxLayout(header)
        layout.addLayout(top)
        layout.addLayout(second)
        return header

    def _timeline_column(self) -> QWidget:
        column = QWidget()
        self.mail = CardMail(self.window_, self.deal_id, self.feed, self)
        self.note = QLineEdit(objectName="noteText", placeholderText="Примечание к сделке…")
        self.note.returnPressed.connect(self.add_note)
        add = QPushButton("Добавить", objectName="addNote")
        add.clicked.connect(self.add_note)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(add)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Лента событий</b>"))
        layout.addWidget(self.feed, 1)
        layout.addWidget(self.mail)
        layout.addLayout(row)
        return column

    def _buttons(self) -> QHBoxLayout:
        self.status = QLabel(objectName="dealStatus")
        self.save_button = QPushButton("Сохранить", objectName="saveDeal")
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Отменить изменения", objectName="revertDeal")
        self.revert_button.clicked.connect(lambda: self.reload(show_passport=False, keep_edits=False))
        close = QPushButton("Закрыть", objectName="closeDeal")
        close.clicked.connect(self.close)
        self.papers = PapersButton(self.window_, self.deal_id, self)
        row = QHBoxLayout()
        row.addWidget(self.papers)
        row.addWidget(self.status, 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        row.addWidget(close)
        return row

    # --- showing -------------------------------------------------------------------------------
    def show_tab(self, key: str) -> None:
        """Bring tab ``key`` (main, contact, payment, files, sms) to the front."""
        self.tabs.setCurrentIndex(TAB_ORDER.index(key))

    def reload(self, *, show_passport: bool = False, keep_edits: bool = True) -> None:
        """Read the deal again; the user's unsaved edits stay unless ``keep_edits`` is False.

        ``show_passport`` reads the passport for allowed roles (an audited view).
        """
        deal = deals.load_deal(self.deal_id)
        state = deal_fields.current_values(deal)
        if not (keep_edits and self.is_dirty()):  # edits are saved against what they started from
            self.version, self.loaded = deal.version, {**state, "stage": deal.stage}
        self.stage_code = deal.stage
        contact_form = self.forms["contact"]
        if personal_data.can_see_passport(self.user):
            stored = (state["passport.series"], state["passport.number"])
            if show_passport or stored != self.passport_shown:  # a passport not seen yet: an audited view
                viewed = personal_data.read_passport(self.deal_id, self.user)
                self.window_.announce(viewed.changes)  # the view is in the «Журнал» now
                self.passport_shown = (viewed.value.series, viewed.value.number)
            state["passport.series"], state["passport.number"] = self.passport_shown
            self.passport_note.setText("Паспортные данные — персональные данные (152-ФЗ): "
                                       "каждый просмотр записывается в журнал.")
        else:
            masked = personal_data.masked_passport(self.deal_id)
            reason = PASSPORT_HIDDEN
            contact_form.lock("passport.series", masked.series, reason)
            contact_form.lock("passport.number", masked.number, reason)
            self.passport_note.setText(reason + ".")
        for form in self.forms.values():
            form.load(state, keep_touched=keep_edits)
        self._show_header(deal)
        self._show_debt()
        self.files.refresh()
        self.tasks.refresh()
        self.feed.show_deal(self.deal_id)
        self._update_buttons()

    def _show_header(self, deal) -> None:
        self.setWindowTitle(f"Заказ №{deal.order_no} — {deal.name}")
        self.title.setText(deal.name)
        self.order_no.setText(f"Заказ №{deal.order_no}")
        self.kind_label.setText(OrderKind.NAMES.get(deal.kind, deal.kind))
        self.times.setText(f"создана {_local(deal.created_at)} · изменена {_local(deal.updated_at)}")
        self.stage.setCurrentIndex(self.stage.findData(deal.stage))
        self.responsible.setText(f"Ответственный: {deal.responsible.full_name if deal.responsible_id else '—'}")
        self.budget.setText(f"Бюджет: {format_rub(deal.budget)}")
        self.tags.setText(f"Теги: {deal.tags}" if deal.tags else "")
        self.header_flag.setVisible(deal_fields.has_no_debt(deal.debt))

    def _show_debt(self) -> None:
        merged = self.forms["payment"].merged()
        self.forms["payment"].set_auto("debt", merged["debt"])
        self.no_debt.setVisible(deal_fields.has_no_debt(merged["debt"]))

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.status.setText("Есть несохранённые изменения")

    def on_changed(self, changes: Changes) -> None:
        """Another view (or this card) changed this deal, or feeds of deals not named (another PC,
        another user signed in): show what is true now."""
        if self.deal_id in changes.deal_ids or (changes.timeline and not changes.deal_ids):
            try:
                self.reload()
            except ServiceError as error:  # deleted meanwhile
                self.status.setText(str(error))

    # --- editing -------------------------------------------------------------------------------
    def edited_values(self) -> dict:
        """Everything the user typed and has not saved, over all tabs."""
        values: dict = {}
        for form in self.forms.values():
            values.update(form.values())
        return values

    def is_dirty(self) -> bool:
        return any(form.is_dirty() for form in self.forms.values())

    def _on_edited(self) -> None:
        for form in self.forms.values():
            form.revalidate()
        self._show_debt()
        self._update_buttons()

    def _show_problems(self, problems) -> None:
        for form in self.forms.values():
            form.show_problems(problems)
        for key, form in self.forms.items():
            if any(problem.field in form.specs for problem in problems):
                self.show_tab(key)
                break

    def save(self) -> bool:
        """Store the edits through the domain; True when nothing is left unsaved."""
        values = self.edited_values()
        if not values:
            return True
        saved = self.window_.action_runner.run(
            self, "Не сохранено", lambda: deals.update_deal(self.deal_id, self.user, values,
                                                           expected_version=self.version),
            refused={ValidationError: self._refused_fields, ConflictError: lambda _error: self._resolve(values)})
        if saved is None:
            return False
        for form in self.forms.values():
            form.touched.clear()
        self.status.setText("Сохранено")
        return True

    def _refused_fields(self, error: ValidationError) -> None:
        self._show_problems(error.problems)
        self.status.setText("Не сохранено: исправьте поля, отмеченные красным")

    def _resolve(self, values: dict) -> Done[Deal] | None:
        """Saved on top of another PC's change: the conflict dialog, until re-applied or reloaded."""
        saved = conflict_dialog.resolve_conflict(self, self.deal_id, self.loaded, values, self.user)
        if saved is None:  # the user chose their version
            self.reload(show_passport=True, keep_edits=False)
            self.status.setText("Карточка обновлена")
        return saved

    def _offer_reload(self, message: str) -> None:
        if msgbox.ask(self, "Сделку изменили на другом компьютере",
                      f"{message}\n\nЗагрузить актуальные данные? Ваши несохранённые изменения будут потеряны."):
            self.reload(show_passport=True, keep_edits=False)
            self.status.setText("Карточка обновлена")

    def change_stage(self, code: str) -> None:
        """The stage selector: move through the same service and gates as the board."""
        self.stage.setCurrentIndex(self.stage.findData(self.stage_code))  # until the move is done
        if code == self.stage_code:
            return
        if self.is_dirty():
            if not msgbox.ask(self, "Смена этапа", "В карточке есть несохранённые изменения. "
                                                   "Сохранить их и сменить этап?"):
                return
            if not self.save():
                return
        self.window_.action_runner.run(
            self, "Этап не изменён",
            lambda: deals.move_deal(self.deal_id, code, self.user, expected_version=self.version),
            refused={GateError: lambda _error: self._fill_gate(code),
                     ConflictError: lambda error: self._offer_reload(str(error))})

    def _fill_gate(self, code: str) -> None:
        self.open_gate_form(code)

    def open_gate_form(self, code: str) -> GateForm:
        """The gate's form for a refused move (not modal for the rest of the program)."""
        self.gate_form = GateForm(self.window_, self.deal_id, code, parent=self, expected_version=self.version)
        self.gate_form.open()
        return self.gate_form

    def add_note(self) -> None:
        added = self.window_.action_runner.run(self, "Примечание не добавлено",
                                               lambda: notes.add_note(self.deal_id, self.user, self.note.text()))
        if added is not None:
            self.note.clear()

    # --- closing -------------------------------------------------------------------------------
    def _may_close(self) -> bool:
        """Nothing unsaved, or the person chose «Не сохранять», or «Сохранить» and it saved; the letters
        being written closed (each asks about its draft)."""
        if not self.mail.close_letters():
            return False
        if not self.is_dirty():
            return True
        answer = msgbox.ask_save(self, "Несохранённые изменения",
                                 f"В карточке «{self.windowTitle()}» есть несохранённые изменения.")
        return answer == msgbox.DISCARD or answer == msgbox.SAVE and self.save()

    def closeEvent(self, event) -> None:
        if self._may_close():
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:  # Escape
        self.close()
