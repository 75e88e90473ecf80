"""`contactbox-sync contacts …`: the contacts of a local address book (list, show, add,
import, edit, delete, restore, empty the trash, export, books) and a contact's kept
versions (`history`). Part of the public interface of app/cli.py, which dispatches here.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

from app import vcard
from app.cli_common import EXIT_ITEM_ERRORS, EXIT_OK, EXIT_USAGE, CliError, out
from app.store import contacts as cstore
from app.store.vcf import card_label, unreadable_error

#: The actions that name one contact (REF); without it: wrong usage (exit 2).
NEEDS_REF = ("show", "edit", "delete", "restore", "history")


def _local_book(args: argparse.Namespace) -> Any:
    return cstore.get_book(args.book)


def _one(book: Any, ref: str, trash: bool = False) -> Any:
    found = cstore.find_contacts(book, ref, trash=trash)
    if not found:
        where = "im Papierkorb" if trash else f"in „{book.name}“"
        raise CliError(f"Kein Kontakt „{ref}“ {where} gefunden.")
    if len(found) > 1:
        raise CliError(f"„{ref}“ ist mehrdeutig ({len(found)} Kontakte); bitte die Nr. angeben.")
    return found[0]


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
        base.emails = [("", e) for e in args.email]
    if args.phone:
        base.phones = [("", p) for p in args.phone]
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


def cmd_contacts(args: argparse.Namespace) -> int:
    action = args.action
    if action == "list":
        book = _local_book(args)
        rows = cstore.list_contacts(book, trash=args.trash, search=args.search or "")
        data = [
            {"id": r.id, "uid": r.uid, "fn": r.fn, "email": r.email, "phone": r.phone, "org": r.org}
            for r in rows
        ]
        lines = [f"{r.id}\t{r.fn}\t{r.email}\t{r.phone}\t{r.org}" for r in rows]
        out(args, data, "\n".join(lines) if lines else "Keine Kontakte.")
        return EXIT_OK
    if action == "show":
        c = _one(_local_book(args), args.ref, trash=args.trash)
        out(args, {"id": c.id, "uid": c.uid, "vcard": c.vcard}, c.vcard.rstrip("\r\n"))
        return EXIT_OK
    if action in ("add", "import"):
        book = cstore.ensure_book(args.book) if action == "import" else _local_book(args)
        if args.file:
            cards = vcard.split_cards(_read_file(args.file))
        else:
            f = _fields_from_args(args, vcard.ContactFields())
            if not (f.fn or f.given or f.family or f.org or f.emails):
                raise CliError("Bitte einen Namen (--fn) oder eine Datei (--file) angeben.")
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
        out(
            args,
            {"added": added, "errors": errors, "notes": notes},
            f"{len(added)} Kontakt(e) angelegt."
            + "".join(f"\nHinweis: {n}" for n in notes)
            + "".join(f"\nFehler: {e}" for e in errors),
        )
        return EXIT_ITEM_ERRORS if errors else EXIT_OK
    if action == "edit":
        c = _one(_local_book(args), args.ref)
        if args.file:
            cards = vcard.split_cards(_read_file(args.file))
            if len(cards) != 1:
                raise CliError("Die Datei muss genau eine vCard enthalten.")
            text = vcard.set_uid(cards[0], c.uid)
        else:
            fields = _fields_from_args(args, vcard.read_fields(c.vcard))
            text = vcard.edit_card(c.vcard, fields)
        cstore.update_contact(c, text)
        out(args, {"id": c.id}, f"Kontakt „{c.fn}“ geändert.")
        return EXIT_OK
    if action == "delete":
        c = _one(_local_book(args), args.ref)
        cstore.delete_contact(c)
        out(args, {"id": c.id}, f"Kontakt „{c.fn}“ in den Papierkorb verschoben.")
        return EXIT_OK
    if action == "restore":
        c = _one(_local_book(args), args.ref, trash=True)
        cstore.restore_contact(c)
        out(args, {"id": c.id}, f"Kontakt „{c.fn}“ wiederhergestellt.")
        return EXIT_OK
    if action == "empty-trash":
        n = cstore.empty_trash(_local_book(args))
        out(args, {"removed": n}, f"{n} Kontakt(e) endgültig gelöscht.")
        return EXIT_OK
    if action == "export":
        book = _local_book(args)
        texts = [c.vcard.rstrip("\r\n") + "\r\n" for c in cstore.live_contacts(book)]
        payload = "".join(texts)
        if args.out and args.out != "-":
            Path(args.out).write_text(payload, encoding="utf-8", newline="")
            print(f"{len(texts)} Kontakt(e) nach {args.out} exportiert.")
        else:
            sys.stdout.write(payload)
        return EXIT_OK
    if action == "books":
        data = [
            {"name": n, "count": cstore.count_live(cstore.get_book(n))} for n in cstore.list_books()
        ]
        out(args, data, "\n".join(f"{d['name']}\t{d['count']}" for d in data))
        return EXIT_OK
    if action == "history":
        return _history(args)
    raise CliError(f"Unbekannte Aktion {action}", EXIT_USAGE)


def _history(args: argparse.Namespace) -> int:
    """The contact's kept versions, newest first: why (German label), when, the text."""
    from app.store.history import REASON_LABELS, local_time

    c = _one(_local_book(args), args.ref, trash=args.trash)
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
        out(args, data, f"„{c.fn}“ (Nr. {c.id}): keine früheren Fassungen gespeichert.")
        return EXIT_OK
    lines = [f"„{c.fn}“ (Nr. {c.id}): {len(kept)} frühere Fassung(en), die neueste zuerst."]
    for v in kept:
        note = f" – {v.note}" if v.note else ""
        lines += [
            "",
            f"{local_time(v.created)}  {REASON_LABELS.get(v.reason, v.reason)}{note}",
            *("  " + line for line in v.vcard.rstrip("\r\n").splitlines()),
        ]
    out(args, data, "\n".join(lines))
    return EXIT_OK


def add_contacts_parser(sub: Any, js: Callable[[argparse.ArgumentParser], None]) -> None:
    """`contacts ACTION [REF] --book B …` (one subcommand, the action a positional)."""
    ct = sub.add_parser("contacts", help="Kontakte in Contactbox")
    ct.add_argument(
        "action",
        choices=[
            "list",
            "show",
            "add",
            "import",
            "edit",
            "delete",
            "restore",
            "empty-trash",
            "export",
            "books",
            "history",
        ],
    )
    ct.add_argument("ref", nargs="?", help="Nr., UID oder Name des Kontakts")
    ct.add_argument("--book", default="Standard", help="Adressbuch in Contactbox")
    ct.add_argument("--file", help="vCard-Datei (- für Standardeingabe)")
    ct.add_argument("--out", help="Zieldatei für export")
    ct.add_argument("--search")
    ct.add_argument("--trash", action="store_true", help="im Papierkorb")
    ct.add_argument("--fn")
    ct.add_argument("--given")
    ct.add_argument("--family")
    ct.add_argument("--org")
    ct.add_argument("--email", action="append")
    ct.add_argument("--phone", action="append")
    ct.add_argument("--note")
    js(ct)
    ct.set_defaults(func=cmd_contacts)
