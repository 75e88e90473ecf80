"""Peewee models of the local store; peewee stays inside app/store.

Contacts keep their full vCard text (never re-serialized unless edited) plus indexed
columns for lists and search. Sync state remembers, per binding and server href, what
the last successful sync saw of both sides.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def utcnow() -> datetime:
    """Naive UTC now: SQLite has no time zones, so the store keeps UTC throughout."""
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class MetaEntry(BaseModel):
    """Key/value facts about the database itself (schema version)."""

    key = CharField(primary_key=True)
    value = TextField()


class User(BaseModel):
    """A Contactbox user; appointments and follow-ups belong to one."""

    id = AutoField()
    name = CharField(unique=True)
    is_default = BooleanField(default=False)
    created = DateTimeField(default=utcnow)


class AddressBook(BaseModel):
    """A local address book ("Standard" always exists)."""

    id = AutoField()
    name = CharField(unique=True)
    created = DateTimeField(default=utcnow)


class Contact(BaseModel):
    """One contact: its vCard text plus list/search columns; deleted_at set = in the trash."""

    id = AutoField()
    book = ForeignKeyField(AddressBook, backref="contacts", on_delete="CASCADE")
    uid = CharField(index=True)
    vcard = TextField()
    fn = CharField(default="")
    given = CharField(default="")
    family = CharField(default="")
    org = CharField(default="")
    email = CharField(default="")  # first e-mail, for matching and the list
    phone = CharField(default="")  # first phone, for the list
    search = TextField(default="")  # name, org, e-mails, phones + folded (collation.search_text)
    # German sort keys (app.store.collation.sort_key): "Ärger" sorts with "Arger", not after Z.
    sort_fn = CharField(default="")
    sort_given = CharField(default="")
    sort_family = CharField(default="")
    sort_org = CharField(default="")
    hash = CharField(default="")  # normalized content hash (app.vcard.normalized_hash)
    # Groups (v8, app.store.groups): "group" for a group card (never listed or counted as a
    # person), its member UIDs as a JSON array; a person's CATEGORIES between and around
    # \x1f ("\x1fKunden\x1fPresse\x1f"), so one group is an exact instr() match.
    # (A database default too, as the v8 migration gives them: a row written in plain SQL
    # by an older writer or a tool gets "" as well.)
    kind = CharField(default="", constraints=[SQL("DEFAULT ''")])
    members = TextField(default="", constraints=[SQL("DEFAULT ''")])
    categories = TextField(default="", constraints=[SQL("DEFAULT ''")])
    created = DateTimeField(default=utcnow)
    modified = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("book", "deleted_at", "sort_fn"), False), (("book", "uid"), False))


class EmptyGroup(BaseModel):
    """A group created in Contactbox that has no member yet, in a book whose groups are
    categories (v8): a category lives only on its members, so the name waits here."""

    id = AutoField()
    book = ForeignKeyField(AddressBook, backref="empty_groups", on_delete="CASCADE")
    name = CharField()

    class Meta:
        indexes = ((("book", "name"), True),)


class ContactVersion(BaseModel):
    """An earlier version of a contact: an edit, a server update, or a conflict's loser."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="versions", on_delete="CASCADE")
    vcard = TextField()
    reason = CharField()  # "edit" | "server-update" | "conflict" | "restore"
    note = TextField(default="")
    created = DateTimeField(default=utcnow)


class Tombstone(BaseModel):
    """A deleted contact that had been synced: its UID is not imported again."""

    id = AutoField()
    book = ForeignKeyField(AddressBook, backref="tombstones", on_delete="CASCADE")
    uid = CharField()
    href = CharField(default="")
    contact_id = IntegerField(null=True)  # the trashed contact, while it is in the trash
    created = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("book", "uid"), True),)


class Account(BaseModel):
    """A remote CardDAV/CalDAV account; the password lives in the keyring only."""

    id = AutoField()
    label = CharField(unique=True)
    kind = CharField(default="carddav")  # "carddav" | "caldav"
    username = CharField()
    server = CharField()  # what the user typed: host or URL
    port = IntegerField(null=True)
    path = CharField(default="")
    preset = CharField(default="other")  # "nextcloud" | "owncloud" | "kerio" | "other"
    base_url = CharField(default="")  # resolved URL discovery starts from
    enabled = BooleanField(default=True)
    interval_minutes = IntegerField(default=15)
    pinned_sha256 = CharField(null=True)  # trusted self-signed certificate
    # How contact groups are written to this account's books (v8): "categories" (Nextcloud,
    # ownCloud) | "cards" (group vCards: Kerio, Apple, SabreDAV clients) | "both"
    group_style = CharField(default="cards")
    user = ForeignKeyField(User, null=True, backref="accounts", on_delete="CASCADE")
    created = DateTimeField(default=utcnow)


class Binding(BaseModel):
    """A server book bound to a local book with an operation and its option."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="bindings", on_delete="CASCADE")
    remote_href = CharField()
    remote_name = CharField(default="")
    book = ForeignKeyField(AddressBook, backref="bindings", on_delete="CASCADE")
    operation = CharField()  # "import" | "oneway" | "sync"
    # add|update|recreate (import); contactbox|server|recreate (sync); "" (oneway)
    option = CharField(default="")
    enabled = BooleanField(default=True)
    last_sync = DateTimeField(null=True)
    last_status = CharField(default="")
    supports_sync = BooleanField(default=True)  # sync-collection offered (else PROPFIND + ctag)
    sync_token = TextField(null=True)
    ctag = TextField(null=True)
    vcard_versions = CharField(default="")  # comma-separated, from supported-address-data
    read_only = BooleanField(default=False)  # the server lets us only read the book (v4)
    created = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("account", "remote_href"), True),)


class ItemState(BaseModel):
    """What the last successful sync saw of one server card (and its local contact)."""

    id = AutoField()
    binding = ForeignKeyField(Binding, backref="items", on_delete="CASCADE")
    href = CharField()
    etag = CharField(default="")
    uid = CharField(default="")
    remote_hash = CharField(default="")
    local_hash = CharField(default="")
    contact_id = IntegerField(null=True)  # None: a server card Contactbox does not hold

    class Meta:
        indexes = ((("binding", "href"), True), (("binding", "contact_id"), False))



class ItemBase(BaseModel):
    """The text of a contact's last synced version (its state's), the base of a three-way
    merge when both sides changed it (v12; app.store.basetexts, app.sync.merging).

    Apart from the state rows, which every run reads; deleted with its state (cascade).
    `hash`: the state's `remote_hash` it was written with (a base whose hash is not the
    state's is stale and never used); `packed`: `data` is zlib-compressed UTF-8.
    """

    state = ForeignKeyField(ItemState, primary_key=True, backref="base", on_delete="CASCADE")
    hash = CharField(default="")
    packed = BooleanField(default=False)
    data = BlobField()

class PendingReattach(BaseModel):
    """A contact "Neu anlegen" moved to the trash whose appointments and follow-ups still
    wait for its re-imported counterpart (v5; app.store.reattach.reattach_pending).

    Written in the wipe's transaction, removed with the move of its links, so a run that
    is cancelled, killed or fails before the re-attachment leaves it for the next run.
    """

    id = AutoField()
    binding = ForeignKeyField(Binding, backref="pending_reattach", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, backref="pending_reattach", on_delete="CASCADE")

    class Meta:
        indexes = ((("binding", "contact"), True),)


class Appointment(BaseModel):
    """A "Termin", optionally linked to a contact (re-attached by UID or name + e-mail)."""

    id = AutoField()
    user = ForeignKeyField(User, backref="appointments", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, null=True, backref="appointments", on_delete="SET NULL")
    contact_uid = CharField(default="")
    contact_key = CharField(default="")  # lower-cased "fn\temail" at the time of linking
    summary = CharField(default="")
    start = DateTimeField(null=True)
    end = DateTimeField(null=True)
    all_day = BooleanField(default=False)
    location = CharField(default="")
    notes = TextField(default="")
    ical = TextField(null=True)  # the full iCalendar object as last written/read (v3: synced)
    uid = CharField(default="", index=True)  # iCalendar UID; "" until first uploaded (v3)
    created = DateTimeField(default=utcnow)
    modified = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True)
    # The local hash (app.store.calsync.local_hash) as of the last write, so a calendar run
    # plans without parsing; "" = not known (computed when read). v9. A database default
    # too, as the migration gives it (a row inserted in plain SQL gets "": not known).
    hash = CharField(default="", constraints=[SQL("DEFAULT ''")])

    def save(self, force_insert: bool = False, only: Any = None) -> Any:
        """Write the row; `hash` follows the fields it is derived from (`save_hashed`):
        whichever module saves an appointment, the stored hash is its current one."""
        # (imported here: it needs the iCalendar code, which opening the database does not)
        from app.store.appointment_text import save_hashed

        return save_hashed(self, super().save, force_insert, only)


class AppointmentVersion(BaseModel):
    """An earlier iCalendar text of an appointment: a server update or a conflict's loser."""

    id = AutoField()
    appointment = ForeignKeyField(Appointment, backref="versions", on_delete="CASCADE")
    ical = TextField(default="")
    reason = CharField()  # "server-update" | "conflict"
    note = TextField(default="")
    created = DateTimeField(default=utcnow)


class CalendarBinding(BaseModel):
    """A user's server calendar, synced two-way with that user's appointments (v3).

    One binding per user: all of a user's appointments go to exactly one calendar.
    """

    id = AutoField()
    account = ForeignKeyField(Account, backref="calendar_bindings", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="calendar_bindings", on_delete="CASCADE", unique=True)
    remote_href = CharField()
    remote_name = CharField(default="")
    color = CharField(default="")
    prefer = CharField(default="server")  # conflict winner: "server" | "contactbox"
    enabled = BooleanField(default=True)
    supports_sync = BooleanField(default=True)
    read_only = BooleanField(default=False)  # the server lets us only read the calendar (v4)
    sync_token = TextField(null=True)
    ctag = TextField(null=True)
    last_sync = DateTimeField(null=True)
    last_status = CharField(default="")
    created = DateTimeField(default=utcnow)


class EventState(BaseModel):
    """What the last successful calendar sync saw of one server object (v3)."""

    id = AutoField()
    binding = ForeignKeyField(CalendarBinding, backref="events", on_delete="CASCADE")
    href = CharField()
    etag = CharField(default="")
    uid = CharField(default="")
    remote_hash = CharField(default="")
    local_hash = CharField(default="")
    appointment_id = IntegerField(null=True)  # None: an object Contactbox leaves alone
    kind = CharField(default="event")  # "event" | "other" (VTODO/VJOURNAL: never touched)

    class Meta:
        indexes = ((("binding", "href"), True), (("binding", "appointment_id"), False))


class AppointmentTombstone(BaseModel):
    """An appointment deleted in Contactbox and on the server: its UID is not imported again."""

    id = AutoField()
    user = ForeignKeyField(User, backref="appointment_tombstones", on_delete="CASCADE")
    uid = CharField()
    appointment_id = IntegerField(null=True)
    created = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "uid"), True),)


class FollowUp(BaseModel):
    """A "Wiedervorlage": a dated reminder about a contact."""

    id = AutoField()
    user = ForeignKeyField(User, backref="followups", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, null=True, backref="followups", on_delete="SET NULL")
    contact_uid = CharField(default="")
    contact_key = CharField(default="")
    title = CharField(default="")
    due = DateTimeField(null=True)
    done = BooleanField(default=False)
    notes = TextField(default="")
    created = DateTimeField(default=utcnow)


class UserSetting(BaseModel):
    """A per-user preference (e.g. the contact list's columns); travels with the database."""

    id = AutoField()
    user = ForeignKeyField(User, backref="settings", on_delete="CASCADE")
    key = CharField()
    value = TextField(default="")

    class Meta:
        indexes = ((("user", "key"), True),)


class RunReport(BaseModel):
    """One sync or check run's report (JSON), kept as history."""

    id = AutoField()
    account = ForeignKeyField(Account, null=True, backref="reports", on_delete="SET NULL")
    account_label = CharField(default="")
    started = DateTimeField(default=utcnow)
    finished = DateTimeField(null=True)
    trigger = CharField(default="manual")  # "manual" | "cli" | "schedule"
    status = CharField(default="ok")  # "ok" | "errors" | "failed" | "cancelled"
    data = TextField(default="{}")


class RunReportDetails(BaseModel):
    """The items a run changed (app.sync.details, JSON), apart from its report: a list of
    reports reads no details (v10)."""

    report = ForeignKeyField(RunReport, primary_key=True, backref="details", on_delete="CASCADE")
    data = TextField(default="[]")


ALL_MODELS: list[type[BaseModel]] = [
    MetaEntry,
    User,
    AddressBook,
    Contact,
    ContactVersion,
    Tombstone,
    Account,
    Binding,
    ItemState,
    Appointment,
    FollowUp,
    RunReport,
    UserSetting,
    AppointmentVersion,
    CalendarBinding,
    EventState,
    AppointmentTombstone,
    PendingReattach,
    EmptyGroup,
    RunReportDetails,
    ItemBase,
]

#: The tables schema version 3 adds (app.store.db).
CALENDAR_MODELS: list[type[BaseModel]] = [
    AppointmentVersion,
    CalendarBinding,
    EventState,
    AppointmentTombstone,
]
