"""`contactbox-sync contacts …` and its parser: the contacts of a local address book (list,
show, add, import, edit, delete, restore, empty the trash, export, books), a contact's kept
versions (`history`), and the book's groups (`groups`, `group …`). Part of the public
interface of `contactbox-sync` (app/cli/). What the actions do is in
app/cli/contact_commands.py (groups: app/cli/groups.py), imported when one runs: the parser
loads no store code."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import js
from app.i18n import _

#: The actions that name one contact (REF); without it: wrong usage (exit 2).
NEEDS_REF = ("show", "edit", "delete", "restore", "history")

#: `contacts import --duplicates`: the CLI's words for the store's modes (app/store/vcf.py;
#: "new-uid" is its "add", app/cli/contact_commands.py); "refuse" (the default) imports no
#: duplicate and says why.
DUPLICATES = ("refuse", "skip", "update", "new-uid")


def cmd_contacts(args: argparse.Namespace) -> int:
    from app.cli.contact_commands import contacts

    return contacts(args)


def take_words(args: argparse.Namespace, extra: list[str]) -> list[str]:
    """Place the words argparse left over after the options where they belong (it hands
    out `contacts ACTION [REF] [WORT …]` in one go, so in `contacts show --book B REF` the
    REF comes back unparsed): the reference (one word, none given yet), with `group` also
    the group and its contacts, in the order typed. Returns what is still left over
    (refused as unrecognized): an unknown option, a second reference."""
    if any(w.startswith("-") and w != "-" for w in extra):  # "-": `import` from stdin
        return extra
    if args.action == "group":
        words = [*([args.ref] if args.ref is not None else []), *args.words, *extra]
        args.ref, args.words = (words[0], words[1:]) if words else (None, [])
        return []
    if args.words:
        return [*args.words, *extra]
    if extra and args.ref is None and len(extra) == 1:
        args.ref = extra[0]
        return []
    return extra


def add_group_words(ct: argparse.ArgumentParser) -> None:
    """The words after REF: `contacts group ACTION GROUP …`."""
    ct.add_argument(
        "words",
        nargs="*",
        metavar=_("WORT"),
        help=_(
            "nur bei group: die Gruppe, dann bei rename der neue Name, bei add/remove "
            "(und wahlweise create) die Kontakte (Nr., UID oder Name)"
        ),
    )


def add_group_filter(ct: argparse.ArgumentParser) -> None:
    """`contacts list|export --group G`."""
    ct.add_argument(
        "--group",
        metavar=_("GRUPPE"),
        help=_(
            "list, export: nur die Kontakte dieser Gruppe (export: mit ihrer Gruppen-vCard; "
            "eine Gruppe, die es im Adressbuch nicht gibt: Fehler, Exit-Code 1)"
        ),
    )


def add_contacts_parser(sub: Any) -> None:
    """`contacts ACTION [REF] --book B …` (one subcommand, the action a positional)."""
    ct = sub.add_parser(
        "contacts",
        help=_("Kontakte in Contactbox"),
        description=_(
            "Kontakte eines Adressbuchs in Contactbox. Optionen und REF (bzw. DATEI bei "
            "import) in beliebiger Reihenfolge. Gruppen: „contacts groups“ zeigt jede Gruppe "
            "mit der Zahl ihrer Kontakte und wo sie steht (Kategorie, Gruppen-vCard, beides, "
            "leer); „contacts list --group GRUPPE“ nur ihre Kontakte; „contacts group create "
            "GRUPPE [REF …]“ legt eine an (so, wie die Accounts des Adressbuchs Gruppen "
            "schreiben: account … --groups), „group delete GRUPPE“ löscht sie (die Kontakte "
            "bleiben), „group rename GRUPPE NEUER_NAME“, „group add GRUPPE REF …“ und „group "
            "remove GRUPPE REF …“ nehmen Kontakte auf bzw. heraus (REF wie bei show; ein "
            "unbekannter oder mehrdeutiger REF: Fehler, nichts geändert). Der nächste Abgleich "
            "überträgt jede Änderung."
        ),
        epilog=_(
            "Typen bei --phone/--email/--add-phone/--add-email: TYP:WERT, mehrere mit Komma "
            '(z. B. --add-phone "cell:+49 160 555", --add-phone fax,work:+4930123, '
            "--add-email home:anna@example.org). Telefon: work, home, cell, fax, pager, voice, "
            "text, video, textphone, msg, car, isdn, modem, bbs, pcs, main, iphone, other; "
            "E-Mail: work, home, internet, x400, other; dazu x-…"
        ),
    )
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
            "groups",
            "group",
        ],
    )
    ct.add_argument(
        "ref",
        nargs="?",
        metavar="REF",
        help=_(
            "Nr., UID oder Name des Kontakts; bei import: die vCard-Datei (- für "
            "Standardeingabe); bei group: create, delete, rename, add oder remove"
        ),
    )
    add_group_words(ct)
    ct.add_argument("--book", default="Standard", help=_("Adressbuch in Contactbox"))
    ct.add_argument(
        "--file",
        help=_("vCard-Datei: import liest sie (- für Standardeingabe), export schreibt sie"),
    )
    ct.add_argument(
        "--duplicates",
        choices=list(DUPLICATES),
        default="refuse",
        help=_(
            "import: was mit einer Karte geschieht, die schon im Adressbuch ist – refuse "
            "(Standard): eine Karte, deren UID es schon gibt, wird abgelehnt (Fehler, "
            "Exit-Code 3); skip: überspringen; update: den vorhandenen Kontakt aktualisieren "
            "(die bisherige Fassung bleibt im Verlauf); new-uid: trotzdem anlegen, mit neuer "
            "UID, wenn ihre vergeben ist. Doppelt ist bei skip/update/new-uid wie in der "
            "Oberfläche eine Karte mit derselben UID, sonst mit gleichem Namen und gleicher "
            "E-Mail, sonst mit gleichem Inhalt"
        ),
    )
    ct.add_argument("--out", help=_("Zieldatei für export (auch --file; ohne: Standardausgabe)"))
    ct.add_argument("--search")
    add_group_filter(ct)
    ct.add_argument("--trash", action="store_true", help=_("im Papierkorb"))
    ct.add_argument("--fn")
    ct.add_argument("--given")
    ct.add_argument("--family")
    ct.add_argument("--org")
    ct.add_argument(
        "--email",
        action="append",
        metavar=_("[TYP:]ADRESSE"),
        help=_(
            "ersetzt die E-Mail-Adressen (mehrfach angebbar): die n-te Angabe ersetzt die "
            "n-te Adresse und behält deren Typ und Parameter (z. B. pref), außer TYP: ist "
            "angegeben; Adressen ohne Angabe entfallen"
        ),
    )
    ct.add_argument(
        "--phone",
        action="append",
        metavar=_("[TYP:]NUMMER"),
        help=_(
            "ersetzt die Telefonnummern (mehrfach angebbar): die n-te Angabe ersetzt die "
            "n-te Nummer und behält deren Typ und Parameter (z. B. pref), außer TYP: ist "
            "angegeben; Nummern ohne Angabe entfallen"
        ),
    )
    ct.add_argument(
        "--add-email",
        action="append",
        metavar=_("[TYP:]ADRESSE"),
        help=_(
            "fügt eine E-Mail-Adresse hinzu (mehrfach angebbar; nach --email); eine schon "
            "vorhandene gleiche Adresse wird nicht verdoppelt"
        ),
    )
    ct.add_argument(
        "--add-phone",
        action="append",
        metavar=_("[TYP:]NUMMER"),
        help=_(
            "fügt eine Telefonnummer hinzu (mehrfach angebbar; nach --phone); eine schon "
            "vorhandene gleiche Nummer wird nicht verdoppelt"
        ),
    )
    ct.add_argument("--note")
    js(ct)
    ct.set_defaults(func=cmd_contacts)
