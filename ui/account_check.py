"""The account dialogs' connection check off the GUI thread: `CheckInput` (what a check
needs from the form), `CheckWorker` (runs one check on a QThreadPool and reports through
`CheckSignals.done`, tagged with the dialog's generation so a stale answer is dropped; it
never touches a widget), the address book probe `check_address_books`, and how a
certificate fingerprint is compared and shown. ui/account_dialog.py and
ui/calendar_account_dialog.py (with its calendar probe) use it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal

from app.dav.discovery import ConnectionResult, check_connection
from app.dav.model import RemoteBook
from app.dav.session import normalize_fingerprint


@dataclass(frozen=True)
class CheckInput:
    """What a connection check needs; equal inputs give the same verdict. The fields are
    the keyword arguments of add_account and add_calendar_account (`asdict` when saving)."""

    server: str
    port: int | None
    path: str
    preset: str
    username: str
    password: str
    pinned_sha256: str | None


class CheckSignals(QObject):
    done = Signal(int, object)  # generation, ConnectionResult


class CheckWorker(QRunnable):
    """Runs a dialog's connection check off the GUI thread; reports through `signals.done`."""

    def __init__(
        self,
        generation: int,
        data: CheckInput,
        signals: CheckSignals,
        check: Callable[[CheckInput], object],
    ) -> None:
        super().__init__()
        self.generation = generation
        self.data = data
        self.signals = signals
        self.check = check

    def run(self) -> None:
        result = self.check(self.data)
        # RuntimeError: the dialog is gone; nobody waits for this result.
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(self.generation, result)


def check_address_books(d: CheckInput) -> ConnectionResult[RemoteBook]:
    """The address book account check (runs on a worker thread)."""
    return check_connection(
        d.server, d.port, d.path, d.preset, d.username, d.password, d.pinned_sha256
    )


def same_fingerprint(a: str, b: str) -> bool:
    try:
        return normalize_fingerprint(a) == normalize_fingerprint(b)
    except ValueError:
        return False


def grouped_fingerprint(fingerprint: str) -> str:
    """AB:CD:… in groups of 8 bytes per line-friendly chunk."""
    text = fingerprint.replace(":", "").upper()
    pairs = [text[i : i + 2] for i in range(0, len(text), 2)]
    return " ".join(":".join(pairs[i : i + 8]) for i in range(0, len(pairs), 8))
