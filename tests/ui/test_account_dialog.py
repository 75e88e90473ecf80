"""The account dialog against a real Radicale: automatic check, errors, save, edit."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app import secrets
from app.accounts import list_accounts
from app.dav.discovery import ConnectionResult, check_connection
from app.store.models import Account
from tests.servers.dav_servers import DavServer
from ui.account_dialog import AccountDialog

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
