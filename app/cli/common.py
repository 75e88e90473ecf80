"""What every command group of `contactbox-sync` (app/cli/) shares: the exit codes, the
one-line error (`CliError`), the text-or-JSON output, and the options several commands
take alike — `--json`, and the `--allow-mass-delete`/`--progress` pair of a run that writes
(`run`, `calendar run`) — and the one contact a reference names (`contacts`, `contacts group`).
Light on purpose: the parser and every command's start import it (app/cli/__init__.py), so
the store is imported only where a contact is looked up."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.i18n import _, ngettext

if TYPE_CHECKING:
    from app.store.models import AddressBook, Contact

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_ITEM_ERRORS, EXIT_GUARDED = 0, 1, 2, 3, 4
EXIT_LOCKED = 5


def progress_help() -> str:
    """The help of `--progress` (`run`, `sync`, `calendar run`), in the chosen language."""
    return _(
        "Fortschritt auf stderr („BUCH: PHASE ERLEDIGT/GESAMT“): im Terminal eine Zeile, die "
        "sich aktualisiert; in eine Pipe oder Datei ganze Zeilen, höchstens etwa vier pro "
        "Sekunde, dazu die letzte jedes Adressbuchs bzw. Kalenders"
    )


class CliError(Exception):
    """A one-line message for stderr and a non-zero exit."""

    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def out(args: argparse.Namespace, data: Any, text: str) -> None:
    """`data` as JSON with --json, else `text`."""
    if getattr(args, "json", False):
        import json

        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def js(sp: argparse.ArgumentParser) -> None:
    """`--json` (every command that prints a result has it, as its last option)."""
    sp.add_argument("--json", action="store_true", help=_("Ausgabe als JSON"))


def details_option(c: argparse.ArgumentParser) -> None:
    """`--details` of `check`, `run`, `sync`, `calendar run|check` and `reports --id`."""
    c.add_argument(
        "--details",
        action="store_true",
        help=_(
            "Jeden Kontakt bzw. Termin einzeln aufführen, der sich ändert (bzw. geändert "
            "wurde): Seite, Aktion, Name und die geänderten Felder mit altem → neuem Wert; "
            "mit --json als „details“"
        ),
    )


def run_options(c: argparse.ArgumentParser) -> None:
    """`--allow-mass-delete` and `--progress` of `run` and `calendar run`."""
    c.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help=_("Löschungen trotz Massenlöschungs-Schutz ausführen"),
    )
    c.add_argument("--progress", action="store_true", help=progress_help())


def one_contact(book: AddressBook, ref: str, trash: bool = False) -> Contact:
    """The one contact `ref` (number, UID or exact name) names in `book`; CliError (exit 1)
    when none or several do."""
    from app.store import contacts as cstore

    found = cstore.find_contacts(book, ref, trash=trash)
    if not found and trash:
        raise CliError(_("Kein Kontakt „{ref}“ im Papierkorb gefunden.").format(ref=ref))
    if not found:
        raise CliError(
            _("Kein Kontakt „{ref}“ in „{book}“ gefunden.").format(ref=ref, book=book.name)
        )
    if len(found) > 1:
        raise CliError(
            ngettext(
                "„{ref}“ ist mehrdeutig ({n} Kontakt); bitte die Nr. angeben.",
                "„{ref}“ ist mehrdeutig ({n} Kontakte); bitte die Nr. angeben.",
                len(found),
            ).format(ref=ref, n=len(found))
        )
    return found[0]
