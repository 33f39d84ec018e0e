"""The SMS actions both the outbox screen and the deal card offer on a chosen SMS."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.domain.sms_status import SmsState
from app.queries.sms_outbox import SmsLine
from app.services import sms_manual


class SmsButtons(QHBoxLayout):
    """«Отправить сейчас», «Отправить снова», «Отменить» for the SMS ``current()`` returns."""

    def __init__(self, window, parent: QWidget, current) -> None:
        super().__init__()
        self.window_, self.parent_, self.current = window, parent, current
        self.send_now = QPushButton("Отправить сейчас", objectName="smsSendNow")
        self.resend = QPushButton("Отправить снова", objectName="smsResend")
        self.cancel = QPushButton("Отменить", objectName="smsCancel")
        for button, action in ((self.send_now, sms_manual.send_now), (self.resend, sms_manual.resend),
                               (self.cancel, sms_manual.cancel)):
            button.clicked.connect(lambda _=False, act=action, b=button: self._run(b.text(), act))
            self.addWidget(button)
        self.addStretch(1)
        self.update_buttons()

    def update_buttons(self) -> None:
        line: SmsLine | None = self.current()
        status = line.status if line else None
        self.send_now.setEnabled(status == SmsState.PENDING)
        self.cancel.setEnabled(status == SmsState.PENDING)
        self.resend.setEnabled(status in SmsState.RESENDABLE)

    def _run(self, title: str, action) -> None:
        line = self.current()
        if line is None:
            return
        done = self.window_.action_runner.run(self.parent_, f"СМС: {title.lower()}",
                                              lambda: action(line.id, self.window_.user))
        sender = getattr(self.window_, "sms_sender", None)
        if done is not None and sender is not None:
            sender.kick(forced=True)
