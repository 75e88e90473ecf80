"""Import .vcf files into a local book and export contacts as .vcf (core; never imports Qt).

Import keeps every card's text as it was read (only a missing UID is added), so an export
gives the same cards back — except for control characters, which a vCard cannot carry
(RFC 6350 §3.3): a PHOTO (or other binary value) holding raw bytes instead of base64 is
left out, control characters in other values are removed (`vcard.sanitize`), and the
report says so in a note; the rest of the card is imported. The export writes UTF-8 and
makes each card's CHARSET labels say so (`vcard.export_text`), so export -> import ->
export gives the same bytes.

A card counts as a duplicate of a live contact of the book (or of a card read earlier from
the same file) when, in this order:

1. it has the same UID, or else
2. it has an e-mail and the same formatted name + first e-mail (`match_key`), or else
3. its normalized content hash is identical.

A group card (KIND:group, or Apple's X-ADDRESSBOOKSERVER-KIND:group) is a duplicate only
by its UID: a group "Presse" never duplicates a person "Presse", nor another group card of
the same name or content under another UID, and no person duplicates a group card.

What happens to a duplicate depends on `duplicates`:

- "skip": nothing (counted as duplicates_skipped),
- "update": the matched contact's card is replaced via `update_contact` (the old card goes
  to its history) when the content differs; identical content counts as `unchanged`.
  The contact keeps its UID (the imported card is given it), so syncs stay attached.
- "add": the card is added anyway; if its UID is taken it gets a new UID (counted as
  added and as new_uid).
- "refuse": nothing, but an error names the card, why it is a duplicate (the rule that
  matched) and the contact it duplicates, plus `refuse_hint` (counted as refused; the CLI's
  default, so that importing a file twice never doubles a contact).

A card whose UID belongs to a contact in the book's trash or to a tombstone is never
imported (SPEC: a contact in the trash stays deleted on re-import): counted as
skipped_trashed with a note. Unreadable cards give an error (in the user's language, as all
notes and errors here) naming the card number
and, when it can be guessed, the name of the card itself (never that of a card nested in it
or begun inside it); the other cards are still imported.
"""

from __future__ import annotations

import codecs
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from app import vcard
from app.i18n import _
from app.store.contact_columns import fill_columns, match_key
from app.store.contacts import (
    StoreError,
    get_book,
    update_contact,
    where_group,
)
from app.store.models import AddressBook, Contact, Tombstone, database
from app.store.names import book_display_name

__all__ = [
    "DUPLICATE_MODES",
    "DuplicateIndex",
    "ExportCancelled",
    "ImportReport",
    "card_label",
    "default_export_name",
    "export_book",
    "export_vcf",
    "import_cards",
    "import_vcf",
    "read_cards",
    "unreadable_error",
]

DUPLICATE_MODES: tuple[str, ...] = ("skip", "update", "add", "refuse")
CHUNK = 500  # cards per transaction

#: `progress(done, total)`: cards handled so far of all; `cancelled()`: stop now.
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_FN_RE = re.compile(r"^FN(?:;[^:\r\n]*)?:(.*?)\r?$", re.I | re.M)
_N_RE = re.compile(r"^N((?:;[^:\r\n]*)?):(.*?)\r?$", re.I | re.M)


@dataclass(frozen=True)
class ImportReport:
    """The figures of one import (or of several files, see `merge`)."""

    cards_read: int = 0
    added: int = 0  # contacts (people) added
    groups_added: int = 0  # group cards added (KIND:group or Apple's): not among `added`
    duplicates_skipped: int = 0
    updated: int = 0
    unchanged: int = 0  # "update": a duplicate whose content was already the same
    skipped_trashed: int = 0
    new_uid: int = 0  # "add": added with a new UID because its own was taken
    refused: int = 0  # "refuse": duplicates not imported (each an error)
    #: Cards not handled because the import was cancelled ("Abbrechen"): they come after
    #: the last card handled; every card before it is imported completely, none half.
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)  # "Karte 3 („Name“): …"
    notes: list[str] = field(default_factory=list)  # e.g. trashed UIDs skipped

    def merge(self, other: ImportReport) -> ImportReport:
        """The sum of two reports (several files imported in one go)."""
        return ImportReport(
            cards_read=self.cards_read + other.cards_read,
            added=self.added + other.added,
            groups_added=self.groups_added + other.groups_added,
            duplicates_skipped=self.duplicates_skipped + other.duplicates_skipped,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
            skipped_trashed=self.skipped_trashed + other.skipped_trashed,
            new_uid=self.new_uid + other.new_uid,
            refused=self.refused + other.refused,
            cancelled=self.cancelled + other.cancelled,
            errors=[*self.errors, *other.errors],
            notes=[*self.notes, *other.notes],
        )


def _book(book: str | AddressBook) -> AddressBook:
    return get_book(book) if isinstance(book, str) else book


_MARKER_RE = re.compile(r"^\ufeff?(BEGIN|END):VCARD[ \t]*\r?$", re.I)


def _outer_lines(text: str) -> str:
    """The lines of the outer card only: a nested card (a 2.1 AGENT's, or the next card
    that began inside one whose END:VCARD is missing) is left out, so that its FN never
    names the card around it."""
    out: list[str] = []
    depth = 0
    for line in text.splitlines():
        m = _MARKER_RE.match(line)
        if m is not None:
            depth += 1 if m.group(1).upper() == "BEGIN" else -1
            continue
        if depth == 1:
            out.append(line)
    return "\n".join(out)


def _guess_name(text: str) -> str:
    """The FN of an unreadable card, else its plain N as "given family", as far as a plain
    regex finds them in the outer card's own lines (phones write no FN; a QUOTED-PRINTABLE
    N is not guessed at)."""
    text = _outer_lines(text)
    m = _FN_RE.search(text)
    if m and m.group(1).strip():
        return m.group(1).strip()
    m = _N_RE.search(text)
    if m is None or "QUOTED" in m.group(1).upper():
        return ""
    parts = [p.strip() for p in m.group(2).split(";")] + ["", "", "", ""]
    return " ".join(x for x in (parts[3], parts[1], parts[2], parts[0], parts[4]) if x)


def card_label(number: int, name: str, source: str = "") -> str:
    """How the report names a card of a file: "datei.vcf: Karte 3 („Name“)"."""
    label = (
        _("Karte {number} („{name}“)").format(number=number, name=name)
        if name
        else _("Karte {number}").format(number=number)
    )
    return f"{source}: {label}" if source else label


class DuplicateIndex:
    """Live contacts of the book by UID, match key and hash; grows while importing (the
    duplicate rules of the module docstring; `trashed`: UIDs never imported again)."""

    def __init__(self, book: AddressBook) -> None:
        self.by_uid: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.by_hash: dict[str, int] = {}
        rows = Contact.select(
            Contact.id, Contact.uid, Contact.fn, Contact.email, Contact.hash, Contact.kind
        )
        for c in rows.where((Contact.book == book) & Contact.deleted_at.is_null()).order_by(
            Contact.id
        ):
            self.add(c.id, c.uid, c.fn, c.email, c.hash, kind=c.kind)
        trashed = Contact.select(Contact.uid).where(
            (Contact.book == book) & Contact.deleted_at.is_null(False)
        )
        self.trashed: set[str] = {c.uid for c in trashed}
        tombstones = Tombstone.select(Tombstone.uid).where(Tombstone.book == book)
        self.trashed |= {t.uid for t in tombstones}

    def add(
        self, cid: int, uid: str, fn: str, email: str, content_hash: str, *, kind: str = ""
    ) -> None:
        self.by_uid.setdefault(uid, cid)
        if kind == "group":
            return  # a group card is found by its UID only
        if email:
            self.by_key.setdefault(match_key(fn, email), cid)
        if content_hash:
            self.by_hash.setdefault(content_hash, cid)

    def match(self, s: vcard.CardSummary, content_hash: str) -> int | None:
        found = self.find(s, content_hash)
        return found[0] if found else None

    def find(self, s: vcard.CardSummary, content_hash: str) -> tuple[int, str] | None:
        """The contact this card duplicates and the rule that says so ("uid", "key" —
        name and first e-mail — or "content"), else None."""
        if s.uid and s.uid in self.by_uid:
            return self.by_uid[s.uid], "uid"
        if s.kind == "group":
            return None  # by its UID only: never a person's or another group's duplicate
        if s.emails:
            cid = self.by_key.get(match_key(s.fn, s.emails[0]))
            if cid is not None:
                return cid, "key"
        cid = self.by_hash.get(content_hash)
        return (cid, "content") if cid is not None else None


def _new_uid() -> str:
    return str(uuid.uuid4()).upper()


#: A big file is decoded and split in slices of about this many bytes (`read_cards`).
SLICE = 1 << 20
_BOUNDARIES = (b"END:VCARD\r\nBEGIN:VCARD", b"END:VCARD\nBEGIN:VCARD")


def read_cards(data: bytes) -> list[str]:
    """The cards of a .vcf file (bytes in any encoding vcard.decode_bytes reads).

    A big file is read in slices of about SLICE bytes, each ending with a card whose
    END:VCARD line is followed directly by the next BEGIN:VCARD: the same cards as from the
    whole file (split_cards starts a new card at such a BEGIN whatever came before, and
    decode_bytes decodes line by line), but no single decode or split of 20 MB that holds
    the interpreter for a tenth of a second — the window's thread waits for it meanwhile.
    """
    if len(data) <= SLICE or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return vcard.split_cards(vcard.decode_bytes(data))
    cards: list[str] = []
    start = 0
    while start < len(data):
        found = [i for i in (data.find(b, start + SLICE) for b in _BOUNDARIES) if i >= 0]
        end = len(data) if not found else data.index(b"\n", min(found)) + 1
        cards.extend(vcard.split_cards(vcard.decode_bytes(data[start:end])))
        start = end
    return cards


def import_vcf(
    book: str | AddressBook,
    data: bytes,
    *,
    duplicates: str = "skip",
    source: str = "",
    refuse_hint: str = "",
) -> ImportReport:
    """Import the cards of a .vcf file (bytes in any encoding vcard.decode_bytes reads).

    `duplicates` is "skip", "update", "add" or "refuse" (see the module docstring); `source`
    (a file name) prefixes the error messages; `refuse_hint` ends a refusal's message (what
    the caller offers instead). Commits every CHUNK cards.
    """
    return import_cards(
        book, read_cards(data), duplicates=duplicates, source=source, refuse_hint=refuse_hint
    )


def import_cards(
    book: str | AddressBook,
    cards: list[str],
    *,
    duplicates: str = "skip",
    source: str = "",
    refuse_hint: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    offset: int = 0,
    total: int | None = None,
    hold: float | None = None,
) -> ImportReport:
    """`import_vcf` of a file's cards (`read_cards`), for a caller that shows progress.

    `progress(offset + done, total)` follows every card (`total`: all cards of the files
    imported together, default `len(cards)`); `cancelled()` is asked before every card:
    when it says yes, the cards handled so far commit (each complete: a card is one row, or
    one update with its history entry) and the rest is counted as `cancelled`. Commits
    every CHUNK cards, and with `hold` after at most that many seconds: the window's import
    runs beside a window that writes too (its settings, an edit), which must not wait for
    the database longer than that.
    """
    if duplicates not in DUPLICATE_MODES:
        raise ValueError(f"duplicates must be one of {DUPLICATE_MODES}, not {duplicates!r}")
    target = _book(book)
    all_cards = offset + len(cards) if total is None else total
    report = ImportReport(cards_read=len(cards))
    errors: list[str] = []
    notes: list[str] = []
    counts = dict.fromkeys(
        ("added", "groups_added", "skipped", "updated", "unchanged", "trashed", "new_uid"), 0
    )
    counts["refused"] = 0
    if not cards:
        message = _("Die Datei enthält keine vCard (BEGIN:VCARD fehlt).")
        errors.append(f"{source}: {message}" if source else message)
        return replace(report, errors=errors)
    index = DuplicateIndex(target)
    handled = 0
    stop = False
    while handled < len(cards) and not stop:
        began = time.monotonic()
        with database.atomic():
            for number in range(handled + 1, min(handled + CHUNK, len(cards)) + 1):
                if cancelled is not None and cancelled():
                    stop = True  # what is done commits with this transaction
                    break
                followed = number < len(cards)
                _import_card(
                    target, cards[number - 1], number, followed, (duplicates, refuse_hint),
                    source, index, counts, errors, notes,
                )  # fmt: skip
                handled = number
                if progress is not None:
                    progress(offset + handled, all_cards)
                if hold is not None and time.monotonic() - began >= hold:
                    break
    return replace(
        report,
        cards_read=handled,
        cancelled=len(cards) - handled,
        added=counts["added"],
        groups_added=counts["groups_added"],
        duplicates_skipped=counts["skipped"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        skipped_trashed=counts["trashed"],
        new_uid=counts["new_uid"],
        refused=counts["refused"],
        errors=errors,
        notes=notes,
    )


def _import_card(
    book: AddressBook,
    card: str,
    number: int,
    followed: bool,
    choice: tuple[str, str],
    source: str,
    index: DuplicateIndex,
    counts: dict[str, int],
    errors: list[str],
    notes: list[str],
) -> None:
    """Import one card; `followed`: another card comes after it in the file."""
    try:
        clean = vcard.sanitize(card)
        card = clean.text
        s, content_hash = vcard.summarize_and_hash(card)  # one parse for both
    except vcard.CardError as exc:
        errors.append(unreadable_error(card, number, exc, followed=followed, source=source))
        return
    label = card_label(number, s.fn, source)
    # said only of a card that is stored (added or updated)
    note = f"{label}: {clean.message()}" if clean.changed else ""
    if s.uid and s.uid in index.trashed and s.uid not in index.by_uid:
        counts["trashed"] += 1
        notes.append(
            _(
                "{card}: ein Kontakt mit dieser UID liegt im Papierkorb oder wurde gelöscht; "
                "er wird nicht erneut importiert."
            ).format(card=label)
        )
        return
    duplicates, refuse_hint = choice
    found = index.find(s, content_hash)
    cid = found[0] if found else None
    if found and duplicates == "refuse":
        taken = Contact.get_by_id(found[0])
        why = {
            "uid": _(
                "{card}: Im Adressbuch „{book}“ gibt es bereits einen Kontakt mit der UID "
                "{uid} („{name}“, Nr. {id}); die Karte wurde nicht importiert{hint}."
            ),
            "key": _(
                "{card}: Im Adressbuch „{book}“ gibt es bereits einen Kontakt mit gleichem "
                "Namen und gleicher E-Mail-Adresse („{name}“, Nr. {id}); die Karte wurde "
                "nicht importiert{hint}."
            ),
            "content": _(
                "{card}: Im Adressbuch „{book}“ gibt es bereits einen Kontakt mit gleichem "
                "Inhalt („{name}“, Nr. {id}); die Karte wurde nicht importiert{hint}."
            ),
        }[found[1]]
        hint = f" – {refuse_hint}" if refuse_hint else ""
        errors.append(
            why.format(
                card=label,
                book=book_display_name(book.name),
                uid=s.uid,
                name=taken.fn,
                id=taken.id,
                hint=hint,
            )
        )
        counts["refused"] += 1
        return
    try:
        if cid is not None and duplicates == "skip":
            counts["skipped"] += 1
            return
        if cid is not None and duplicates == "update":
            contact = Contact.get_by_id(cid)
            if contact.hash == content_hash:
                counts["unchanged"] += 1
                return
            new_text = card if s.uid == contact.uid else vcard.set_uid(card, contact.uid)
            update_contact(
                contact, new_text, reason="edit", note=_("Durch vCard-Import aktualisiert")
            )
            index.add(
                contact.id, contact.uid, contact.fn, contact.email, contact.hash, kind=contact.kind
            )
            counts["updated"] += 1
            if note:
                notes.append(note)
            return
        uid = s.uid or _new_uid()
        if s.uid and s.uid in index.by_uid:  # "add" anyway: the UID is taken
            uid = _new_uid()
            card = vcard.set_uid(card, uid)
            notes.append(
                _("{card}: doppelt angelegt, mit neuer UID {uid}.").format(card=label, uid=uid)
            )
        elif not s.uid:
            card = vcard.ensure_uid(card, uid)
        contact = Contact(book=book, uid=uid)
        fill_columns(contact, card, s, content_hash)
        contact.save()
    except (vcard.CardError, StoreError) as exc:
        errors.append(f"{label}: {getattr(exc, 'message', str(exc))}")
        return
    index.add(contact.id, uid, contact.fn, contact.email, content_hash, kind=contact.kind)
    counts["groups_added" if contact.kind == "group" else "added"] += 1
    if uid != s.uid and s.uid:
        counts["new_uid"] += 1
    if note:
        notes.append(note)


def unreadable_error(
    card: str, number: int, exc: vcard.CardError, *, followed: bool, source: str = ""
) -> str:
    """The error for the card `number` of a file that cannot be read, named by its
    own FN or N (never a nested card's). `followed`: another card comes after it — a card
    without END:VCARD was cut off where the next one began."""
    return f"{card_label(number, _guess_name(card), source)}: {_unreadable_why(exc, followed)}"


def _unreadable_why(exc: vcard.CardError, followed: bool) -> str:
    if followed and exc.reason == vcard.MISSING_END:
        return _(
            "Die Karte ist nicht abgeschlossen (END:VCARD fehlt, bevor die nächste Karte mit "
            "BEGIN:VCARD beginnt) und wurde nicht importiert. Die folgende Karte wurde "
            "für sich gelesen."
        )
    return exc.message


# ---------------------------------------------------------------- export


class ExportCancelled(Exception):
    """An export was cancelled ("Abbrechen"): nothing is returned, so no file is written."""


def _follow(
    texts: Iterable[str], total: int, progress: Progress | None, cancelled: Cancelled | None
) -> Iterator[str]:
    """`texts`, with `progress(done, total)` after each and `cancelled()` asked before each
    (ExportCancelled when it says yes)."""
    for done, text in enumerate(texts, 1):
        if cancelled is not None and cancelled():
            raise ExportCancelled
        yield text
        if progress is not None:
            progress(done, total)


def _join(texts: Iterable[str]) -> bytes:
    """Cards as stored, each ending with a line break (CRLF where one is missing), in UTF-8.

    Only what UTF-8 makes untrue changes (`vcard.export_text`): a raw 8-bit value that says
    CHARSET=Windows-1252 says CHARSET=UTF-8 (2.1) or no charset (3.0/4.0), so the file reads
    back the same in Contactbox, Outlook and Apple Contacts; exporting an imported export
    gives the same bytes again.
    """
    out: list[str] = []
    for t in texts:
        t = vcard.export_text(t)
        out.append(t if t.endswith("\n") else t + "\r\n")
    return "".join(out).encode("utf-8")


def export_vcf(
    contact_ids: list[int],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> bytes:
    """The stored cards of these contacts, in the given order; unknown ids are left out.
    `progress(done, total)` follows every card, `cancelled()` (asked before every card)
    raises ExportCancelled."""
    wanted = list(dict.fromkeys(contact_ids))
    texts: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        for c in Contact.select(Contact.id, Contact.vcard).where(Contact.id.in_(part)):
            texts[c.id] = c.vcard
    found = [texts[i] for i in wanted if i in texts]
    return _join(_follow(found, len(found), progress, cancelled))


def export_book(
    book: str | AddressBook,
    include_trash: bool = False,
    group: str = "",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> bytes:
    """Every live contact of a book (and its trash, if asked), ordered by name — group cards
    included, so another program reads the groups too. `group`: only that group's members
    and its own group card(s). `progress` and `cancelled` as for `export_vcf`."""
    target = _book(book)
    q = Contact.select(Contact.vcard).where(Contact.book == target)
    if not include_trash:
        q = q.where(Contact.deleted_at.is_null())
    if group:
        cards = (Contact.kind == "group") & (Contact.fn == group) & Contact.deleted_at.is_null()
        members = where_group(
            Contact.select(Contact.id).where(Contact.book == target), target, group
        )
        q = q.where(cards | Contact.id.in_(members))
    q = q.order_by(Contact.fn.collate("NOCASE"), Contact.id)
    if progress is None and cancelled is None:
        return _join(c.vcard for c in q)
    total = int(q.count())
    return _join(_follow((row[0] for row in q.tuples().iterator()), total, progress, cancelled))


_UNSAFE_RE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def default_export_name(book_name: str, today: date | None = None) -> str:
    """A file name like "Kontakte-Standard-2026-11-29.vcf" (unsafe characters replaced), in
    the user's language ("Contacts-Default-2026-11-29.vcf")."""
    day = (today or date.today()).isoformat()
    shown = book_display_name(book_name).strip()
    safe = _UNSAFE_RE.sub("_", shown).strip(" .") or _("Adressbuch")
    return _("Kontakte-{book}-{date}.vcf").format(book=safe, date=day)
