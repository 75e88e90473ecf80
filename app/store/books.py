"""Local address books: create, rename and delete them, and which ones a sync filled
(core; never imports Qt).

Book names are trimmed, 1-80 characters, without control characters, and unique
case-insensitively ("Kunden" and "kunden" cannot both exist). "Standard" always exists:
it can neither be renamed nor deleted; it is stored as "Standard" and shown in the user's
language (`display_name`). Messages for the user (StoreError) are in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peewee import fn as sqlfn

from app.i18n import N_, _, ngettext
from app.store.contacts import StoreError, get_book
from app.store.models import AddressBook, Binding, Contact, database
from app.store.names import STANDARD_BOOK
from app.store.names import book_display_name as display_name

__all__ = [
    "MAX_NAME_LENGTH",
    "OPERATION_LABELS_DE",
    "BookImpact",
    "binding_summary",
    "book_impact",
    "create_book",
    "delete_book",
    "display_name",
    "edit_reach",
    "operation_label",
    "rename_book",
    "synced_books",
    "validate_book_name",
]

MAX_NAME_LENGTH = 80

#: How a binding's operation is named in the delete explanation and the tooltip: German,
#: marked for translation; shown through `operation_label` (the window and the CLI alike).
OPERATION_LABELS_DE: dict[str, str] = {
    "import": N_("Einmalig importieren"),
    "oneway": N_("OneWay-Synchronisation"),
    "sync": N_("Synchronisieren"),
}


def operation_label(operation: str) -> str:
    """A binding's operation ("import", "oneway", "sync") in the user's language; an
    unknown one as it is."""
    label = OPERATION_LABELS_DE.get(operation)
    return _(label) if label is not None else operation


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _find_casefold(name: str) -> AddressBook | None:
    """The book whose name equals `name` ignoring case (SQLite's lower() is ASCII-only)."""
    wanted = name.casefold()
    for book in AddressBook.select().where(sqlfn.length(AddressBook.name) == len(name)):
        if book.name.casefold() == wanted:
            return book
    return None


def validate_book_name(name: str, *, current: str | None = None) -> str:
    """The trimmed name if it may be used for a new (or the renamed `current`) book.

    Raises StoreError: empty, too long, control characters, or a book of that name
    (ignoring case) exists already — the "Standard" book also under its name as shown
    ("Default" in English). Renaming a book to a different spelling of its own name
    ("kunden" -> "Kunden") is allowed.
    """
    clean = name.strip()
    if not clean:
        raise StoreError(_("Bitte geben Sie einen Namen für das Adressbuch ein."))
    if len(clean) > MAX_NAME_LENGTH:
        raise StoreError(
            _("Der Name ist zu lang: höchstens {max} Zeichen (jetzt {n}).").format(
                max=MAX_NAME_LENGTH, n=len(clean)
            )
        )
    if _CONTROL_RE.search(clean):
        raise StoreError(_("Der Name darf keine Zeilenumbrüche oder Steuerzeichen enthalten."))
    other = _find_casefold(clean)
    if other is None and clean.casefold() == display_name(STANDARD_BOOK).casefold():
        other = _find_casefold(STANDARD_BOOK)
    if other is not None and other.name != current:
        raise StoreError(
            _("Ein Adressbuch „{name}“ gibt es bereits.").format(name=display_name(other.name))
        )
    return clean


def create_book(name: str) -> None:
    """Create a local address book named `name` (trimmed; see validate_book_name)."""
    with database.atomic():
        clean = validate_book_name(name)
        AddressBook.create(name=clean)


def rename_book(old: str, new: str) -> None:
    """Rename a book; its contacts and bindings keep pointing at it (same row id).

    "Standard" cannot be renamed. Renaming to the same name is a no-op.
    """
    with database.atomic():
        book = get_book(old)
        if book.name == STANDARD_BOOK:
            raise StoreError(
                _("Das Adressbuch „{name}“ kann nicht umbenannt werden.").format(
                    name=display_name(STANDARD_BOOK)
                )
            )
        clean = validate_book_name(new, current=book.name)
        if clean == book.name:
            return
        book.name = clean
        book.save()


def _binding_label(binding: Binding) -> str:
    server_book = binding.remote_name or binding.remote_href
    operation = operation_label(binding.operation)
    return f"{binding.account.label} – {server_book} ({operation})"


def binding_summary(name: str) -> list[str]:
    """The bindings of a book, each "Account – Server-Adressbuch (Synchronisieren)"."""
    book = get_book(name)
    q = Binding.select().where(Binding.book == book).order_by(Binding.id)
    return [_binding_label(b) for b in q]


#: Where an edit of a book's contacts goes (`edit_reach`).
REACH_LOCAL = "local"  # no enabled binding: a book only in Contactbox
REACH_SERVER = "server"  # a OneWay or two-way binding carries it to a server
REACH_IMPORT = "import"  # only imported from a server: it stays in Contactbox
REACH_READ_ONLY = "read_only"  # synced, but the server lets us only read the book


def edit_reach(name: str) -> str:
    """Whether an edit of a contact in book `name` reaches a server (REACH_*).

    Only enabled bindings count. An edit goes to a server when one of them is OneWay or
    Synchronisation on a book the server lets us write; with only read-only ones it stays
    in Contactbox (the sync sends it once writing is allowed), with only "Einmalig
    importieren" ones it stays in Contactbox for good. An unknown book is local.
    """
    book = AddressBook.get_or_none(AddressBook.name == name)
    if book is None:
        return REACH_LOCAL
    bindings = list(Binding.select().where((Binding.book == book) & Binding.enabled))
    writing = [b for b in bindings if b.operation in ("oneway", "sync")]
    if any(not b.read_only for b in writing):
        return REACH_SERVER
    if writing:
        return REACH_READ_ONLY
    return REACH_IMPORT if bindings else REACH_LOCAL


@dataclass(frozen=True)
class BookImpact:
    """What deleting a book touches: its contacts, its trash and its bindings."""

    name: str
    live: int
    trashed: int
    bindings: list[str] = field(default_factory=list)  # "Account – server book (Synchronisieren)"


def book_impact(name: str) -> BookImpact:
    """Counts and bindings of a book, for the delete confirmation."""
    book = get_book(name)
    live = Contact.select().where((Contact.book == book) & Contact.deleted_at.is_null()).count()
    trashed = (
        Contact.select().where((Contact.book == book) & Contact.deleted_at.is_null(False)).count()
    )
    return BookImpact(book.name, int(live), int(trashed), binding_summary(book.name))


def delete_book(name: str, *, move_to: str | None = None) -> int:
    """Delete a local book in one transaction; returns how many contacts were moved.

    - "Standard" is refused.
    - The book's bindings are removed; their sync state (ItemState rows) goes with them
      by the foreign key's ON DELETE CASCADE. Nothing is deleted on any server.
    - With `move_to`, the live contacts move to that book with their ids, history,
      appointments and follow-ups. If any of their UIDs is already live in the target,
      the whole delete is refused (StoreError naming how many clash) and nothing changes:
      skipping them silently would lose contacts, merging them is a decision for the user.
    - Without `move_to` the live contacts are deleted with the book.
    - Contacts in the book's trash and its tombstones are always deleted with it; their
      appointments and follow-ups stay, unlinked (ON DELETE SET NULL).
    """
    with database.atomic():
        book = get_book(name)
        if book.name == STANDARD_BOOK:
            raise StoreError(
                _("Das Adressbuch „{name}“ kann nicht gelöscht werden.").format(
                    name=display_name(STANDARD_BOOK)
                )
            )
        moved = 0
        if move_to is not None:
            target = get_book(move_to)
            if target.id == book.id:
                raise StoreError(
                    _(
                        "Die Kontakte können nicht in das Adressbuch verschoben werden, "
                        "das gelöscht wird."
                    )
                )
            # A subquery, never a list of UIDs: books of any size (SQLite's variable limit).
            live_uids = Contact.select(Contact.uid).where(
                (Contact.book == book) & Contact.deleted_at.is_null()
            )
            clashes = int(
                Contact.select(Contact.uid)
                .where(
                    (Contact.book == target)
                    & Contact.deleted_at.is_null()
                    & Contact.uid.in_(live_uids)
                )
                .distinct()
                .count()
            )
            if clashes:
                raise StoreError(
                    ngettext(
                        "{n} Kontakt hat dieselbe UID wie ein Kontakt im Adressbuch "
                        "„{target}“. Das Adressbuch „{book}“ wurde nicht gelöscht; bitte "
                        "löschen Sie die doppelten Kontakte zuerst oder wählen Sie ein "
                        "anderes Ziel.",
                        "{n} Kontakte haben dieselbe UID wie ein Kontakt im Adressbuch "
                        "„{target}“. Das Adressbuch „{book}“ wurde nicht gelöscht; bitte "
                        "löschen Sie die doppelten Kontakte zuerst oder wählen Sie ein "
                        "anderes Ziel.",
                        clashes,
                    ).format(
                        n=clashes, target=display_name(target.name), book=display_name(book.name)
                    )
                )
            moved = int(
                Contact.update(book=target)
                .where((Contact.book == book) & Contact.deleted_at.is_null())
                .execute()
            )
        Binding.delete().where(Binding.book == book).execute()
        Contact.delete().where(Contact.book == book).execute()
        book.delete_instance()
    return moved


def synced_books() -> list[str]:
    """The local books that a sync or import has filled, the most recently synced first."""
    rows = (
        Binding.select(AddressBook.name)
        .join(AddressBook)
        .where(Binding.last_sync.is_null(False))
        .order_by(Binding.last_sync.desc(), Binding.id.desc())
        .tuples()
    )
    names: list[str] = []
    for (name,) in rows:
        if name not in names:
            names.append(str(name))
    return names
