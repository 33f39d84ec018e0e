"""One running copy per user on a PC: a second start hands over to the first and ends.

The first copy listens on a local socket named for the user; a second start connects, asks it to
come forward and exits, so two copies never fight over the reminders. Tests (and two demo sessions
side by side) choose another name with the environment variable ``CRM_INSTANCE_NAME``.
"""
from __future__ import annotations

import getpass
import hashlib
import logging
import os

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_MS = 1500
MESSAGE = b"show\n"


def instance_name(demo: bool = False) -> str:
    """The socket name of this user's copy — the demo apart from the shop's database
    (``CRM_INSTANCE_NAME`` overrides it)."""
    override = os.environ.get("CRM_INSTANCE_NAME")
    if override:
        return override
    user = hashlib.sha1(getpass.getuser().encode("utf-8")).hexdigest()[:12]
    return f"workshop-crm-{user}" + ("-demo" if demo else "")


def hand_over(name: str | None = None) -> bool:
    """Ask a running copy to come forward; True when one answered (then this start should end)."""
    socket = QLocalSocket()
    socket.connectToServer(name or instance_name())
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(MESSAGE)
    socket.waitForBytesWritten(CONNECT_MS)
    socket.disconnectFromServer()
    log.info("Another copy of the program is running: brought it forward")
    return True


class InstanceServer(QObject):
    """Listens for later starts; ``activate`` fires when one asks this copy to come forward."""

    activate = Signal()

    def __init__(self, parent: QObject | None = None, name: str | None = None) -> None:
        super().__init__(parent, objectName="instanceServer")
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        self.name = name or instance_name()

    def listen(self) -> bool:
        """Start listening (removing a socket file a crashed copy left behind)."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        listening = self.server.listen(self.name)
        if not listening:
            log.warning("Single-instance socket %s: %s", self.name, self.server.errorString())
        return listening

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            # no Python closure holds this object from the socket's side: freeing it while Qt deletes the
            # socket would delete the socket twice
            socket.readyRead.connect(self._ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll()).startswith(MESSAGE.strip()):
            self.activate.emit()

    def close(self) -> None:
        """Stop listening and drop the connections still open."""
        self.server.close()
        for socket in self.server.findChildren(QLocalSocket):
            socket.abort()


def bring_forward(window) -> None:
    """Show ``window`` (also from the tray or minimised) on top of the others."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
