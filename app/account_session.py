"""An account's DAV session, opened from the plain values of its row (standard library,
app/secrets.py and the session only: no store models).

`app.accounts.open_session` opens it from an `Account`; a `contactbox-sync sync` opens it
from the same values read with sqlite3 before the store opens (app/sync/head_start.py,
issue 21) — one way to make it either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import secrets
from app.dav.session import DavSession

#: Seconds one answer may keep us waiting between two reads. Generous: Radicale needs
#: minutes for its first sync-collection listing of a 10,000-card book (bench/, issue 8),
#: and the connection itself times out after CONNECT_TIMEOUT (app/dav/session.py).
READ_TIMEOUT = 120.0


@dataclass(frozen=True)
class SessionFields:
    """What opening an account's session reads from its row."""

    account_id: int
    base_url: str
    username: str
    pinned_sha256: str | None


def open_account_session(
    fields: SessionFields,
    *,
    password: str | None = None,
    database_id: str | None = None,
    timeout: float = READ_TIMEOUT,
) -> DavSession:
    """The session; its password `password` (--password-stdin's) or else the stored one
    (`secrets.get_password`; `database_id` as there)."""
    if password is None:
        password = secrets.get_password(fields.account_id, database_id=database_id)
    return DavSession(
        fields.base_url,
        fields.username,
        password,
        pinned_sha256=fields.pinned_sha256,
        timeout=timeout,
    )
