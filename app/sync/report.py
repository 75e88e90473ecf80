"""Run reports: per-book figures of SPEC §4 plus every item error with its reason.

One shape serves the check (what would happen) and the run (what happened); the CLI
prints it, the import-report dialog shows it, the store keeps it as history.

A report speaks of what it is about: each book report and the run report carry their
`collection` ("addressbook" or "calendar"; the JSON field of the same name), and
`ReportWords` gives the German words for it: "Adressbuch", "Kontakte", "Importbericht"
for address books, "Kalender", "Termine", "Synchronisationsbericht" for calendars (the
manual's "Terminsynchronisation" is a two-way sync, no import). A report without the field
(stored before it existed) is about address books, unless the store knows better
(app.store.reports fills it in from the account's kind).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from app.i18n import N_, _, ngettext
from app.sync.details import ItemDetail, details_of
from app.sync.plan import Kind

FIGURES = (
    "server_count",
    "local_count",
    "added_local",
    "updated_local",
    "deleted_local",
    "added_server",
    "updated_server",
    "deleted_server",
    "conflicts",
    "skipped_deleted",
)

#: An address book's group cards (RFC 6350 KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND):
#: counted apart from the contacts — "Kontakte auf dem Server / in Contactbox" and the
#: changes count people only; the group cards on either side and the group cards this run
#: added, changed or deleted on either side ("Gruppen: 2 geändert") have their own figures.
GROUP_FIGURES = ("server_groups", "local_groups", "groups_changed")

#: What a report is about (`BookReport.collection`, `RunReport.collection`).
ADDRESS_BOOK = "addressbook"
CALENDAR = "calendar"
COLLECTIONS = (ADDRESS_BOOK, CALENDAR)
#: A run report over address books and calendars (`RunReport.words_kind`).
MIXED = "mixed"

#: The figures' labels of an address book report. The label tables, the status words and
#: `ReportWords` hold German msgids marked with N_(): they are translated where a report
#: is shown (`figure_label`, `status_text`, `format_text`; the window translates them
#: with its own Qt tr(), resources/translations/update.sh's DYNAMIC table), never
#: stored translated — a stored report keeps codes and figures, so its status, labels
#: and words are shown in the reader's language.
FIGURE_LABELS_DE = {
    "server_count": N_("Kontakte auf dem Server"),
    "local_count": N_("Kontakte in Contactbox"),
    "added_local": N_("Neu in Contactbox"),
    "updated_local": N_("In Contactbox aktualisiert"),
    "deleted_local": N_("In Contactbox gelöscht (Papierkorb)"),
    "added_server": N_("Neu auf dem Server"),
    "updated_server": N_("Auf dem Server aktualisiert"),
    "deleted_server": N_("Auf dem Server gelöscht"),
    "conflicts": N_("Konflikte"),
    "merged": N_("Zusammengeführt"),
    "skipped_deleted": N_("Übersprungen (in Contactbox gelöscht)"),
    "server_only": N_("Nur auf dem Server (unberührt)"),
    "server_groups": N_("Gruppen auf dem Server"),
    "local_groups": N_("Gruppen in Contactbox"),
    "groups_changed": N_("Gruppen geändert"),
}

#: The figures' labels of a calendar report: appointments instead of contacts.
CALENDAR_FIGURE_LABELS_DE = {
    **FIGURE_LABELS_DE,
    "server_count": N_("Termine auf dem Server"),
    "local_count": N_("Termine in Contactbox"),
}

#: The figures' labels of a report over address books and calendars.
MIXED_FIGURE_LABELS_DE = {
    **FIGURE_LABELS_DE,
    "server_count": N_("Kontakte und Termine auf dem Server"),
    "local_count": N_("Kontakte und Termine in Contactbox"),
}


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class ReportWords:
    """The German words of a report about address books, calendars, or both (msgids:
    translate where shown, `_(words.report)`)."""

    report: str  # the run's report: "Importbericht" | "Synchronisationsbericht"
    collection: str  # one part: "Adressbuch" | "Kalender"
    item: str  # "Kontakt" | "Termin"
    items: str  # "Kontakte" | "Termine"
    labels: dict[str, str]  # the figures' labels


ADDRESS_BOOK_WORDS = ReportWords(
    N_("Importbericht"), N_("Adressbuch"), N_("Kontakt"), N_("Kontakte"), FIGURE_LABELS_DE
)
CALENDAR_WORDS = ReportWords(
    N_("Synchronisationsbericht"), N_("Kalender"), N_("Termin"), N_("Termine"),
    CALENDAR_FIGURE_LABELS_DE,
)  # fmt: skip
MIXED_WORDS = ReportWords(
    N_("Synchronisationsbericht"),
    N_("Adressbuch / Kalender"),
    N_("Kontakt / Termin"),
    N_("Kontakte und Termine"),
    MIXED_FIGURE_LABELS_DE,
)

_WORDS = {ADDRESS_BOOK: ADDRESS_BOOK_WORDS, CALENDAR: CALENDAR_WORDS, MIXED: MIXED_WORDS}


def words_for(kind: str) -> ReportWords:
    """The words of "addressbook", "calendar" or "mixed" (anything else: address book)."""
    return _WORDS.get(kind, ADDRESS_BOOK_WORDS)


def figure_label(name: str, kind: str = ADDRESS_BOOK) -> str:
    """A figure's label in the report about `kind`, translated ("Contacts on the server",
    "Appointments on the server")."""
    label = words_for(kind).labels[name]
    return _(label)


#: The run's status as a person reads it (`RunReport.status` is the code scripts read).
STATUS_WORDS = {
    "ok": N_("erfolgreich"),
    "errors": N_("mit Fehlern"),
    "failed": N_("fehlgeschlagen"),
    "cancelled": N_("abgebrochen"),
}


def status_text(status: str) -> str:
    """A report status code ("ok", …) as a word, translated ("erfolgreich" / "successful");
    an unknown code as it is."""
    word = STATUS_WORDS.get(status)
    return _(word) if word is not None else status


#: The changes a run carries out, by side (the report's groups "In Contactbox" and "Auf
#: dem Server"): new, updated, deleted. A conflict is one of them too.
LOCAL_CHANGES = ("added_local", "updated_local", "deleted_local")
SERVER_CHANGES = ("added_server", "updated_server", "deleted_server")
CHANGE_FIGURES = (*LOCAL_CHANGES, *SERVER_CHANGES)
#: What a run counts besides its changes (the report's group "Sonstiges").
#: "merged": both sides changed a contact and both edits were kept (a merge with a field
#: decided by the preference counts in "conflicts" too). Address books only.
OTHER_RESULTS = ("conflicts", "merged", "skipped_deleted", "server_only")
#: What a run did, in the report's order (all figures but the counts of contacts).
RESULT_FIGURES = (*CHANGE_FIGURES, *OTHER_RESULTS)

#: Every figure of a calendar report, in the report's order.
CALENDAR_FIGURES = (*FIGURES, "server_only")
#: Every figure of an address book report (and of one over both kinds), in the report's
#: order: the group cards' counts after the contacts', their changes after the contacts'.
BOOK_FIGURES = (
    "server_count", "local_count", "server_groups", "local_groups",
    *CHANGE_FIGURES, "groups_changed", *OTHER_RESULTS,
)  # fmt: skip


def figure_names(kind: str) -> tuple[str, ...]:
    """The figures of a report about "addressbook", "calendar" or "mixed", in order
    (a calendar has no groups)."""
    return CALENDAR_FIGURES if kind == CALENDAR else BOOK_FIGURES


_KIND_FIGURE = {
    Kind.ADD_LOCAL: "added_local",
    Kind.RESTORE_LOCAL: "added_local",
    Kind.UPDATE_LOCAL: "updated_local",
    Kind.DELETE_LOCAL: "deleted_local",
    Kind.ADD_SERVER: "added_server",
    Kind.UPDATE_SERVER: "updated_server",
    Kind.DELETE_SERVER: "deleted_server",
    Kind.SKIP_DELETED: "skipped_deleted",
    Kind.SERVER_ONLY: "server_only",
    Kind.MERGE: "merged",
}


def figure_of(kind: Kind) -> str | None:
    return _KIND_FIGURE.get(kind)


@dataclass
class ItemError:
    """One contact that could not be synced, and why (German)."""

    name: str
    uid: str
    href: str
    action: str
    message: str
    detail: str = ""


@dataclass
class ConflictNote:
    """A conflict and how it was resolved; the loser is in the contact's history."""

    name: str
    uid: str
    winner: str  # "contactbox" | "server"
    # A merge: the fields (labels, German msgids) both sides changed differently, decided
    # by the preference; everything else of both versions was kept. Empty: a whole card.
    fields: list[str] = field(default_factory=list)


@dataclass
class BookReport:
    """Figures and findings for one server book."""

    book: str  # server display name
    href: str
    local_book: str
    mode: str  # e.g. "sync/server"
    server_count: int = 0
    local_count: int = 0
    added_local: int = 0
    updated_local: int = 0
    deleted_local: int = 0
    added_server: int = 0
    updated_server: int = 0
    deleted_server: int = 0
    conflicts: int = 0
    merged: int = 0  # both sides changed, both edits kept (three-way merge)
    skipped_deleted: int = 0
    server_only: int = 0
    server_groups: int = 0  # group cards on the server (not in server_count)
    local_groups: int = 0  # group cards in Contactbox (not in local_count)
    groups_changed: int = 0  # group cards added, changed or deleted on either side
    unchanged: bool = False  # skipped: nothing changed on either side
    guarded: list[str] = field(default_factory=list)  # mass-deletion guard held these back
    held_back: int = 0  # deletions not carried out because of the guard
    kept_local: int = 0  # local changes not sent: the server lets us only read (a note says so)
    errors: list[ItemError] = field(default_factory=list)
    conflict_notes: list[ConflictNote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""  # whole-book failure (German), if any
    error_kind: str = ""  # its kind: "auth" | "network" | "server" | "other" (app.scheduler)
    not_started: str = ""  # why the run left this book out on purpose (German), if it did
    collection: str = ADDRESS_BOOK  # what the book is: "addressbook" | "calendar"
    # Each item the check would change or the run changed (app.sync.details); not in
    # `to_dict` (the report's JSON stays as it was): `RunReport.to_dict(details=True)`.
    details: list[ItemDetail] = field(default_factory=list, repr=False)

    @property
    def words(self) -> ReportWords:
        """The German words of this part of the report (Adressbuch / Kalender …)."""
        return words_for(self.collection)

    def figures(self) -> dict[str, int]:
        """Every figure of the report by name (`figure_names` of its collection)."""
        return {name: int(getattr(self, name)) for name in figure_names(self.collection)}

    def to_dict(self) -> dict[str, Any]:
        """The book's JSON (without its details)."""
        data = asdict(replace(self, details=[]))
        del data["details"]
        return data


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Summary:
    """What a run did in one book, or in all of them: the report's figures (the same
    names and values as the Importbericht) and how many items failed."""

    figures: dict[str, int]
    errors: int = 0

    @property
    def changes(self) -> int:
        """Changes carried out on either side (contacts or appointments, and group cards)."""
        changed = (*CHANGE_FIGURES, "groups_changed", "merged")
        return sum(self.figures.get(name, 0) for name in changed)


def book_summary(book: BookReport) -> Summary:
    """One book's result, as its column of the Importbericht shows it."""
    return Summary(book.figures(), len(book.errors))


def run_summary(report: RunReport) -> Summary:
    """The whole run's result, as the Importbericht's column "Gesamt" shows it."""
    return Summary(report.totals(), sum(len(b.errors) for b in report.books))


@dataclass
class RunReport:
    """A whole run over one or more books."""

    account: str
    kind: str  # "check" | "run"
    started: datetime
    finished: datetime | None = None
    status: str = "ok"  # "ok" | "errors" | "failed" | "cancelled"
    message: str = ""
    books: list[BookReport] = field(default_factory=list)
    # why the whole run failed: "auth" | "network" | "server" | "other" | "locked"
    error_kind: str = ""
    # what the run synced: "addressbook" | "calendar" (its books say it each for itself)
    collection: str = ADDRESS_BOOK

    @property
    def words_kind(self) -> str:
        """The kind of its words: "addressbook", "calendar", or "mixed" for a run over both;
        by its books, and by the run's `collection` when it has none (failed before one)."""
        kinds = {b.collection for b in self.books} or {self.collection}
        return kinds.pop() if len(kinds) == 1 else MIXED

    @property
    def words(self) -> ReportWords:
        """The German words of the whole report (its title, its tables' headers)."""
        return words_for(self.words_kind)

    def finish(self, finished: datetime, cancelled: bool = False) -> None:
        self.finished = finished
        if cancelled:
            self.status = "cancelled"
        elif any(b.error for b in self.books):
            self.status = "failed" if all(b.error for b in self.books) else "errors"
        elif any(b.errors for b in self.books):
            self.status = "errors"

    def figure_names(self) -> tuple[str, ...]:
        """The report's figures in order (a calendar report has no group figures)."""
        return figure_names(self.words_kind)

    def totals(self) -> dict[str, int]:
        """Each figure summed over the books (the report's column "Gesamt")."""
        out = dict.fromkeys(self.figure_names(), 0)
        for b in self.books:
            for name, value in b.figures().items():
                out[name] = out.get(name, 0) + value
        return out

    def details(self) -> list[ItemDetail]:
        """Every book's items, book after book."""
        return [d for b in self.books for d in b.details]

    def details_dicts(self, translate: bool = False) -> list[dict[str, Any]]:
        """The items as JSON (`translate`: the fields' names in the current language)."""
        return [d.to_dict(translate) for d in self.details()]

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        """The report's JSON; with `details` also "details", every item with its fields
        (the fields' names in the current language)."""
        data = self._to_dict()
        if details:
            data["details"] = self.details_dicts(translate=True)
        return data

    def _to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "kind": self.kind,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "status": self.status,
            "message": self.message,
            "error_kind": self.error_kind,
            "collection": self.collection,
            "totals": self.totals(),
            "books": [b.to_dict() for b in self.books],
            "errors": [{"book": b.book, **asdict(e)} for b in self.books for e in b.errors]
            + [{"book": b.book, "message": b.error} for b in self.books if b.error],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        """A report from `to_dict`'s data, also one stored before a field existed (a book
        without "collection" is of the run's collection, address books by default). Stored
        "details" (app.store.reports keeps them apart) go to the book each names."""
        collection = data.get("collection") or ADDRESS_BOOK
        books = []
        for b in data.get("books", []):
            b = {"collection": collection, **b}
            b.pop("details", None)
            errors = [ItemError(**e) for e in b.pop("errors", [])]
            notes = [ConflictNote(**c) for c in b.pop("conflict_notes", [])]
            books.append(BookReport(**b, errors=errors, conflict_notes=notes))
        by_book = {b.book: b for b in reversed(books)}
        for d in details_of(data.get("details") or ()):
            book = by_book.get(d.book) or (books[0] if books else None)
            if book is not None:
                book.details.append(d)
        return cls(
            account=data["account"],
            kind=data["kind"],
            started=datetime.fromisoformat(data["started"]),
            finished=datetime.fromisoformat(data["finished"]) if data.get("finished") else None,
            status=data.get("status", "ok"),
            message=data.get("message", ""),
            books=books,
            error_kind=data.get("error_kind", ""),
            collection=collection,
        )


def format_text(report: RunReport) -> str:
    """A plain text of the report in the current language, for the terminal and exports;
    each book in its own words (Adressbuch / Kontakte, Kalender / Termine). Status, figure
    labels and words are translated now; notes and error messages are as the run stored
    them (in the language of the run)."""
    title = _("Prüfung") if report.kind == "check" else _(report.words.report)
    lines = [
        _("{title} – Account „{account}“ ({status})").format(
            title=title, account=report.account, status=status_text(report.status)
        )
    ]
    if report.message:
        lines.append(report.message)
    for b in report.books:
        words = b.words
        lines.append("")
        lines.append(
            _("{collection} „{book}“ → Contactbox „{local}“ [{mode}]").format(
                collection=_(words.collection), book=b.book, local=b.local_book, mode=b.mode
            )
        )
        if b.error:
            lines.append("  " + _("Fehler: {message}").format(message=b.error))
            continue
        if b.not_started:
            lines.append("  " + _("Nicht gestartet: {reason}").format(reason=b.not_started))
            continue
        if b.unchanged:
            lines.append("  " + _("Keine Änderungen seit dem letzten Abgleich."))
        groups = b.server_groups or b.local_groups
        for name in figure_names(b.collection):
            value = getattr(b, name)
            if name == "groups_changed":
                if b.groups_changed:
                    n = b.groups_changed
                    lines.append("  " + _("Gruppen: {n} geändert").format(n=n))
            elif (
                value
                or name in ("server_count", "local_count")
                or (groups and name in GROUP_FIGURES)
            ):
                lines.append(f"  {_(words.labels[name])}: {value}")
        if b.guarded:
            lines.append("  " + _held_back(b))
        for c in b.conflict_notes:
            if c.fields:
                lines.append("  " + merge_conflict_text(c))
                continue
            if c.winner == "contactbox":
                kept = _("Konflikt: {name} – Version von Contactbox übernommen")
            else:
                kept = _("Konflikt: {name} – Version vom Server übernommen")
            lines.append("  " + kept.format(name=c.name))
        for note in b.notes:
            lines.append("  " + _("Hinweis: {note}").format(note=note))
        for e in b.errors:
            lines.append(
                "  "
                + _("Fehler bei {name}: {message}").format(name=e.name or e.uid, message=e.message)
            )
    return "\n".join(lines)


def merge_conflict_text(c: ConflictNote) -> str:
    """A merged contact with fields decided by the preference, in the current language."""
    fields = ", ".join(_(f) for f in c.fields)
    if c.winner == "contactbox":
        text = _(
            "Konflikt: {name} – {fields}: Version von Contactbox übernommen, alles Übrige "
            "zusammengeführt"
        )
    else:
        text = _(
            "Konflikt: {name} – {fields}: Version vom Server übernommen, alles Übrige "
            "zusammengeführt"
        )
    return text.format(name=c.name or c.uid, fields=fields)


def _held_back(b: BookReport) -> str:
    """The mass-deletion guard's line of a book (its deletions held back)."""
    n = b.held_back
    if b.collection == CALENDAR:
        text = ngettext(
            "Zurückgehalten: {n} Löschung (mehr als die Hälfte der Termine fehlt auf einer "
            "Seite). Bitte prüfen und mit Bestätigung erneut starten (--allow-mass-delete).",
            "Zurückgehalten: {n} Löschungen (mehr als die Hälfte der Termine fehlt auf einer "
            "Seite). Bitte prüfen und mit Bestätigung erneut starten (--allow-mass-delete).",
            n,
        )
    else:
        text = ngettext(
            "Zurückgehalten: {n} Löschung (mehr als die Hälfte der Kontakte fehlt auf einer "
            "Seite). Bitte prüfen und mit Bestätigung erneut starten (--allow-mass-delete).",
            "Zurückgehalten: {n} Löschungen (mehr als die Hälfte der Kontakte fehlt auf einer "
            "Seite). Bitte prüfen und mit Bestätigung erneut starten (--allow-mass-delete).",
            n,
        )
    return text.format(n=n)
