"""Passwords via the operating system's keyring; never in the database, logs or reports.

keyring is imported on first use: finding its backends costs ~0.1 s, which commands that
read no password (`--version`, `contacts …`, `reports`) should not pay.
"""

from __future__ import annotations

import contextlib

SERVICE = "Contactbox Sync"


class SecretError(Exception):
    """The keyring cannot be used; message in German, with what to do."""


def _key(account_id: int) -> str:
    return f"account-{account_id}"


def set_password(account_id: int, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, _key(account_id), password)
    except KeyringError as exc:
        raise SecretError(
            "Das Passwort kann nicht im Schlüsselbund des Systems gespeichert werden "
            f"({type(exc).__name__}). Bitte richten Sie einen Schlüsselbund ein "
            "(z. B. GNOME Keyring oder KWallet) oder installieren Sie keyrings.alt."
        ) from None


def get_password(account_id: int) -> str:
    import keyring
    from keyring.errors import KeyringError

    try:
        value = keyring.get_password(SERVICE, _key(account_id))
    except KeyringError as exc:
        raise SecretError(
            "Der Schlüsselbund des Systems ist nicht erreichbar "
            f"({type(exc).__name__}). Bitte entsperren oder einrichten."
        ) from None
    if value is None:
        raise SecretError(
            "Für diesen Account ist kein Passwort gespeichert. Bitte geben Sie es in den "
            "Account-Einstellungen erneut ein."
        )
    return value


def delete_password(account_id: int) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, _key(account_id))
