"""`contactbox-sync backup list|create|restore|delete [FILE]`: the database's backups
(app/store/backups.py) — list them, make one now, restore one (the state before is kept as
a safety backup, a damaged database is kept aside, a "Neu anlegen" that was under way is
not repeated) or delete one. Works on a damaged database too: app/cli/entry.py opens no
database for it, and points to it (`BACKUP_HINT`) when the database is damaged."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, js, out
from app.paths import data_home, database_path
from app.store.backups import MANUAL as MANUAL_BACKUP
from app.store.backups import (
    Backup,
    backup_database,
    delete_backup,
    find_backup,
    list_backups,
    restore_backup,
)
from app.store.db import open_database

BACKUP_HINT = (
    "Sicherungen anzeigen: „contactbox-sync backup list“; eine davon wiederherstellen: "
    "„contactbox-sync backup restore <Datei>“."
)


def _backup_json(b: Backup) -> dict[str, Any]:
    return {
        "file": b.path.name,
        "path": str(b.path),
        "reason": b.reason,
        "reason_de": b.reason_de,
        "created": b.created.isoformat(timespec="seconds"),
        "size": b.size,
    }


def cmd_backup(args: argparse.Namespace) -> int:
    """`backup list|create|restore <file>|delete <file>`; works on a damaged database too."""
    path = database_path(data_home(args.home))
    if args.action == "list":
        found = list_backups(path)
        lines = [
            f"{b.created.astimezone():%d.%m.%Y %H:%M}  {b.size / 1e6:8.1f} MB  "
            f"{b.reason_de}  {b.path.name}"
            for b in found
        ]
        out(
            args,
            [_backup_json(b) for b in found],
            "\n".join(lines) or f"Keine Sicherungen neben {path}.",
        )
        return EXIT_OK
    if args.action == "create":
        target = backup_database(path, MANUAL_BACKUP)
        out(
            args,
            {"file": target.name, "path": str(target), "size": target.stat().st_size},
            f"Gesichert: {target}",
        )
        return EXIT_OK
    if not args.file:
        raise CliError("Bitte die Sicherung angeben (Dateiname aus „backup list“).", EXIT_USAGE)
    backup = find_backup(path, args.file)
    if args.action == "delete":
        delete_backup(path, backup)
        out(args, {"deleted": backup.name}, f"Gelöscht: {backup.name}")
        return EXIT_OK
    result = restore_backup(path, backup)
    open_database(path)  # migrates a backup of an older version (with its own backup)
    text = [f"Wiederhergestellt aus {backup.name}."]
    if result.safety_backup:
        text.append(f"Der vorige Stand ist gesichert als {result.safety_backup.name}.")
    if result.damaged_kept:
        text.append(f"Die beschädigte Datenbank bleibt erhalten als {result.damaged_kept.name}.")
    if result.recreate_stopped:
        books = ", ".join(f"„{n}“" for n in result.recreate_stopped)
        text.append(
            f"„Neu anlegen“ wird nicht wiederholt: {books} gleicht wieder normal ab "
            "(Synchronisation · Server)."
        )
    out(
        args,
        {
            "restored_from": backup.name,
            "safety_backup": result.safety_backup.name if result.safety_backup else None,
            "damaged_kept": result.damaged_kept.name if result.damaged_kept else None,
            "recreate_stopped": result.recreate_stopped,
        },
        " ".join(text),
    )
    return EXIT_OK


def add_backup_parser(sub: Any) -> None:
    """`backup list|create|restore|delete [FILE]`."""
    bk = sub.add_parser(
        "backup",
        help="Datensicherung der Datenbank: anzeigen, jetzt sichern, wiederherstellen, löschen",
    )
    bk.add_argument("action", choices=["list", "create", "restore", "delete"])
    bk.add_argument("file", nargs="?", help="Sicherung (Dateiname aus „backup list“ oder Pfad)")
    js(bk)
    bk.set_defaults(func=cmd_backup)
