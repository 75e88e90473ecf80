"""The account dialog: add or edit a remote CardDAV account, checked while the user types.

The connection check runs on a QThreadPool worker ~800 ms after the last keystroke; the
worker never touches a widget, its result comes back through a signal and is dropped when
the fields have changed since (a newer check is under way).

A server typed without "http://" or "https://" is tried with https. When that cannot
connect but the http:// address answers as a DAV server (asked without the password), the
dialog says so and offers "Unverschlüsselt (http) verbinden"; only that button writes
"http://" into the address field, so the password never goes out unencrypted unasked.
The check itself (its input, worker and the address book probe) is ui/account_check.py;
the question where a password goes without a keyring is ui/password_store_dialog.py.
"Gruppen schreiben als" (how groups go to the server, `Account.group_style`) is
ui/account_groups.py: it follows the server type until the user picks a style, and is
stored when the dialog saves; a dialog without it sets `GROUP_SETTING = False`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Slot
from PySide6.QtGui import QFont, QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import secrets
from app.accounts import AccountError, add_account
from app.dav.discovery import (
    PRESET_PATHS,
    ConnectionResult,
    build_base_url,
    typed_scheme,
)
from app.dav.errors import DavError
from app.dav.session import plain_http_warning
from app.secrets import NoPasswordStore, SecretError
from app.store.accounts import account_by_id, label_taken
from app.store.models import Account
from app.sync.jobs import JobError
from ui.account_check import (
    CheckInput,
    CheckSignals,
    CheckWorker,
    check_address_books,
    grouped_fingerprint,
    same_fingerprint,
)
from ui.account_groups import GroupStyleField
from ui.password_store_dialog import PasswordStoreDialog

__all__ = ["AccountDialog", "CheckInput", "PasswordStoreDialog", "check_address_books"]

CHECK_DELAY_MS = 800

PRESETS: tuple[tuple[str, str], ...] = (
    ("kerio", "Kerio Connect"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("other", "Andere"),
)


class AccountDialog(QDialog):
    """Bezeichnung, Benutzername / E-Mail, Passwort, Servertyp, Serveradresse, Port, Path.

    `account_id=None` adds a new account; otherwise that account is edited and an empty
    password field keeps the stored password. A subclass for another kind of account
    (ui/calendar_account_dialog.py) changes CHECK and `_create_account`.
    """

    #: The connection check, run on a worker thread with the form's fields.
    CHECK: Callable[[CheckInput], object] = staticmethod(check_address_books)
    #: Whether the dialog asks how groups are written (address book accounts only).
    GROUP_SETTING = True

    def __init__(self, parent: QWidget | None = None, account_id: int | None = None) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.saved_account_id: int | None = None
        self._account: Account | None = (
            account_by_id(account_id) if account_id is not None else None
        )
        self._stored_password = ""
        if self._account is not None:
            with contextlib.suppress(SecretError):  # else the user types it again
                self._stored_password = secrets.get_password(self._account.id)
        self._generation = 0
        self._checked: CheckInput | None = None  # inputs of the last successful check
        self._fingerprint: str | None = None
        self._http_offer = ""  # the http:// URL the last check found answering, if any
        self._pool = QThreadPool.globalInstance()
        self._signals = CheckSignals(self)
        self._signals.done.connect(self._on_check_done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.start_check)

        self.setWindowTitle(
            self.tr("Account bearbeiten") if self._account else self.tr("Account hinzufügen")
        )
        self.setMinimumWidth(520)
        self._build()
        if self._account is not None:
            self._load(self._account)
        self._connect_fields()
        self._update_path_hint()
        self._update_http_warning()
        if self._account is not None:
            self.start_check()
        else:
            self._show_idle()
        self._update_ok()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(self.tr("z. B. Büro Kerio"))
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if self._account is not None:
            self.password_edit.setPlaceholderText(self.tr("unverändert (leer lassen)"))
        self.preset_combo = QComboBox()
        for key, name in PRESETS:
            self.preset_combo.addItem(self.tr("Andere") if key == "other" else name, key)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData("other"))
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText(self.tr("z. B. mail.example.de"))
        self.port_edit = QLineEdit()
        self.port_edit.setValidator(QIntValidator(1, 65535, self))
        self.port_edit.setPlaceholderText(self.tr("automatisch"))
        self.port_edit.setMaximumWidth(120)
        self.path_edit = QLineEdit()

        form = QFormLayout()
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Bezeichnung:"), self.label_edit)
        form.addRow(self.tr("Benutzername / E-Mail:"), self.username_edit)
        form.addRow(self.tr("Passwort:"), self.password_edit)
        form.addRow(self.tr("Servertyp:"), self.preset_combo)
        form.addRow(self.tr("Serveradresse:"), self.server_edit)
        form.addRow(self.tr("Port:"), self.port_edit)
        form.addRow(self.tr("Path:"), self.path_edit)
        self.group_style_field = GroupStyleField(self.preset())
        form.addRow(self.tr("Gruppen schreiben als:"), self.group_style_field)
        form.setRowVisible(self.group_style_field, self.GROUP_SETTING)

        # Shown while the address is plain http:// to another computer (never for loopback).
        self.http_warning_label = QLabel()
        self.http_warning_label.setObjectName("plainHttpWarning")
        self.http_warning_label.setWordWrap(True)
        self.http_warning_label.setStyleSheet("color: #8a5300;")
        self.http_warning_label.hide()

        # Connection status, updated by the background check.
        self.status_frame = QFrame()
        self.status_frame.setObjectName("connectionStatus")
        self.status_frame.setFrameShape(QFrame.Shape.StyledPanel)
        status_layout = QVBoxLayout(self.status_frame)
        self.status_title = QLabel(self.tr("Verbindungsstatus"))
        bold = QFont(self.status_title.font())
        bold.setBold(True)
        self.status_title.setFont(bold)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusMessage")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust_check = QCheckBox(self.tr("Diesem Zertifikat vertrauen"))
        self.trust_check.setToolTip(
            self.tr(
                "Nur ankreuzen, wenn der Fingerabdruck mit dem Zertifikat Ihres Servers "
                "übereinstimmt (fragen Sie im Zweifel Ihre IT)."
            )
        )
        self.fingerprint_label.hide()
        self.trust_check.hide()
        self.recheck_button = QPushButton(self.tr("Erneut prüfen"))
        self.recheck_button.setAutoDefault(False)
        self.recheck_button.clicked.connect(self.start_check)
        # Shown only when https could not connect but http:// answers (see the module doc).
        self.http_button = QPushButton(self.tr("Unverschlüsselt (http) verbinden"))
        self.http_button.setObjectName("plainHttpButton")
        self.http_button.setAutoDefault(False)
        self.http_button.setToolTip(
            self.tr(
                "Verbindet ohne Verschlüsselung: Passwort und Kontakte gehen lesbar durch "
                "das Netzwerk."
            )
        )
        self.http_button.clicked.connect(self.use_plain_http)
        self.http_button.hide()
        status_layout.addWidget(self.status_title)
        status_layout.addWidget(self.status_label)
        status_layout.addWidget(self.busy)
        status_layout.addWidget(self.fingerprint_label)
        status_layout.addWidget(self.trust_check)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.http_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.recheck_button)
        status_layout.addLayout(buttons_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.http_warning_label)
        layout.addSpacing(6)
        layout.addWidget(self.status_frame)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _load(self, account: Account) -> None:
        self.label_edit.setText(account.label)
        self.username_edit.setText(account.username)
        index = self.preset_combo.findData(account.preset)
        if index < 0:
            self.preset_combo.addItem(account.preset, account.preset)
            index = self.preset_combo.count() - 1
        self.preset_combo.setCurrentIndex(index)
        self.server_edit.setText(account.server)
        self.port_edit.setText(str(account.port) if account.port else "")
        self.path_edit.setText(account.path)
        self.group_style_field.load(account.group_style, account.preset)
        if account.pinned_sha256:
            self._fingerprint = account.pinned_sha256
            self._show_fingerprint(account.pinned_sha256, trusted=True)

    def _connect_fields(self) -> None:
        for edit in (
            self.username_edit,
            self.password_edit,
            self.server_edit,
            self.port_edit,
            self.path_edit,
        ):
            edit.textChanged.connect(self._fields_changed)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.label_edit.textChanged.connect(self._update_ok)
        self.trust_check.toggled.connect(self._trust_toggled)

    # ------------------------------------------------------------------ inputs

    def preset(self) -> str:
        return str(self.preset_combo.currentData() or "other")

    def check_input(self) -> CheckInput | None:
        """The connection fields, or None while something needed is missing."""
        server = self.server_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not password:
            password = self._stored_password
        if not (server and username and password):
            return None
        port_text = self.port_edit.text().strip()
        pinned = self._fingerprint if self.trust_check.isChecked() else None
        return CheckInput(
            server=server,
            port=int(port_text) if port_text.isdigit() else None,
            path=self.path_edit.text().strip(),
            preset=self.preset(),
            username=username,
            password=password,
            pinned_sha256=pinned,
        )

    @Slot()
    def _preset_changed(self) -> None:
        self.group_style_field.follow_preset(self.preset())
        self._update_path_hint()
        self._fields_changed()

    def _update_path_hint(self) -> None:
        hint = PRESET_PATHS.get(self.preset()) if self.preset() != "other" else None
        self.path_edit.setPlaceholderText(hint or self.tr("automatisch"))

    def plain_http_warning(self) -> str | None:
        """The warning for the address as typed now (http:// to another computer), or None."""
        server = self.server_edit.text().strip()
        if not server:
            return None
        port_text = self.port_edit.text().strip()
        try:
            url = build_base_url(
                server,
                int(port_text) if port_text.isdigit() else None,
                self.path_edit.text().strip(),
                self.preset(),
            )
        except (DavError, ValueError):
            return None
        return plain_http_warning(url)

    def _update_http_warning(self) -> None:
        warning = self.plain_http_warning()
        if warning is None:
            self.http_warning_label.hide()
            self.http_warning_label.clear()
            return
        self.http_warning_label.setText(
            "⚠ "
            + self.tr(
                "Unverschlüsselte Verbindung (http://): Passwort und Kontakte werden im "
                "Klartext übertragen und können im Netzwerk mitgelesen werden. Verwenden Sie "
                "nach Möglichkeit https://."
            )
        )
        self.http_warning_label.show()

    @Slot()
    def _fields_changed(self) -> None:
        """Any connection field changed: forget the verdict, check again after a pause."""
        self._update_http_warning()
        self._hide_http_offer()
        self._generation += 1  # a check still running now answers for old input
        self._checked = None
        self._update_ok()
        if self.check_input() is None:
            self._timer.stop()
            self._show_idle()
            return
        self._show_pending()
        self._timer.start()

    @Slot(bool)
    def _trust_toggled(self, _checked: bool) -> None:
        self._generation += 1
        self._checked = None
        self._update_ok()
        self._timer.stop()
        self.start_check()

    # ------------------------------------------------------------------ check

    @Slot()
    def start_check(self) -> None:
        """Start a background check of the current fields (now, not debounced)."""
        self._timer.stop()
        data = self.check_input()
        if data is None:
            self._show_idle()
            return
        self._generation += 1
        self._hide_http_offer()
        self._show_checking()
        self._pool.start(CheckWorker(self._generation, data, self._signals, self.CHECK))

    def is_checking(self) -> bool:
        return self.busy.isVisible() or self._timer.isActive()

    @Slot(int, object)
    def _on_check_done(self, generation: int, result: ConnectionResult[Any]) -> None:
        if generation != self._generation:
            return  # stale: the fields changed while this check ran
        data = self.check_input()
        self.busy.hide()
        self.recheck_button.setEnabled(True)
        if result.ok:
            self._checked = data
            self._set_status(result.message, "ok")
        elif result.plain_http_url and data is not None and typed_scheme(data.server) is None:
            self._checked = None
            self._show_http_offer(result.plain_http_url)
        else:
            self._checked = None
            self._set_status(result.message, "error")
        if result.fingerprint:
            # A certificate other than the trusted one (it changed on the server) is never
            # trusted by carrying the tick over: the user must tick it again for the new one.
            still_trusted = (
                self.trust_check.isChecked()
                and data is not None
                and data.pinned_sha256 is not None
                and same_fingerprint(data.pinned_sha256, result.fingerprint)
            )
            self._fingerprint = result.fingerprint
            self._show_fingerprint(result.fingerprint, trusted=still_trusted)
        elif not self.trust_check.isChecked():
            self.fingerprint_label.hide()
            self.trust_check.hide()
        self._update_ok()

    # ------------------------------------------------------------------ plain http offer

    def _show_http_offer(self, url: str) -> None:
        """https could not connect, http:// answers: say so, offer the button."""
        self._http_offer = url
        self._set_status(
            self.tr(
                "Eine verschlüsselte Verbindung (https) zu diesem Server kam nicht zustande, "
                "aber unter {0} antwortet er unverschlüsselt. Ohne Verschlüsselung werden "
                "Ihr Passwort und Ihre Kontakte lesbar durch das Netzwerk übertragen und "
                "können unterwegs mitgelesen werden. Steht der Server in Ihrem eigenen, "
                "vertrauenswürdigen Netz, können Sie „Unverschlüsselt (http) verbinden“ "
                "wählen; sonst bitten Sie Ihren Administrator, https einzurichten."
            ).format(url),
            "warning",
        )
        self.http_button.show()

    def _hide_http_offer(self) -> None:
        self._http_offer = ""
        self.http_button.hide()

    def http_offer(self) -> str:
        """The http:// address on offer now, or "" (none shown)."""
        return self._http_offer

    @Slot()
    def use_plain_http(self) -> None:
        """The user chose http: the address field says so, and the check runs with it."""
        server = self.server_edit.text().strip()
        if not self._http_offer or not server or typed_scheme(server) is not None:
            return
        self.server_edit.setText("http://" + server)  # shows the plain-http warning
        self.start_check()

    # ------------------------------------------------------------------ status display

    def _set_status(self, text: str, kind: str) -> None:
        colors = {"ok": "#1e7b34", "error": "#b3261e", "warning": "#8a5300", "info": "#555555"}
        prefix = {"ok": "✔ ", "error": "✖ ", "warning": "⚠ ", "info": ""}[kind]
        self.status_label.setText(prefix + text)
        self.status_label.setStyleSheet(f"color: {colors[kind]};")
        self.status_label.setProperty("state", kind)

    def _show_idle(self) -> None:
        self.busy.hide()
        self.recheck_button.setEnabled(False)
        self._set_status(
            self.tr(
                "Bitte geben Sie Serveradresse, Benutzername und Passwort ein; "
                "die Verbindung wird dann automatisch geprüft."
            ),
            "info",
        )

    def _show_pending(self) -> None:
        self.recheck_button.setEnabled(True)
        self._set_status(self.tr("Die Verbindung wird gleich geprüft …"), "info")

    def _show_checking(self) -> None:
        self.busy.show()
        self.recheck_button.setEnabled(False)
        self._set_status(self.tr("Verbindung wird geprüft …"), "info")

    def _show_fingerprint(self, fingerprint: str, *, trusted: bool) -> None:
        self.fingerprint_label.setText(
            self.tr("Fingerabdruck (SHA-256) des Serverzertifikats:")
            + f"<br><code>{grouped_fingerprint(fingerprint)}</code>"
        )
        self.fingerprint_label.show()
        self.trust_check.blockSignals(True)
        self.trust_check.setChecked(trusted)
        self.trust_check.blockSignals(False)
        self.trust_check.show()

    def status_text(self) -> str:
        return self.status_label.text()

    # ------------------------------------------------------------------ save

    @Slot()
    def _update_ok(self) -> None:
        data = self.check_input()
        ok = (
            bool(self.label_edit.text().strip())
            and data is not None
            and self._checked is not None
            and self._checked == data
        )
        self.ok_button.setEnabled(ok)

    def _create_account(self, label: str, data: CheckInput) -> Account:
        """A new address book account from the checked fields (password to the keyring)."""
        return add_account(label, **asdict(data))

    @Slot()
    def save(self) -> None:
        """Save the account (checked before); the password goes to the keyring."""
        data = self.check_input()
        if data is None or self._checked != data:
            return
        label = self.label_edit.text().strip()
        while True:
            try:
                if self._account is None:
                    account = self._create_account(label, data)
                else:
                    account = self._update_account(self._account, label, data)
            except NoPasswordStore:
                # No keyring on this computer: the user decides; nothing was saved yet
                # (add_account removes a new account again when its password cannot be
                # stored; a changed account keeps its fields, saved before the keyring).
                choice = self.ask_password_store()
                if choice is None:
                    self._set_status(
                        self.tr("Nicht gespeichert: es wurde kein Passwortspeicher gewählt."),
                        "error",
                    )
                    return
                if choice != "retry":
                    secrets.choose_store(choice)
                continue
            except (AccountError, JobError, SecretError, ValueError) as exc:
                self._set_status(str(exc), "error")
                return
            break
        if self.GROUP_SETTING and account.group_style != self.group_style_field.chosen():
            account.group_style = self.group_style_field.chosen()
            account.save(only=[Account.group_style])
        self.saved_account_id = account.id
        self.accept()

    def ask_password_store(self) -> str | None:
        """Ask where the password goes when there is no keyring: "retry" (after setting
        one up), "file", "session" (not saved), or None (cancelled)."""
        box = PasswordStoreDialog(self)
        box.exec()
        return box.choice()

    def _update_account(self, account: Account, label: str, data: CheckInput) -> Account:
        if label_taken(label, except_id=int(account.id)):
            raise AccountError(self.tr("Einen Account „{0}“ gibt es bereits.").format(label))
        account.label = label
        account.server = data.server
        account.username = data.username
        account.port = data.port
        account.path = data.path
        account.preset = data.preset
        account.pinned_sha256 = data.pinned_sha256
        account.base_url = build_base_url(data.server, data.port, data.path, data.preset)
        account.save()
        if self.password_edit.text():
            secrets.set_password(account.id, self.password_edit.text())
        return account
