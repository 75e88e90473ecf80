"""A run the user started asks for the password when none is stored or the server refused it.

Real Radicale, the real run window offscreen, the in-memory keyring of tests/conftest.py.
The prompt's `exec` is replaced by a function that types into the real dialog, as a user
would, and presses its button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app import secrets
from app.accounts import add_account
from app.store.models import Account
from app.sync.modes import Mode
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.ui.test_setup_and_run import bound, live_count, run_to_end, seed_book, unique
from ui import workers
from ui.password_prompt import MISSING, REJECTED, PasswordPrompt
from ui.run_window import RunWindow


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)
    secrets.forget_session()


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Büro", server=s.root_url, username=s.user, password=s.password)


Answer = Callable[[PasswordPrompt], bool]


def answering(monkeypatch: pytest.MonkeyPatch, *answers: Answer) -> list[PasswordPrompt]:
    """Each prompt shown gets the next answer (typed into the real dialog); the prompts."""
    shown: list[PasswordPrompt] = []
    queue = list(answers)

    def exec_(dialog: PasswordPrompt) -> int:
        shown.append(dialog)
        if not queue or not queue.pop(0)(dialog):
            dialog.reject()
            return int(PasswordPrompt.DialogCode.Rejected.value)
        dialog.accept()
        return int(PasswordPrompt.DialogCode.Accepted.value)

    monkeypatch.setattr(PasswordPrompt, "exec", exec_)
    return shown


def types(password: str, *, store: bool) -> Answer:
    def answer(dialog: PasswordPrompt) -> bool:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # nothing typed yet
        dialog.password_edit.setText(password)
        assert ok.isEnabled()
        dialog.store_box.setChecked(store)
        return True

    return answer


def test_missing_password_is_asked_for_and_kept_for_the_session(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = unique("Ohne Passwort")
    seed_book(radicale_server, name, 7)
    binding = bound(account, name, Mode.parse("import", "add"))
    secrets.delete_password(int(account.id))  # "Nicht speichern", program restarted
    shown = answering(monkeypatch, types(radicale_server.password, store=False))

    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, window)

    assert len(shown) == 1
    assert "ist kein Passwort gespeichert" in shown[0].message.text()
    assert "„Büro“" in shown[0].message.text()
    assert window.report is not None and window.report.status == "ok"
    assert window.runs == 2 and live_count(name) == 7
    # Kept for this session only: nothing in the keyring.
    assert keyring.get_password(secrets.SERVICE, secrets.entry_name(int(account.id))) is None
    assert secrets.get_password(int(account.id)) == radicale_server.password


def test_refused_password_is_asked_for_again_and_saved(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = unique("Falsches Passwort")
    seed_book(radicale_server, name, 3)
    binding = bound(account, name, Mode.parse("import", "add"))
    secrets.set_password(int(account.id), "nicht-das-richtige")
    shown = answering(
        monkeypatch,
        types("immer-noch-falsch", store=True),  # refused again: asked once more
        types(radicale_server.password, store=True),
    )

    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, window)

    assert len(shown) == 2
    assert all("abgelehnt" in d.message.text() for d in shown)
    assert window.report is not None and window.report.status == "ok"
    assert live_count(name) == 3
    stored = keyring.get_password(secrets.SERVICE, secrets.entry_name(int(account.id)))
    assert stored == radicale_server.password


def test_cancelled_prompt_ends_the_run_as_failed(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = unique("Abgebrochen")
    seed_book(radicale_server, name, 2)
    binding = bound(account, name, Mode.parse("import", "add"))
    secrets.delete_password(int(account.id))
    shown = answering(monkeypatch)  # the user presses "Abbrechen"

    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, window)

    assert len(shown) == 1
    assert window.report is not None and window.report.status == "failed"
    assert window.report.error_kind == "auth"
    assert "kein Passwort gespeichert" in window.report.message
    assert live_count(name) == 0


def test_prompt_without_password_store_keeps_it_for_the_session_only(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets, "active_store", lambda: None)
    from ui.password_prompt import can_store

    dialog = PasswordPrompt("Büro", "anna", MISSING, storable=can_store())
    qtbot.addWidget(dialog)
    assert not dialog.store_box.isEnabled() and not dialog.store()
    assert "keinen Passwortspeicher" in dialog.store_box.toolTip()
    rejected = PasswordPrompt("Büro", "anna", REJECTED, storable=True)
    qtbot.addWidget(rejected)
    assert rejected.store() and "abgelehnt" in rejected.message.text()
