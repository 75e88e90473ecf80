"""The schema's versions: MIGRATIONS[i] brings version i to i + 1, SCHEMA_VERSION, the
version a file says it has, and the contact list's indexes (LIST_INDEXES).

Only what a schema version is, no opening or backing up: app/store/db.py runs the
migrations (after a backup, app/store/backups.py), and backups.py asks SCHEMA_VERSION to
refuse a backup of a newer release; both import this module, neither the other.
"""

from __future__ import annotations

import json  # (peewee has loaded it already)
from collections.abc import Callable
from typing import TYPE_CHECKING

from peewee import DatabaseProxy, SqliteDatabase

from app.store.models import (
    ALL_MODELS,
    CALENDAR_MODELS,
    Appointment,
    Contact,
    EmptyGroup,
    ItemBase,
    PendingReattach,
    RunReportDetails,
    UserSetting,
)
from app.store.schema import SCHEMA_VERSION as SCHEMA_VERSION
from app.store.schema import read_schema_version

if TYPE_CHECKING:
    from app.vcard import CardSummary

# What only a migration that runs needs (the vCard and iCalendar code, the collation, the
# change triggers) is imported inside it: opening a database whose schema is current
# loads none of it (tests/unit/test_cli_startup.py).


def _create_v1(db: SqliteDatabase) -> None:
    """Version 1: every table of the first release."""
    db.create_tables(ALL_MODELS)


#: (index name, column) of the contact list's sort and search indexes (schema version 2).
#: Each sort index ends in sort_fn (and, implicitly, the row id): equal values (many
#: contacts have no e-mail) are listed by name, still straight from the index.
LIST_INDEXES = (
    ("email", "email COLLATE NOCASE, sort_fn"),
    ("phone", "phone, sort_fn"),
    ("org", "sort_org, sort_fn"),
    ("given", "sort_given, sort_fn"),
    ("family", "sort_family, sort_fn"),
    ("modified", "modified, sort_fn"),
    ("search", "search"),
)


def _german_sort_keys_v2(db: SqliteDatabase) -> None:
    """Version 2: German sort keys for names and organizations (app.store.collation),
    and per-user settings (UserSetting).

    A database created by this release already has the columns (v1 creates the tables
    from the current models); one from the first release gets them added and filled.
    """
    from app.store.collation import sort_key

    have = {c.name for c in db.get_columns("contact")}
    for column in ("sort_fn", "sort_given", "sort_family", "sort_org"):
        if column not in have:
            db.execute_sql(
                f"ALTER TABLE contact ADD COLUMN {column} VARCHAR(255) NOT NULL DEFAULT ''"
            )
    rows = db.execute_sql("SELECT id, fn, given, family, org FROM contact").fetchall()
    db.cursor().executemany(
        "UPDATE contact SET sort_fn = ?, sort_given = ?, sort_family = ?, sort_org = ? "
        "WHERE id = ?",
        [
            (sort_key(fn), sort_key(given), sort_key(family), sort_key(org), cid)
            for cid, fn, given, family, org in rows
        ],
    )
    db.execute_sql("DROP INDEX IF EXISTS contact_book_id_deleted_at_fn")
    db.create_tables([Contact, UserSetting], safe=True)  # IF NOT EXISTS: tables, indexes
    ensure_list_indexes(db)


def ensure_list_indexes(db: SqliteDatabase | DatabaseProxy) -> None:
    """The contact list's indexes, created where missing (each start: a first import that
    stopped without building them again leaves them missing, see `list_indexes_dropped`).

    The contact list sorts by any column and searches a 50,000-contact book without
    reading the cards (a page is then one index walk; a search scans the narrow index).
    """
    for name, column in LIST_INDEXES:
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS contact_list_{name} "
            f"ON contact (book_id, deleted_at, {column})"
        )


def _calendar_sync_v3(db: SqliteDatabase) -> None:
    """Version 3: two-way calendar sync (app.sync.calendar).

    Appointment gets `uid` (indexed; unique per user among live appointments with a UID,
    a partial index), and the tables CalendarBinding, EventState, AppointmentVersion and
    AppointmentTombstone. Idempotent like v2: a database created by this release has the
    column and tables already (v1 creates them from the current models).
    """
    have = {c.name for c in db.get_columns("appointment")}
    if "uid" not in have:
        db.execute_sql("ALTER TABLE appointment ADD COLUMN uid VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql("CREATE INDEX IF NOT EXISTS appointment_uid ON appointment (uid)")
    db.execute_sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS appointment_live_uid ON appointment (user_id, uid) "
        "WHERE deleted_at IS NULL AND uid != ''"
    )
    db.create_tables(CALENDAR_MODELS, safe=True)  # IF NOT EXISTS: tables, indexes


def _read_only_v4(db: SqliteDatabase) -> None:
    """Version 4: Binding and CalendarBinding get `read_only` (the server lets the user only
    read the collection: local changes stay local). Idempotent like v2 and v3."""
    for table in ("binding", "calendar_binding"):
        if "read_only" not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0")


def _pending_reattach_v5(db: SqliteDatabase) -> None:
    """Version 5: PendingReattach, the contacts an interrupted "Neu anlegen" still has to
    re-attach appointments and follow-ups from. Idempotent (IF NOT EXISTS)."""
    db.create_tables([PendingReattach], safe=True)


def _announce_changes_v6(db: SqliteDatabase) -> None:
    """Version 6: the table `store_change` and the triggers that count every committed
    change of what a user sees into it (app/store/changes.py), so an open window follows
    changes made by a sync, the CLI or the daemon. Idempotent (IF NOT EXISTS)."""
    from app.store import changes

    for statement in changes.install_sql(set(db.get_tables())):
        db.execute_sql(statement)


#: Contacts read (and, where changed, rewritten) per batch by
#: `_folded_search_and_natural_sort`.
REKEY_BATCH = 5000
#: From this many changed contacts in a batch on, the indexes over the rewritten columns
#: are dropped until the end and built again once: 50,000 changed contacts take about
#: 6 s instead of 12 s (a few changed contacts are cheaper to update in place).
REKEY_DROP_INDEXES = 1000


def _folded_search_and_natural_sort(db: SqliteDatabase) -> None:
    """Search folding and natural number order (app.store.collation): every contact's
    search text gets the folded form of its words ("Müller" is found by "mueller" and
    "muller"), its sort keys order numbers by value ("Müller 16" before "Müller 152").

    Rebuilt from the stored columns, not the cards (an older search column holds the
    case-folded words `search_text` starts from), in batches along the primary key; only
    rows whose values change are written. Idempotent: a second run writes nothing.
    """
    from app.store.collation import search_text, sort_key

    indexes = [  # (name, the statement that built it) of those over the rewritten columns
        (name, sql)
        for name, sql in db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact'"
        ).fetchall()
        if sql and ("sort_" in sql or "search" in sql)
    ]
    dropped = False
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT id, fn, given, family, org, search, sort_fn, sort_given, sort_family, "
            "sort_org FROM contact WHERE id > ? ORDER BY id LIMIT ?",
            (last, REKEY_BATCH),
        ).fetchall()
        if not rows:
            break
        changed = []
        for cid, fn, given, family, org, search, *keys in rows:
            new = (search_text(search), sort_key(fn), sort_key(given), sort_key(family),
                   sort_key(org))  # fmt: skip
            if new != (search, *keys):
                changed.append((*new, cid))
        if len(changed) >= REKEY_DROP_INDEXES and not dropped:
            for name, _sql in indexes:
                db.execute_sql(f'DROP INDEX "{name}"')
            dropped = True
        db.cursor().executemany(
            "UPDATE contact SET search = ?, sort_fn = ?, sort_given = ?, sort_family = ?, "
            "sort_org = ? WHERE id = ?",
            changed,
        )
        last = rows[-1][0]
    if dropped:
        for _name, sql in indexes:
            db.execute_sql(sql)


def _groups_v8(db: SqliteDatabase) -> None:
    """Version 8: contact groups (issue 19). Contact gets `kind`, `members` and `categories`
    (filled from the cards that have a KIND, MEMBER or CATEGORIES line: the rest keep the
    empty defaults), Account gets `group_style` (Nextcloud/ownCloud: "categories", others:
    "cards"). Idempotent like v2–v4."""
    from app import vcard
    from app.store import changes

    have = {c.name for c in db.get_columns("contact")}
    for column in ("kind", "members", "categories"):
        if column not in have:
            db.execute_sql(f"ALTER TABLE contact ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    # Partial: only group cards (a few per book) are looked up by kind; the lists of people
    # keep walking their sort and search indexes (a full index on kind would lure SQLite away).
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS contact_group_card ON contact (book_id) WHERE kind = 'group'"
    )
    db.create_tables([EmptyGroup], safe=True)
    for statement in changes.install_sql({"empty_group"}):
        db.execute_sql(statement)
    if "group_style" not in {c.name for c in db.get_columns("account")}:
        db.execute_sql(
            "ALTER TABLE account ADD COLUMN group_style VARCHAR(255) NOT NULL DEFAULT 'cards'"
        )
        db.execute_sql(
            "UPDATE account SET group_style = 'categories' "
            "WHERE preset IN ('nextcloud', 'owncloud')"
        )
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT id, vcard FROM contact WHERE id > ? AND (instr(upper(vcard), 'KIND') > 0 "
            "OR instr(upper(vcard), 'CATEGORIES') > 0) ORDER BY id LIMIT ?",
            (last, REKEY_BATCH),
        ).fetchall()
        if not rows:
            break
        changed = []
        for cid, text in rows:
            try:
                s = vcard.summarize(text)
            except vcard.CardError:
                continue
            changed.append((*group_columns(s), cid))
        db.cursor().executemany(
            "UPDATE contact SET kind = ?, members = ?, categories = ? WHERE id = ?", changed
        )
        last = rows[-1][0]


def group_columns(s: CardSummary) -> tuple[str, str, str]:
    """(kind, members, categories) columns of a contact from its card's summary.

    `members` lists every UID a member names: `MEMBER:urn:uuid:X` names the contact with UID
    `X` (Apple's bare UIDs, most clients) and the one whose UID is the URI itself
    (`UID:urn:uuid:X`, RFC 6350 §6.6.5's example), so both are found by UID."""
    uids = [u for m in s.members for u in (m, "urn:uuid:" + m)]
    members = json.dumps(uids, ensure_ascii=False) if s.kind else ""
    cats = "\x1f" + "\x1f".join(s.categories) + "\x1f" if s.categories else ""
    return s.kind, members, cats


#: Appointments read and hashed per batch by `_appointment_hash_v9`.
HASH_BATCH = 1000


def _appointment_hash_v9(db: SqliteDatabase) -> None:
    """Version 9: Appointment gets `hash`, its local hash as of the last write (issue 21:
    a calendar run reads it instead of building and hashing every appointment's text),
    filled for every row, trashed ones included (`calsync.fill_hash`: "" for one whose text
    cannot be built, computed when read).

    In batches along the primary key, only rows without a hash: idempotent, and a run
    stopped half-way continues where it stopped."""
    from types import SimpleNamespace

    from app.store.appointment_text import fill_hash

    if "hash" not in {c.name for c in db.get_columns("appointment")}:
        db.execute_sql("ALTER TABLE appointment ADD COLUMN hash VARCHAR(255) NOT NULL DEFAULT ''")
    columns = ("id", "uid", "created", "summary", "start", "end", "all_day", "location",
               "notes", "ical")  # fmt: skip
    select = ", ".join(f'"{c}"' for c in columns)  # "end" is a keyword
    as_python = {name: Appointment._meta.fields[name].python_value for name in columns}
    last = 0
    while True:
        rows = db.execute_sql(
            f"SELECT {select} FROM appointment WHERE id > ? AND hash = '' ORDER BY id LIMIT ?",
            (last, HASH_BATCH),
        ).fetchall()
        if not rows:
            break
        filled = []
        for row in rows:
            a = SimpleNamespace(**{c: as_python[c](v) for c, v in zip(columns, row, strict=True)})
            fill_hash(a)
            if a.hash:
                filled.append((a.hash, a.id))
        db.cursor().executemany("UPDATE appointment SET hash = ? WHERE id = ?", filled)
        last = rows[-1][0]


def _report_details_v10(db: SqliteDatabase) -> None:
    """Version 10: RunReportDetails, the items a run changed, kept apart from its report
    (app/store/reports.py). Idempotent (IF NOT EXISTS); reports stored before have none."""
    db.create_tables([RunReportDetails], safe=True)


def _categories_index_v11(db: SqliteDatabase) -> None:
    """Version 11: a partial index of the people with CATEGORIES by book and categories,
    so that the group tree (`groups.list_groups`, read after every change in the store)
    counts the categories without reading a card: `categories` sits behind the card text,
    and a contact with a photo keeps that in overflow pages (10,000 contacts: 140 ms → 6 ms).
    Partial, with the list's own conditions as literals: only a query stating all of them
    uses it, so the lists keep their sort and search indexes. Idempotent."""
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS contact_categories ON contact (book_id, categories) "
        "WHERE kind = '' AND deleted_at IS NULL AND categories != ''"
    )


def _merge_bases_v12(db: SqliteDatabase) -> None:
    """Version 12: ItemBase, the text of each contact's last synced version (the base of
    a three-way merge, app/store/basetexts.py). Idempotent (IF NOT EXISTS); contacts synced
    before have none until their next sync writes one (until then the merge finds the synced
    card in the contact's history: app.sync.merging.ContactMerger.sources)."""
    db.create_tables([ItemBase], safe=True)


# MIGRATIONS[i] migrates schema version i to i + 1.
MIGRATIONS: list[Callable[[SqliteDatabase], None]] = [
    _create_v1,
    _german_sort_keys_v2,
    _calendar_sync_v3,
    _read_only_v4,
    _pending_reattach_v5,
    _announce_changes_v6,
    _folded_search_and_natural_sort,  # version 7
    _groups_v8,
    _appointment_hash_v9,
    _report_details_v10,
    _categories_index_v11,
    _merge_bases_v12,
]
if len(MIGRATIONS) != SCHEMA_VERSION:  # (app/store/schema.py says the number without peewee)
    raise RuntimeError(f"app/store/schema.py: SCHEMA_VERSION must be {len(MIGRATIONS)}")


def schema_version(db: SqliteDatabase) -> int:
    """The version the file says it has (0: a new file): two plain statements at every
    open, no query built (app/store/schema.py, which a `sync`'s head start reads too)."""
    return read_schema_version(db.execute_sql)
