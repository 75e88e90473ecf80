"""The account dialog against a real Radicale: automatic check, errors, save, edit."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail as fail_backend
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import secrets
from app.accounts import add_account, check_account, list_accounts
from app.dav.discovery import ConnectionResult, check_connection
from app.dav.session import normalize_fingerprint
from app.store.models import Account
from tests.conftest import MemoryKeyring
from tests.servers.dav_servers import (
    Certificate,
    DavServer,
    make_self_signed,
    start_radicale_tls,
)
from ui.account_dialog import AccountDialog, PasswordStoreDialog

WAIT_MS = 20_000


def fill(dialog: AccountDialog, server: DavServer, password: str, label: str = "Büro") -> None:
    dialog.label_edit.setText(label)
    dialog.username_edit.setText(server.user)
    dialog.password_edit.setText(password)
    dialog.server_edit.setText(server.root_url)


def make_dialog(qtbot: QtBot, account_id: int | None = None) -> AccountDialog:
    dialog = AccountDialog(None, account_id=account_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_right_password_reaches_ok_with_book_count(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    radicale_server.make_book(display_name="Kontakte")
    dialog = make_dialog(qtbot)
    assert not dialog.ok_button.isEnabled()
    fill(dialog, radicale_server, radicale_server.password)
    assert "gleich geprüft" in dialog.status_text()  # debounced, not yet running
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    expected = check_connection(
        radicale_server.root_url, None, "", "other", radicale_server.user, radicale_server.password
    )
    assert expected.ok
    assert dialog.status_text() == "✔ " + expected.message
    assert "Adressb" in dialog.status_text() and str(len(expected.books)) in dialog.status_text()


def test_wrong_password_shows_german_error_and_ok_stays_disabled(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, radicale_server, "falsch")
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT_MS)
    expected = check_connection(
        radicale_server.root_url, None, "", "other", radicale_server.user, "falsch"
    )
    assert not expected.ok
    assert dialog.status_text() == "✖ " + expected.message
    assert not dialog.ok_button.isEnabled()


def test_changing_a_field_after_success_disables_ok_until_checked_again(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, radicale_server, radicale_server.password)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.password_edit.setText("falsch")
    assert not dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT_MS)
    assert not dialog.ok_button.isEnabled()


def test_stale_result_is_ignored(qtbot: QtBot, store: Path, radicale_server: DavServer) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, radicale_server, radicale_server.password)
    dialog._timer.stop()
    old = dialog._generation - 1
    dialog._on_check_done(old, ConnectionResult(ok=True, message="veraltet"))
    assert "veraltet" not in dialog.status_text()
    assert not dialog.ok_button.isEnabled()


def test_saving_creates_the_account_with_password_in_keyring(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, radicale_server, radicale_server.password, label="Büro Kerio")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.ok_button.click()
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    [info] = list_accounts()
    assert info.label == "Büro Kerio"
    assert info.id == dialog.saved_account_id
    assert info.username == radicale_server.user
    assert secrets.get_password(info.id) == radicale_server.password


def test_edit_keeps_password_when_left_empty(
    qtbot: QtBot, radicale_account: Account, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot, account_id=radicale_account.id)
    assert dialog.windowTitle() == "Account bearbeiten"
    assert dialog.password_edit.text() == ""  # the stored password is never shown
    assert dialog.label_edit.text() == "Büro Radicale"
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)  # checked with stored pw
    dialog.label_edit.setText("Büro neu")
    assert dialog.ok_button.isEnabled()  # the label is not part of the connection
    dialog.ok_button.click()
    account = Account.get_by_id(radicale_account.id)
    assert account.label == "Büro neu"
    assert secrets.get_password(account.id) == radicale_server.password


def test_edit_with_wrong_new_password_cannot_be_saved(
    qtbot: QtBot, radicale_account: Account
) -> None:
    dialog = make_dialog(qtbot, account_id=radicale_account.id)
    dialog.password_edit.setText("falsch")
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT_MS)
    assert not dialog.ok_button.isEnabled()


def test_self_signed_certificate_shows_fingerprint_and_trust_pins_it(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, radicale_server, radicale_server.password)
    dialog._timer.stop()
    fingerprint = "AB:" * 31 + "CD"
    tls = ConnectionResult(
        ok=False,
        message="Das Zertifikat des Servers ist nicht vertrauenswürdig.",
        fingerprint=fingerprint,
    )
    dialog._on_check_done(dialog._generation, tls)
    assert dialog.trust_check.isVisible()
    assert "AB:AB" in dialog.fingerprint_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.trust_check.setChecked(True)  # pins it and checks again at once
    data = dialog.check_input()
    assert data is not None and data.pinned_sha256 == fingerprint
    assert dialog.busy.isVisible()


# ---------------------------------------------------------------- TLS against real HTTPS


@pytest.fixture(scope="module")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_self_signed(tmp_path_factory.mktemp("tls-cert"), "dialog")


@pytest.fixture(scope="module")
def tls_radicale(
    tmp_path_factory: pytest.TempPathFactory, tls_cert: Certificate
) -> Iterator[DavServer]:
    with start_radicale_tls(tmp_path_factory.mktemp("tls-radicale"), tls_cert) as server:
        yield server


@pytest.mark.servers
def test_https_self_signed_refused_then_trusted_and_pinned(
    qtbot: QtBot, store: Path, tls_radicale: DavServer, tls_cert: Certificate
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, tls_radicale, tls_radicale.password, label="Sicher")
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT_MS)
    assert "nicht vertrauenswürdig" in dialog.status_text()
    assert tls_cert.fingerprint in dialog.status_text()
    assert dialog.fingerprint_label.isVisible() and dialog.trust_check.isVisible()
    assert tls_cert.fingerprint.replace(":", "")[:2] in dialog.fingerprint_label.text()
    assert not dialog.trust_check.isChecked()
    assert not dialog.ok_button.isEnabled()
    assert not dialog.http_warning_label.isVisible()  # https: no plain-http warning

    dialog.trust_check.setChecked(True)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    assert dialog.status_text().startswith("✔ Verbindung erfolgreich")
    dialog.ok_button.click()
    account = Account.get_by_id(dialog.saved_account_id)
    assert normalize_fingerprint(account.pinned_sha256) == normalize_fingerprint(
        tls_cert.fingerprint
    )
    # The saved account really syncs over the pinned connection.
    assert check_account(account).ok


@pytest.mark.servers
def test_changed_certificate_is_not_trusted_until_ticked_again(
    qtbot: QtBot, store: Path, tmp_path: Path
) -> None:
    old_cert = make_self_signed(tmp_path, "old")
    new_cert = make_self_signed(tmp_path, "new")
    with start_radicale_tls(tmp_path / "srv", old_cert) as server:
        port = int(server.root_url.rstrip("/").rsplit(":", 1)[1])
        account = add_account(
            "Wechsel", server=server.root_url, username=server.user, password=server.password,
            pinned_sha256=old_cert.fingerprint,
        )  # fmt: skip
        assert check_account(account).ok
    with start_radicale_tls(tmp_path / "srv", new_cert, port=port):
        dialog = make_dialog(qtbot, account_id=account.id)
        qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT_MS)
        assert "hat sich geändert" in dialog.status_text()
        assert new_cert.fingerprint in dialog.status_text()
        assert dialog.trust_check.isVisible() and not dialog.trust_check.isChecked()
        assert not dialog.ok_button.isEnabled()
        # "Erneut prüfen" does not carry the old tick over to the new certificate.
        dialog.recheck_button.click()
        qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=WAIT_MS)
        assert "nicht vertrauenswürdig" in dialog.status_text()  # checked without a pin now
        assert new_cert.fingerprint in dialog.status_text()
        assert not dialog.ok_button.isEnabled()
        assert Account.get_by_id(account.id).pinned_sha256 == old_cert.fingerprint
        # Ticking it for the new fingerprint: checked, saved, pinned.
        dialog.trust_check.setChecked(True)
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
        dialog.ok_button.click()
        saved = Account.get_by_id(account.id)
        assert normalize_fingerprint(saved.pinned_sha256) == normalize_fingerprint(
            new_cert.fingerprint
        )
        assert check_account(saved).ok


# ---------------------------------------------------------------- plain http warning


@pytest.mark.parametrize(
    ("server", "port", "warned"),
    [
        ("http://192.168.1.20", "", True),
        ("http://nas.example.de/dav/", "", True),
        ("nas.example.de", "80", True),  # port 80 means http
        ("http://[2001:db8::1]:8080", "", True),
        ("https://nas.example.de", "", False),
        ("nas.example.de", "", False),  # https by default
        ("http://127.0.0.1:5232", "", False),
        ("http://127.8.9.10", "", False),  # all of 127.0.0.0/8
        ("http://[::1]:5232", "", False),
        ("http://localhost:5232", "", False),
        ("http://LOCALHOST.", "", False),
    ],
)
def test_plain_http_warning_in_the_dialog(
    qtbot: QtBot, store: Path, server: str, port: str, warned: bool
) -> None:
    dialog = make_dialog(qtbot)
    dialog.server_edit.setText(server)
    dialog.port_edit.setText(port)
    assert dialog.http_warning_label.isVisible() is warned
    if warned:
        assert "Unverschlüsselte Verbindung (http://)" in dialog.http_warning_label.text()
    dialog.server_edit.setText("https://cloud.example.de")
    dialog.port_edit.setText("")
    assert not dialog.http_warning_label.isVisible()  # gone as soon as the URL is https


def test_plain_http_warning_shown_when_editing_a_saved_account(qtbot: QtBot, store: Path) -> None:
    account = add_account("LAN", server="http://10.0.0.5:5232", username="u", password="p")
    dialog = make_dialog(qtbot, account_id=account.id)
    assert dialog.http_warning_label.isVisible()


# ---------------------------------------------------------------- no keyring on this computer


@pytest.fixture
def no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A headless Linux: keyring's "fail" backend, the password file in tmp_path."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail_backend.Keyring())
    path = tmp_path / "config" / "passwords.json"
    monkeypatch.setenv(secrets.PASSWORD_FILE_ENV, str(path))
    try:
        yield path
    finally:
        keyring.set_keyring(previous)
        secrets.choose_store(None)
        secrets.forget_session()


def answer_password_store(
    qtbot: QtBot, button: str, before: Callable[[], None] = lambda: None
) -> dict[str, str]:
    """Click `button` of the PasswordStoreDialog once it is open; returns what it saw."""
    seen: dict[str, str] = {}

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, PasswordStoreDialog):
            QTimer.singleShot(20, click)
            return
        seen["title"] = box.windowTitle()
        seen["text"] = box.text() + "\n" + box.informativeText()
        before()
        getattr(box, button).click()

    QTimer.singleShot(0, click)
    return seen


def saved_dialog(qtbot: QtBot, server: DavServer) -> AccountDialog:
    dialog = make_dialog(qtbot)
    fill(dialog, server, server.password, label="Ohne Schlüsselbund")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    return dialog


@pytest.mark.servers
def test_no_keyring_choice_file_saves_owner_only_file(
    qtbot: QtBot, store: Path, radicale_server: DavServer, no_keyring: Path
) -> None:
    dialog = saved_dialog(qtbot, radicale_server)
    seen = answer_password_store(qtbot, "file_button")
    dialog.ok_button.click()
    assert seen["title"] == "Kein Passwortspeicher gefunden"
    for words in ("GNOME Keyring", "KWallet", "keyrings.alt", "unverschlüsselt",
                  "nur Ihr Benutzerkonto", "Nicht speichern", str(no_keyring)):  # fmt: skip
        assert words in seen["text"], words
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    account = Account.get_by_id(dialog.saved_account_id)
    assert no_keyring.is_file()
    assert stat.S_IMODE(no_keyring.stat().st_mode) == 0o600
    assert stat.S_IMODE(no_keyring.parent.stat().st_mode) == 0o700
    assert radicale_server.password.encode() not in no_keyring.read_bytes()  # not at a glance
    secrets.choose_store(None)  # a later start: no keyring, the file is the choice
    secrets.forget_session()
    assert secrets.active_store() == secrets.STORE_FILE
    assert secrets.get_password(account.id) == radicale_server.password
    assert check_account(account).ok


@pytest.mark.servers
def test_no_keyring_choice_not_saved_keeps_it_for_this_session_only(
    qtbot: QtBot, store: Path, radicale_server: DavServer, no_keyring: Path
) -> None:
    dialog = saved_dialog(qtbot, radicale_server)
    answer_password_store(qtbot, "session_button")
    dialog.ok_button.click()
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    account = Account.get_by_id(dialog.saved_account_id)
    assert not no_keyring.exists()
    assert secrets.get_password(account.id) == radicale_server.password
    assert check_account(account).ok  # a sync in this session works
    secrets.forget_session()  # the program was restarted
    with pytest.raises(secrets.NoPasswordStore) as info:
        secrets.get_password(account.id)
    assert "Account-Einstellungen" in str(info.value)
    assert radicale_server.password not in str(info.value)


@pytest.mark.servers
def test_no_keyring_retry_after_setting_one_up(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,
    no_keyring: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    dialog = saved_dialog(qtbot, radicale_server)
    # The user installs a keyring while the question is open, then clicks "Erneut versuchen".
    answer_password_store(qtbot, "retry_button", before=lambda: keyring.set_keyring(memory_keyring))
    dialog.ok_button.click()
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    account_id = dialog.saved_account_id
    assert memory_keyring.store[(secrets.SERVICE, secrets.entry_name(account_id))] == (
        radicale_server.password
    )
    assert not no_keyring.exists()


@pytest.mark.servers
def test_no_keyring_cancel_saves_nothing(
    qtbot: QtBot, store: Path, radicale_server: DavServer, no_keyring: Path
) -> None:
    dialog = saved_dialog(qtbot, radicale_server)
    answer_password_store(qtbot, "cancel_button")
    dialog.ok_button.click()
    assert dialog.result() != AccountDialog.DialogCode.Accepted
    assert list_accounts() == []  # no account without its password
    assert "kein Passwortspeicher" in dialog.status_text()
