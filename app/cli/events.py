"""`contactbox-sync calendar event add|list|edit|delete` and its parser: a user's
appointments ("Termine") as the GUI's agenda and appointment dialog make them, through the
same store functions, so the next `calendar run` uploads, changes or deletes the event on
the server like any change made in the window (a deletion goes to the trash first). Whose
appointments: `--user NAME`, or `--calendar NAME` (the server calendar a user's appointments
are bound to: display name or path), else the current user (`users use`). REF names one
live appointment of that user: its number, its UID (also the UID a never-synced appointment
will be uploaded with), or its exact title (ignoring case); several matches are refused with
the candidates. Times are typed in ISO 8601 and so given in JSON; the text shows them in the
language's format (app/cli/event_times.py); an all-day appointment's `--end` is its *last*
day (inclusive), as in the dialog. Every text is in the current language (app/i18n.py); the
JSON is the same in every language. What the commands do is in app/cli/event_commands.py,
imported when one runs: the parser loads no store code."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import js
from app.cli.event_times import DEFAULT_RANGE_DAYS, day_arg, duration_arg, when_arg
from app.i18n import _


def cmd_event(args: argparse.Namespace) -> int:
    from app.cli.event_commands import event

    return event(args)


# ---------------------------------------------------------------- parser


def _owner_arguments(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group()
    who.add_argument("--user", help=_("Contactbox-Benutzer (sonst der aktuelle Benutzer)"))
    who.add_argument(
        "--calendar",
        help=_(
            "Der Kalender (Anzeigename oder Pfad), mit dem die Termine eines Benutzers "
            "verbunden sind – statt --user"
        ),
    )


def _content_arguments(p: argparse.ArgumentParser, *, new: bool) -> None:
    """What an appointment says, for `add` (`new`: the title and start required) or for
    `edit` (only what is given changes; "" clears the place or description)."""
    p.add_argument("--summary", required=new, help=_("Betreff") if new else _("Neuer Betreff"))
    _time_arguments(p, new=new)
    p.add_argument("--location", help=_("Ort des Termins") if new else _('Ort ("" = keiner)'))
    p.add_argument(
        "--description",
        help=_("Beschreibung (Notizen)") if new else _('Beschreibung ("" = keine)'),
    )


def _time_arguments(p: argparse.ArgumentParser, *, new: bool) -> None:
    p.add_argument(
        "--start",
        type=when_arg,
        required=new,
        help=_(
            "Beginn nach ISO 8601: 2026-12-24 (ganztägig), 2026-12-24T14:00 (Ortszeit "
            "dieses Computers) oder 2026-12-24T14:00+01:00 / …Z"
        ),
    )
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--end",
        type=when_arg,
        help=_("Ende (ISO 8601); bei ganztägigen Terminen der letzte Tag, einschließlich"),
    )
    length.add_argument(
        "--duration",
        type=duration_arg,
        help=_("Dauer statt --end: PT1H30M, P2D, 90m, 1h30m, 2d (ohne beides: 1 Stunde bzw. 1 Tag)")
        if new
        else _("Dauer statt --end: PT1H30M, P2D, 90m, 1h30m, 2d"),
    )
    p.add_argument(
        "--all-day",
        action="store_true",
        help=_(
            "Ganztägig (nur die Tage zählen); ein Datum ohne Uhrzeit bei --start ist es von selbst"
        ),
    )


def add_event_parser(csub: Any) -> None:
    """`calendar event add|list|edit|delete` (REF and options in any order)."""
    ev = csub.add_parser(
        "event",
        help=_(
            "Termine eines Benutzers anlegen, anzeigen, ändern, löschen (der nächste "
            "„calendar run“ gleicht sie ab)"
        ),
        description=_(
            "Termine wie im Terminplaner. Zeiten nach ISO 8601; ohne Zeitzone gilt die "
            "Ortszeit dieses Computers. REF: Nr., UID oder der genaue Betreff."
        ),
    )
    esub = ev.add_subparsers(dest="action", required=True)

    e = esub.add_parser("add", help=_("Einen Termin anlegen"))
    _owner_arguments(e)
    _content_arguments(e, new=True)
    js(e)

    e = esub.add_parser(
        "list",
        help=_(
            "Termine mit UID, Beginn, Ende, Betreff; mit --from/--to die Vorkommen im "
            "Zeitraum (Serien aufgelöst)"
        ),
    )
    _owner_arguments(e)
    e.add_argument(
        "--from",
        dest="from_day",
        type=day_arg,
        help=_("Erster Tag (ISO 8601; ohne: heute, wenn --to angegeben)"),
    )
    e.add_argument(
        "--to",
        dest="to_day",
        type=day_arg,
        help=_("Letzter Tag, einschließlich (ohne: {n} Tage nach --from)").format(
            n=DEFAULT_RANGE_DAYS
        ),
    )
    e.add_argument("--trash", action="store_true", help=_("Die Termine im Papierkorb"))
    js(e)

    e = esub.add_parser(
        "edit",
        help=_("Einen Termin ändern (nur die angegebenen Felder; eine Serie als Ganzes)"),
    )
    e.add_argument("ref", metavar="REF", help=_("Nr., UID oder Betreff des Termins"))
    _owner_arguments(e)
    _content_arguments(e, new=False)
    js(e)

    e = esub.add_parser(
        "delete",
        help=_(
            "Einen Termin in den Papierkorb verschieben (der nächste „calendar run“ löscht "
            "ihn auf dem Server)"
        ),
    )
    e.add_argument("ref", metavar="REF", help=_("Nr., UID oder Betreff des Termins"))
    _owner_arguments(e)
    js(e)
    ev.set_defaults(func=cmd_event)
