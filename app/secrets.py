"""Passwords: the operating system's keyring; never in the database, logs or reports.

Where a password goes (`active_store()`):

* ``"system"`` - the keyring of the desktop (GNOME Keyring / KWallet via Secret Service,
  macOS Keychain, Windows Credential Manager) or whatever backend the user configured for
  the `keyring` package (PYTHON_KEYRING_BACKEND, keyringrc.cfg).
* ``"file"`` - only when the user chose it because no keyring exists (a headless Linux):
  a file readable only by the user's account (mode 0600 in a 0700 folder), outside the data
  directory. The password in it is *not encrypted* (only base64, against a glance); anyone
  who can read the user's files or backups can read it. The file existing is the choice:
  later starts keep using it while there is no keyring.
* ``"session"`` - not saved at all: kept in this process's memory only (the user types it
  again after a restart; the CLI takes it with --password-stdin for each call).

Without a keyring and without a choice, saving raises `NoPasswordStore`, whose message
names the three ways out; nothing falls back silently.

Each data directory keeps its own passwords: an entry is named by the account id *and* the
id of the open database (``account-<id>@<database id>``, app/store/identity.py), since
account ids start at 1 in every database while the keyring and the password file are shared
by all of them. An entry from before that (``account-<id>``) is taken over on first use,
without asking again, only by an account that already existed when the database got its
id; the database in the default data directory moves it (the old entry is deleted), one in
another directory copies it and leaves it for the default one (docs/RELIABILITY.md).

keyring is imported on first use: finding its backends costs ~0.1 s, which commands that
read no password (`--version`, `contacts …`, `reports`) should not pay; the backend keyring's
search found is remembered beside the database (app/keyring_memo.py), so that later starts
skip the search.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.i18n import N_, _
from app.keyring_memo import resolve_backend as _resolve_backend

SERVICE = "Contactbox Sync"
PASSWORD_FILE_ENV = "CONTACTBOX_PASSWORD_FILE"

STORE_SYSTEM = "system"
STORE_FILE = "file"
STORE_SESSION = "session"
STORES = (STORE_SYSTEM, STORE_FILE, STORE_SESSION)

_choice: str | None = None  # set by choose_store(); None: system keyring, else the file
_session: dict[str, str] = {}  # entry name -> password kept for this process only


class SecretError(Exception):
    """The password cannot be stored or read; message in the user's language (German
    msgids through app.i18n), with what to do."""


class NoPasswordStore(SecretError):
    """No keyring on this computer and no other choice made (see the module docstring).

    `general`: True when the message is the general `NO_STORE_MESSAGE` (saving failed),
    False for a more specific one (reading found no password)."""

    def __init__(self, message: str | None = None) -> None:
        self.general = message is None
        super().__init__(message or _(NO_STORE_MESSAGE))


#: Marked for translation; shown as _(NO_STORE_MESSAGE).
NO_STORE_MESSAGE = N_(
    "Auf diesem Computer wurde kein Passwortspeicher (Schlüsselbund) gefunden, daher kann "
    "das Passwort nicht sicher gespeichert werden. Sie können: "
    "(a) einen Schlüsselbund einrichten – z. B. GNOME Keyring (Paket „gnome-keyring“) oder "
    "KWallet – und es erneut versuchen; "
    "(b) das Passwort in einer Datei speichern, die nur Ihr Benutzerkonto lesen kann – "
    "unverschlüsselt: wer Zugriff auf Ihr Benutzerkonto oder eine Sicherung davon hat, kann "
    "es lesen; "
    "(c) das Passwort nicht speichern und es bei jedem Abgleich eingeben."
)


def _key(account_id: int, database_id: str | None = None) -> str:
    """The account's entry for the open database, or the one whose id is `database_id`
    (keyring user name, file key)."""
    if database_id is None:
        from app.store.identity import database_id as open_database_id

        database_id = open_database_id()
    return f"account-{account_id}@{database_id}"


def entry_name(account_id: int) -> str:
    """The name under which the account's password is stored (for tests and support)."""
    return _key(account_id)


def _old_key(account_id: int) -> str:
    """The entry of versions before per-database entries: one for every data directory."""
    return f"account-{account_id}"


# ---------------------------------------------------------------- which store


def system_store_available() -> bool:
    """True if `keyring` has a usable backend (not the "fail" one, not an empty chain)."""
    import keyring
    from keyring.backends import chainer, fail

    _resolve_backend()
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return type(backend).__module__ != "keyring.backends.null"


def password_file() -> Path:
    """The owner-only password file of choice (b): $CONTACTBOX_PASSWORD_FILE, else
    the user's config folder (outside the data directory and its backups)."""
    override = os.environ.get(PASSWORD_FILE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("contactbox-sync", "Contactbox") / "passwords.json"


def choose_store(store: str | None) -> None:
    """The user's choice for this process: "system", "file", "session" (None: automatic)."""
    global _choice
    if store is not None and store not in STORES:
        raise ValueError(f"unbekannter Passwortspeicher {store!r}")
    _choice = store


def active_store() -> str | None:
    """Where set_password writes now; None when there is no keyring and no choice."""
    if _choice is not None:
        return _choice
    if system_store_available():
        return STORE_SYSTEM
    if password_file().is_file():
        return STORE_FILE
    return None


def remember_for_session(account_id: int, password: str) -> None:
    """Use `password` for this one account of the open database until the program ends
    (or `forget_for_session`); nothing is stored. The CLI's --password-stdin uses it for the
    account its command names."""
    _session[_key(account_id)] = password


def forget_for_session(account_id: int) -> None:
    """Drop the password `remember_for_session` kept for the account."""
    _session.pop(_key(account_id), None)


def forget_session() -> None:
    """Drop the passwords kept in memory (tests; a user logging off)."""
    _session.clear()


# ---------------------------------------------------------------- the file store


# (json, tempfile and base64 are imported where used: `contactbox-sync --version` and the
# parser, which names the stores, start without them.)


def _read_file() -> dict[str, str]:
    import json

    path = password_file()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SecretError(
            _(
                "Die Passwortdatei {path} kann nicht gelesen werden ({error}). Bitte "
                "prüfen Sie die Zugriffsrechte."
            ).format(path=path, error=exc.strerror)
        ) from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise SecretError(
            _(
                "Die Passwortdatei {path} ist beschädigt. Bitte löschen Sie sie und geben Sie "
                "die Passwörter in den Account-Einstellungen erneut ein."
            ).format(path=path)
        ) from None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(entries: dict[str, str]) -> None:
    """Replace the file atomically; created 0600 in a 0700 folder, never wider."""
    import json
    import tempfile

    path = password_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".passwords-", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entries, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise SecretError(
            _(
                "Das Passwort kann nicht in der Datei {path} gespeichert werden "
                "({error}). Bitte prüfen Sie Speicherplatz und Zugriffsrechte."
            ).format(path=path, error=exc.strerror)
        ) from None


def _file_get(name: str) -> str | None:
    import base64
    import binascii

    value = _read_file().get(name)
    if value is None:
        return None
    try:
        return base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None


def _file_set(name: str, password: str) -> None:
    import base64

    entries = _read_file()
    entries[name] = base64.b64encode(password.encode("utf-8")).decode("ascii")
    _write_file(entries)


def _file_delete(name: str) -> None:
    if not password_file().is_file():
        return
    entries = _read_file()
    if entries.pop(name, None) is not None:
        _write_file(entries)


# ---------------------------------------------------------------- the API


def _system_get(name: str) -> str | None:
    """The keyring's entry `name`; NoKeyringError passes, other failures as SecretError."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    _resolve_backend()
    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError:
        raise
    except KeyringError as exc:
        raise SecretError(
            _(
                "Der Schlüsselbund des Systems ist nicht erreichbar ({error}). Bitte "
                "entsperren Sie ihn oder richten Sie ihn ein."
            ).format(error=type(exc).__name__)
        ) from None


def _take_over_old(account_id: int, key: str, system: bool) -> str | None:
    """The password of the entry from before per-database entries, taken over as `key`.

    Only for an account that already existed when the database got its id
    (app/store/identity.py): a database made since, or an account added since, never reads
    an old entry - it may belong to another data directory. The database in the default
    data directory moves the entry; one elsewhere copies it and leaves the old one for the
    default directory (which is its likely owner). If the new entry cannot be written, the
    old one serves this time and the take-over is tried again next time.
    """
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    from app.store import identity

    if not identity.is_legacy(account_id):
        return None
    old = _old_key(account_id)
    move = identity.in_default_home()
    if system:
        try:
            value = _system_get(old)
        except NoKeyringError:
            value = None
        if value is not None:
            try:
                keyring.set_password(SERVICE, key, value)
            except KeyringError:
                return value
            if move:
                with contextlib.suppress(KeyringError):
                    keyring.delete_password(SERVICE, old)
            identity.settle(account_id)
            return value
    if password_file().is_file():
        value = _file_get(old)
        if value is not None:
            try:
                entries = _read_file()
                entries[key] = entries[old]
                if move:
                    entries.pop(old, None)
                _write_file(entries)
            except (SecretError, KeyError):
                return value
            identity.settle(account_id)
            return value
    return None


def _forget_old(account_id: int) -> None:
    """The account has its own entry now (or none, being removed): it never takes over an
    old entry any more; in the default data directory the old entry goes too."""
    from keyring.errors import KeyringError

    from app.store import identity

    if not identity.is_legacy(account_id):
        return
    if identity.in_default_home():
        import keyring

        if system_store_available():
            with contextlib.suppress(KeyringError):
                keyring.delete_password(SERVICE, _old_key(account_id))
        with contextlib.suppress(SecretError):
            _file_delete(_old_key(account_id))
    identity.settle(account_id)


def set_password(account_id: int, password: str) -> None:
    """Store the account's password where `active_store()` says; NoPasswordStore if
    there is no keyring and the user made no choice yet."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    key = _key(account_id)
    store = active_store()
    if store is None:
        raise NoPasswordStore()
    if store == STORE_SESSION:
        _session[key] = password
    elif store == STORE_FILE:
        _file_set(key, password)
        _session.pop(key, None)
    else:
        _resolve_backend()
        try:
            keyring.set_password(SERVICE, key, password)
        except NoKeyringError:
            raise NoPasswordStore() from None
        except KeyringError as exc:
            raise SecretError(
                _(
                    "Das Passwort kann nicht im Schlüsselbund des Systems gespeichert werden "
                    "({error}). Bitte entsperren Sie den Schlüsselbund (GNOME Keyring oder "
                    "KWallet) und versuchen Sie es erneut."
                ).format(error=type(exc).__name__)
            ) from None
        _session.pop(key, None)
    _forget_old(account_id)


def get_password(account_id: int, *, database_id: str | None = None) -> str:
    """The account's password: this process's memory (which holds the CLI's
    --password-stdin for the account its command names), the keyring, the file - in this
    order; an entry from before per-database entries is taken over (see the module
    docstring). SecretError (in the user's language) if none has it.

    `database_id`: the id of a database the models are not bound to yet (a `sync`'s head
    start reads it with sqlite3: app/sync/head_start.py), whose caller has made sure the
    account is no legacy one (app/store/identity.py: it takes over no old entry)."""
    from keyring.errors import NoKeyringError

    key = _key(account_id, database_id)
    if key in _session:
        return _session[key]
    value: str | None = None
    system = system_store_available()
    if system:
        try:
            value = _system_get(key)
        except NoKeyringError:
            system = False
    if value is None and password_file().is_file():
        value = _file_get(key)
    if value is None and database_id is None:
        value = _take_over_old(account_id, key, system)
    if value is not None:
        return value
    if not system and not password_file().is_file():
        raise NoPasswordStore(
            _(
                "Für diesen Account ist kein Passwort gespeichert, und auf diesem Computer "
                "gibt es keinen Passwortspeicher (Schlüsselbund). Bitte geben Sie das "
                "Passwort in den Account-Einstellungen ein (es gilt dann bis zum Beenden des "
                "Programms; auf der Kommandozeile: --password-stdin) oder richten Sie einen "
                "Schlüsselbund ein (z. B. GNOME Keyring oder KWallet)."
            )
        )
    raise SecretError(
        _(
            "Für diesen Account ist kein Passwort gespeichert. Bitte geben Sie es in den "
            "Account-Einstellungen erneut ein."
        )
    )


def delete_password(account_id: int) -> None:
    """Forget the password everywhere it may be (memory, keyring, file)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    key = _key(account_id)
    _session.pop(key, None)
    if system_store_available():
        with contextlib.suppress(PasswordDeleteError, KeyringError):
            keyring.delete_password(SERVICE, key)
    with contextlib.suppress(SecretError):
        _file_delete(key)
    with contextlib.suppress(SecretError):
        _forget_old(account_id)
