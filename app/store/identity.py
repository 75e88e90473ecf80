"""The database's own id, so that each data directory keeps its own passwords.

Account ids start at 1 in every database, so the keyring (and the password file, both
shared by every data directory of the user's account) cannot be keyed by the account id
alone: a second data directory (`--home`, `$CONTACTBOX_HOME`) would read and overwrite the
passwords of the first. Each database therefore gets a random id the first time this
version opens it (`ensure_database_id`, a `MetaEntry` row; no schema change), and
app/secrets.py keys its entries by both ids.

Entries from before this version (``account-<id>``) are taken over without asking the
user again, under the rule `app/secrets.py` and docs/RELIABILITY.md describe: only by
accounts that already existed when the id was made (`is_legacy`), each marked by a
`MetaEntry` row that goes away once the account has its own entry (`settle`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from app.i18n import _
from app.paths import default_home
from app.store.models import Account, MetaEntry, database
from app.store.schema import DATABASE_ID_KEY as DATABASE_ID_KEY
from app.store.schema import LEGACY_PREFIX as LEGACY_PREFIX


def _legacy_key(account_id: int) -> str:
    return f"{LEGACY_PREFIX}{account_id}"


def ensure_database_id() -> str:
    """The database's id, made now if it has none yet (at open, app/store/db.py).

    Made once per database: together with it, every account that exists at that moment
    (made by an earlier version, its password under ``account-<id>``) is marked as one
    that may take over such an entry. A database made by this version has no account yet,
    so none of its accounts ever reads another data directory's old entry. Two processes
    opening the same file at once make one id (INSERT OR IGNORE: the first one wins).
    """
    row = MetaEntry.get_or_none(MetaEntry.key == DATABASE_ID_KEY)
    if row is not None:
        return str(row.value)
    with database.atomic():
        made = database.execute_sql(
            "INSERT OR IGNORE INTO meta_entry (key, value) VALUES (?, ?)",
            (DATABASE_ID_KEY, uuid.uuid4().hex[:16]),
        ).rowcount
        if made == 1:
            ids = [int(a.id) for a in Account.select(Account.id)]
            if ids:
                MetaEntry.insert_many(
                    [{"key": _legacy_key(i), "value": "1"} for i in ids]
                ).on_conflict_ignore().execute()
        return str(MetaEntry.get(MetaEntry.key == DATABASE_ID_KEY).value)


def database_id() -> str:
    """The id of the database the models are bound to (made if missing, see above)."""
    if database.obj is None:
        raise RuntimeError(_("Es ist keine Datenbank geöffnet."))
    return ensure_database_id()


def is_legacy(account_id: int) -> bool:
    """True while the account (from before this version) may take over an old entry."""
    return MetaEntry.select().where(MetaEntry.key == _legacy_key(account_id)).exists()


def settle(account_id: int) -> None:
    """The account has its own entry now (taken over, or a password set or removed): it
    never looks at an old entry again."""
    MetaEntry.delete().where(MetaEntry.key == _legacy_key(account_id)).execute()


def in_default_home() -> bool:
    """True if the open database lies in the user's default data directory (not one named
    by --home or $CONTACTBOX_HOME elsewhere)."""
    here = Path(database.obj.database).parent
    try:
        return here.resolve() == default_home().resolve()
    except OSError:
        return False
