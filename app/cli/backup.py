"""`contactbox-sync backup list|create|restore|delete [FILE]` and its parser: the database's
backups — list them, make one now, restore one (the state before is kept as a safety backup,
a damaged database is kept aside, a "Neu anlegen" that was under way is not repeated) or
delete one. Works on a damaged database too: app/cli/entry.py opens no database for it, and
points to it (`BACKUP_HINT`) when the database is damaged. What it does is in
app/cli/backup_commands.py, imported when it runs."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import js
from app.i18n import N_, _

BACKUP_HINT = N_(
    "Sicherungen anzeigen: „contactbox-sync backup list“; eine davon wiederherstellen: "
    "„contactbox-sync backup restore <Datei>“."
)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.cli.backup_commands import backup

    return backup(args)


def add_backup_parser(sub: Any) -> None:
    """`backup list|create|restore|delete [FILE]`."""
    bk = sub.add_parser(
        "backup",
        help=_("Datensicherung der Datenbank: anzeigen, jetzt sichern, wiederherstellen, löschen"),
    )
    bk.add_argument(
        "action",
        choices=["list", "create", "restore", "delete"],
        help=_(
            "list = anzeigen, create = jetzt sichern, restore = wiederherstellen, delete = löschen"
        ),
    )
    bk.add_argument("file", nargs="?", help=_("Sicherung (Dateiname aus „backup list“ oder Pfad)"))
    js(bk)
    bk.set_defaults(func=cmd_backup)
