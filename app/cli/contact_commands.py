"""What `contactbox-sync contacts …` does (its parser: app/cli/contacts.py): the contacts
of a local address book (list, show, add, import, edit, delete, restore, empty the trash,
export, books), a contact's kept versions (`history`), and the book's groups (`groups`,
`group …`: app/cli/groups.py)."""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

from app import vcard
from app.cli.common import EXIT_ITEM_ERRORS, EXIT_OK, EXIT_USAGE, CliError, one_contact, out
from app.cli.groups import check_group_filter, cmd_group, cmd_groups
from app.i18n import N_, _, format_datetime, format_number, ngettext
from app.store import contacts as cstore
from app.store.models import Contact
from app.store.names import book_display_name

#: `contacts import --duplicates` in the store's words (app/store/vcf.py) where they differ.
STORE_DUPLICATES = {"new-uid": "add"}

# app/store/vcf.py (the .vcf import with its duplicate rules) is imported by the commands
# that add cards: the CLI's other commands start without it.


def _local_book(args: argparse.Namespace) -> Any:
    return cstore.get_book(args.book)


#: The types `[TYP,…:]WERT` may name: RFC 6350 §6.4.1/§6.4.2 and RFC 2426 §3.3.1/§3.3.2
#: (plus `other` and Apple's `main`/`iphone`, as the editor shows them); `x-…` always.
PHONE_TYPES = frozenset(
    {"work", "home", "cell", "voice", "fax", "pager", "text", "video", "textphone", "msg",
     "car", "isdn", "modem", "bbs", "pcs", "main", "iphone", "other"}
)  # fmt: skip
EMAIL_TYPES = frozenset({"work", "home", "internet", "x400", "other"})
_TYPED_RE = re.compile(r"([A-Za-z][A-Za-z0-9-]*(?:,[A-Za-z][A-Za-z0-9-]*)*):(.*)\Z", re.S)


def typed_value(text: str, known: frozenset[str], option: str) -> tuple[str | None, str]:
    """`--phone cell:+49 160 555` → ("cell", "+49 160 555"); without `TYP:` → (None, text).

    The part before the first colon is a type list only if it looks like one (letters,
    digits, hyphens, commas; starting with a letter); an unknown type is refused rather
    than stored as part of the number or address.
    """
    m = _TYPED_RE.match(text.strip())
    if m is None:
        return None, text.strip()
    tokens = [t.lower() for t in m.group(1).split(",")]
    unknown = [t for t in tokens if t not in known and not t.startswith("x-")]
    if unknown:
        raise CliError(
            _(
                "{option} {text}: „{type}“ ist kein bekannter Typ (bekannt: {known} oder "
                "x-…). Ohne Typ geben Sie nur den Wert an."
            ).format(option=option, text=text, type=unknown[0], known=", ".join(sorted(known))),
            EXIT_USAGE,
        )
    value = m.group(2).strip()
    if not value:
        raise CliError(
            _("{option} {text}: nach dem Typ fehlt der Wert.").format(option=option, text=text),
            EXIT_USAGE,
        )
    return ",".join(tokens), value


def _replaced(
    old: list[tuple[str, str]], given: list[str], known: frozenset[str], option: str
) -> list[tuple[str, str]]:
    """`--phone`/`--email` replace the lines: the n-th value the n-th line, keeping its
    types (and so its TYPE and other params, e.g. pref) unless the value names types."""
    out: list[tuple[str, str]] = []
    for i, text in enumerate(given):
        types, value = typed_value(text, known, option)
        if types is None:
            types = old[i][0] if i < len(old) else ""
        out.append((types, value))
    return out


def _added(
    lines: list[tuple[str, str]], given: list[str], known: frozenset[str], option: str
) -> list[tuple[str, str]]:
    """`--add-phone`/`--add-email`: one more line each; a value already there is kept once."""
    out = list(lines)
    for text in given:
        types, value = typed_value(text, known, option)
        if any(v == value for _, v in out):
            continue
        out.append((types or "", value))
    return out


def _fields_from_args(args: argparse.Namespace, base: vcard.ContactFields) -> vcard.ContactFields:
    if args.fn is not None:
        base.fn = args.fn
    if args.given is not None:
        base.given = args.given
    if args.family is not None:
        base.family = args.family
    if args.org is not None:
        base.org = args.org
    if args.email:
        base.emails = _replaced(base.emails, args.email, EMAIL_TYPES, "--email")
    if args.phone:
        base.phones = _replaced(base.phones, args.phone, PHONE_TYPES, "--phone")
    if args.add_email:
        base.emails = _added(base.emails, args.add_email, EMAIL_TYPES, "--add-email")
    if args.add_phone:
        base.phones = _added(base.phones, args.add_phone, PHONE_TYPES, "--add-phone")
    if args.note is not None:
        base.note = args.note
    return base


def _read_file(path: str) -> str:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def contacts(args: argparse.Namespace) -> int:
    action = args.action
    if action == "list":
        book = _local_book(args)
        group = check_group_filter(args)
        rows = cstore.list_contacts(book, trash=args.trash, search=args.search or "", group=group)
        data = [
            {"id": r.id, "uid": r.uid, "fn": r.fn, "email": r.email, "phone": r.phone, "org": r.org}
            for r in rows
        ]
        lines = [f"{r.id}\t{r.fn}\t{r.email}\t{r.phone}\t{r.org}" for r in rows]
        out(args, data, "\n".join(lines) if lines else _("Keine Kontakte."))
        return EXIT_OK
    if action == "show":
        c = one_contact(_local_book(args), args.ref, trash=args.trash)
        out(args, {"id": c.id, "uid": c.uid, "vcard": c.vcard}, c.vcard.rstrip("\r\n"))
        return EXIT_OK
    if action == "import":
        return _import(args)
    if action == "add":
        from app.store.vcf import card_label, unreadable_error

        book = _local_book(args)
        if args.file:
            cards = vcard.split_cards(_read_file(args.file))
        else:
            f = _fields_from_args(args, vcard.ContactFields())
            if not (f.fn or f.given or f.family or f.org or f.emails or f.phones):
                raise CliError(_("Bitte einen Namen (--fn) oder eine Datei (--file) angeben."))
            cards = [vcard.new_card(f, uid=str(uuid.uuid4()).upper())]
        added, errors, notes = [], [], []
        for number, text in enumerate(cards, 1):
            try:
                clean = vcard.sanitize(text)  # no control characters (a raw binary photo)
                contact = cstore.add_contact(book, clean.text)
            except vcard.CardError as exc:
                errors.append(unreadable_error(text, number, exc, followed=number < len(cards)))
                continue
            except cstore.StoreError as exc:
                errors.append(getattr(exc, "message", None) or str(exc))
                continue
            added.append(contact.id)
            if clean.changed:
                notes.append(f"{card_label(number, contact.fn)}: {clean.message()}")
        lines = [added_text(len(added)), *note_lines(notes), *error_lines(errors)]
        out(args, {"added": added, "errors": errors, "notes": notes}, "\n".join(lines))
        return EXIT_ITEM_ERRORS if errors else EXIT_OK
    if action == "edit":
        c = one_contact(_local_book(args), args.ref)
        if args.file:
            cards = vcard.split_cards(_read_file(args.file))
            if len(cards) != 1:
                raise CliError(_("Die Datei muss genau eine vCard enthalten."))
            text = vcard.set_uid(cards[0], c.uid)
        else:
            fields = _fields_from_args(args, vcard.read_fields(c.vcard))
            text = vcard.edit_card(c.vcard, fields)
        changed = text != c.vcard
        cstore.update_contact(c, text)  # as the editor saves: history, a change to sync
        said = (
            _("Kontakt „{name}“ geändert.") if changed else _("Kontakt „{name}“: keine Änderung.")
        )
        out(args, {"id": c.id, "changed": changed}, said.format(name=c.fn))
        return EXIT_OK
    if action == "delete":
        c = one_contact(_local_book(args), args.ref)
        cstore.delete_contact(c)
        out(
            args,
            {"id": c.id},
            _("Kontakt „{name}“ in den Papierkorb verschoben.").format(name=c.fn),
        )
        return EXIT_OK
    if action == "restore":
        c = one_contact(_local_book(args), args.ref, trash=True)
        cstore.restore_contact(c)
        out(args, {"id": c.id}, _("Kontakt „{name}“ wiederhergestellt.").format(name=c.fn))
        return EXIT_OK
    if action == "empty-trash":
        n = cstore.empty_trash(_local_book(args))
        gone = ngettext("{n} Kontakt endgültig gelöscht.", "{n} Kontakte endgültig gelöscht.", n)
        out(args, {"removed": n}, gone.format(n=format_number(n)))
        return EXIT_OK
    if action == "export":
        from app.store.vcf import export_book

        book = _local_book(args)
        group = check_group_filter(args)
        # the GUI's export: UTF-8, CHARSET labels that say so
        payload = export_book(book, group=group)
        target = args.out or getattr(args, "file", None)
        if target and target != "-":
            Path(target).write_bytes(payload)
            n = cstore.count_contacts(book, group=group)
            if group:
                done = ngettext(
                    "{n} Kontakt der Gruppe „{group}“ nach {file} exportiert.",
                    "{n} Kontakte der Gruppe „{group}“ nach {file} exportiert.",
                    n,
                )
            else:
                done = ngettext(
                    "{n} Kontakt nach {file} exportiert.", "{n} Kontakte nach {file} exportiert.", n
                )
            print(done.format(n=format_number(n), group=group, file=target))
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        return EXIT_OK
    if action == "books":
        counts = {n: cstore.count_live(cstore.get_book(n)) for n in cstore.list_books()}
        data = [{"name": n, "count": count} for n, count in counts.items()]
        shown = (f"{book_display_name(n)}\t{format_number(c)}" for n, c in counts.items())
        out(args, data, "\n".join(shown))
        return EXIT_OK
    if action == "history":
        return _history(args)
    if action == "groups":
        return cmd_groups(args)
    if action == "group":
        return cmd_group(args)
    raise CliError(_("Unbekannte Aktion {action}").format(action=action), EXIT_USAGE)


def added_text(n: int) -> str:
    """The first line of `add` and `import`: "1 Kontakt angelegt.", "2 Kontakte angelegt"."""
    return ngettext("{n} Kontakt angelegt.", "{n} Kontakte angelegt.", n).format(n=format_number(n))


def note_lines(notes: list[str]) -> list[str]:
    return [_("Hinweis: {note}").format(note=n) for n in notes]


def error_lines(errors: list[str]) -> list[str]:
    return [_("Fehler: {error}").format(error=e) for e in errors]


#: The figures of an import with --duplicates skip|update|new-uid, in the order printed
#: (translated where shown); the one indented is a part of the figure before it.
IMPORT_FIGURES = (
    N_("Gelesene Karten"),
    N_("Neu angelegt"),
    N_("davon mit neuer UID"),
    N_("Aktualisiert"),
    N_("Unverändert (doppelt, gleicher Inhalt)"),
    N_("Doppelt, übersprungen"),
    N_("Im Papierkorb, übersprungen"),
    N_("Fehler"),
)
_INDENTED = IMPORT_FIGURES[2]


def _duplicates_hint() -> str:
    """What a refusal offers instead (the end of the store's message)."""
    return _(
        "mit --duplicates skip (überspringen), update (aktualisieren) oder new-uid (mit neuer "
        "UID anlegen) wählen Sie, was mit solchen Karten geschieht"
    )


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise CliError(
            _("Die Datei {file} kann nicht gelesen werden: {detail}.").format(
                file=path, detail=detail
            )
        ) from None


def _live_ids(book: Any, *, groups: bool = False) -> set[int]:
    """The live contacts of a book (people), or with `groups` its live group cards."""
    kind = (Contact.kind == "group") if groups else (Contact.kind != "group")
    rows = Contact.select(Contact.id).where(
        (Contact.book == book) & Contact.deleted_at.is_null() & kind
    )
    return {int(c.id) for c in rows}


def groups_added_text(n: int) -> str:
    """"1 Gruppe angelegt.", "2 Gruppen angelegt." (group cards of an import)."""
    return ngettext("{n} Gruppe angelegt.", "{n} Gruppen angelegt.", n).format(
        n=format_number(n)
    )


def _import(args: argparse.Namespace) -> int:
    """`contacts import FILE --book B [--duplicates refuse|skip|update|new-uid]`."""
    if args.file and args.ref:
        raise CliError(_("Bitte die Datei nur einmal angeben (DATEI oder --file)."), EXIT_USAGE)
    path = args.file or args.ref
    if not path:
        raise CliError(
            _(
                "Bitte die vCard-Datei angeben: contacts import DATEI --book NAME "
                "(- für die Standardeingabe)."
            ),
            EXIT_USAGE,
        )
    data = _read_bytes(path)
    book = cstore.ensure_book(args.book)
    mode = args.duplicates
    from app.store.vcf import import_vcf

    before = _live_ids(book)
    groups_before = _live_ids(book, groups=True)
    report = import_vcf(
        book, data, duplicates=STORE_DUPLICATES.get(mode, mode), refuse_hint=_duplicates_hint()
    )
    added = sorted(_live_ids(book) - before)
    groups_added = sorted(_live_ids(book, groups=True) - groups_before)
    refused = report.refused
    data_out = {
        "added": added,
        "groups_added": groups_added,
        "errors": report.errors,
        "duplicates": mode,
        "cards_read": report.cards_read,
        "skipped": report.duplicates_skipped,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "new_uid": report.new_uid,
        "refused": refused,
        "skipped_trashed": report.skipped_trashed,
        "notes": report.notes,
    }
    lines = [added_text(len(added))]
    if groups_added:
        lines.append(groups_added_text(len(groups_added)))
    if mode != "refuse":  # the default's text stays as it was: refusals are its errors
        counts = (
            report.cards_read, len(added), report.new_uid, report.updated, report.unchanged,
            report.duplicates_skipped, report.skipped_trashed, len(report.errors),
        )  # fmt: skip
        labels = [("  " if f == _INDENTED else "") + _(f) + ":" for f in IMPORT_FIGURES]
        width = max(len(label) for label in labels)
        rows = zip(labels, counts, strict=True)
        lines += [f"{label:<{width}} {format_number(n)}" for label, n in rows]
    lines += note_lines(report.notes)
    lines += error_lines(report.errors)
    out(args, data_out, "\n".join(lines))
    return EXIT_ITEM_ERRORS if report.errors else EXIT_OK


def _history(args: argparse.Namespace) -> int:
    """The contact's kept versions, newest first: why (the label in the current language),
    when (local time, in the language's format), the text."""
    from app.store.history import REASON_LABELS

    c = one_contact(_local_book(args), args.ref, trash=args.trash)
    kept = cstore.history(c)
    data = [
        {
            "reason": v.reason,
            "note": v.note,
            "created": v.created.replace(tzinfo=UTC).isoformat(timespec="seconds"),
            "vcard": v.vcard,
        }
        for v in kept
    ]
    if not kept:
        none = _("„{name}“ (Nr. {id}): keine früheren Fassungen gespeichert.")
        out(args, data, none.format(name=c.fn, id=c.id))
        return EXIT_OK
    head = ngettext(
        "„{name}“ (Nr. {id}): {n} frühere Fassung.",
        "„{name}“ (Nr. {id}): {n} frühere Fassungen, die neueste zuerst.",
        len(kept),
    )
    lines = [head.format(name=c.fn, id=c.id, n=format_number(len(kept)))]
    for v in kept:
        note = f" – {v.note}" if v.note else ""
        reason = REASON_LABELS.get(v.reason, v.reason)
        when = format_datetime(v.created.replace(tzinfo=UTC).astimezone())
        lines += [
            "",
            f"{when}  {_(reason)}{note}",
            *("  " + line for line in v.vcard.rstrip("\r\n").splitlines()),
        ]
    out(args, data, "\n".join(lines))
    return EXIT_OK
