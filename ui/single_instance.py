"""One Contactbox per user and data directory: a second launch brings the first to the front.

    instance = SingleInstance(instance_key(home))
    if instance.already_running():   # told the first one "show"
        return 0
    instance.activated.connect(tray.show_window)

The first instance listens on a QLocalServer (a Unix socket / a named pipe, readable by the
user only); the second connects, sends "show" and exits. A socket file left behind by a
crash is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
SHOW = b"show\n"


def instance_key(data_home: str | os.PathLike[str]) -> str:
    """A key per user and data directory (short: socket paths have a length limit)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name (odd containers): the home path still separates
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    path = str(Path(data_home).expanduser().resolve())
    digest = hashlib.sha256(f"{user}\0{path}".encode()).hexdigest()[:16]
    return f"contactbox-sync-{digest}"


class SingleInstance(QObject):
    activated = Signal()  # another launch asked this instance to show its window

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.server: QLocalServer | None = None

    def already_running(self) -> bool:
        """True if another instance answers (it was asked to show itself); else listen."""
        socket = QLocalSocket()
        socket.connectToServer(self.key)
        if socket.waitForConnected(CONNECT_TIMEOUT_MS):
            socket.write(SHOW)
            socket.flush()
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
            socket.disconnectFromServer()
            if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
            return True
        self._listen()
        return False

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            # nobody answered, so the socket file is a leftover of a crashed instance
            QLocalServer.removeServer(self.key)
            server.listen(self.key)
        server.newConnection.connect(self._on_connection)
        self.server = server

    def is_listening(self) -> bool:
        return self.server is not None and self.server.isListening()

    @Slot()
    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            client = self.server.nextPendingConnection()
            # slots of self (not lambdas): disconnected automatically when self goes
            client.readyRead.connect(self._on_ready_read)
            client.disconnected.connect(self._on_disconnected)
            if client.bytesAvailable():
                self._read(client)

    @Slot()
    def _on_ready_read(self) -> None:
        client = self.sender()
        if isinstance(client, QLocalSocket):
            self._read(client)

    @Slot()
    def _on_disconnected(self) -> None:
        client = self.sender()
        if isinstance(client, QLocalSocket):
            if client.bytesAvailable():
                self._read(client)
            client.deleteLater()

    def _read(self, client: QLocalSocket) -> None:
        data = bytes(client.readAll().data())
        if b"show" in data:
            self.activated.emit()

    def close(self) -> None:
        """Stop listening (the socket file goes with it)."""
        if self.server is not None:
            server, self.server = self.server, None
            server.newConnection.disconnect(self._on_connection)
            server.close()
            server.deleteLater()
