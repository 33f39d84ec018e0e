"""«Документы» on the deal card: make the invoice, the contract or the order form, then print it
(the system dialog), open it as PDF, save it as PDF or send it by e-mail to the client. The paper is
attached to the deal when it is made, whatever is done with it next."""
from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from app.domain import clock
from app.domain.changes import Changes, Done
from app.domain.errors import ServiceError
from app.services import client_papers, deal_fields, notes, outgoing_mail, permissions
from app.services.client_papers import Paper
from app.services.deals import load_deal
from app.services.outgoing_mail import OutgoingPaper
from ui.common import msgbox
from ui.cutsheets.printing import print_pdf
from ui.cutsheets.screen import ask_print, open_in_viewer

KINDS = (client_papers.INVOICE, client_papers.CONTRACT, client_papers.ORDER_FORM)


class MailSignals(QObject):
    sent = Signal(object, str)  # OutgoingPaper, its Message-ID
    failed = Signal(str)


class MailJob(QRunnable):
    """Hands one letter to the SMTP server in a worker thread (no database there)."""

    def __init__(self, outgoing: OutgoingPaper) -> None:
        super().__init__()
        self.outgoing = outgoing
        self.signals = MailSignals()

    def run(self) -> None:
        try:
            message_id = self.outgoing.send()
        except ServiceError as error:
            self.signals.failed.emit(str(error))
            return
        self.signals.sent.emit(self.outgoing, message_id)


def record_sent(window, outgoing: OutgoingPaper, message_id: str) -> None:
    """Note a sent letter on the deal's timeline (in the main thread, once the server took it)."""
    window.action_runner.run(window, "Письмо отправлено, но не отмечено в ленте",
                             lambda: outgoing_mail.record_sent(outgoing, window.user, message_id))


class PaperDialog(QDialog):
    """What to do with a paper just made: print, open, save, send."""

    def __init__(self, window, paper: Paper, parent=None) -> None:
        super().__init__(parent or window)
        self.window_, self.paper = window, paper
        self.setObjectName("paperDialog")
        self.setWindowTitle(paper.title)
        self.status = QLabel(f"<b>{paper.title}</b> (заказ №{paper.order_no}) готов и прикреплён к сделке: "
                             f"«{paper.file_name}».", wordWrap=True, objectName="paperStatus")
        buttons = QHBoxLayout()
        for name, text, slot in (("printPaper", "Печать…", self.print_paper),
                                 ("openPaper", "Открыть PDF", self.open_pdf),
                                 ("savePaper", "Сохранить PDF…", self.save_pdf),
                                 ("mailPaper", "Отправить по e-mail…", self.send)):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.mail_button = button
        self.job: MailJob | None = None
        close = QPushButton("Закрыть", objectName="closePaper")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _said(self, text: str) -> None:
        self.status.setText(text)
        self.window_.statusBar().showMessage(text, 10_000)

    def _record(self, what: str) -> bool:
        """Whether the paper may be used (a contract's use is written to the audit log)."""
        return self.window_.action_runner.run(self, self.paper.title, lambda: client_papers.record_use(
            self.paper, self.window_.user, what)) is not None

    def print_paper(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.paper.title)
        if not ask_print(self, printer) or not self._record("печать"):
            return
        try:
            pages = print_pdf(self.paper.path, printer)
        except (OSError, RuntimeError) as error:
            msgbox.error(self, "Печать", f"Не удалось напечатать {self.paper.title}: {error}")
            return
        self._said(f"{self.paper.title} отправлен на печать: {pages} стр.")

    def open_pdf(self) -> None:
        if self._record("открыт в PDF"):
            open_in_viewer(self.paper.path)

    def save_pdf(self) -> None:
        target = msgbox.save_file(self, "Сохранить PDF", str(Path.home() / self.paper.file_name), "PDF (*.pdf)")
        if target is None or not self._record(f"сохранён в {target.name}"):
            return
        try:
            shutil.copyfile(self.paper.path, target)
        except OSError as error:
            msgbox.error(self, "Сохранить PDF", f"Не удалось сохранить {target}: {error}")
            return
        self._said(f"Сохранено: {target}")

    def send(self) -> MailJob | None:
        """Ask for the address, then send from a worker thread (a slow server never freezes the window)."""
        email = deal_fields.current_values(load_deal(self.paper.deal_id))["contact.email"]
        to = msgbox.ask_text(self, "Отправить по e-mail", f"{self.paper.title} — кому:", email)
        if not to:
            return None
        outgoing = self.window_.action_runner.run(self, "Письмо не отправлено", lambda: Done(
            outgoing_mail.prepare_paper_mail(self.paper.attachment_id, self.window_.user, to), Changes()))
        if outgoing is None:
            return None
        self.job = MailJob(outgoing.value)
        # recorded through the main window, so a letter sent after this dialog closed is still noted
        self.job.signals.sent.connect(partial(record_sent, self.window_))
        self.job.signals.sent.connect(self._sent)
        self.job.signals.failed.connect(self._not_sent)
        self.mail_button.setEnabled(False)
        self._said(f"Отправляю {self.paper.title} на {outgoing.value.address}…")
        QThreadPool.globalInstance().start(self.job)
        return self.job

    def _sent(self, outgoing: OutgoingPaper, message_id: str) -> None:
        self.mail_button.setEnabled(True)
        self._said(client_papers.sent_text(self.paper, outgoing.address))

    def _not_sent(self, message: str) -> None:
        self.mail_button.setEnabled(True)
        self._said("Письмо не отправлено")
        msgbox.error(self, "Письмо не отправлено", message)


class PapersButton(QToolButton):
    """«Документы ▾» of one deal's card."""

    def __init__(self, window, deal_id: int, parent=None) -> None:
        super().__init__(parent, objectName="papersButton", text="Документы")
        self.window_, self.deal_id = window, deal_id
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.actions_by_kind = {}
        for kind in KINDS:
            action = menu.addAction(f"{client_papers.TITLES[kind]}…")
            action.setObjectName(f"paper:{kind}")
            action.triggered.connect(lambda _=False, kind=kind: self.make(kind))
            self.actions_by_kind[kind] = action
        menu.addSeparator()
        self.earlier = menu.addMenu("Ранее сделанные")
        self.earlier.setObjectName("earlierPapers")
        menu.aboutToShow.connect(self.fill_earlier)
        self.setMenu(menu)
        self.follow_user(window.user)
        window.user_changed.connect(self.follow_user)

    def follow_user(self, user) -> None:
        """Grey out what ``user`` may not make (the service checks again)."""
        may = permissions.allowed(user, permissions.PAPERS)
        for kind, action in self.actions_by_kind.items():
            allowed = may and (kind != client_papers.CONTRACT or permissions.allowed(user, permissions.PASSPORT_VIEW))
            action.setEnabled(allowed)
            action.setToolTip("" if allowed else "Недостаточно прав")

    def fill_earlier(self) -> None:
        """The deal's papers made before, newest first, to print or send again (no new number)."""
        self.earlier.clear()
        lines = [line for line in notes.attachments_of(self.deal_id) if line.kind in client_papers.TITLES]
        for line in sorted(lines, key=lambda line: (line.added_at, line.id), reverse=True):
            action = self.earlier.addAction(f"{line.name} · {clock.to_local(line.added_at):%d.%m.%Y %H:%M}")
            action.triggered.connect(lambda _=False, attachment_id=line.id: self.reopen(attachment_id))
        self.earlier.setEnabled(bool(lines))

    def reopen(self, attachment_id: int) -> PaperDialog | None:
        """What to do with a paper made before."""
        try:
            paper = client_papers.paper_of(attachment_id)
        except ServiceError as error:
            msgbox.error(self, "Документ", str(error))
            return None
        return self._offer(paper)

    def _offer(self, paper: Paper) -> PaperDialog:
        dialog = PaperDialog(self.window_, paper, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def make(self, kind: str) -> PaperDialog | None:
        """Make the paper ``kind`` and offer what to do with it."""
        done = self.window_.action_runner.run(self, f"{client_papers.TITLES[kind]} не готов",
                                              lambda: client_papers.make_paper(kind, self.deal_id, self.window_.user))
        return None if done is None else self._offer(done.value)
