"""Letters on the deal card: «Ответить» (the button under the timeline, the line's context menu,
Ctrl+R) on the incoming letter selected — or the latest one — and «Написать письмо» to the deal's
contact; both open the compose dialog (one per letter: asking again brings it to the front)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget

from app.domain.changes import Changes, Done
from app.services import mail_replies, permissions
from ui.deal.timeline_view import FeedView, Role
from ui.mail.compose import ComposeDialog

REPLY_KEYS = "Ctrl+R"


class CardMail(QWidget):
    """The mail buttons of one deal's card, and «Ответить» in its timeline's context menu."""

    def __init__(self, window, deal_id: int, feed: FeedView, parent: QWidget) -> None:
        super().__init__(parent, objectName="cardMail")
        self.window_, self.deal_id, self.feed = window, deal_id, feed
        self.dialogs: dict[tuple[int, int | None], ComposeDialog] = {}
        self.reply_button = QPushButton("Ответить", objectName="replyMail")
        self.reply_button.setToolTip(f"Ответить на выбранное входящее письмо ({REPLY_KEYS})")
        self.reply_button.clicked.connect(self.reply)
        self.write_button = QPushButton("Написать письмо", objectName="writeMail")
        self.write_button.setToolTip("Письмо клиенту на e-mail контакта")
        self.write_button.clicked.connect(self.write)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reply_button)
        layout.addWidget(self.write_button)
        layout.addStretch(1)
        QShortcut(QKeySequence(REPLY_KEYS), parent, activated=self.reply)
        feed.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        feed.customContextMenuRequested.connect(self.show_menu)
        feed.feed_model.modelReset.connect(self.follow_feed)
        feed.selectionModel().currentChanged.connect(self.follow_feed)
        self.follow_user(window.user)
        window.user_changed.connect(self.follow_user)

    def follow_user(self, user) -> None:
        """Grey out what ``user`` may not do (the services check again)."""
        self.allowed = permissions.allowed(user, permissions.PAPERS)
        self.write_button.setEnabled(self.allowed)
        self.write_button.setToolTip("Письмо клиенту на e-mail контакта" if self.allowed else "Недостаточно прав")
        self.follow_feed()

    def follow_feed(self, *_args) -> None:
        self.reply_button.setEnabled(self.allowed and self.letter_to_answer() is not None)

    def letter_to_answer(self) -> int | None:
        """The incoming letter selected in the timeline, else the latest one on it."""
        current = self.feed.currentIndex()
        if current.isValid() and current.data(Role.LETTER) is not None:
            return current.data(Role.LETTER)
        model = self.feed.feed_model
        for row in range(model.rowCount() - 1, -1, -1):
            letter_id = model.index(row, 0).data(Role.LETTER)
            if letter_id is not None:
                return letter_id
        return None

    def show_menu(self, position: QPoint) -> QMenu | None:
        """«Ответить» on an incoming letter; on a letter left «sending», whether it left."""
        index: QModelIndex = self.feed.indexAt(position)
        letter_id = index.data(Role.LETTER) if index.isValid() else None
        unconfirmed = index.data(Role.UNCONFIRMED) if index.isValid() else None
        if letter_id is None and unconfirmed is None:
            return None
        menu = QMenu(self.feed)
        if letter_id is not None:
            action = menu.addAction(f"Ответить\t{REPLY_KEYS}")
            action.setObjectName("replyMailAction")
            action.triggered.connect(lambda: self.reply(letter_id))
        else:
            action = menu.addAction("Письмо ушло (есть в «Отправленных») — отметить отправленным")
            action.setObjectName("confirmSentAction")
            action.triggered.connect(lambda: self.resolve(unconfirmed, True))
            other = menu.addAction("Письмо не ушло — убрать из ленты")
            other.setObjectName("confirmNotSentAction")
            other.setEnabled(self.allowed)
            other.triggered.connect(lambda: self.resolve(unconfirmed, False))
        action.setEnabled(self.allowed)
        menu.popup(self.feed.viewport().mapToGlobal(position))
        return menu

    def resolve(self, letter_id: int, sent: bool) -> bool:
        """Say whether a letter left «sending» left (never sent again from here)."""
        return self.window_.action_runner.run(self.window(), "Письмо", lambda: mail_replies.resolve_unconfirmed(
            letter_id, self.window_.user, sent=sent)) is not None

    def reply(self, letter_id: int | None = None) -> ComposeDialog | None:
        """«Ответить» on ``letter_id`` (by default the selected or latest incoming letter)."""
        letter_id = letter_id if isinstance(letter_id, int) and not isinstance(letter_id, bool) else None
        letter_id = letter_id or self.letter_to_answer()
        if letter_id is None:
            return None
        return self._compose((self.deal_id, letter_id), lambda: mail_replies.start_reply(letter_id, self.window_.user))

    def write(self) -> ComposeDialog | None:
        """«Написать письмо» to the deal's contact."""
        return self._compose((self.deal_id, None), lambda: mail_replies.start_letter(self.deal_id, self.window_.user))

    def _compose(self, key: tuple[int, int | None], start) -> ComposeDialog | None:
        dialog = self.dialogs.get(key)
        if dialog is not None:
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        started = self.window_.action_runner.run(self.window(), "Письмо", lambda: Done(start(), Changes()))
        if started is None:
            return None
        dialog = ComposeDialog(self.window_, started.value, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.closed.connect(lambda: self.dialogs.pop(key, None))
        self.dialogs[key] = dialog
        dialog.show()  # not modal: the card stays readable while writing
        return dialog

    def close_letters(self) -> bool:
        """Close the letters being written (each may ask about its draft); False when one stays open."""
        return all(dialog.close() for dialog in list(self.dialogs.values()))
