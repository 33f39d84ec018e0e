"""The compose dialog of the deal card: «Ответить» on an incoming letter and «Написать письмо».

To, subject and text are editable (a reply starts with the quote of the letter answered), files of the
deal or from the disk may be attached; «Отправить» (Ctrl+Enter) checks what was typed (each refusal
beside its field), records the letter as «sending» and hands it to the shop's SMTP server on a worker
thread. A letter the server refused is forgotten and the dialog stays open with the text; closing it
with typed text offers to keep a draft (one per user and letter).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from app.domain import mail_reply
from app.domain.errors import ServiceError, ValidationError
from app.services import mail_replies, notes
from app.services.mail_replies import LetterForm, OutgoingLetter
from ui.common import msgbox

DEAL_FILE, DISK_FILE = "deal", "disk"
ERROR_STYLE = "color: #b00020;"
FILE_ROLE = Qt.ItemDataRole.UserRole + 1  # (DEAL_FILE, attachment id) or (DISK_FILE, path)


class LetterSignals(QObject):
    sent = Signal(object)  # OutgoingLetter
    failed = Signal(object, str)  # OutgoingLetter, the Russian reason


class LetterJob(QRunnable):
    """Hands one letter to the SMTP server in a worker thread (no database there)."""

    def __init__(self, outgoing: OutgoingLetter) -> None:
        super().__init__()
        self.outgoing = outgoing
        self.signals = LetterSignals()

    def run(self) -> None:
        try:
            self.outgoing.send()
        except ServiceError as error:
            self.signals.failed.emit(self.outgoing, str(error))
            return
        self.signals.sent.emit(self.outgoing)


def record_sent(window, outgoing: OutgoingLetter) -> None:
    """The server took the letter: complete its line (through the main window, so a letter whose
    dialog is gone is still recorded)."""
    window.action_runner.run(window, "Письмо отправлено, но не отмечено в ленте",
                             lambda: mail_replies.record_letter_sent(outgoing, window.user))


def forget_unsent(window, outgoing: OutgoingLetter, _reason: str) -> None:
    """The server refused the letter: its «sending» line goes."""
    window.action_runner.run(window, "Письмо не отправлено", lambda: mail_replies.forget_unsent(outgoing))


class ComposeDialog(QDialog):
    """One letter being written; ``window`` is the main window (its user, its action runner)."""

    closed = Signal()  # sent, or closed by the user (a draft kept or not)

    def __init__(self, window, form: LetterForm, parent=None) -> None:
        super().__init__(parent or window)
        self.window_, self.form = window, form
        self.job: LetterJob | None = None
        self.sent = False
        self.setObjectName("composeDialog")
        self.setWindowTitle("Ответ на письмо" if form.reply_to else "Новое письмо")
        self.resize(760, 620)
        about = QLabel(form.about + (" (черновик)" if form.from_draft else ""), wordWrap=True,
                       objectName="mailAbout", textFormat=Qt.TextFormat.PlainText)  # «Имя <адрес>» is not HTML
        bold = about.font()
        bold.setBold(True)
        about.setFont(bold)
        self.to = QLineEdit(form.to, objectName="mailTo", placeholderText="ivanova@mail.ru")
        self.subject = QLineEdit(form.subject, objectName="mailSubject")
        self.body = QPlainTextEdit(objectName="mailBody")
        self.body.setPlainText(form.body)
        self.body.moveCursor(QTextCursor.MoveOperation.Start)
        self.messages = {key: QLabel(objectName=f"{key}.message", styleSheet=ERROR_STYLE, wordWrap=True)
                         for key in (mail_reply.TO, mail_reply.SUBJECT, mail_reply.BODY, mail_reply.FILES)}
        for label in self.messages.values():
            label.hide()
        fields = QFormLayout()
        fields.addRow("Кому:", self.to)
        fields.addRow("", self.messages[mail_reply.TO])
        fields.addRow("Тема:", self.subject)
        fields.addRow("", self.messages[mail_reply.SUBJECT])

        self.files = QListWidget(objectName="mailFiles")
        self.files.setMaximumHeight(78)
        self.deal_files = QToolButton(objectName="mailDealFile", text="Файл сделки ▾")
        self.deal_files.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.deal_files.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.deal_menu = QMenu(self.deal_files)
        self.deal_menu.aboutToShow.connect(self.fill_deal_files)
        self.deal_files.setMenu(self.deal_menu)
        from_disk = QPushButton("С диска…", objectName="mailDiskFile")
        from_disk.clicked.connect(self.add_disk_files)
        remove = QPushButton("Убрать", objectName="mailRemoveFile")
        remove.clicked.connect(self.remove_file)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(QLabel("Вложения:"))
        file_buttons.addWidget(self.deal_files)
        file_buttons.addWidget(from_disk)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)

        self.progress = QProgressBar(objectName="mailProgress", textVisible=False, maximumWidth=160)
        self.progress.setRange(0, 0)  # busy: the server answers when it answers
        self.progress.hide()
        self.status = QLabel(objectName="mailSendStatus", wordWrap=True)
        self.send_button = QPushButton("Отправить", objectName="sendMail", default=True)
        self.send_button.setToolTip("Ctrl+Enter")
        self.send_button.clicked.connect(self.send)
        close = QPushButton("Закрыть", objectName="closeMail")
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.send_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(fields)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.messages[mail_reply.BODY])
        layout.addLayout(file_buttons)
        layout.addWidget(self.files)
        layout.addWidget(self.messages[mail_reply.FILES])
        layout.addLayout(bottom)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.send)
        self.started_from = self.typed()
        (self.body if form.to else self.to).setFocus()

    # --- what was typed ------------------------------------------------------------------------
    def typed(self) -> tuple[str, str, str]:
        return self.to.text(), self.subject.text(), self.body.toPlainText()

    def is_dirty(self) -> bool:
        return not self.sent and self.typed() != self.started_from

    def attached(self) -> tuple[list[int], list[Path]]:
        """The files to attach: the deal's (by id) and the disk's (by path)."""
        deal, disk = [], []
        for row in range(self.files.count()):
            kind, value = self.files.item(row).data(FILE_ROLE)
            (deal if kind == DEAL_FILE else disk).append(value)
        return deal, disk

    def _add_file(self, kind: str, value, name: str) -> None:
        if any(self.files.item(row).data(FILE_ROLE) == (kind, value) for row in range(self.files.count())):
            return
        item = QListWidgetItem(name + (" (файл сделки)" if kind == DEAL_FILE else f" — {value}"))
        item.setData(FILE_ROLE, (kind, value))
        self.files.addItem(item)

    def fill_deal_files(self) -> None:
        self.deal_menu.clear()
        lines = notes.attachments_of(self.form.deal_id)
        for line in lines:
            action = self.deal_menu.addAction(line.name)
            action.triggered.connect(lambda _=False, line=line: self.add_deal_file(line.id, line.name))
        if not lines:
            self.deal_menu.addAction("У сделки нет файлов").setEnabled(False)

    def add_deal_file(self, attachment_id: int, name: str) -> None:
        self._add_file(DEAL_FILE, attachment_id, name)

    def add_disk_files(self) -> None:
        for path in msgbox.open_files(self, "Приложить файлы к письму"):
            self._add_file(DISK_FILE, path, path.name)

    def remove_file(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    # --- sending -------------------------------------------------------------------------------
    def _show_problems(self, error: ValidationError) -> None:
        for problem in error.problems:
            label = self.messages.get(problem.field, self.messages[mail_reply.BODY])
            label.setText(f"{problem.label}: {problem.message}")
            label.show()
        self.status.setText("Письмо не отправлено: исправьте отмеченное")
        return None

    def _clear_problems(self) -> None:
        for label in self.messages.values():
            label.clear()
            label.hide()

    def _prepare(self):
        to, subject, body = self.typed()
        deal_files, disk_files = self.attached()
        user = self.window_.user
        if self.form.reply_to is not None:
            return mail_replies.prepare_reply(self.form.reply_to, user, to, subject, body, deal_files, disk_files)
        return mail_replies.prepare_letter(self.form.deal_id, user, to, subject, body, deal_files, disk_files)

    def send(self) -> LetterJob | None:
        """Check, record as «sending» and hand the letter to the server from a worker thread."""
        if self.job is not None:
            return None
        self._clear_problems()
        prepared = self.window_.action_runner.run(self, "Письмо не отправлено", self._prepare,
                                                  refused={ValidationError: self._show_problems})
        if prepared is None:
            return None
        outgoing: OutgoingLetter = prepared.value
        self.job = LetterJob(outgoing)
        # recorded through the main window, so the outcome is noted whatever happens to this dialog
        self.job.signals.sent.connect(partial(record_sent, self.window_))
        self.job.signals.failed.connect(partial(forget_unsent, self.window_))
        self.job.signals.sent.connect(self._sent)
        self.job.signals.failed.connect(self._not_sent)
        self._busy(True, f"Отправляю письмо на {outgoing.address}…")
        QThreadPool.globalInstance().start(self.job)
        return self.job

    def _busy(self, busy: bool, text: str) -> None:
        self.progress.setVisible(busy)
        self.send_button.setEnabled(not busy)
        for editor in (self.to, self.subject, self.body):
            editor.setReadOnly(busy)
        self.status.setText(text)

    def _sent(self, outgoing: OutgoingLetter) -> None:
        self.job, self.sent = None, True
        self._busy(False, f"Письмо отправлено на {outgoing.address}")
        self.window_.statusBar().showMessage(f"Письмо отправлено на {outgoing.address}", 10_000)
        self.accept()

    def _not_sent(self, _outgoing: OutgoingLetter, reason: str) -> None:
        self.job = None
        self._busy(False, "Письмо не отправлено — текст остался в окне")
        msgbox.error(self, "Письмо не отправлено", reason)

    # --- closing -------------------------------------------------------------------------------
    def _may_close(self) -> bool:
        if self.job is not None:
            self.status.setText("Дождитесь конца отправки")
            return False
        if not self.is_dirty():
            return True
        answer = msgbox.ask_save(self, self.windowTitle(), "Письмо не отправлено. Сохранить черновик?",
                                 save_label="Сохранить черновик")
        if answer == msgbox.CANCEL:
            return False
        if answer == msgbox.SAVE:
            to, subject, body = self.typed()
            saved = self.window_.action_runner.run(self, "Черновик не сохранён", lambda: mail_replies.save_draft(
                self.form.deal_id, self.form.reply_to, self.window_.user, to, subject, body))
            if saved is None:
                return False
            self.window_.statusBar().showMessage("Черновик письма сохранён", 10_000)
        self.started_from = self.typed()
        return True

    def closeEvent(self, event) -> None:
        if self.sent or self._may_close():
            event.accept()
            self.closed.emit()
        else:
            event.ignore()

    def done(self, result: int) -> None:
        super().done(result)
        self.closed.emit()

    def reject(self) -> None:  # Escape
        if self._may_close():
            super().reject()
